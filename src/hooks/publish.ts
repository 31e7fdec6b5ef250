import { UsageError } from '../core/errors.js';
import type { Config } from '../config/normalize.js';
import type { Project } from '../git/project.js';
import { clearPending, keepPending } from '../sync/state.js';
import { layerMsg, msg, summaryLine, syncWarnings } from '../core/messages.js';
import { mayBeUpToDate, publishDirection, type PushAction } from './push-plan.js';
import { alreadySynced } from './up-to-date.js';
import type { Context } from '../core/edge.js';

/** A production question's answer, asked in pre-push and carried to the write. */
export type Answer = 'yes' | 'declined' | 'no-terminal' | 'ci';
export type PlannedAction = PushAction & { answer?: Answer };
/** What pre-push already found of an action's commit (up-to-date.ts), so it is not asked again. */
export type Known = Map<PlannedAction, Awaited<ReturnType<typeof alreadySynced>>>;

/**
 * Writes what a landed push asks of the codex (design §6): each action one sync, in order. A failure is
 * kept for retry and never stops the others; `dryRun` (the preflight of `hooks.on_failure: block`) writes
 * nothing and throws the first failure.
 */
export async function publish(ctx: Context, project: Project, config: Config, actions: PlannedAction[], o: { dryRun?: boolean; landed?: boolean; known?: Known } = {}): Promise<object[]> {
  const log = ctx.logger;
  const outcomes: object[] = [];
  for (const a of actions) {
    const { env, codexBranch } = a.decision;
    // declined: shared docs still arrive from it, unless only to-codex was asked
    if (!publishDirection(a, config.sync_direction, false)) continue;
    const commit = a.kind === 'drop' ? null : a.commit;
    let upToDate = false;
    let entries;
    if (commit && mayBeUpToDate(a)) {
      const known = o.known?.get(a) ?? (await alreadySynced(project, config, a.decision, commit, a.branch));
      if (known.matchedNothing && a.primary) log.warn(msg.matchedNothing(config.sync_patterns, config.filepath));
      upToDate = known.upToDate;
      entries = known.entries;
      if (upToDate && !o.dryRun) clearPending(project, env);
    }
    const direction = publishDirection(a, config.sync_direction, upToDate);
    if (!direction) {
      // up to date, and nothing to pull
      if (a.primary) log.info(summaryLine({ project: config.projectName, env, codexBranch }));
      outcomes.push({ env, branch: a.branch, status: 'up-to-date' });
      continue;
    }
    const pullOnly = direction === 'from-codex' && config.sync_direction !== 'from-codex';
    // The preflight weighs writes only: a pull that fails never stops a push.
    if (o.dryRun && direction === 'from-codex') continue;
    if (a.kind === 'mirror' && a.decision.env !== 'prod' && !a.decision.needsConfirmation && direction !== 'from-codex') log.info(layerMsg.prodOnStaging(env, codexBranch));
    try {
      const { runSync } = await import('../sync/engine.js'); // only when there is something to sync
      const r = await runSync({
        project,
        config,
        decision: a.decision,
        commit: commit ?? '',
        entries,
        sourceBranch: a.branch,
        direction,
        dryRun: o.dryRun,
        onOrigin: o.landed,
        logger: log,
        layerEvent: a.kind === 'drop' ? { kind: 'drop', branches: [a.branch], why: 'deleted' } : a.kind === 'base' ? { kind: 'base', branch: a.branch, commit: a.commit } : undefined,
      });
      if (o.dryRun) continue;
      if (!pullOnly && a.kind !== 'drop') clearPending(project, env);
      if (a.primary || r.toCodex?.codexCommit) {
        if (!pullOnly || upToDate) log.info(summaryLine(r, r));
        else log.info(msg.pulledOnly(config.projectName, env, codexBranch, r.fromCodex));
      }
      for (const w of syncWarnings(r, { syncPatterns: config.sync_patterns, configFile: config.filepath, branch: a.branch })) log.warn(w);
      outcomes.push({ env, branch: a.branch, kind: a.kind, status: upToDate ? 'up-to-date' : 'synced', codexCommit: r.toCodex?.codexCommit ?? null });
    } catch (error) {
      if (o.dryRun || error instanceof UsageError) throw error;
      const e = error as Error & { hint?: string; kind?: string };
      if (pullOnly || a.kind === 'drop' || a.kind === 'base') {
        // Nothing of the push's own is lost: a later sync settles the layers from origin again.
        log.warn(pullOnly ? msg.pullOnlyFailed(codexBranch, e.message.split('\n').join(' ')) : msg.pushSyncFailed(codexBranch, e.message, e.hint, ''));
        outcomes.push({ env, branch: a.branch, status: pullOnly ? 'pull-failed' : 'failed', error: e.message });
        continue;
      }
      keepPending(project, { env, explicit: a.decision.explicit || a.decision.needsConfirmation, commit: a.commit, branch: a.branch, direction, error: e.message, kind: e.kind });
      log.warn(msg.pushSyncFailed(codexBranch, e.message, e.hint, e.kind === 'deletions' ? msg.keptHeld(env) : e.kind === 'refused' ? msg.keptRefused(env) : msg.kept(env)));
      outcomes.push({ env, branch: a.branch, status: 'failed', error: e.message });
    }
  }
  return outcomes;
}
