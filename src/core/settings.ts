/**
 * What the process's environment variables say about how codex-hooks runs — `CI`, the terminal's colour
 * variables and the `CODEX_HOOKS_*` ones — read once at the edge (cli.ts) into one typed object that the
 * Context carries down (design §5). Only this file knows their names and how a value is read.
 */
import { timeoutSeconds } from './timeout.js';

type Env = Record<string, string | undefined>;

/** Set in the detached child a `post_commit: background` hook starts; never set by a person. */
export const BACKGROUND_CHILD = 'CODEX_HOOKS_BACKGROUND_CHILD';

/**
 * How a hook starts node (design §6): node 20 reads the file NODE_EXTRA_CA_CERTS names (a company's CA
 * bundle) as it starts, ~30 ms on every hook, for TLS codex-hooks never does (git does the transport). So the
 * hooks start the bin's `hook.cjs` with it empty and its value in CODEX_HOOKS_EXTRA_CA_CERTS; hook.cjs gives
 * it back to NODE_EXTRA_CA_CERTS before anything runs: git, ssh and credential helpers get it as set.
 */
export const HOOK_ENTRY = 'hook.cjs';
/** The same for a node this process starts (post-commit's background child), with HOOK_ENTRY. */
export const withoutCaCertsRead = (env: Env): Env => ({ ...env, CODEX_HOOKS_EXTRA_CA_CERTS: env.NODE_EXTRA_CA_CERTS ?? '', NODE_EXTRA_CA_CERTS: '' });
/** The same in a shell line (the reference-transaction hook), before the command that starts HOOK_ENTRY. */
export const WITHOUT_CA_CERTS_READ = 'CODEX_HOOKS_EXTRA_CA_CERTS=${NODE_EXTRA_CA_CERTS-} NODE_EXTRA_CA_CERTS=';

export interface Settings {
  /** A CI run (`CI` set to anything but empty, `0` or `false`): nobody is at the terminal, no colour, no live table. */
  ci: boolean;
  /** NO_COLOR set (https://no-color.org), FORCE_COLOR set to anything but 0, TERM=dumb. */
  noColor: boolean;
  forceColor: boolean;
  dumbTerminal: boolean;
  /** CODEX_HOOKS_TIMEOUT in seconds (the edge refuses a bad value before any work; core/timeout.ts). */
  timeoutSeconds: number;
  /** CODEX_HOOKS_TRACE: each git process, when it ran and for how long, on stderr. */
  trace: boolean;
  /** CODEX_HOOKS_CACHE_DIR as given, else undefined (sync/cache/cache.ts resolves it). */
  cacheDir?: string;
  /** CODEX_HOOKS_BIN: the codex-hooks the installed hooks run, when it is not in node_modules. */
  bin?: string;
  /** This process is the detached child of a background post-commit. */
  backgroundChild: boolean;
}

/**
 * The one CI rule: `CI` unset, empty, `0` or `false` (any case) is not CI; any other value is. ci-info
 * (since 3.7.1) and is-in-ci read `CI=false` the same way; a shell's `CI=` or `CI=0` turns it off too.
 */
export function isCI(value: string | undefined): boolean {
  const v = (value ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

/**
 * CODEX_HOOKS_TRACE and CODEX_HOOKS_CACHE_DIR, one variable each: for the code below the Context that
 * holds a child's environment rather than the settings (git/exec.ts traces each git process, sync/cache/cache.ts
 * finds the cache of a codex a reader opened outside any command).
 */
export const traceOn = (env: Env): boolean => Boolean(env.CODEX_HOOKS_TRACE);
export const cacheDirOf = (env: Env): string | undefined => env.CODEX_HOOKS_CACHE_DIR || undefined;

/** The settings in `env`. Pure. */
export function readSettings(env: Env): Settings {
  return {
    ci: isCI(env.CI),
    noColor: 'NO_COLOR' in env,
    forceColor: Boolean(env.FORCE_COLOR) && env.FORCE_COLOR !== '0',
    dumbTerminal: env.TERM === 'dumb',
    timeoutSeconds: timeoutSeconds(env),
    trace: traceOn(env),
    cacheDir: cacheDirOf(env),
    bin: env.CODEX_HOOKS_BIN || undefined,
    backgroundChild: env[BACKGROUND_CHILD] === '1',
  };
}
