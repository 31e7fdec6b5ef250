import { UsageError } from '../core/errors.js';
import { loadConfig } from '../config/load.js';
import { codexGitEnv } from '../config/token.js';
import type { Config } from '../config/normalize.js';
import { branchOfRef } from '../environment/resolve.js';
import { gitVersionAtLeast } from '../git/exec.js';
import { openProject, resolveCommit, type Project } from '../git/project.js';
import { readPending } from '../sync/state.js';
import { layerMsg, msg } from '../core/messages.js';
import { confirmProduction } from '../ui/confirm.js';
import { parseRefLines, type RefUpdate } from './refs.js';
import { alreadySynced } from './up-to-date.js';
import { reportBackground } from './background.js';
import { asksProduction, mayBeUpToDate, planPush, publishDirection, splitByLanding } from './push-plan.js';
import { publish, type Known, type PlannedAction } from './publish.js';
import { gitAncestorPid, trackingRefs, writeLanding } from './landing.js';
import { ensureReferenceTransaction } from '../install/reference-transaction.js';
import type { CommandResult, Context } from '../core/edge.js';

/**
 * What `codex-hooks sync --ref` needs to sync the pushed commit after the push: nothing when it is
 * HEAD (the usual `git push` of the current branch), else the local branch that was pushed, else its sha.
 */
async function releaseRef(project: Project, update: Pick<RefUpdate, 'localRef' | 'localSha'>): Promise<string | undefined> {
  if ((await resolveCommit(project, 'HEAD').catch(() => null)) === update.localSha) return undefined;
  const local = branchOfRef(update.localRef);
  if (local && (await resolveCommit(project, local).catch(() => null)) === update.localSha) return local;
  return update.localSha.slice(0, 12);
}

/**
 * pre-push (design §6): reads every ref line first, decides what each pushed branch asks of the codex and
 * asks the production question, but writes nothing: the codex is written once the push has landed
 * (landing.ts), so a push refused by the remote, or by a check after this one, publishes nothing. A push
 * to a URL (no remote-tracking ref to tell that it landed) is written here, before it lands.
 * Only bad input (an unknown CODEX_ENV, a release of no production branch) or `hooks.on_failure: block`
 * stops the push.
 */
export async function prePush(ctx: Context, args: string[] = []): Promise<CommandResult> {
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

  const plan = planPush(updates, config, ctx.namedEnvironment);
  if (plan.updates.length > 0 && !config.codexUrl) {
    if (ctx.namedEnvironment) throw new UsageError(msg.noCodexConfigured(config.filepath), msg.setCodexHint);
    log.warn(msg.hookNoCodex(config.filepath));
    return done({ skipped: 'no codex_url' });
  }

  // Whether each pushed commit's docs are already on the codex: asked once here, used by the question, the
  // landing decision and the write (publish).
  const known: Known = new Map();
  const synced = async (a: PlannedAction) => {
    if (!mayBeUpToDate(a)) return null;
    if (!known.has(a)) known.set(a, await alreadySynced(project, config, a.decision, a.commit, a.branch));
    return known.get(a)!;
  };

  // The production question is asked now, on the terminal, before git sends anything.
  for (const { update, actions } of plan.updates) {
    for (const a of actions as PlannedAction[]) {
      if (!asksProduction(a, config.sync_direction)) continue;
      if ((await synced(a))?.upToDate) continue;
      a.answer = await confirmProduction(ctx, { decision: a.decision, branch: a.branch, codexUrl: config.codexUrl!, direction: config.sync_direction, verb: 'pushing' });
      if (a.answer !== 'yes') log.warn(msg.productionSkipped(a.branch, a.answer, msg.releaseCommand(await releaseRef(project, update))));
    }
  }

  // Nothing new to write (the usual push of code): nothing waits for the landing (a pull of shared docs, if any,
  // is no publication), and no git process runs to find out how the landing would be seen.
  const actions = plan.updates.flatMap((u) => u.actions);
  let nothingNew = actions.every((a) => a.kind === 'layer' || a.kind === 'mirror');
  for (const a of actions) if (nothingNew) nothingNew = !!(await synced(a))?.upToDate;
  if (nothingNew) await fetchPullsAhead(project, config, actions);
  const remote = nothingNew ? undefined : args[0];
  const tracking = remote && (await gitVersionAtLeast(project.env, 2, 28)) ? await trackingRefs(project, remote) : null;
  const { later, now, unseen } = splitByLanding(plan.updates, tracking);
  // git will not say when these branches land (a URL, or a clone whose fetch refspec leaves them out)
  if (remote) for (const branch of unseen) log.info(layerMsg.beforeLanding(branch, remote, !!tracking));
  if (config.hooks.on_failure === 'block') {
    // The push may be stopped only now: what would be written is tried (fetched and planned, nothing written).
    await publish(ctx, project, config, [...later.flatMap((e) => e.actions), ...now], { dryRun: true, known });
  }
  if (later.length && (await ensureReferenceTransaction(project)) === 'foreign') now.unshift(...later.splice(0).flatMap((e) => e.actions));
  writeLanding(project, later.length ? { time: new Date().toISOString(), remote: remote!, gitPid: gitAncestorPid(), entries: later } : null);
  const outcomes = now.length ? await publish(ctx, project, config, now, { known }) : [];

  // Kept requests of environments this push does not touch are delivered now too.
  const touched = new Set(plan.updates.flatMap((u) => u.actions.map((a) => a.decision.env)));
  if (readPending(project).some((r) => !touched.has(r.env))) {
    const { deliverPending } = await import('../sync/pending.js');
    for (const o of await deliverPending(project, config, log, { only: (r) => !touched.has(r.env) })) {
      (o.ok ? log.info : log.warn)(msg.keptOutcome(o.env, o.message));
    }
  }
  return done({ outcomes, deferred: later.map((e) => e.branch) });
}

/**
 * A push of code that pulls shared docs (the usual push): the codex fetch of each pull starts now, and what
 * is left to decide runs while git fetches (the sync takes the fetch: sync/cache/ahead.ts).
 */
async function fetchPullsAhead(project: Project, config: Config, actions: PlannedAction[]): Promise<void> {
  const pulling = actions.filter((a) => publishDirection(a, config.sync_direction, true) === 'from-codex');
  if (!pulling.length || !config.codexUrl) return;
  const { fetchAhead } = await import('../sync/cache/ahead.js');
  const env = await codexGitEnv(project.env, config);
  for (const a of pulling) fetchAhead(config.codexUrl, env, a.decision.codexBranch); // a pull alone fetches no layer state
}
