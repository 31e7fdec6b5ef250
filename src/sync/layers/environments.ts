import type { Config } from '../../config/normalize.js';
import type { EnvironmentDecision } from '../../environment/resolve.js';

type EnvConfig = Pick<Config, 'default_environment' | 'environments'>;

/** One decision per codex branch that holds layers: the environments a base move or a drop reaches. */
export function layeredEnvironments(config: EnvConfig): EnvironmentDecision[] {
  const seen = new Map<string, EnvironmentDecision>();
  const prodBranch = config.environments.prod.branch;
  for (const [env, e] of Object.entries(config.environments)) {
    const mode = e.mode ?? (e.branch === prodBranch ? 'mirror' : 'layer');
    if (mode !== 'layer' || seen.has(e.branch)) continue;
    seen.set(e.branch, { env, codexBranch: e.branch, explicit: false, source: 'default_environment', needsConfirmation: false, mode });
  }
  // the default environment names its codex branch, when it is one of them
  const def = config.environments[config.default_environment];
  if (def && seen.has(def.branch)) seen.set(def.branch, { ...seen.get(def.branch)!, env: config.default_environment });
  return [...seen.values()];
}

