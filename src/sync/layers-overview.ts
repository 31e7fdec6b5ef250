import { codexGitEnv } from '../config/token.js';
import { requireCodexUrl, type Config } from '../config/normalize.js';
import type { EnvironmentDecision } from '../environment/resolve.js';
import { local, openCache, startFetch } from './cache/cache.js';
import { runGit } from '../git/exec.js';
import { ObjectStore } from '../git/objects/store.js';
import { branchTip, type Project } from '../git/project.js';
import { codexProjectFiles } from './to-codex/to-codex.js';
import { layeredEnvironments } from './layers/environments.js';
import { runSync } from './engine.js';
import type { LayersReport } from './options.js';
import type { Logger } from '../core/edge.js';

/**
 * What `status` says of the environments (design §5, §4), from the codex as fetched now: what is pending
 * release (the production branch ahead of production), what test is made of, how test differs from prod.
 */
export interface Overview {
  /** origin's production branch against the production folder: docs a release would write. */
  pendingRelease: { commit: string; ref: string; added: string[]; changed: string[]; removed: string[] } | null;
  layers: { env: string; codexBranch: string; report: LayersReport } | null;
  /** test's folder against production's: paths only on test, only on prod, and on both but different. */
  testVsProd: { onlyTest: string[]; onlyProd: string[]; differ: string[] } | null;
}

export async function overview(project: Project, config: Config, logger: Logger): Promise<Overview> {
  const out: Overview = { pendingRelease: null, layers: null, testVsProd: null };
  const prod = config.environments.prod.branch;
  const layered = layeredEnvironments(config);
  const def = layered.find((l) => l.env === config.default_environment) ?? layered[0];
  const quiet = { ...logger, info: () => {}, warn: () => {} };
  const prodBranch = config.prod_branches[0] ?? 'main';
  const tracking = await branchTip(project, `refs/remotes/origin/${prodBranch}`);
  const tip = tracking ?? (await branchTip(project, `refs/heads/${prodBranch}`));
  const ref = tracking ? `origin/${prodBranch}` : prodBranch;
  if (tip) {
    const decision: EnvironmentDecision = { env: 'prod', codexBranch: prod, explicit: true, source: '--env', needsConfirmation: false, mode: 'mirror' };
    const r = await runSync({ project, config, decision, commit: tip, sourceBranch: prodBranch, direction: 'to-codex', dryRun: true, logger: quiet, mirror: true });
    out.pendingRelease = { commit: tip, ref, added: r.toCodex!.added, changed: r.toCodex!.changed, removed: r.toCodex!.removed };
  }
  if (def) {
    const r = await runSync({ project, config, decision: def, commit: tip ?? '', sourceBranch: prodBranch, direction: 'to-codex', dryRun: true, logger: quiet, layerEvent: { kind: 'reconcile' } });
    out.layers = { env: def.env, codexBranch: def.codexBranch, report: r.toCodex!.layers! };
    out.testVsProd = await compareFolders(config, project, def.codexBranch, prod, !tip);
  }
  return out;
}

/** Two codex branches' folders of this project, compared path by path (the cache has both: just fetched). */
async function compareFolders(config: Config, project: Project, a: string, b: string, fetchB: boolean): Promise<Overview['testVsProd']> {
  const cache = await openCache(requireCodexUrl(config), await codexGitEnv(project.env, config));
  // both were fetched a moment ago by the dry runs above: the cache's own branches
  const tipOf = async (branch: string) => {
    const { stdout, code } = await runGit(['rev-parse', '-q', '--verify', `refs/heads/${branch}^{commit}`], local(cache, { okCodes: [1, 128] }));
    return code === 0 ? stdout.toString().trim() : null;
  };
  if (fetchB) await startFetch(cache, b).done; // no release was planned above: production not fetched yet
  const [tipA, tipB] = await Promise.all([tipOf(a), tipOf(b)]);
  if (!tipA || !tipB) return null;
  const reader = ObjectStore.open(cache.dir, local(cache));
  try {
    const [fa, fb] = await Promise.all([codexProjectFiles(reader, tipA, config.projectName), codexProjectFiles(reader, tipB, config.projectName)]);
    const onlyTest = [...fa.files.keys()].filter((p) => !fb.files.has(p)).sort();
    const onlyProd = [...fb.files.keys()].filter((p) => !fa.files.has(p)).sort();
    const differ = [...fa.files.keys()].filter((p) => fb.files.has(p) && (fb.files.get(p)!.oid !== fa.files.get(p)!.oid || fb.files.get(p)!.mode !== fa.files.get(p)!.mode)).sort();
    return { onlyTest, onlyProd, differ };
  } finally {
    reader.close();
  }
}
