import { UsageError } from '../core/errors.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/normalize.js';
import { SYNC_DIRECTIONS, type SyncDirection } from '../config/defaults.js';
import type { Project } from '../git/project.js';
import { openCheckout } from '../sync/source.js';
import { msg } from '../core/messages.js';
import { single } from './context.js';
import type { Context, Values } from '../core/edge.js';

export async function projectAndConfig(ctx: Context): Promise<{ project: Project; config: Config }> {
  const project = await openCheckout(ctx.cwd, ctx.env);
  const config = await loadConfig(project);
  for (const note of config.notes ?? []) ctx.logger.info(msg.configNote(note));
  return { project, config };
}

export function requireConfig(config: Config): void {
  if (!config.filepath) throw new UsageError(msg.noConfigIn(config.root), msg.noConfigInHint);
}

/** `--env` and `CODEX_ENV` (read once by the entry into ctx.namedEnvironment). */
export function explicitEnv(ctx: Context, values: Values): { flag?: string; envVar?: string } {
  return { flag: single(values, 'env'), envVar: ctx.namedEnvironment };
}


export function parseDirection(value: string | undefined, fallback: SyncDirection): SyncDirection {
  if (value === undefined) return fallback;
  if (!(SYNC_DIRECTIONS as readonly string[]).includes(value)) {
    throw new UsageError(msg.unknownDirection(value), msg.directionOneOf(SYNC_DIRECTIONS));
  }
  return value as SyncDirection;
}

