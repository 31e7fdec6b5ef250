import { SyncError } from '../core/errors.js';
import { requireCodexUrl } from '../config/normalize.js';
import { ObjectStore } from '../git/objects/store.js';
import { PackWriter } from '../git/objects/pack-write.js';
import { commitPeople, projectObjects, type Person } from '../git/project.js';
import type { TreeEntry } from '../git/objects/parse.js';
import { msg } from '../core/messages.js';
import { redactUrl } from '../core/url.js';
import { local, mirrorRefs, openCache, recordPushed, startFetch, startPush, type CodexCache } from './cache/cache.js';
import { codexGitEnv } from '../config/token.js';
import { maintain } from './cache/maintenance.js';
import { withinTimeout } from './deadline.js';
import { refusedPush } from './cache/remote.js';
import { changes, holdDeletions, mirrorPlan, recordToCodex, toCodexResult } from './to-codex/push.js';
import { pushRetrying } from './to-codex/push-retry.js';
import { pull } from './from-codex/pull.js';
import { layerStep, prepareLayers, type LayerPrep, type LayerStep } from './layers/push.js';
import { originHeads } from './layers/origin.js';
import { stateRefPrefix } from './layers/state.js';
import { readStoredState, stateCommitIn } from './layers/store.js';
import { layered, type SyncOptions, type SyncResult } from './options.js';
import { listForSync } from './to-codex/listing.js';
import { routedDocs } from './from-codex/routes.js';
import { selectFiles, type Selection } from './to-codex/select.js';
import { codexProjectFiles, commitMessage, stageFolder, writeCommit, type FilePlan, type Staged } from './to-codex/to-codex.js';
import { trace } from '../core/trace.js';

/**
 * Many projects into one codex branch (design §9): one fetch, one commit per project built as its own sync
 * would build it (message, trailers, people, deletion guard), the commits chained, one push. A push the
 * branch moved under is rebuilt on the new tip. A project whose commit cannot be built fails alone.
 */
export type BatchOutcome = { ok: true; result: SyncResult } | { ok: false; error: unknown };

interface Member {
  job: SyncOptions;
  /** Set when this member has failed (preparing, pushing, pulling): it takes no further part. */
  error?: unknown;
  /** Why its commit could not be built on the last tip (a held deletion): judged again on each build. */
  buildError?: unknown;
  selected?: { entries: TreeEntry[]; selection: Selection };
  staged?: Staged | null;
  people?: { author: Person; committer: Person };
  /** layer mode (design §4): what the project's layered folder is computed from, and its last build. */
  layer?: LayerPrep;
  step?: LayerStep;
  /** Kept open while the batch runs: a layered build reads other commits of the project. */
  source?: ObjectStore;
  /** From the last build of the chain. */
  plan?: FilePlan;
  codexCommit?: string | null;
  fromCodex?: SyncResult['fromCodex'];
}

type Limit = <T>(fn: () => Promise<T>) => Promise<T>;
const wantsTo = (member: Member) => member.job.direction !== 'from-codex';

/**
 * Why the batch's push loop stopped short of landing: each member's error (the members whose commits were
 * in the push; `all`: every member, a failed fetch of the branch).
 */
class Stopped extends Error {
  constructor(
    readonly errorOf: (member: Member) => unknown,
    readonly all = false,
  ) {
    super('push stopped');
  }
}

/**
 * Syncs every member (all with the same codex URL and codex branch); `limit` bounds the work on projects
 * in flight. Returns one outcome per member, in their order; never throws for one member's failure.
 */
export async function syncBatch(options: SyncOptions[], limit: Limit, onSettled?: (index: number, outcome: BatchOutcome) => void): Promise<BatchOutcome[]> {
  // A batch, like a sync, ends within CODEX_HOOKS_TIMEOUT; then every project of the batch is reported
  // failed (a new run finds what did land).
  try {
    return await withinTimeout(options[0].project.env, (signal) => batchUntil(options.map((o) => ({ ...o, signal })), limit, signal, onSettled));
  } catch (error) {
    return options.map(() => ({ ok: false, error }));
  }
}

async function batchUntil(options: SyncOptions[], limit: Limit, signal: AbortSignal, onSettled?: (index: number, outcome: BatchOutcome) => void): Promise<BatchOutcome[]> {
  const members: Member[] = options.map((job) => ({ job }));
  const first = options[0];
  const url = requireCodexUrl(first.config);
  const branch = first.decision.codexBranch;
  const cache = await openCache(url, await codexGitEnv(first.project.env, first.config), signal);
  // layered projects' state comes with the branch (layers/)
  const also = [...new Set(options.filter(layered).map((o) => mirrorRefs(stateRefPrefix(o.config.projectName))))];
  const fetchTip = async () => {
    const tip = await startFetch(cache, branch, also).done;
    if (tip === null) throw new SyncError('branch-missing', msg.branchMissing(branch, first.decision.env, first.config.filepath));
    return tip;
  };
  const fetching = fetchTip();
  fetching.catch(() => {}); // awaited below
  const reader = ObjectStore.open(cache.dir, local(cache));
  reader.warm(); // git's reader of the codex's packed objects starts with the fetch, ready when it ends
  // What the batch writes (staged folders, the chain) is held, and handed to git as one pack before each
  // push (git's index-pack stores and indexes it: src/git/objects/pack-write.ts).
  const objects = new PackWriter(local(cache), reader);
  try {
    // While the codex is fetched: each project's selection, its staged folder and its people.
    await prepare(members, cache, reader, objects, limit, { url, branch, tip: fetching });
    trace(cache.env, 'batch prepared');
    let tip: string;
    try {
      tip = await fetching;
    } catch (error) {
      for (const member of members) member.error ??= error;
      return outcomes(members, url);
    }
    trace(cache.env, 'batch fetched');
    const pulls = members.some((member) => member.job.direction !== 'to-codex');
    const { pushed, attempts, recorded } = await pushBatch(members, { cache, reader, objects, url, branch, tip, pulls, signal, fetchTip });
    if (pushed !== tip || attempts > 1) await maintain(cache);
    // After the push, per project: the record for the hooks, then the pull from what the codex now holds.
    // The routed docs are indexed for the new tip once, not by each project's pull at the same moment.
    if (pulls) await routedDocs(cache, reader, branch, pushed).catch(() => {});
    trace(cache.env, 'batch routes indexed');
    await pullBatch(members, { cache, reader, url, branch, pushed, attempts, limit, signal, onSettled });
    trace(cache.env, 'batch pulled');
    await recorded;
    return outcomes(members, url, attempts);
  } finally {
    reader.close();
    for (const member of members) member.source?.close();
  }
}

interface BatchPush {
  cache: CodexCache;
  reader: ObjectStore;
  objects: PackWriter;
  url: string;
  branch: string;
  tip: string;
  pulls: boolean;
  signal: AbortSignal;
  fetchTip: () => Promise<string>;
}

/**
 * The batch's push (push-retry.ts's loop): every project's commit built on the tip, chained and pushed with
 * the layer states, built again on a moved tip. A failure marks the projects it concerns (Stopped).
 */
async function pushBatch(members: Member[], b: BatchPush): Promise<{ pushed: string; attempts: number; recorded?: Promise<unknown> }> {
  const { cache, reader, objects, url, branch, pulls, signal, fetchTip } = b;
  let tip = b.tip;
  // (The batch reports its builds as attempts: one for a batch with nothing to push.)
  let attempts = 0;
  let pushed = tip;
  let recorded: Promise<unknown> | undefined;
  let states: Array<{ commit: string; ref: string }> = [];
  try {
    const { landed } = await pushRetrying({
      tip,
      build: async (on) => {
        attempts++;
        tip = on;
        const head = await build(members, cache, objects, tip);
        states = members.filter((member) => member.step?.state && !member.error && !member.buildError).map((member) => ({ commit: member.step!.state!, ref: member.layer!.ref }));
        if (head === tip && states.length === 0) return null;
        signal.throwIfAborted();
        await objects.flush();
        return head;
      },
      push: async (head) => {
        // While git pushes: the routed docs of the new head indexed for the pulls (an index of a head that
        // does not land is only a starting point for the next diff).
        const indexing = pulls ? routedDocs(cache, reader, branch, head).catch(() => {}) : null;
        try {
          const outcome = await startPush(cache, head === tip ? null : head, branch, states).done;
          await indexing;
          return outcome;
        } catch (error) {
          throw new Stopped(() => error);
        }
      },
      fetchTip: () =>
        fetchTip().catch((error) => {
          throw new Stopped(() => error, true);
        }),
      refused: (refusal) => new Stopped((member) => refusedPush(url, branch, refusal, msg.pushRefusedHint(branch, member.job.decision.env, member.job.config.filepath))),
      rejected: (n) => {
        const error = new SyncError('rejected', msg.pushRejected(branch, n), msg.orgRejectedHint);
        return new Stopped(() => error);
      },
    });
    if (landed) {
      pushed = landed;
      recorded = recordPushed(cache, landed === tip ? null : branch, landed, states); // awaited last: the pulls need not wait for it
    }
  } catch (stop) {
    if (!(stop instanceof Stopped)) throw stop;
    for (const member of members) {
      if (stop.all) member.error ??= stop.errorOf(member);
      else if (member.codexCommit) member.error = stop.errorOf(member);
    }
  }
  return { pushed, attempts, recorded };
}

/** After the push, per project: the record for the hooks, then the pull from what the codex now holds. */
async function pullBatch(
  members: Member[],
  b: { cache: CodexCache; reader: ObjectStore; url: string; branch: string; pushed: string; attempts: number; limit: Limit; signal: AbortSignal; onSettled?: (index: number, outcome: BatchOutcome) => void },
): Promise<void> {
  const { cache, reader, url, branch, pushed, attempts, limit, signal, onSettled } = b;
  await Promise.all(
    members.map((member, i) =>
      limit(async () => {
        if (signal.aborted) return; // out of time: nothing more is written
        if (!member.error && !member.buildError) {
          try {
            if (member.selected && !member.job.dryRun) recordToCodex(member.job, url, member.selected, member.codexCommit ?? null);
            if (member.job.direction !== 'to-codex') member.fromCodex = await pull(member.job, cache, reader, branch, pushed);
          } catch (error) {
            member.error = error;
          }
        }
        onSettled?.(i, outcomeOf(member, url, attempts)); // a live display moves on as each project is done
      }),
    ),
  );
}

/**
 * While the codex is fetched, each project's part that depends on its commit alone: its selection, then
 * (after one question to git for every selected blob the cache already has) its staged folder, its
 * people and, in layer mode, its base. A project that fails here fails alone.
 */
async function prepare(members: Member[], cache: CodexCache, reader: ObjectStore, objects: PackWriter, limit: Limit, codex: { url: string; branch: string; tip: Promise<string> }): Promise<void> {
  const each = (fn: (member: Member, source: ObjectStore) => Promise<void>) =>
    Promise.all(
      members.filter((member) => wantsTo(member) && !member.error).map(async (member) => {
        const source = projectObjects(member.job.project);
        try {
          await fn(member, source);
        } catch (error) {
          member.error = error;
        } finally {
          source.close();
        }
      }),
    );
  await each((member, source) =>
    limit(async () => {
      const entries = member.job.entries ?? (await listForSync(member.job.project, source, member.job.commit, member.job.config));
      member.selected = { entries, selection: selectFiles(entries, member.job.config) };
    }),
  );
  // Which selected blobs the cache has: one git process for the batch, not one per project.
  const staging = members.filter((member) => member.selected && !member.job.dryRun);
  const present = staging.length ? await reader.sizes(staging.flatMap((member) => member.selected!.selection.files.map((f) => f.oid))) : new Map<string, number>();
  const known = (oids: string[]) => new Set(oids.filter((oid) => present.has(oid)));
  await each(async (member, source) => {
    const { job: job } = member;
    await limit(async () => {
      if (job.dryRun) return;
      member.staged = await stageFolder(cache, known, source, member.selected!.selection.files, objects.write);
      member.people = await commitPeople(job.project, source, job.commit);
    });
    if (layered(job)) {
      // outside the limit: origin is asked while the codex is fetched
      member.source = projectObjects(job.project);
      const origin = originHeads(job.project, cache.timeoutMs, job.signal);
      member.layer = await prepareLayers(job, { cache, reader, source: member.source, selected: member.selected!, staged: member.staged ?? null, people: member.people ? Promise.resolve(member.people) : null, write: objects.write }, origin);
    }
  });
}

/** Builds the chain of commits on `tip`, one per project with changes; returns its head (`tip` when none). */
async function build(members: Member[], cache: CodexCache, objects: PackWriter, tip: string): Promise<string> {
  let head = tip;
  for (const member of members) {
    member.buildError = undefined;
    member.codexCommit = null;
    if (member.error || !member.selected) continue;
    const { job: job } = member;
    try {
      if (member.layer) {
        const folder = await codexProjectFiles(objects, head, job.config.projectName);
        member.step = await layerStep(member.layer, cache, folder, await readStoredState(objects, await stateCommitIn(cache, job.config.projectName, job.decision.codexBranch)), objects.write);
        member.plan = member.step.plan;
        if (!job.dryRun && changes(member.plan) > 0) {
          head = writeCommit(cache, { tip: head, projectName: job.config.projectName, folder, tree: member.step.tree, message: member.step.message, people: member.people! }, objects.write);
          member.codexCommit = head;
        }
        continue;
      }
      const folder = await codexProjectFiles(objects, head, job.config.projectName);
      const plan = mirrorPlan(job, member.selected.selection.files, member.staged, folder);
      member.plan = plan;
      holdDeletions(plan, job);
      if (job.dryRun || changes(plan) === 0) continue;
      const message = commitMessage({ projectName: job.config.projectName, count: changes(plan), branch: job.sourceBranch, commit: job.commit, env: job.decision.env });
      head = writeCommit(cache, { tip: head, projectName: job.config.projectName, folder, tree: member.staged!.tree, message, people: member.people! }, objects.write);
      member.codexCommit = head;
    } catch (error) {
      member.buildError = error;
      member.codexCommit = null;
      member.step = undefined;
    }
  }
  trace(cache.env, 'batch built');
  return head;
}

const outcomes = (members: Member[], url: string, attempts = 0): BatchOutcome[] => members.map((member) => outcomeOf(member, url, attempts));

function outcomeOf(member: Member, url: string, attempts: number): BatchOutcome {
  if (member.error || member.buildError) return { ok: false, error: member.error ?? member.buildError };
  const { job: job } = member;
  const result: SyncResult = { project: job.config.projectName, env: job.decision.env, codexBranch: job.decision.codexBranch, codexUrl: redactUrl(url), commit: job.commit, direction: job.direction, dryRun: !!job.dryRun };
  if (member.step) result.toCodex = member.step.result(member.codexCommit ?? null, attempts);
  else if (member.selected && member.plan) result.toCodex = toCodexResult(member.plan, member.selected.selection, member.codexCommit ?? null, attempts);
  if (member.fromCodex) result.fromCodex = member.fromCodex;
  return { ok: true, result };
}
