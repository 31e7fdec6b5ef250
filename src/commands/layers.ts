import { UsageError } from '../core/errors.js';
import { resolveEnvironment, type EnvironmentDecision } from '../environment/resolve.js';
import { headCommit } from '../sync/source.js';
import { runSync } from '../sync/engine.js';
import type { LayersReport, SyncResult } from '../sync/options.js';
import { layerMsg } from '../core/messages.js';
import { explicitEnv, projectAndConfig, requireConfig } from './common.js';
import type { CommandResult, Context, Logger, Values } from '../core/edge.js';

/**
 * `codex-hooks layers [--env E]`: what a layered environment is made of (design §4) — its base, each live
 * layer, overlaps and stale layers (deleted or merged, settled by the next write); `layers drop <branch>`
 * and `layers prune` change it. Read from the fetched codex, so every clone sees the same.
 */
export async function run(ctx: Context, values: Values, positionals: string[]): Promise<CommandResult> {
  const [verb, ...rest] = positionals;
  if (verb !== undefined && verb !== 'drop' && verb !== 'prune') throw new UsageError(layerMsg.usage(verb), layerMsg.usageHint);
  if (verb === 'drop' && rest.length === 0) throw new UsageError(layerMsg.dropNeedsBranch, layerMsg.usageHint);
  if (verb !== 'drop' && rest.length) throw new UsageError(layerMsg.usage(rest[0]), layerMsg.usageHint);
  const { project, config } = await projectAndConfig(ctx);
  requireConfig(config);
  const explicit = explicitEnv(ctx, values);
  const decision: EnvironmentDecision =
    explicit.flag !== undefined || explicit.envVar
      ? resolveEnvironment({ explicit, branch: null, config })
      : resolveEnvironment({ explicit: { flag: config.default_environment }, branch: null, config });
  if (decision.mode !== 'layer') throw new UsageError(layerMsg.notLayered(decision.env, decision.codexBranch), layerMsg.notLayeredHint(config));
  const dryRun = verb === undefined || Boolean(values['dry-run']);
  const commit = await headCommit(project).catch(() => '');
  const result = await runSync({
    project,
    config,
    decision,
    commit,
    sourceBranch: config.prod_branches[0] ?? 'main',
    direction: 'to-codex',
    dryRun,
    logger: ctx.logger,
    layerEvent: verb === 'drop' ? { kind: 'drop', branches: rest, why: 'dropped by hand' } : { kind: 'reconcile' },
  });
  const layers = result.toCodex!.layers!;
  const data = { env: decision.env, codexBranch: decision.codexBranch, verb: verb ?? 'show', dryRun, ...layers, codexCommit: result.toCodex!.codexCommit, changed: result.toCodex!.added.length + result.toCodex!.changed.length + result.toCodex!.removed.length };
  return { data, render: (log) => render(verb, result, layers, log) };
}

function render(verb: string | undefined, r: SyncResult, l: LayersReport, log: Logger): void {
  log.info(layerMsg.head(r.project, r.env, r.codexBranch));
  log.info(l.base ? layerMsg.base(l.base.branch, l.base.commit, l.base.time) : layerMsg.noBase);
  if (l.live.length === 0 && l.dropped.length === 0) log.info(layerMsg.noLayers);
  for (const x of l.live) log.info(layerMsg.live(x.branch, x.tip, x.author, x.time, x.files, x.docs ?? []));
  for (const o of l.overlaps) log.info(layerMsg.overlapRow(o.path, o.branches, o.shown));
  const stale = verb === undefined;
  for (const d of l.dropped) (stale ? log.warn : log.info)(stale ? layerMsg.stale(d.branch, d.why) : layerMsg.dropped(d.branch, d.why));
  if (l.origin && l.origin !== 'no remote named origin') log.warn(layerMsg.originUnknown(l.origin));
  if (stale && l.dropped.length) log.info(layerMsg.pruneHint);
  if (verb !== undefined) {
    const t = r.toCodex!;
    log.info(r.dryRun ? layerMsg.wouldChange(t.added.length + t.changed.length + t.removed.length) : t.codexCommit ? layerMsg.written(r.codexBranch, t.codexCommit) : layerMsg.nothingWritten);
  }
}
