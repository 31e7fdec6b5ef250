import { Interrupted } from '../core/errors.js';
import type { EnvironmentDecision } from '../environment/resolve.js';
import { msg } from '../core/messages.js';
import type { Context, NoTerminal } from '../core/edge.js';

export type Confirmation = 'yes' | 'declined' | NoTerminal;

/** Shows the production warning and asks on the terminal (design §6 wording); Ctrl-C rejects with Interrupted. */
export async function confirmProduction(
  ctx: Context,
  o: { decision: EnvironmentDecision; branch: string; codexUrl: string; direction: string; verb: 'pushing' | 'syncing' },
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
