import fs from 'node:fs';
import { SyncError } from '../errors.js';
import type { Config } from '../config/normalize.js';
import { requireCodexUrl } from '../config/normalize.js';
import type { EnvDecision } from '../env/resolve.js';
import { runGit } from '../git/exec.js';
import { listCommit, userIdentity, type Project } from '../git/project.js';
import type { TreeEntry } from '../git/parse.js';
import type { Logger } from '../ui/logger.js';
import { msg, redactUrl } from '../ui/messages.js';
import { fetchBranch, local, openCache, pushCommit, type CodexCache } from './cache.js';
import { applyPull, codexSelection, planPull, pullRoot, type PullState } from './from-codex.js';
import { probeKey, probeNames, selectionConfigKey } from './probe.js';
import { selectFiles, selectionKey } from './select.js';
import { pulledFile, recordSynced, syncTarget, writeJson } from './state.js';
import { codexProjectFiles, commitMessage, planToCodex, readBlobs, writeCommit, type FilePlan } from './to-codex.js';

export type Direction = 'to-codex' | 'from-codex' | 'bidirectional';

export interface SyncOptions {
  project: Project;
  config: Config;
  decision: EnvDecision;
  /** The full sha of the commit whose files are synced (never the working tree). */
  commit: string;
  /** That commit's listing, when the caller has already read it (`listCommit`). */
  entries?: TreeEntry[];
  /** The branch the commit came from, for the message and trailers. */
  sourceBranch: string;
  direction: Direction;
  dryRun?: boolean;
  allowDeletions?: boolean;
  logger: Logger;
}

export interface SyncResult {
  project: string;
  env: string;
  codexBranch: string;
  codexUrl: string;
  commit: string;
  direction: Direction;
  dryRun: boolean;
  toCodex?: { added: string[]; changed: string[]; removed: string[]; skipped: Array<{ path: string; reason: string }>; codexCommit: string | null; attempts: number };
  fromCodex?: { added: string[]; changed: string[]; removed: string[]; refused: string[] };
}

const MAX_ATTEMPTS = 30;
/** Up to this many bytes of selected docs are read before knowing which ones the codex lacks. */
const EARLY_BLOBS = 8 * 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Full jitter: concurrent projects that collided once spread out instead of colliding again. */
const backoff = (attempt: number) => Math.random() * Math.min(2000, 50 * 2 ** attempt);
const changes = (p: FilePlan) => p.added.length + p.changed.length + p.removed.length;

/**
 * One sync (SPEC §4): to-codex, then from-codex, on the same codex branch. Every git process here costs
 * ~15 ms on a small machine, so independent ones run side by side and plain ref reads go to the files.
 */
export async function runSync(o: SyncOptions): Promise<SyncResult> {
  const url = requireCodexUrl(o.config);
  const { codexBranch, env } = o.decision;
  const cache = await openCache(url, o.project.env);
  const fetchTip = async () => {
    const tip = await fetchBranch(cache, codexBranch);
    if (tip === null) throw new SyncError('branch-missing', msg.branchMissing(codexBranch, env, o.config.filepath));
    return tip;
  };
  const wantsTo = o.direction !== 'from-codex';
  const listing = wantsTo ? Promise.resolve(o.entries ?? listCommit(o.project, o.commit)) : null;
  const selecting = listing?.then((e) => selectFiles(e, o.config));
  // While the codex is fetched: the committer and, for a selection of modest size, every selected blob,
  // so neither waits behind the fetch; only those the codex lacks are used.
  const writing = wantsTo && !o.dryRun;
  const early = writing ? selecting!.then((s) => (s.files.reduce((n, f) => n + f.size, 0) <= EARLY_BLOBS ? readBlobs(o.project, s.files) : null)) : null;
  const identity = writing ? userIdentity(o.project) : null;
  for (const p of [early, identity]) p?.catch(() => {}); // awaited below, or moot when the fetch fails
  const [fetched, entries] = await Promise.all([fetchTip(), listing]);
  let tip = fetched;
  const result: SyncResult = { project: o.config.projectName, env, codexBranch, codexUrl: redactUrl(url), commit: o.commit, direction: o.direction, dryRun: !!o.dryRun };

  // What to pull depends only on the fetched tip (never on our own folder), so it is listed while the
  // commit is built and pushed.
  const pulling = o.direction !== 'to-codex' ? codexSelection(cache, codexBranch, tip, o.config) : null;
  pulling?.catch(() => {}); // awaited below; a to-codex failure must not leave it unhandled
  let pushed: Promise<unknown> = Promise.resolve();
  if (entries) {
    const selection = (await selecting)!;
    let existing = await codexProjectFiles(cache, tip, o.config.projectName);
    let plan = planToCodex(selection.files, existing);
    const removed = plan.removed.length;
    if (removed >= 10 && removed / plan.before > o.config.deletion_threshold && !o.allowDeletions) {
      throw new SyncError('deletions', msg.deletionsHeld(removed, plan.before, o.config.deletion_threshold), msg.deletionsHint);
    }
    let codexCommit: string | null = null;
    let attempts = 0;
    if (!o.dryRun && changes(plan) > 0) {
      // The blobs the codex folder lacks travel inline in the fast-import stream: no project history moves.
      const present = new Set([...existing.values()].map((e) => e.oid));
      const lacking = selection.files.filter((f) => !present.has(f.oid));
      const read = await early;
      const blobs = read ? new Map(lacking.map((f) => [f.oid, read.get(f.oid)!])) : await readBlobs(o.project, lacking);
      const committer = (await identity)!;
      for (;;) {
        attempts++;
        const message = commitMessage({ projectName: o.config.projectName, count: changes(plan), branch: o.sourceBranch, commit: o.commit, env });
        const candidate = await writeCommit(cache, { tip, projectName: o.config.projectName, files: selection.files, blobs, message, identity: committer });
        const outcome = await pushCommit(cache, candidate, codexBranch);
        if (outcome.pushed) {
          codexCommit = candidate;
          pushed = outcome.recorded;
          break;
        }
        if (attempts >= MAX_ATTEMPTS) throw new SyncError('rejected', msg.pushRejected(codexBranch, attempts), 'run `codex-hooks sync --retry` in a moment');
        await sleep(backoff(attempts));
        tip = await fetchTip();
        existing = await codexProjectFiles(cache, tip, o.config.projectName);
        // Blobs referred to by id were in the old tip, so the cache keeps them whatever the new tip holds.
        plan = planToCodex(selection.files, existing);
        if (changes(plan) === 0) break; // another run synced the same files meanwhile
      }
      await maintain(cache);
    }
    result.toCodex = { added: plan.added, changed: plan.changed, removed: plan.removed, skipped: selection.skipped, codexCommit, attempts };
    if (!o.dryRun) {
      // What lets the next hook with nothing new skip the codex (see hooks/up-to-date.ts).
      const names = probeNames(o.config.sync_patterns);
      recordSynced(o.project, env, {
        target: syncTarget(url, codexBranch, o.config.projectName),
        selectionKey: selectionKey(selection.files),
        configKey: selectionConfigKey(o.config),
        probe: names && probeKey(names, entries.filter((e) => !e.path.includes('/')).map((e) => ({ mode: e.mode, name: e.path, oid: e.oid }))),
        commit: o.commit,
        codexCommit,
        time: new Date().toISOString(),
      });
    }
  }
  if (pulling) {
    const { wanted, refused } = await pulling;
    const root = pullRoot(o.project.root, o.config.pull_dir);
    let state: PullState;
    try {
      state = JSON.parse(fs.readFileSync(pulledFile(o.project), 'utf8'));
    } catch {
      state = { files: {} };
    }
    const plan = planPull(root, wanted, state, refused);
    for (const p of refused) o.logger.warn(`Refused codex path that would leave ${o.config.pull_dir}: ${JSON.stringify(p)}`);
    if (!o.dryRun) {
      fs.mkdirSync(root, { recursive: true });
      writeJson(pulledFile(o.project), await applyPull(cache, root, plan));
    }
    result.fromCodex = { added: plan.added, changed: plan.changed, removed: plan.removed, refused };
  }
  await pushed;
  return result;
}

/** Each sync adds a small pack; repack now and then so object look-ups stay fast. */
async function maintain(cache: CodexCache): Promise<void> {
  const packs = fs.readdirSync(`${cache.dir}/objects/pack`).filter((f) => f.endsWith('.pack')).length;
  if (packs > 50) await cache.locked(() => runGit(['repack', '-d', '-q', '--geometric=2'], local(cache, { okCodes: [128] })));
}
