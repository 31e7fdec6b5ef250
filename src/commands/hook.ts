import { ConfigError, UsageError } from '../core/errors.js';
import { msg } from '../core/messages.js';
import type { CommandResult, Context, Values } from '../core/edge.js';

export async function run(ctx: Context, _values: Values, positionals: string[]): Promise<CommandResult> {
  const [name, ...args] = positionals;
  if (name !== 'pre-push' && name !== 'post-commit' && name !== 'reference-transaction') {
    throw new UsageError(msg.unknownHook(name ?? ''), msg.unknownHookHint);
  }
  if (ctx.env.CODEX_HOOKS === '0') {
    ctx.logger.warn(msg.hooksDisabled);
    return { data: { hook: name, skipped: 'CODEX_HOOKS=0' } };
  }
  try {
    if (name === 'pre-push') return await (await import('../hooks/pre-push.js')).prePush(ctx, args);
    if (name === 'reference-transaction') return await (await import('../hooks/reference-transaction.js')).referenceTransaction(ctx, args);
    return await (await import('../hooks/post-commit.js')).postCommit(ctx);
  } catch (error) {
    if (error instanceof ConfigError) {
      // A broken config stops a push only when the user asked for a sync (design §6).
      if (name === 'pre-push' && ctx.namedEnvironment) throw new ConfigError(error.message, msg.configBrokenHint(error.hint, ctx.namedEnvironment), error);
      ctx.logger.warn(msg.configBroken(name, error.message, error.hint));
      return { data: { hook: name, skipped: 'invalid config', error: error.message } };
    }
    throw error;
  }
}
