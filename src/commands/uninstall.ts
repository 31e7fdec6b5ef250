import { openCheckout } from '../sync/source.js';
import { uninstall } from '../install/uninstall.js';
import { msg } from '../core/messages.js';
import type { CommandResult, Context } from '../core/edge.js';

export async function run(ctx: Context): Promise<CommandResult> {
  const project = await openCheckout(ctx.cwd, ctx.env);
  const result = await uninstall(project);
  return {
    data: result,
    render: (log) => {
      if (result.unchanged) log.info(msg.uninstallUnchanged);
      for (const c of result.changed) log.success(c);
    },
  };
}
