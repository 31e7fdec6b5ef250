import { SyncError } from '../core/errors.js';
import { requireCodexUrl } from '../config/normalize.js';
import { ObjectStore } from '../git/objects/store.js';
import { Running } from '../git/exec.js';
import { commitPeople, projectObjects, userIdentity } from '../git/project.js';
import { listForSync } from './to-codex/listing.js';
import { msg } from '../core/messages.js';
import { redactUrl } from '../core/url.js';
import { local, openCache, remoteBranches, startFetch } from './cache/cache.js';
import { takeFetchAhead } from './cache/ahead.js';
import { codexGitEnv } from '../config/token.js';
import { maintain } from './cache/maintenance.js';
import { layered, type SyncOptions, type SyncResult } from './options.js';
import { pull } from './from-codex/pull.js';
import { pushToCodex, type Prepared } from './to-codex/push.js';
import { selectFiles } from './to-codex/select.js';
import { withinTimeout } from './deadline.js';
import { stageFolder } from './to-codex/to-codex.js';
import { pushLayered, warmLayers, type LayerWarmup } from './layers/push.js';
import { originHeads } from './layers/origin.js';
import { mirrorRefs } from './cache/cache.js';
import { stateRefPrefix } from './layers/state.js';
import { trace } from '../core/trace.js';

/**
 * One sync (design §4): to-codex, then from-codex, on the same codex branch. Its time is the fetch, the
 * push and what lies between them, so the fetch starts first; the codex's trees are read and the commit
 * is written in this process (git/objects/store.ts): no git process between the fetch and the push.
 *
 * This module orchestrates: what runs while git fetches, and what while git pushes. The to-codex half is
 * to-codex/push.ts (its retries to-codex/push-retry.ts), the pull pull.ts, the cache (fetch, push, repack) cache.ts.
 */
export async function runSync(job: SyncOptions): Promise<SyncResult> {
  return withinTimeout(job.project.env, (signal) => syncUntil({ ...job, signal }));
}

async function syncUntil(job: SyncOptions): Promise<SyncResult> {
  trace(job.project.env, 'sync starts');
  const url = requireCodexUrl(job.config);
  const { codexBranch, env } = job.decision;
  const cache = await openCache(url, await codexGitEnv(job.project.env, job.config), job.signal);
  // layer: the folder is computed from the project's layer state, fetched with the branch (layers/)
  const also = layered(job) ? [mirrorRefs(stateRefPrefix(job.config.projectName))] : [];
  let ahead = takeFetchAhead(url, codexBranch, also, job.signal);
  const fetchTip = (): Running<string> =>
    new Running(async (tip) => {
      // the hook's fetch started ahead of this sync (once: a retry fetches again)
      const early = ahead ? await ahead : null;
      ahead = null;
      const fetch = early ?? startFetch(cache, codexBranch, also);
      tip.follow(fetch);
      const fetched = await fetch.done;
      // Only on this failure: the codex's branches, so the way out names branches that exist.
      if (fetched === null) throw new SyncError('branch-missing', msg.branchMissing(codexBranch, env, job.config.filepath, await remoteBranches(cache).catch(() => null), job.config.environments.prod.branch));
      return fetched;
    });
  // The fetch is the longest chain: every other process starts after it (each start holds this thread).
  const fetch = fetchTip();
  await Promise.race([fetch.started, fetch.done.catch(() => {})]);
  const fetching = fetch.done;
  const reader = ObjectStore.open(cache.dir, local(cache));
  // git's reader of packed codex objects starts when first needed: on a warm sync every object it reads is
  // usually loose (fetched in small amounts, or written by the last sync), and starting it with each fetch
  // cost 2-8% of the sync (measured); after a repack the first read pays its start instead.
  const source = projectObjects(job.project);
  const wantsTo = job.direction !== 'from-codex';
  // Dropping or settling layers syncs no commit of the project's.
  const noCommit = job.layerEvent?.kind === 'drop' || job.layerEvent?.kind === 'reconcile';
  // layer: which branches origin has (deleted on the server: the layer goes), asked while the codex is
  // fetched, first: its git process then runs while this thread lists the commit
  const origin = layered(job) ? originHeads(job.project, cache.timeoutMs, job.signal) : null;
  const warm = layered(job) ? warmLayers(job, source) : null;
  // While the codex is fetched: the commit's listing, the selection, its people, and the selected
  // blobs the cache lacks copied in with the folder's trees (they depend on the commit alone).
  const listing = wantsTo && !noCommit ? Promise.resolve(job.entries ?? listForSync(job.project, source, job.commit, job.config)) : null;
  const selecting = listing?.then((entries) => ({ entries, selection: selectFiles(entries, job.config) })) ?? null;
  const staging = selecting && !job.dryRun ? selecting.then((s) => stageFolder(cache, (oids) => new Set(oids.filter((oid) => reader.hasLoose(oid))), source, s.selection.files)) : null;
  const people = wantsTo && !job.dryRun ? (noCommit ? userIdentity(job.project).then((me) => ({ author: me, committer: me })) : commitPeople(job.project, source, job.commit)) : null;
  for (const p of [selecting, staging, people, origin]) p?.catch(() => {}); // awaited below, or moot when the fetch fails
  try {
    const [fetched, selected, staged] = await Promise.all([fetching, selecting, staging]);
    trace(job.project.env, 'fetched');
    return await syncWith(job, { cache, reader, source, tip: fetched, selected, staged: staged ?? null, people, fetchTip: () => fetchTip().done, url }, origin, warm);
  } finally {
    reader.close();
    source.close();
  }
}

async function syncWith(job: SyncOptions, prepared: Prepared, origin: ReturnType<typeof originHeads> | null, warm: LayerWarmup | null): Promise<SyncResult> {
  const { cache, reader } = prepared;
  const { codexBranch, env } = job.decision;
  const result: SyncResult = { project: job.config.projectName, env, codexBranch, codexUrl: redactUrl(prepared.url), commit: job.commit, direction: job.direction, dryRun: !!job.dryRun };
  const push = origin ? pushLayered(job, prepared, origin, warm) : prepared.selected ? pushToCodex(job, prepared, prepared.selected) : null;
  // What to pull depends only on the fetched tip (never on our own folder), so the pull is listed and
  // applied while git pushes: it starts once the push has (or once there is nothing to push). A push
  // that fails before it starts fails the sync here, with nothing pulled.
  if (push) await Promise.race([push.started, push.done]);
  const pulling = job.direction === 'to-codex' ? null : pull(job, cache, reader, codexBranch, prepared.tip);
  pulling?.catch(() => {}); // awaited below; a to-codex failure must not leave it unhandled
  try {
    if (push) result.toCodex = await push.done;
  } catch (error) {
    await pulling?.catch(() => {}); // never leave the pull half-written behind
    throw error;
  }
  if (pulling) result.fromCodex = await pulling;
  trace(job.project.env, 'pull applied');
  // Every sync's fetch leaves objects (a pull-only project's too): roll them up now and then.
  if (!job.dryRun) await maintain(cache);
  trace(job.project.env, 'sync done');
  return result;
}

/**
 * Fetches the codex branch of an environment (with a layered project's state) into the cache, so the next
 * push only fetches what is new (post-commit, design §6). Nothing is written to the codex.
 */
export async function prefetch(job: Pick<SyncOptions, 'project' | 'config' | 'decision'>): Promise<void> {
  await withinTimeout(job.project.env, async (signal) => {
    const cache = await openCache(requireCodexUrl(job.config), await codexGitEnv(job.project.env, job.config), signal);
    const also = job.decision.mode === 'layer' ? [mirrorRefs(stateRefPrefix(job.config.projectName))] : [];
    await startFetch(cache, job.decision.codexBranch, also).done;
  });
}
