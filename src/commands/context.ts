import { UsageError } from '../errors.js';
import type { Env } from '../git/env.js';
import type { Logger, Style } from '../ui/logger.js';
import type { Ask, Confirm } from '../ui/prompt.js';

/** What every command gets from the entry: the edge reads process state, the core reads only this. */
export interface Context {
  cwd: string;
  env: Env;
  json: boolean;
  quiet: boolean;
  logger: Logger & { style?: Style };
  /** Asks on the terminal; says why not when there is none; rejects with Interrupted on Ctrl-C. */
  confirm: Confirm;
  /** Asks for a line of text on the terminal; null when there is none. */
  ask?: Ask;
  /** Git's stdin for hooks (pre-push ref lines). */
  stdin?: () => Promise<string>;
}

export type Values = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CommandResult {
  /** The JSON document for --json, and what `render` prints. */
  data: unknown;
  exitCode?: number;
  /** Human output; nothing is printed with --json or --quiet. */
  render?: (logger: Logger & { style?: Style }) => void;
}

/** The one value of a string option that may not be repeated (`--env a --env b` is an error). */
export function single(values: Values, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) {
    if (v.length > 1) throw new UsageError(`--${name} was given ${v.length} times`, `pass --${name} once`);
    return v[0] as string;
  }
  return v as string;
}
