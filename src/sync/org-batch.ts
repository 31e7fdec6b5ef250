import { setMaxListeners } from 'node:events';
import path from 'node:path';
import { SyncError } from '../errors.js';
import { requireCodexUrl } from '../config/normalize.js';
import { ObjectStore } from '../git/store.js';
import { PackWriter } from '../git/pack-write.js';
import { trace } from '../git/exec.js';
import { commitPeople, projectObjects, type Person } from '../git/project.js';
import type { TreeEntry } from '../git/parse.js';
import { msg, redactUrl } from '../ui/messages.js';
import { fetchBranch, local, openCache, pushCommit, timeoutSeconds, type CodexCache } from './cache.js';
import { backoff, holdDeletions, maintain, MAX_ATTEMPTS, pull, recordToCodex, type SyncOptions, type SyncResult } from './engine.js';
import { listForSync } from './listing.js';
import { routedDocs } from './routes.js';
import { selectFiles, type Selection } from './select.js';
import { codexProjectFiles, commitMessage, planToCodex, stageFolder, writeCommit, type CodexFolder, type FilePlan } from './to-codex.js';

/**
 * Many projects into one codex branch (SPEC §9): one fetch, one commit per project built as its own sync
 * would build it (message, trailers, people, deletion guard), the commits chained, one push. A push the
 * branch moved under is rebuilt on the new tip. A project whose commit cannot be built fails alone.
 */
export type BatchOutcome = { ok: true; result: SyncResult } | { ok: false; error: unknown };

interface Member {
  o: SyncOptions;
  /** Set when this member has failed (preparing, pushing, pulling): it takes no further part. */
  error?: unknown;
  /** Why its commit could not be built on the last tip (a held deletion): judged again on each build. */
  buildError?: unknown;
  selected?: { entries: TreeEntry[]; selection: Selection };
  staged?: string | null;
  people?: { author: Person; committer: Person };
  /** From the last build of the chain. */
  plan?: FilePlan;
  codexCommit?: string | null;
  fromCodex?: SyncResult['fromCodex'];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const changes = (p: FilePlan) => p.added.length + p.changed.length + p.removed.length;
const wantsTo = (m: Member) => m.o.direction !== 'from-codex';

/**
 * The plan of one project against the codex folder: the one step that depends on how the folder changes.
 * The staged folder's tree equal to the codex's settles it whatever the ids say (as in the engine).
 */
function planFor(m: Member, folder: CodexFolder): FilePlan {
  if (!m.o.dryRun && m.staged === folder.tree) return { added: [], changed: [], removed: [], before: folder.files.size };
  return planToCodex(m.selected!.selection.files, folder.files);
}

/**
 * Syncs every member (all with the same codex URL and codex branch); `limit` bounds the work on projects
 * in flight. Returns one outcome per member, in their order; never throws for one member's failure.
 */
export async function syncBatch(options: SyncOptions[], limit: <T>(fn: () => Promise<T>) => Promise<T>): Promise<BatchOutcome[]> {
  // A batch, like a sync, ends within CODEX_HOOKS_TIMEOUT: then its git processes are ended, no lock is
  // waited for, and every project of the batch is reported failed (a new run finds what did land).
  const seconds = timeoutSeconds(options[0].project.env);
  const deadline = new AbortController();
  // every git process and lock of the batch listens to it: many projects, many listeners, no leak
  setMaxListeners(0, deadline.signal);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new SyncError('timeout', msg.syncTimedOut(seconds), msg.syncTimedOutHint);
      deadline.abort(error);
      reject(error);
    }, seconds * 1000);
  });
  expired.catch(() => {});
  const running = batchUntil(options.map((o) => ({ ...o, signal: deadline.signal })), limit, deadline.signal);
  running.catch(() => {});
  try {
    return await Promise.race([running, expired]);
  } catch (error) {
    return options.map(() => ({ ok: false, error }));
  } finally {
    clearTimeout(timer);
  }
}

async function batchUntil(options: SyncOptions[], limit: <T>(fn: () => Promise<T>) => Promise<T>, signal: AbortSignal): Promise<BatchOutcome[]> {
  const members: Member[] = options.map((o) => ({ o }));
  const first = options[0];
  const url = requireCodexUrl(first.config);
  const branch = first.decision.codexBranch;
  const cache = await openCache(url, first.project.env, signal);
  const fetchTip = async () => {
    const tip = await fetchBranch(cache, branch);
    if (tip === null) throw new SyncError('branch-missing', msg.branchMissing(branch, first.decision.env, first.config.filepath));
    return tip;
  };
  const fetching = fetchTip();
  fetching.catch(() => {}); // awaited below
  const reader = ObjectStore.open(cache.dir, local(cache));
  // What the batch writes (staged folders, the chain) is held and written as one pack before each push.
  const objects = new PackWriter(path.join(cache.dir, 'objects'), reader);
  try {
    // While the codex is fetched: each project's selection, its staged folder and its people.
    await Promise.all(members.map((m) => limit(() => prepare(m, cache, reader, objects))));
    trace('batch prepared');
    let tip: string;
    try {
      tip = await fetching;
    } catch (error) {
      for (const m of members) m.error ??= error;
      return outcomes(members, url);
    }
    trace('batch fetched');
    const pulls = members.some((m) => m.o.direction !== 'to-codex');
    let attempts = 0;
    let pushed = tip;
    let recorded: Promise<unknown> | undefined;
    for (;;) {
      attempts++;
      const head = await build(members, cache, objects, tip);
      if (head === tip) break;
      signal.throwIfAborted();
      objects.flush();
      // While git pushes: the routed docs of the new head indexed for the pulls (an index of a head that
      // does not land is only a starting point for the next diff).
      const indexing = pulls ? routedDocs(cache, reader, branch, head).catch(() => {}) : null;
      let outcome;
      try {
        outcome = await pushCommit(cache, head, branch);
        await indexing;
      } catch (error) {
        for (const m of members) if (m.codexCommit) m.error = error;
        break;
      }
      if (outcome.pushed) {
        pushed = head;
        recorded = outcome.recorded;
        break;
      }
      if (attempts >= MAX_ATTEMPTS) {
        const error = new SyncError('rejected', msg.pushRejected(branch, attempts), 'run `codex-hooks sync-org` again in a moment');
        for (const m of members) if (m.codexCommit) m.error = error;
        break;
      }
      await sleep(backoff(attempts));
      try {
        tip = await fetchTip();
      } catch (error) {
        for (const m of members) m.error ??= error;
        break;
      }
    }
    if (pushed !== tip || attempts > 1) await maintain(cache);
    // After the push, per project: the record for the hooks, then the pull from what the codex now holds.
    // The routed docs are indexed for the new tip once, not by each project's pull at the same moment.
    if (pulls) await routedDocs(cache, reader, branch, pushed).catch(() => {});
    trace('batch routes indexed');
    await Promise.all(
      members.map((m) =>
        limit(async () => {
          if (m.error || m.buildError || signal.aborted) return; // out of time: nothing more is written
          try {
            if (m.selected && !m.o.dryRun) recordToCodex(m.o, url, m.selected, m.codexCommit ?? null);
            if (m.o.direction !== 'to-codex') m.fromCodex = await pull(m.o, cache, reader, branch, pushed);
          } catch (error) {
            m.error = error;
          }
        }),
      ),
    );
    trace('batch pulled');
    await recorded;
    return outcomes(members, url, attempts);
  } finally {
    reader.close();
  }
}

async function prepare(m: Member, cache: CodexCache, reader: ObjectStore, objects: PackWriter): Promise<void> {
  if (!wantsTo(m)) return;
  const { o } = m;
  const source = projectObjects(o.project);
  try {
    const entries = o.entries ?? (await listForSync(o.project, source, o.commit, o.config));
    m.selected = { entries, selection: selectFiles(entries, o.config) };
    if (!o.dryRun) {
      m.staged = await stageFolder(cache, reader, source, m.selected.selection.files, objects.write);
      m.people = await commitPeople(o.project, source, o.commit);
    }
  } catch (error) {
    m.error = error;
  } finally {
    source.close();
  }
}

/** Builds the chain of commits on `tip`, one per project with changes; returns its head (`tip` when none). */
async function build(members: Member[], cache: CodexCache, objects: PackWriter, tip: string): Promise<string> {
  let head = tip;
  for (const m of members) {
    m.buildError = undefined;
    m.codexCommit = null;
    if (m.error || !m.selected) continue;
    const { o } = m;
    try {
      const folder = await codexProjectFiles(objects, head, o.config.projectName);
      const plan = planFor(m, folder);
      m.plan = plan;
      holdDeletions(plan, o);
      if (o.dryRun || changes(plan) === 0) continue;
      const message = commitMessage({ projectName: o.config.projectName, count: changes(plan), branch: o.sourceBranch, commit: o.commit, env: o.decision.env });
      head = writeCommit(cache, { tip: head, projectName: o.config.projectName, folder, tree: m.staged ?? null, message, people: m.people! }, objects.write);
      m.codexCommit = head;
    } catch (error) {
      m.buildError = error;
      m.codexCommit = null;
    }
  }
  trace('batch built');
  return head;
}

function outcomes(members: Member[], url: string, attempts = 0): BatchOutcome[] {
  return members.map((m): BatchOutcome => {
    if (m.error || m.buildError) return { ok: false, error: m.error ?? m.buildError };
    const { o } = m;
    const result: SyncResult = { project: o.config.projectName, env: o.decision.env, codexBranch: o.decision.codexBranch, codexUrl: redactUrl(url), commit: o.commit, direction: o.direction, dryRun: !!o.dryRun };
    if (m.selected && m.plan) {
      const p = m.plan;
      result.toCodex = { added: p.added, changed: p.changed, removed: p.removed, skipped: m.selected.selection.skipped, codexCommit: m.codexCommit ?? null, attempts };
    }
    if (m.fromCodex) result.fromCodex = m.fromCodex;
    return { ok: true, result };
  });
}
