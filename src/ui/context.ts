import { Interrupted } from '../errors.js';
import type { EnvDecision } from '../env/resolve.js';
import type { Env } from '../git/env.js';
import type { Settings } from '../settings.js';
import type { Logger } from './logger.js';
import { msg } from './messages.js';
import type { Ask, Confirm, NoTerminal } from './prompt.js';

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
  codexEnv?: string;
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

export type Confirmation = 'yes' | 'declined' | NoTerminal;

/** Shows the production warning and asks on the terminal (design §6 wording); Ctrl-C rejects with Interrupted. */
export async function confirmProduction(
  ctx: Context,
  o: { decision: EnvDecision; branch: string; codexUrl: string; direction: string; verb: 'pushing' | 'syncing' },
): Promise<Confirmation> {
  const preamble = [msg.confirmTitle, ...(o.decision.warning ? [o.decision.warning] : []), msg.confirmBody(o.verb, o.branch, o.codexUrl, o.decision.codexBranch, o.direction)].join('\n');
  try {
    const answer = await ctx.confirm(msg.confirmQuestion, preamble);
    return typeof answer === 'string' ? answer : answer ? 'yes' : 'declined';
  } catch (error) {
    if (error instanceof Interrupted) throw new Interrupted(o.verb === 'pushing' ? msg.interruptedPush : msg.interruptedSync, o.verb === 'pushing' ? msg.interruptedPushHint : undefined);
    throw error;
  }
}
