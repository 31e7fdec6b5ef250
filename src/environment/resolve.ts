import picomatch from 'picomatch';
import { UsageError } from '../core/errors.js';
import type { Config, SyncMode } from '../config/normalize.js';
import { nearest } from '../config/suggest.js';
import { msg } from '../core/messages.js';
import { writesProductionUnnamed } from './needs-yes.js';

export type EnvSource = '--env' | 'CODEX_ENV' | 'prod_branches' | 'branch_environments' | 'default_environment';

export interface EnvironmentDecision {
  env: string;
  codexBranch: string;
  explicit: boolean;
  source: EnvSource;
  /** An assumed environment that writes the production codex branch: a person must confirm (design §3). */
  needsConfirmation: boolean;
  /** Set when a non-prod environment is configured to the production branch. */
  warning?: string;
  /** How a sync changes the project's codex folder (design §4). */
  mode: SyncMode;
}

export interface ResolveInput {
  /** `--env` (wins) and `CODEX_ENV`; empty strings count as unset for CODEX_ENV only. */
  explicit: { flag?: string; envVar?: string };
  /** The branch being pushed, or the current branch; null on a detached HEAD. */
  branch: string | null;
  config: Pick<Config, 'prod_branches' | 'branch_environments' | 'default_environment' | 'filepath'> & { environments: Record<string, { branch: string; mode?: SyncMode }> };
}

/** A detached HEAD has no branch to derive an environment from: hooks skip, `sync` asks for --env. */
export class DetachedHead extends UsageError {}

/** Which environment, and whether it needs confirmation (design §3). Pure: reads nothing but its input. */
export function resolveEnvironment({ explicit, branch, config }: ResolveInput): EnvironmentDecision {
  const known = Object.keys(config.environments);
  const prodBranch = config.environments.prod.branch;
  const decide = (env: string, source: EnvSource): EnvironmentDecision => {
    if (!known.includes(env)) {
      const hint = nearest(env, known);
      throw new UsageError(
        msg.unknownEnv(env, source, hint, known),
        msg.unknownEnvHint(source, known, config.filepath),
      );
    }
    const codexBranch = config.environments[env].branch;
    const explicitEnv = source === '--env' || source === 'CODEX_ENV';
    const needsConfirmation = writesProductionUnnamed({ explicit: explicitEnv, codexBranch, prodBranch });
    const warning =
      needsConfirmation && env !== 'prod'
        ? msg.envOnProdBranch(env, codexBranch, config.filepath)
        : undefined;
    const mode = config.environments[env].mode ?? (codexBranch === prodBranch ? 'mirror' : 'layer');
    return { env, codexBranch, explicit: explicitEnv, source, needsConfirmation, warning, mode };
  };

  if (explicit.flag !== undefined) {
    if (explicit.flag.trim() === '') throw new UsageError(msg.envNeedsName, msg.envOneOf(known));
    return decide(explicit.flag, '--env');
  }
  if (explicit.envVar) return decide(explicit.envVar, 'CODEX_ENV');
  if (branch === null) {
    throw new DetachedHead('HEAD is detached: there is no branch to derive the environment from', 'pass --env <environment> (e.g. --env test)');
  }
  if (config.prod_branches.includes(branch)) return decide('prod', 'prod_branches');
  for (const [glob, env] of Object.entries(config.branch_environments)) {
    if (picomatch.isMatch(branch, glob, { dot: true })) return decide(env, 'branch_environments');
  }
  return decide(config.default_environment, 'default_environment');
}

/** `refs/heads/feat` → `feat`; other refs (tags, notes) → null. */
export function branchOfRef(ref: string): string | null {
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null;
}
