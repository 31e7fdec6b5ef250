import { NeedsConfirmation, SyncError, UsageError } from '../core/errors.js';
import { requireCodexUrl, type Config } from '../config/normalize.js';
import { resolveEnvironment } from '../environment/resolve.js';
import { needsYes } from '../environment/needs-yes.js';
import { syncSource } from '../sync/source.js';
import type { Project } from '../git/project.js';
import { layeredEnvironments } from '../sync/layers/environments.js';
import { runSync } from '../sync/engine.js';
import type { SyncResult } from '../sync/options.js';
import { deliverPending } from '../sync/pending.js';
import { layerMsg, msg, summaryLine, syncWarnings } from '../core/messages.js';
import { clearPending } from '../sync/state.js';
import { explicitEnv, parseDirection, projectAndConfig, requireConfig } from './common.js';
import { single } from './context.js';
import type { CommandResult, Context, Logger, Values } from '../core/edge.js';
import { confirmProduction } from '../ui/confirm.js';

export async function run(ctx: Context, values: Values): Promise<CommandResult> {
  const explicit = explicitEnv(ctx, values);
  const { project, config } = await projectAndConfig(ctx);
  requireConfig(config);
  const direction = parseDirection(values.direction as string | undefined, config.sync_direction);

  if (values.retry) return retryKept(ctx, project, config, values);

  const ref = (values.ref as string | undefined) ?? 'HEAD';
  // CI checks out a detached HEAD: its branch is named (--branch, the CI's variables, or the one origin
  // branch at that commit), or no layer is written for it (design §6).
  const { commit, branch, source } = await syncSource(project, { ref: values.ref as string | undefined, named: values.branch as string | undefined, ci: ciBranch(ctx.env) });
  const decision = resolveEnvironment({ explicit, branch, config });
  if (branch === null && decision.mode === 'layer' && !values.mirror && direction !== 'from-codex') throw new UsageError(layerMsg.detachedLayer(decision.env), layerMsg.detachedLayerHint);
  const codexUrl = requireCodexUrl(config);
  const dryRun = Boolean(values['dry-run']);
  const writes = direction !== 'from-codex' && !dryRun;

  // Only a write to production needs a yes: a pull from it does not.
  if (needsYes({ ...decision, prodBranch: config.environments.prod.branch, direction, dryRun, yes: Boolean(values.yes) })) {
    const answer = await confirmProduction(ctx, { decision, branch: branch ?? ref, codexUrl, direction, verb: 'syncing' });
    if (answer === 'declined') throw new NeedsConfirmation(msg.declinedSync, msg.needsConfirmationHint);
    if (answer !== 'yes') throw new NeedsConfirmation(msg.needsConfirmationNoTty(answer), msg.needsConfirmationHint);
  }

  if (writes && decision.mode === 'mirror' && decision.env !== 'prod' && decision.codexBranch === config.environments.prod.branch) {
    ctx.logger.info(layerMsg.prodOnStaging(decision.env, decision.codexBranch));
  }
  const result = await runSync({
    project,
    config,
    decision,
    commit,
    sourceBranch: source,
    direction,
    dryRun,
    allowDeletions: Boolean(values['allow-deletions']),
    mirror: Boolean(values.mirror),
    logger: ctx.logger,
  }).catch((error) => {
    // The guard's way out is this very command, with --allow-deletions (design §4).
    if (error instanceof SyncError && error.kind === 'deletions') throw new SyncError('deletions', error.message, msg.deletionsHeldCommand(heldCommand(values)));
    throw error;
  });
  // This sync supersedes a kept request of the same environment (held deletions released included).
  if (writes) clearPending(project, decision.env);
  // A release of the production branch is the newest base of every layered environment (design §4).
  if (writes && decision.mode === 'mirror' && !values.mirror && config.prod_branches.includes(source)) await moveBases(ctx, project, config, commit, source);
  const warnings = syncWarnings(result, { syncPatterns: config.sync_patterns, configFile: config.filepath, branch: source });
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

/** `sync --retry`: the kept requests delivered again (design §4), a production one with a yes. */
async function retryKept(ctx: Context, project: Project, config: Config, values: Values): Promise<CommandResult> {
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
      if (outcomes.length === 0) log.info(msg.noKeptSyncs);
      for (const o of outcomes) (o.ok ? log.success : log.error)(msg.retryOutcome(o.env, o.message));
    },
  };
}

/** Moves the base of every layered environment to a released production commit; a failure is a warning. */
async function moveBases(ctx: Context, project: Project, config: Config, commit: string, source: string): Promise<void> {
  for (const l of layeredEnvironments(config)) {
    await runSync({ project, config, decision: l, commit, sourceBranch: source, direction: 'to-codex', logger: ctx.logger, layerEvent: { kind: 'base', branch: source, commit } }).then(
      (r) => r.toCodex?.codexCommit && ctx.logger.info(summaryLine(r, r)),
      (error: Error) => ctx.logger.warn(layerMsg.baseNotMoved(l.env, error.message.split('\n')[0])),
    );
  }
}

/** The sync command as it was given (the flags that change what it writes), for the deletion guard's hint. */
function heldCommand(values: Values): string {
  const out = ['sync'];
  const env = single(values, 'env');
  if (env) out.push('--env', env);
  for (const k of ['ref', 'branch', 'direction'] as const) if (typeof values[k] === 'string') out.push(`--${k}`, values[k] as string);
  if (values.mirror) out.push('--mirror');
  if (values.yes) out.push('--yes');
  out.push('--allow-deletions');
  return out.join(' ');
}

/** The branch a CI run builds, from its variables (GitHub Actions: the pull request's head, else a pushed branch). */
export function ciBranch(env: Context['env']): string | null {
  if (env.GITHUB_HEAD_REF) return env.GITHUB_HEAD_REF;
  if (env.GITHUB_REF_NAME && env.GITHUB_REF?.startsWith('refs/heads/')) return env.GITHUB_REF_NAME;
  return null;
}

export function renderSync(r: SyncResult, log: Logger): void {
  log.info(msg.syncHead(r.project, r.env, r.codexUrl, r.codexBranch, r.dryRun));
  const list = (label: string, items: string[]) => {
    if (items.length === 0) return;
    log.info(msg.syncListHead(label, items.length));
    for (const p of items.slice(0, 50)) log.info(msg.syncListItem(p));
    if (items.length > 50) log.info(msg.syncListMore(items.length - 50));
  };
  if (r.toCodex) {
    const t = r.toCodex;
    log.info(msg.toCodexCounts(t));
    if (r.dryRun) {
      list('add', t.added);
      list('change', t.changed);
      list('remove', t.removed);
    }
  }
  if (r.fromCodex) {
    const f = r.fromCodex;
    log.info(msg.fromCodexCounts(f));
    if (r.dryRun) {
      list('add', f.added);
      list('change', f.changed);
      list('remove', f.removed);
    }
  }
}
