import { NeedsConfirmation } from '../errors.js';
import { requireCodexUrl } from '../config/normalize.js';
import { resolveEnvironment } from '../env/resolve.js';
import { currentBranch, resolveCommit } from '../git/project.js';
import { runSync, type SyncResult } from '../sync/engine.js';
import { deliverPending } from '../sync/retry.js';
import { msg } from '../ui/messages.js';
import type { Logger } from '../ui/logger.js';
import { confirmProduction, explicitEnv, parseDirection, projectAndConfig, requireConfig } from './common.js';
import type { CommandResult, Context, Values } from './context.js';

export async function run(ctx: Context, values: Values): Promise<CommandResult> {
  const explicit = explicitEnv(ctx, values);
  const { project, config } = await projectAndConfig(ctx);
  requireConfig(config);
  const direction = parseDirection(values.direction as string | undefined, config.sync_direction);

  if (values.retry) {
    const outcomes = await deliverPending(project, config, ctx.logger);
    return {
      data: { retried: outcomes },
      exitCode: outcomes.some((o) => !o.ok) ? 1 : 0,
      render: (log) => {
        if (outcomes.length === 0) log.info('No kept syncs to retry.');
        for (const o of outcomes) (o.ok ? log.success : log.error)(`${o.env}: ${o.message}`);
      },
    };
  }

  const branch = await currentBranch(project);
  const decision = resolveEnvironment({ explicit, branch, config });
  const codexUrl = requireCodexUrl(config);
  const ref = (values.ref as string | undefined) ?? 'HEAD';
  const commit = await resolveCommit(project, ref);
  const dryRun = Boolean(values['dry-run']);

  if (decision.needsConfirmation && !dryRun && !values.yes) {
    const answer = await confirmProduction(ctx, { decision, branch: branch ?? ref, codexUrl, direction });
    if (answer === 'no-terminal') throw new NeedsConfirmation(msg.needsConfirmationNoTty, msg.needsConfirmationHint);
    if (answer === 'declined') throw new NeedsConfirmation('Production sync declined; nothing was written', msg.needsConfirmationHint);
  }

  const result = await runSync({
    project,
    config,
    decision,
    commit,
    sourceBranch: values.ref ? ref : (branch ?? 'HEAD'),
    direction,
    dryRun,
    allowDeletions: Boolean(values['allow-deletions']),
    logger: ctx.logger,
  });
  return { data: result, render: (log) => renderSync(result, log) };
}

export function renderSync(r: SyncResult, log: Logger): void {
  const head = `${r.project} [${r.env}] ↔ ${r.codexUrl} (branch ${r.codexBranch})${r.dryRun ? ' — dry run, nothing written' : ''}`;
  log.info(head);
  const list = (label: string, items: string[]) => {
    if (items.length === 0) return;
    log.info(`  ${label} (${items.length}):`);
    // A name with a line break or control character is shown quoted, as git does, so it stays one line.
    for (const p of items.slice(0, 50)) log.info(`    ${/[\x00-\x1f\x7f"]/.test(p) ? JSON.stringify(p) : p}`);
    if (items.length > 50) log.info(`    … ${items.length - 50} more`);
  };
  if (r.toCodex) {
    const t = r.toCodex;
    const n = t.added.length + t.changed.length + t.removed.length;
    log.info(`to codex: ${t.added.length} added, ${t.changed.length} changed, ${t.removed.length} removed${t.codexCommit ? ` → ${t.codexCommit.slice(0, 7)}` : n === 0 ? ' (up to date)' : ''}`);
    if (r.dryRun) {
      list('add', t.added);
      list('change', t.changed);
      list('remove', t.removed);
    }
    for (const s of t.skipped) log.warn(`skipped ${s.path} (${msg.skipReason[s.reason]})`);
  }
  if (r.fromCodex) {
    const f = r.fromCodex;
    log.info(`from codex: ${f.added.length} added, ${f.changed.length} changed, ${f.removed.length} removed`);
    if (r.dryRun) {
      list('add', f.added);
      list('change', f.changed);
      list('remove', f.removed);
    }
  }
}
