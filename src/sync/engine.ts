import fs from 'node:fs';
import path from 'node:path';
import { SyncError } from '../errors.js';
import type { Config } from '../config/normalize.js';
import { requireCodexUrl } from '../config/normalize.js';
import type { EnvDecision } from '../env/resolve.js';
import { ObjectStore, type ObjectSource } from '../git/store.js';
import { runGit, trace } from '../git/exec.js';
import { commitPeople, projectObjects, type Project } from '../git/project.js';
import { listForSync } from './listing.js';
import type { TreeEntry } from '../git/parse.js';
import type { Logger } from '../ui/logger.js';
import { msg } from '../ui/messages.js';
import { redactUrl } from '../git/url.js';
import { fetchBranch, local, openCache, pushCommit, remoteBranches, type CodexCache } from './cache.js';
import { applyPull, codexSelection, planPull, pullRoot, type PullState } from './from-codex.js';
import { probeKey, probeNames, selectionConfigKey } from './probe.js';
import { selectFiles, selectionKey, type Selection } from './select.js';
import { pulledFile, pullLockFile, readJson, recordSynced, syncTarget, writeJson } from './state.js';
import { acquireLock } from './lock.js';
import { refusedPush } from './remote.js';
import { withinTimeout } from './deadline.js';
import { codexIds, codexProjectFiles, commitMessage, folderAfter, folderTree, planToCodex, stageFolder, writeCommit, type FilePlan, type Staged } from './to-codex.js';
import { findBase, recordBase, type LayerBase } from './base.js';

export type Direction = 'to-codex' | 'from-codex' | 'bidirectional';

export interface SyncOptions {
  project: Project;
  config: Config;
  decision: EnvDecision;
  /** The full sha of the commit whose files are synced (never the working tree). */
  commit: string;
  /** That commit's listing, when the caller has already read it (`listForSync`). */
  entries?: TreeEntry[];
  /** The branch the commit came from, for the message and trailers. */
  sourceBranch: string;
  direction: Direction;
  dryRun?: boolean;
  allowDeletions?: boolean;
  /** The folder mirrors this commit's selection whatever the environment's mode (`sync --mirror`). */
  mirror?: boolean;
  logger: Logger;
  /** Set by runSync: aborted when the sync's time (CODEX_HOOKS_TIMEOUT) has run out. */
  signal?: AbortSignal;
}

export interface SyncResult {
  project: string;
  env: string;
  codexBranch: string;
  codexUrl: string;
  commit: string;
  direction: Direction;
  dryRun: boolean;
  toCodex?: {
    added: string[];
    changed: string[];
    removed: string[];
    skipped: Array<{ path: string; reason: string }>;
    codexCommit: string | null;
    attempts: number;
    mode: 'mirror' | 'layer';
    /** sync_patterns matched no path of the commit at all (not even a skipped one). */
    matchedNothing: boolean;
    /** layer: the commit the branch's changes were measured against, and where it came from. */
    base?: { commit: string | null; from: LayerBase['from']; missing?: string };
  };
  fromCodex?: { added: string[]; changed: string[]; removed: string[]; refused: string[]; skipped: Array<{ path: string; reason: string }> };
}

export const MAX_ATTEMPTS = 30;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Full jitter: concurrent projects that collided once spread out instead of colliding again. */
export const backoff = (attempt: number) => Math.random() * Math.min(2000, 50 * 2 ** attempt);
const changes = (p: FilePlan) => p.added.length + p.changed.length + p.removed.length;

/**
 * One sync (SPEC §4): to-codex, then from-codex, on the same codex branch. Its time is the fetch, the
 * push and what lies between them, so the fetch starts first; the codex's trees are read and the commit
 * is written in this process (git/store.ts): no git process between the fetch and the push.
 */
export async function runSync(o: SyncOptions): Promise<SyncResult> {
  return withinTimeout(o.project.env, (signal) => syncUntil({ ...o, signal }));
}

async function syncUntil(o: SyncOptions): Promise<SyncResult> {
  trace(o.project.env, 'sync starts');
  const url = requireCodexUrl(o.config);
  const { codexBranch, env } = o.decision;
  const cache = await openCache(url, o.project.env, o.signal);
  const fetchTip = async (onSpawn?: () => void) => {
    const tip = await fetchBranch(cache, codexBranch, onSpawn);
    // Only on this failure: the codex's branches, so the way out names branches that exist.
    if (tip === null) throw new SyncError('branch-missing', msg.branchMissing(codexBranch, env, o.config.filepath, await remoteBranches(cache).catch(() => null), o.config.environments.prod.branch));
    return tip;
  };
  // The fetch is the longest chain: every other process starts after it (each start holds this thread).
  let fetchStarted!: () => void;
  const started = new Promise<void>((resolve) => (fetchStarted = resolve));
  const fetching = fetchTip(fetchStarted);
  await Promise.race([started, fetching.catch(() => {})]);
  const reader = ObjectStore.open(cache.dir, local(cache));
  // git's reader of packed codex objects starts when first needed: on a warm sync every object it reads is
  // usually loose (fetched in small amounts, or written by the last sync), and starting it with each fetch
  // cost 2-8% of the sync (measured); after a repack the first read pays its start instead.
  const source = projectObjects(o.project);
  const wantsTo = o.direction !== 'from-codex';
  // While the codex is fetched: the commit's listing, the selection, its people, and the selected
  // blobs the cache lacks copied in with the folder's trees (they depend on the commit alone).
  const listing = wantsTo ? Promise.resolve(o.entries ?? listForSync(o.project, source, o.commit, o.config)) : null;
  const selecting = listing?.then((entries) => ({ entries, selection: selectFiles(entries, o.config) })) ?? null;
  const staging = selecting && !o.dryRun ? selecting.then((s) => stageFolder(cache, (oids) => new Set(oids.filter((oid) => reader.hasLoose(oid))), source, s.selection.files)) : null;
  const people = wantsTo && !o.dryRun ? commitPeople(o.project, source, o.commit) : null;
  // layer: the base's selection; from this machine's record it is read while the codex is fetched.
  const layered = wantsTo && !o.mirror && o.decision.mode === 'layer';
  const target = syncTarget(url, codexBranch, o.config.projectName);
  const basing = layered ? findBase({ project: o.project, source, config: o.config, target, branch: o.sourceBranch, commit: o.commit, codex: cache, tip: fetching }) : null;
  for (const p of [selecting, staging, people, basing]) p?.catch(() => {}); // awaited below, or moot when the fetch fails
  try {
    const [fetched, selected, staged, base] = await Promise.all([fetching, selecting, staging, basing]);
    trace(o.project.env, 'fetched');
    return await syncWith(o, { cache, reader, tip: fetched, selected, staged: staged ?? null, base, people, fetchTip, url });
  } finally {
    reader.close();
    source.close();
  }
}

interface Prepared {
  cache: CodexCache;
  reader: ObjectSource;
  tip: string;
  selected: { entries: TreeEntry[]; selection: Selection } | null;
  staged: Staged | null;
  /** layer mode's base; null in mirror mode. */
  base: LayerBase | null;
  people: ReturnType<typeof commitPeople> | null;
  fetchTip: () => Promise<string>;
  url: string;
}

async function syncWith(o: SyncOptions, s: Prepared): Promise<SyncResult> {
  const { cache, reader } = s;
  const { codexBranch, env } = o.decision;
  const result: SyncResult = { project: o.config.projectName, env, codexBranch, codexUrl: redactUrl(s.url), commit: o.commit, direction: o.direction, dryRun: !!o.dryRun };

  // What to pull depends only on the fetched tip (never on our own folder), so the pull is listed and
  // applied while git pushes; its work in this thread starts once the push has.
  let pulling: Promise<NonNullable<SyncResult['fromCodex']>> | null = null;
  const startPull = () => {
    if (pulling || o.direction === 'to-codex') return;
    pulling = pull(o, cache, reader, codexBranch, s.tip);
    pulling.catch(() => {}); // awaited below; a to-codex failure must not leave it unhandled
  };
  // Settles when the cache's ref has caught up with a push: awaited last.
  let recorded: Promise<unknown> | undefined;
  try {
    const written = await toCodex(o, s, startPull);
    if (written) {
      result.toCodex = written.result;
      recorded = written.recorded;
    }
  } catch (error) {
    await (pulling as Promise<unknown> | null)?.catch(() => {}); // never leave the pull half-written behind
    throw error;
  }
  startPull();
  if (pulling) result.fromCodex = await pulling;
  trace(o.project.env, 'pull applied');
  await recorded;
  // Every sync's fetch leaves objects (a pull-only project's too): roll them up now and then.
  if (!o.dryRun) await maintain(cache);
  trace(o.project.env, 'sync done');
  return result;
}

async function toCodex(o: SyncOptions, s: Prepared, startPull: () => void): Promise<{ result: NonNullable<SyncResult['toCodex']>; recorded?: Promise<unknown> } | undefined> {
  const { cache, reader, selected } = s;
  const { codexBranch, env } = o.decision;
  let tip = s.tip;
  if (selected) {
    const { selection } = selected;
    let folder = await codexProjectFiles(reader, tip, o.config.projectName);
    const ids = s.staged?.ids ?? new Map<string, string>();
    const files = codexIds(selection.files, ids);
    const layer = s.base ? { base: s.base.files && codexIds(s.base.files, ids) } : undefined;
    // The staged folder's tree equal to the codex's settles it whatever the ids say (a SHA-256 project's
    // blobs have other ids than their copies in the codex), in either mode: nothing differs, nothing goes.
    const planFor = (): FilePlan => (!o.dryRun && s.staged?.tree === folder.tree ? { added: [], changed: [], removed: [], before: folder.files.size } : planToCodex(files, folder.files, layer));
    // mirror: the selection's own tree, staged during the fetch; layer: the folder with the plan applied.
    const treeFor = (plan: FilePlan) => (layer ? folderTree(cache, folderAfter(folder.files, files, plan)) : s.staged!.tree);
    let plan = planFor();
    holdDeletions(plan, o);
    let codexCommit: string | null = null;
    let recorded: Promise<unknown> | undefined;
    let attempts = 0;
    if (!o.dryRun && changes(plan) > 0) {
      const people = (await s.people)!;
      for (;;) {
        attempts++;
        const message = commitMessage({ projectName: o.config.projectName, count: changes(plan), branch: o.sourceBranch, commit: o.commit, env });
        const candidate = writeCommit(cache, { tip, projectName: o.config.projectName, folder, tree: treeFor(plan), message, people });
        trace(o.project.env, 'commit written');
        const outcome = await pushCommit(cache, candidate, codexBranch, startPull);
        if (outcome.pushed) {
          codexCommit = candidate;
          recorded = outcome.recorded;
          break;
        }
        if (outcome.refused) {
          throw refusedPush(s.url, codexBranch, outcome.refused, msg.pushRefusedHint(codexBranch, env, o.config.filepath));
        }
        if (attempts >= MAX_ATTEMPTS) throw new SyncError('rejected', msg.pushRejected(codexBranch, attempts), msg.rejectedHint);
        await sleep(backoff(attempts));
        tip = await s.fetchTip();
        // Every object the new commit refers to is in the cache already: the staged ones, and the
        // codex's own, which the fetch brought.
        folder = await codexProjectFiles(reader, tip, o.config.projectName);
        plan = planFor();
        if (changes(plan) === 0) break; // another run synced the same files meanwhile
      }
    }
    if (!o.dryRun) recordToCodex(o, s.url, selected, codexCommit, !!layer);
    const base = s.base ? { commit: s.base.commit, from: s.base.from, ...(s.base.missing ? { missing: s.base.missing } : {}) } : undefined;
    return { result: { added: plan.added, changed: plan.changed, removed: plan.removed, skipped: selection.skipped, codexCommit, attempts, mode: layer ? 'layer' : 'mirror', matchedNothing: selection.files.length === 0 && selection.skipped.length === 0, base }, recorded };
  }
  return undefined;
}

/** The deletion guard (SPEC §4): a sync that would remove too much of the project's folder is held back. */
export function holdDeletions(plan: FilePlan, o: Pick<SyncOptions, 'config' | 'allowDeletions'>): void {
  const removed = plan.removed.length;
  if (removed >= 10 && removed / plan.before > o.config.deletion_threshold && !o.allowDeletions) {
    throw new SyncError('deletions', msg.deletionsHeld(removed, plan.before, o.config.deletion_threshold), msg.deletionsHint);
  }
}

/** What lets the next hook with nothing new skip the codex (see hooks/up-to-date.ts), and a layer sync's next base. */
export function recordToCodex(o: SyncOptions, url: string, selected: { entries: TreeEntry[]; selection: Selection }, codexCommit: string | null, layered: boolean): void {
  const { entries, selection } = selected;
  const names = probeNames(o.config.sync_patterns);
  const target = syncTarget(url, o.decision.codexBranch, o.config.projectName);
  if (layered) recordBase(o.project, target, o.sourceBranch, o.commit);
  recordSynced(o.project, o.decision.env, {
    target,
    branch: o.sourceBranch,
    selectionKey: selectionKey(selection.files),
    matchedNothing: selection.files.length === 0 && selection.skipped.length === 0,
    configKey: selectionConfigKey(o.config),
    probe: names && probeKey(names, entries.filter((e) => !e.path.includes('/')).map((e) => ({ mode: e.mode, name: e.path, oid: e.oid }))),
    commit: o.commit,
    codexCommit,
    time: new Date().toISOString(),
  });
}

/**
 * Makes pull_dir mirror what the codex tip holds for this project (SPEC §4 from-codex), among the files
 * codex-hooks wrote there: a user's own file is never removed or overwritten. The worktree is locked
 * while the pull is applied, so two syncs never interleave their writes.
 */
export async function pull(o: SyncOptions, cache: CodexCache, reader: ObjectSource, branch: string, tip: string): Promise<NonNullable<SyncResult['fromCodex']>> {
  const { wanted, refused, warnings } = await codexSelection(cache, reader, branch, tip, o.config);
  const root = pullRoot(o.project.root, o.config.pull_dir);
  const pullDir = path.relative(o.project.root, root);
  const apply = async () => {
    const saved = readJson<PullState>(pulledFile(o.project), { files: {} });
    // Files recorded for another pull_dir are no licence to touch anything in this one.
    const state: PullState = saved.root === undefined || saved.root === pullDir ? { ...saved, root: pullDir } : { root: pullDir, files: {} };
    const plan = planPull(root, wanted, state, refused);
    const warn = (text: string) => o.logger.warn(text);
    for (const p of refused) warn(msg.pullRefused(p, o.config.pull_dir));
    for (const w of warnings) warn(w);
    for (const k of plan.kept) if (state.skipped?.[k.path] !== `${wanted.get(k.path)!.mode} ${wanted.get(k.path)!.oid}`) warn(msg.pullKept(path.posix.join(pullDir, k.path), k.reason));
    if (o.dryRun) return { added: plan.added, changed: plan.changed, removed: plan.removed, refused, skipped: plan.kept };
    fs.mkdirSync(root, { recursive: true });
    const outcome = await applyPull(reader, root, plan, state, o.config.max_file_size);
    for (const s of outcome.skipped) if (s.fresh) warn(msg.pullSkipped(path.posix.join(pullDir, s.path), s.reason));
    writeJson(pulledFile(o.project), outcome.state);
    return { added: outcome.added, changed: outcome.changed, removed: plan.removed, refused, skipped: [...plan.kept, ...outcome.skipped.map(({ path: p, reason }) => ({ path: p, reason }))] };
  };
  if (o.dryRun) return apply();
  const release = await acquireLock(pullLockFile(o.project), { signal: o.signal, what: msg.pullLocked });
  try {
    return await apply();
  } finally {
    release();
  }
}

/**
 * Each sync leaves loose objects (its commit, and small fetches unpack loose) and now and then a pack;
 * roll them up now and then so object look-ups stay fast. Loose objects are counted as `git gc --auto`
 * does, from one of the 256 folders.
 */
export async function maintain(cache: CodexCache): Promise<void> {
  const packs = fs.readdirSync(`${cache.dir}/objects/pack`).filter((f) => f.endsWith('.pack')).length;
  const loose = fs.existsSync(`${cache.dir}/objects/17`) ? fs.readdirSync(`${cache.dir}/objects/17`).length : 0;
  if (packs > 50 || loose > 27) await cache.locked(() => runGit(['repack', '-d', '-q', '--geometric=2'], local(cache, { okCodes: [128] })));
}
