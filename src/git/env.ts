import type { Env } from '../core/edge.js';

/**
 * The environment each git child gets. Inside a hook git exports GIT_DIR, GIT_INDEX_FILE and friends
 * (`git rev-parse --local-env-vars`); left in place they silently redirect commands meant for the codex
 * cache, or for the project when it is reached from another repository's hook. test/git-env.test.js keeps
 * this list in step with the installed git.
 */
export const LOCAL_ENV_VARS = [
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_CONFIG',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_OBJECT_DIRECTORY',
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_IMPLICIT_WORK_TREE',
  'GIT_GRAFT_FILE',
  'GIT_INDEX_FILE',
  'GIT_NO_REPLACE_OBJECTS',
  'GIT_REPLACE_REF_BASE',
  'GIT_PREFIX',
  'GIT_INTERNAL_SUPER_PREFIX',
  'GIT_SHALLOW_FILE',
  'GIT_COMMON_DIR',
];


/** A copy of `base` without the repository-local git variables, plus `extra`. */
export function gitEnv(base: Env, extra: Env = {}): Env {
  const env: Env = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (LOCAL_ENV_VARS.includes(key)) continue;
    if (/^GIT_CONFIG_(KEY|VALUE)_\d+$/.test(key)) continue;
    env[key] = value;
  }
  // Never let git stop and wait for a password: a hook must not hang on a GUI client or in CI.
  env.GIT_TERMINAL_PROMPT = '0';
  return Object.assign(env, extra);
}

/**
 * Config given to one git child through GIT_CONFIG_COUNT (git >= 2.31): not on the command line (no `ps`
 * leak) and not on disk. Used for the GitHub token header.
 */
export function configEnv(entries: Array<[string, string]>): Env {
  const env: Env = { GIT_CONFIG_COUNT: String(entries.length) };
  entries.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}
