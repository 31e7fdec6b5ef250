import { Interrupted, UsageError } from '../errors.js';
import type { NoTerminal } from '../ui/prompt.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/normalize.js';
import { openProject, type Project } from '../git/project.js';
import type { EnvDecision } from '../env/resolve.js';
import { msg } from '../ui/messages.js';
import type { Context, Values } from './context.js';
import { single } from './context.js';

export async function projectAndConfig(ctx: Context): Promise<{ project: Project; config: Config }> {
  const project = await openProject(ctx.cwd, ctx.env);
  const config = await loadConfig(project);
  for (const note of config.notes ?? []) ctx.logger.info(msg.configNote(note));
  return { project, config };
}

export function requireConfig(config: Config): void {
  if (!config.filepath) throw new UsageError(`No codex-hooks configuration in ${config.root}`, 'run `codex-hooks init` (or add a .codexrc.json)');
}

/** `--env` and `CODEX_ENV`, read at the edge; an empty CODEX_ENV counts as unset. */
export function explicitEnv(ctx: Context, values: Values): { flag?: string; envVar?: string } {
  return { flag: single(values, 'env'), envVar: ctx.env.CODEX_ENV || undefined };
}

const DIRECTIONS = ['to-codex', 'from-codex', 'bidirectional'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export function parseDirection(value: string | undefined, fallback: Direction): Direction {
  if (value === undefined) return fallback;
  if (!(DIRECTIONS as readonly string[]).includes(value)) {
    throw new UsageError(`Unknown direction "${value}"`, `pass --direction with one of: ${DIRECTIONS.join(', ')}`);
  }
  return value as Direction;
}

export type Confirmation = 'yes' | 'declined' | NoTerminal;

/** Shows the production warning and asks on the terminal (SPEC §6 wording); Ctrl-C rejects with Interrupted. */
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
