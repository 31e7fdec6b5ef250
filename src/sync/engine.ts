import fs from 'node:fs';
import { SyncError } from '../errors.js';
import type { Config } from '../config/normalize.js';
import { requireCodexUrl } from '../config/normalize.js';
import type { EnvDecision } from '../env/resolve.js';
import { runGit } from '../git/exec.js';
import { listCommit, userIdentity, type Project } from '../git/project.js';
import type { Logger } from '../ui/logger.js';
import { msg, redactUrl } from '../ui/messages.js';
import { fetchBranch, local, openCache, pushCommit, type CodexCache } from './cache.js';
import { applyPull, codexSelection, planPull, pullRoot, type PullState } from './from-codex.js';
import { selectFiles, selectionKey } from './select.js';
import { probeKey, probeNames, selectionConfigKey } from './probe.js';
import { parseLsTree } from '../git/parse.js';
import { pulledFile, recordSynced, syncTarget, writeJson } from './state.js';
import { codexProjectFiles, commitMessage, planToCodex, transferBlobs, writeCommit } from './to-codex.js';

export type Direction = 'to-codex' | 'from-codex' | 'bidirectional';

export interface SyncOptions {
  project: Project;
  config: Config;
  decision: EnvDecision;
  /** The full sha of the commit whose files are synced (never the working tree). */
  commit: string;
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
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Full jitter: concurrent projects that collided once spread out instead of colliding again. */
const backoff = (attempt: number) => Math.random() * Math.min(2000, 50 * 2 ** attempt);

/** One sync (SPEC §4): to-codex, then from-codex, on the same codex branch, under the cache lock. */
export async function runSync(o: SyncOptions): Promise<SyncResult> {
  const url = requireCodexUrl(o.config);
  const { codexBranch, env } = o.decision;
  const cache = await openCache(url, o.project.env);
  {
    const fetchTip = async () => {
      const tip = await fetchBranch(cache, codexBranch);
      if (tip === null) {
        throw new SyncError('branch-missing', msg.branchMissing(codexBranch, env, o.config.filepath));
      }
      return tip;
    };
    let tip = await fetchTip();
    const result: SyncResult = {
      project: o.config.projectName,
      env,
      codexBranch,
      codexUrl: redactUrl(url),
      commit: o.commit,
      direction: o.direction,
      dryRun: !!o.dryRun,
    };
    let key: string | null = null;
    if (o.direction !== 'from-codex') {
      const selection = selectFiles(await listCommit(o.project, o.commit), o.config);
      key = selectionKey(selection.files);
      let plan = planToCodex(selection.files, await codexProjectFiles(cache, tip, o.config.projectName));
      const { removed, before } = { removed: plan.removed.length, before: plan.before };
      if (removed >= 10 && removed / before > o.config.deletion_threshold && !o.allowDeletions) {
        throw new SyncError('deletions', msg.deletionsHeld(removed, before, o.config.deletion_threshold), msg.deletionsHint);
      }
      let codexCommit: string | null = null;
      let attempts = 0;
      if (!o.dryRun && plan.added.length + plan.changed.length + plan.removed.length > 0) {
        const oids = selection.files.filter((f) => !plan.removed.includes(f.path)).map((f) => f.oid);
        await transferBlobs(o.project, cache, oids);
        const identity = await userIdentity(o.project);
        for (;;) {
          attempts++;
          const count = plan.added.length + plan.changed.length + plan.removed.length;
          const message = commitMessage({ projectName: o.config.projectName, count, branch: o.sourceBranch, commit: o.commit, env });
          const candidate = await writeCommit(cache, { tip, projectName: o.config.projectName, files: selection.files, message, identity });
          if ((await pushCommit(cache, candidate, codexBranch)) === 'pushed') {
            codexCommit = candidate;
            break;
          }
          if (attempts >= MAX_ATTEMPTS) throw new SyncError('rejected', msg.pushRejected(codexBranch, attempts), 'run `codex-hooks sync --retry` in a moment');
          await sleep(backoff(attempts));
          tip = await fetchTip();
          plan = planToCodex(selection.files, await codexProjectFiles(cache, tip, o.config.projectName));
          if (plan.added.length + plan.changed.length + plan.removed.length === 0) break; // someone synced the same files
        }
        await maintain(cache);
      }
      result.toCodex = { added: plan.added, changed: plan.changed, removed: plan.removed, skipped: selection.skipped, codexCommit, attempts };
    }
    if (o.direction !== 'to-codex') {
      const { wanted, refused } = await codexSelection(cache, codexBranch, tip, o.config);
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
    if (!o.dryRun && key !== null) {
      const names = probeNames(o.config.sync_patterns);
      const root = names ? parseLsTree((await runGit(['ls-tree', '-z', o.commit], { cwd: o.project.root, env: o.project.env })).stdout) : [];
      recordSynced(o.project, env, {
        target: syncTarget(url, codexBranch, o.config.projectName),
        selectionKey: key,
        configKey: selectionConfigKey(o.config),
        probe: names && probeKey(names, root.map((e) => ({ mode: e.mode, name: e.path, oid: e.oid }))),
        commit: o.commit,
        codexCommit: result.toCodex?.codexCommit ?? null,
        time: new Date().toISOString(),
      });
    }
    return result;
  }
}

/** Each sync adds a small pack; repack now and then so object look-ups stay fast. */
async function maintain(cache: CodexCache): Promise<void> {
  const packs = fs.readdirSync(`${cache.dir}/objects/pack`).filter((f) => f.endsWith('.pack')).length;
  if (packs > 50) await cache.locked(() => runGit(['repack', '-d', '-q', '--geometric=2'], local(cache, { okCodes: [128] })));
}
