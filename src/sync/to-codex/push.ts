import { SyncError } from '../../core/errors.js';
import { Running } from '../../git/exec.js';
import type { ObjectSource, ObjectStore } from '../../git/objects/store.js';
import { readRefFile, type commitPeople } from '../../git/project.js';
import type { TreeEntry } from '../../git/objects/parse.js';
import { msg } from '../../core/messages.js';
import { recordPushed, startPush, type CodexCache } from '../cache/cache.js';
import type { SyncOptions, ToCodexResult } from '../options.js';
import { probeKey, probeNames, selectionConfigKey } from './probe.js';
import { refusedPush } from '../cache/remote.js';
import { matchedNothing, selectionKey, type Selection } from './select.js';
import { recordSynced, syncTarget } from '../state.js';
import { codexIds, codexProjectFiles, commitMessage, planToCodex, writeCommit, type CodexFolder, type FilePlan, type Staged } from './to-codex.js';
import { pushRetrying, type PushRetry } from './push-retry.js';
import { trace } from '../../core/trace.js';

/** The commit's listing and what of it is selected for the codex. */
export type Selected = { entries: TreeEntry[]; selection: Selection };

/** What the sync prepared while the codex was fetched (engine.ts). */
export interface Prepared {
  cache: CodexCache;
  reader: ObjectSource;
  /** The fetched tip of the codex branch. */
  tip: string;
  selected: Selected | null;
  staged: Staged | null;
  /** The project's objects (a layered sync reads other commits' selections). */
  source: ObjectStore;
  people: ReturnType<typeof commitPeople> | null;
  /** Fetches the codex branch again (after a push the branch moved under): its new tip. */
  fetchTip: () => Promise<string>;
  url: string;
}

/** How many files a plan adds, changes and removes. */
export const changes = (p: FilePlan) => p.added.length + p.changed.length + p.removed.length;

/**
 * The mirror plan of a commit's selection (design §4) against the project's folder on a codex tip. The
 * staged folder's tree equal to the codex's settles it whatever the ids say (a SHA-256 project's blobs
 * have other ids than their copies in the codex): nothing differs, nothing goes.
 */
export function mirrorPlan(job: Pick<SyncOptions, 'dryRun'>, files: TreeEntry[], staged: Staged | null | undefined, folder: CodexFolder): FilePlan {
  if (!job.dryRun && staged?.tree === folder.tree) return { added: [], changed: [], removed: [], before: folder.files.size };
  return planToCodex(codexIds(files, staged?.ids ?? new Map<string, string>()), folder.files);
}

/** A sync's errors for a push the server refused, and for a codex branch that kept moving (push-retry.ts). */
export function pushErrors(job: SyncOptions, url: string): Pick<PushRetry<unknown>, 'refused' | 'rejected'> {
  const { codexBranch, env } = job.decision;
  return {
    refused: (refusal) => refusedPush(url, codexBranch, refusal, msg.pushRefusedHint(codexBranch, env, job.config.filepath)),
    rejected: (attempts) => new SyncError('rejected', msg.pushRejected(codexBranch, attempts), msg.rejectedHint),
  };
}

/**
 * The to-codex half of a sync (design §4): one commit on the fetched tip, pushed without force; when the
 * branch moved meanwhile, rebuilt on the new tip and pushed again (push-retry.ts). The handle is `started`
 * once git's first push has been spawned (never, when nothing is pushed), `done` when the push has landed
 * and the cache's branch has caught up, and this machine's record is written.
 */
export function pushToCodex(job: SyncOptions, prepared: Prepared, selected: Selected): Running<ToCodexResult> {
  return new Running((loop) => pushUntilLanded(job, prepared, selected, loop));
}

async function pushUntilLanded(job: SyncOptions, prepared: Prepared, selected: Selected, loop: Running<ToCodexResult>): Promise<ToCodexResult> {
  const { cache, reader } = prepared;
  const { codexBranch, env } = job.decision;
  const { selection } = selected;
  const name = job.config.projectName;
  let planned = prepared.tip;
  let folder = await codexProjectFiles(reader, planned, name);
  let plan = mirrorPlan(job, selection.files, prepared.staged, folder);
  // (The guard weighs the plan on the tip first fetched; a rebuild on a moved tip is not weighed again.)
  holdDeletions(plan, job);
  const { landed, attempts } = await pushRetrying({
    tip: prepared.tip,
    build: async (tip) => {
      if (tip !== planned) {
        // Every object the new commit refers to is in the cache already: the staged ones, and the
        // codex's own, which the fetch brought.
        folder = await codexProjectFiles(reader, tip, name);
        plan = mirrorPlan(job, selection.files, prepared.staged, folder);
        planned = tip;
      }
      if (job.dryRun || changes(plan) === 0) return null; // (on a new tip: another run synced the same files meanwhile)
      const message = commitMessage({ projectName: name, count: changes(plan), branch: job.sourceBranch, commit: job.commit, env });
      const candidate = writeCommit(cache, { tip, projectName: name, folder, tree: prepared.staged!.tree, message, people: (await prepared.people)! });
      trace(job.project.env, 'commit written');
      return candidate;
    },
    push: (candidate) => {
      const push = startPush(cache, candidate, codexBranch);
      loop.follow(push);
      return push.done;
    },
    fetchTip: prepared.fetchTip,
    ...pushErrors(job, prepared.url),
  });
  if (landed) await recordPushed(cache, codexBranch, landed);
  if (!job.dryRun) recordToCodex(job, prepared.url, selected, landed);
  return toCodexResult(plan, selection, landed, attempts);
}

/** What a sync reports of its to-codex half (a sync-org batch's members alike). */
export function toCodexResult(plan: FilePlan, selection: Selection, codexCommit: string | null, attempts: number): ToCodexResult {
  return {
    added: plan.added,
    changed: plan.changed,
    removed: plan.removed,
    skipped: selection.skipped,
    codexCommit,
    attempts,
    mode: 'mirror',
    matchedNothing: matchedNothing(selection),
  };
}

/** The deletion guard (design §4): a sync that would remove too much of the project's folder is held back. */
export function holdDeletions(plan: FilePlan, job: Pick<SyncOptions, 'config' | 'allowDeletions'>): void {
  const removed = plan.removed.length;
  if (removed >= 10 && removed / plan.before > job.config.deletion_threshold && !job.allowDeletions) {
    throw new SyncError('deletions', msg.deletionsHeld(removed, plan.before, job.config.deletion_threshold), msg.deletionsHint);
  }
}

/** What lets the next hook with nothing new skip the codex (see hooks/up-to-date.ts). */
export function recordToCodex(job: SyncOptions, url: string, selected: Selected, codexCommit: string | null): void {
  const { entries, selection } = selected;
  const names = probeNames(job.config.sync_patterns);
  const target = syncTarget(url, job.decision.codexBranch, job.config.projectName);
  recordSynced(job.project, job.decision.env, {
    target,
    branch: job.sourceBranch,
    selectionKey: selectionKey(selection.files),
    matchedNothing: matchedNothing(selection),
    configKey: selectionConfigKey(job.config),
    probe: names && probeKey(names, entries.filter((e) => !e.path.includes('/')).map((e) => ({ mode: e.mode, name: e.path, oid: e.oid }))),
    commit: job.commit,
    codexCommit,
    time: new Date().toISOString(),
    ...(job.decision.mode === 'layer' && !job.mirror ? { baseTip: readRefFile(job.project, `refs/remotes/origin/${job.config.prod_branches[0] ?? 'main'}`) } : {}),
  });
}
