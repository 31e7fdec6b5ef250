import { openCheckout } from '../sync/source.js';
import { install } from '../install/install.js';
import { msg } from '../core/messages.js';
import type { CommandResult, Context } from '../core/edge.js';

export async function run(ctx: Context): Promise<CommandResult> {
  const project = await openCheckout(ctx.cwd, ctx.env);
  const result = await install(project, ctx.cwd);
  return {
    data: result,
    render: (log) => {
      if (result.unchanged) log.info(msg.installUnchanged);
      for (const c of result.changed) log.success(c);
    },
  };
}
