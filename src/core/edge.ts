/**
 * The edge's interfaces (design §7): what the entry (cli.ts) reads from the process and hands to the
 * commands and hooks, which read only this. A leaf: it imports types alone.
 */
import type { Settings } from './settings.js';

/** A process environment: the one the entry read, or the one a git child gets (git/env.ts). */
export type Env = Record<string, string | undefined>;

export interface Logger {
  /** Progress and results; silenced by --quiet. */
  info(message: string): void;
  success(message: string): void;
  /** Always shown (on stderr). */
  warn(message: string): void;
  error(message: string): void;
}

/** Why nobody can be asked: no controlling terminal, or CI is set (a terminal there is nobody's). */
export type NoTerminal = 'no-terminal' | 'ci';

/**
 * Asks a yes/no question. Resolves the answer, or why there is nobody to ask; rejects with
 * `Interrupted` when the person pressed Ctrl-C at the question.
 */
export type Confirm = (message: string, preamble?: string) => Promise<boolean | NoTerminal>;

/** Asks for a line of text; null when there is no terminal. `validate` returns an error text to ask again. */
export type Ask = (message: string, o?: { initial?: string; validate?: (value: string) => string | true }) => Promise<string | null>;

/**
 * What the entry hands the core (commands and hooks alike): the edge reads process state, the core reads
 * only this. Below both, so hooks need nothing from commands (the layers point one way).
 */
export interface Context {
  cwd: string;
  env: Env;
  /** CI and the CODEX_HOOKS_* variables, read once by the entry (settings.ts). */
  settings: Settings;
  /** CODEX_ENV as the entry read it, once (an empty value counts as unset): an explicit environment. */
  namedEnvironment?: string;
  json: boolean;
  quiet: boolean;
  logger: Logger;
  /** Asks on the terminal; says why not when there is none; rejects with Interrupted on Ctrl-C. */
  confirm: Confirm;
  /** Asks for a line of text on the terminal; null when there is none. */
  ask?: Ask;
  /** Git's stdin for hooks (pre-push ref lines). */
  stdin?: () => Promise<string>;
  /** Where output goes: a command that writes raw bytes (fetch) or redraws a table (sync-org) uses these. */
  stdout: Output;
  stderr: Output;
}

export type Output = NodeJS.WritableStream & { isTTY?: boolean; rows?: number; columns?: number };

export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CommandResult {
  /** The JSON document for --json, and what `render` prints. */
  data: unknown;
  exitCode?: number;
  /** Human output; nothing is printed with --json or --quiet. */
  render?: (logger: Logger) => void;
}
