import { NotACheckout, openCheckout } from '../sync/source.js';
import fs from 'node:fs';
import path from 'node:path';
import { CHAIN_LINE, CLIENT_HOOKS, HUSKY_DIR, HUSKY_HOOKS, HUSKY_WRAPPER, runHusky } from '../install/record.js';
import { msg } from '../core/messages.js';
import type { CommandResult, Context } from '../core/edge.js';

/**
 * What package.json's `prepare` runs (`codex-hooks prepare || true`, written by install): sets husky up in
 * this clone (core.hooksPath, `.husky/_`, both per clone and never committed) through the husky that
 * codex-hooks brings, so it works where the project's own `husky` is not on PATH (pnpm does not hoist it).
 * It never fails an install: a folder outside a git checkout (a package unpacked from a tarball) is
 * nothing to do; a problem husky reports is printed and the install goes on.
 */
export async function run(ctx: Context): Promise<CommandResult> {
  let project;
  try {
    project = await openCheckout(ctx.cwd, ctx.env);
  } catch (error) {
    if (!(error instanceof NotACheckout)) throw error;
    return { data: { prepared: false, reason: msg.prepareNoCheckout }, render: (log) => log.info(msg.prepareNoCheckout) };
  }
  const problem = await runHusky(project);
  // husky makes `.husky/_/<name>` for its own list only: a chained hook outside it (reference-transaction,
  // say) needs its own here too, in every clone (install wrote it in the first one).
  if (!problem) {
    const husky = path.join(project.root, HUSKY_DIR);
    for (const name of CLIENT_HOOKS.filter((n) => !HUSKY_HOOKS.includes(n))) {
      const wrapper = path.join(husky, '_', name);
      let text = '';
      try {
        text = fs.readFileSync(path.join(husky, name), 'utf8');
      } catch {
        continue;
      }
      if (text.includes(CHAIN_LINE) && !fs.existsSync(wrapper)) fs.writeFileSync(wrapper, HUSKY_WRAPPER, { mode: 0o755 });
    }
  }
  return {
    data: { prepared: problem === '', reason: problem || null },
    render: (log) => {
      if (problem) log.warn(msg.prepareSkipped(problem));
    },
  };
}
