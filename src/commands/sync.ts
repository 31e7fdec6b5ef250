import { NeedsConfirmation } from '../errors.js';
import { requireCodexUrl } from '../config/normalize.js';
import { resolveEnvironment } from '../env/resolve.js';
import { currentBranch, isLocalBranch, resolveCommit, type Project } from '../git/project.js';
import { runSync, type SyncResult } from '../sync/engine.js';
import { deliverPending } from '../sync/retry.js';
import { msg, syncWarnings } from '../ui/messages.js';
import { clearPending } from '../sync/state.js';
import type { Logger } from '../ui/logger.js';
import { confirmProduction, explicitEnv, parseDirection, projectAndConfig, requireConfig } from './common.js';
import type { CommandResult, Context, Values } from './context.js';

export async function run(ctx: Context, values: Values): Promise<CommandResult> {
  const explicit = explicitEnv(ctx, values);
  const { project, config } = await projectAndConfig(ctx);
  requireConfig(config);
  const direction = parseDirection(values.direction as string | undefined, config.sync_direction);

  if (values.retry) {
    const outcomes = await deliverPending(project, config, ctx.logger, {
      allowDeletions: Boolean(values['allow-deletions']),
      confirm: async (decision, request) =>
        Boolean(values.yes) || (await confirmProduction(ctx, { decision, branch: request.branch, codexUrl: requireCodexUrl(config), direction: request.direction, verb: 'syncing' })) === 'yes',
    });
    const failed = outcomes.filter((o) => !o.ok);
    return {
      data: { ok: failed.length === 0, retried: outcomes },
      exitCode: failed.length === 0 ? 0 : failed.every((o) => o.needsConfirmation) ? 3 : 1,
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

  // Only a write to production needs a yes: a pull from it does not.
  if (decision.needsConfirmation && direction !== 'from-codex' && !dryRun && !values.yes) {
    const answer = await confirmProduction(ctx, { decision, branch: branch ?? ref, codexUrl, direction, verb: 'syncing' });
    if (answer === 'declined') throw new NeedsConfirmation(msg.declinedSync, msg.needsConfirmationHint);
    if (answer !== 'yes') throw new NeedsConfirmation(msg.needsConfirmationNoTty(answer), msg.needsConfirmationHint);
  }

  const result = await runSync({
    project,
    config,
    decision,
    commit,
    sourceBranch: await sourceBranchOf(project, values.ref as string | undefined, branch),
    direction,
    dryRun,
    allowDeletions: Boolean(values['allow-deletions']),
    mirror: Boolean(values.mirror),
    logger: ctx.logger,
  });
  // This sync supersedes a kept request of the same environment (held deletions released included).
  if (!dryRun && direction !== 'from-codex') clearPending(project, decision.env);
  const warnings = syncWarnings(result, { syncPatterns: config.sync_patterns, configFile: config.filepath });
  // Warnings go to stderr whatever the output mode: --json never hides them.
  if (ctx.json) for (const w of warnings) ctx.logger.warn(w);
  return {
    data: result,
    render: (log) => {
      renderSync(result, log);
      for (const w of warnings) log.warn(w);
    },
  };
}

/**
 * The branch a sync is from (trailers, and a layer sync's base): `--ref` when it names a local branch,
 * else the current branch (an older commit of it), else the ref as given.
 */
async function sourceBranchOf(project: Project, ref: string | undefined, current: string | null): Promise<string> {
  if (ref === undefined) return current ?? 'HEAD';
  const name = ref.replace(/^refs\/heads\//, '');
  if (await isLocalBranch(project, name)) return name;
  return current ?? ref;
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
