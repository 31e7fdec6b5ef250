import { loadConfig } from '../config/load.js';
import { openProject } from '../git/project.js';
import { gitAncestorPid, readLanding, writeLanding } from './landing.js';
import { publish } from './publish.js';
import type { CommandResult, Context } from '../core/edge.js';

/**
 * reference-transaction (git ≥ 2.28), `committed` state: git has moved refs. When it moved a remote-tracking
 * ref to the commit a kept push plan names (landing.ts), that branch landed on the remote: its part of the
 * plan is written now, inside `git push`, so its output shows there. Anything else costs one file read.
 */
export async function referenceTransaction(ctx: Context, args: string[]): Promise<CommandResult> {
  const skip = (why: string): CommandResult => ({ data: { hook: 'reference-transaction', skipped: why } });
  if (args[0] !== 'committed') return skip('not committed');
  const project = await openProject(ctx.cwd, ctx.env);
  const landing = readLanding(project);
  if (!landing) {
    writeLanding(project, null);
    return skip('nothing kept');
  }
  // only the push that kept the plan lands it: a later fetch moving the same ref is no publication
  if (landing.gitPid && gitAncestorPid() !== landing.gitPid) return skip('another git process');
  const moved = (ctx.stdin ? await ctx.stdin() : '')
    .split('\n')
    .map((l) => l.trim().split(' '))
    .filter((f) => f.length === 3);
  const landed = landing.entries.filter((e) => moved.some(([, to, ref]) => ref === e.trackingRef && (e.sha ? to === e.sha : /^0+$/.test(to))));
  if (landed.length === 0) return skip('no kept branch landed');
  writeLanding(project, { ...landing, entries: landing.entries.filter((e) => !landed.includes(e)) });
  const config = await loadConfig(project);
  const outcomes = await publish(ctx, project, config, landed.flatMap((e) => e.actions), { landed: true });
  return { data: { hook: 'reference-transaction', landed: landed.map((e) => e.branch), outcomes } };
}
