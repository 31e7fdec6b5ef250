import { UsageError } from '../errors.js';
import { loadConfig } from '../config/load.js';
import { resolveEnvironment, branchOfRef, type EnvDecision } from '../env/resolve.js';
import { openProject, resolveCommit, type Project } from '../git/project.js';
import { clearPending, keepPending, readPending } from '../sync/state.js';
import { msg, summaryLine, syncWarnings } from '../ui/messages.js';
import type { CommandResult, Context } from '../ui/context.js';
import { confirmProduction } from '../ui/context.js';
import { isDeletion, parseRefLines, type RefUpdate } from './refs.js';
import { alreadySynced } from './up-to-date.js';
import { reportBackground } from './background.js';

/**
 * What `codex-hooks sync --ref` needs to sync the pushed commit after the push: nothing when it is
 * HEAD (the usual `git push` of the current branch), else the local branch that was pushed, else its sha.
 */
async function releaseRef(project: Project, update: RefUpdate): Promise<string | undefined> {
  if ((await resolveCommit(project, 'HEAD').catch(() => null)) === update.localSha) return undefined;
  const local = branchOfRef(update.localRef);
  if (local && (await resolveCommit(project, local).catch(() => null)) === update.localSha) return local;
  return update.localSha.slice(0, 12);
}

/**
 * pre-push (SPEC §6): reads every ref line first, skips deletions and tags, and syncs each distinct
 * environment once, from the pushed commit. Only bad input (an unknown CODEX_ENV) or
 * `hooks.on_failure: block` stops the push.
 */
export async function prePush(ctx: Context): Promise<CommandResult> {
  const updates = parseRefLines(ctx.stdin ? await ctx.stdin() : '');
  const log = ctx.logger;
  const project = await openProject(ctx.cwd, ctx.env);
  const config = await loadConfig(project);
  const done = (data: object): CommandResult => ({ data: { hook: 'pre-push', ...data } });
  if (!config.filepath) {
    log.info(msg.noConfig);
    return done({ skipped: 'no config' });
  }
  if (config.hooks.pre_push === 'off') return done({ skipped: 'pre_push off' });
  reportBackground(project, log);

  const groups = new Map<string, { decision: EnvDecision; update: RefUpdate; branch: string }>();
  for (const update of updates) {
    const branch = branchOfRef(update.remoteRef);
    if (isDeletion(update) || branch === null) continue;
    const decision = resolveEnvironment({ explicit: { envVar: ctx.codexEnv }, branch, config });
    if (!groups.has(decision.env)) groups.set(decision.env, { decision, update, branch });
  }
  if (groups.size > 0 && !config.codexUrl) {
    if (ctx.codexEnv) throw new UsageError(msg.noCodexConfigured(config.filepath), msg.setCodexHint);
    log.warn(msg.hookNoCodex(config.filepath));
    return done({ skipped: 'no codex_url' });
  }

  const outcomes: object[] = [];
  for (const [env, { decision, update, branch }] of groups) {
    const known = await alreadySynced(project, config, decision, update.localSha, branch);
    if (known.matchedNothing) log.warn(msg.matchedNothing(config.sync_patterns, config.filepath));
    let direction = config.sync_direction;
    if (known.upToDate) {
      clearPending(project, env); // this push supersedes a kept request of the same environment
      if (direction === 'to-codex') {
        log.info(summaryLine({ project: config.projectName, env, codexBranch: decision.codexBranch }));
        outcomes.push({ env, status: 'up-to-date' });
        continue;
      }
      direction = 'from-codex'; // our docs are there; shared docs still arrive (SPEC §6), one fetch
    } else if (decision.needsConfirmation && direction !== 'from-codex') {
      // Only a write to production needs a yes; pulling from it does not.
      const answer = await confirmProduction(ctx, { decision, branch, codexUrl: config.codexUrl!, direction, verb: 'pushing' });
      if (answer !== 'yes') {
        log.warn(msg.productionSkipped(branch, answer, msg.releaseCommand(await releaseRef(project, update))));
        outcomes.push({ env, status: answer });
        if (direction === 'to-codex') continue;
        direction = 'from-codex';
      }
    }
    const pullOnly = direction === 'from-codex' && config.sync_direction !== 'from-codex';
    try {
      const { runSync } = await import('../sync/engine.js'); // only when there is something to sync
      const r = await runSync({ project, config, decision, commit: update.localSha, entries: known.entries, sourceBranch: branch, direction, logger: log });
      if (!pullOnly) clearPending(project, env);
      if (!pullOnly || known.upToDate) log.info(summaryLine(r, r));
      else log.info(msg.pulledOnly(config.projectName, env, decision.codexBranch, r.fromCodex));
      for (const w of syncWarnings(r, { syncPatterns: config.sync_patterns, configFile: config.filepath })) log.warn(w);
      if (!pullOnly || known.upToDate) outcomes.push({ env, status: known.upToDate ? 'up-to-date' : 'synced', codexCommit: r.toCodex?.codexCommit ?? null });
    } catch (error) {
      // A failed pull alone never blocks a push: nothing of the push's own is lost.
      if (error instanceof UsageError || (config.hooks.on_failure === 'block' && !pullOnly)) throw error;
      const e = error as Error & { hint?: string; kind?: string };
      if (pullOnly) {
        // Nothing to write was lost: a kept request would only replace one that writes.
        log.warn(msg.pullOnlyFailed(decision.codexBranch, e.message.split('\n').join(' ')));
        outcomes.push({ env, status: 'pull-failed', error: e.message });
        continue;
      }
      keepPending(project, { env, explicit: decision.explicit || decision.needsConfirmation, commit: update.localSha, branch, direction, error: e.message, kind: e.kind });
      log.warn(msg.pushSyncFailed(decision.codexBranch, e.message, e.hint, e.kind === 'deletions' ? msg.keptHeld(env) : e.kind === 'refused' ? msg.keptRefused(env) : msg.kept(env)));
      outcomes.push({ env, status: 'failed', error: e.message });
    }
  }
  // Kept requests of environments this push does not touch are delivered now too.
  const others = readPending(project).filter((r) => !groups.has(r.env));
  if (others.length) {
    const { deliverPending } = await import('../sync/retry.js');
    for (const o of await deliverPending(project, config, log, { only: (r) => !groups.has(r.env) })) {
      (o.ok ? log.info : log.warn)(msg.keptOutcome(o.env, o.message));
    }
  }
  return done({ outcomes });
}
