import type { SyncDirection } from '../config/defaults.js';
import { UsageError } from '../core/errors.js';
import type { Config } from '../config/normalize.js';
import { branchOfRef, resolveEnvironment, type EnvironmentDecision } from '../environment/resolve.js';
import { unanswered } from '../environment/needs-yes.js';
import { msg } from '../core/messages.js';
import { isDeletion, type RefUpdate } from './refs.js';
import { layeredEnvironments } from '../sync/layers/environments.js';

/**
 * What one push asks of the codex (design §6), decided before anything is written. Pure: from git's ref
 * lines, the config and CODEX_ENV. Every pushed branch counts:
 * - a feature branch → its layer on its environment's codex branch (or, for an environment on production's
 *   codex branch, a mirror of it, which needs a yes unless named);
 * - a production branch → the base of every layered environment moves (silently), and production is
 *   released with a yes or an explicit environment;
 * - a deleted branch → its layer is dropped from every layered environment.
 * An explicit environment on production's codex branch applies only to a production branch being pushed.
 */
export type PushAction =
  | { kind: 'layer'; decision: EnvironmentDecision; branch: string; commit: string; primary: boolean; created?: boolean }
  | { kind: 'base'; decision: EnvironmentDecision; branch: string; commit: string; primary: boolean }
  | { kind: 'mirror'; decision: EnvironmentDecision; branch: string; commit: string; primary: boolean; localRef: string }
  | { kind: 'drop'; decision: EnvironmentDecision; branch: string; primary: false };

export interface PushPlan {
  /** Per pushed branch (the remote ref git updates), what to do once it lands. */
  updates: Array<{ update: RefUpdate; branch: string; actions: PushAction[] }>;
}

type PlanConfig = Pick<Config, 'prod_branches' | 'branch_environments' | 'default_environment' | 'filepath' | 'environments' | 'sync_direction'>;

/** The push makes the branch on the remote (it did not have it, or a teammate deleted it). */
const isCreation = (update: RefUpdate) => /^0+$/.test(update.remoteSha);

/**
 * Whether the clone's record of its last sync may say an action's docs are on the codex already (and spare
 * the network): a mirror's, and a layer's unless the push makes its branch on the remote — a branch a
 * teammate deleted took its layer with it, whatever this clone last synced.
 */
export const mayBeUpToDate = <A extends PushAction>(a: A): a is A & Extract<PushAction, { kind: 'layer' | 'mirror' }> => a.kind === 'mirror' || (a.kind === 'layer' && !a.created);

export function planPush(updates: RefUpdate[], config: PlanConfig, namedEnvironment: string | undefined): PushPlan {
  const prodBranch = config.environments.prod.branch;
  const explicitDecision = namedEnvironment ? resolveEnvironment({ explicit: { envVar: namedEnvironment }, branch: null, config }) : null;
  const explicitIsRelease = explicitDecision?.codexBranch === prodBranch;
  const layered = layeredEnvironments(config);
  const out: PushPlan = { updates: [] };
  const branches = updates.map((u) => ({ update: u, branch: branchOfRef(u.remoteRef) })).filter((u): u is { update: RefUpdate; branch: string } => u.branch !== null);
  const pushed = branches.filter((b) => !isDeletion(b.update)).map((b) => b.branch);
  if (explicitIsRelease && pushed.length > 0 && !pushed.some((b) => config.prod_branches.includes(b))) {
    throw new UsageError(msg.explicitNoRelease(namedEnvironment!, config.prod_branches, pushed), msg.explicitNoReleaseHint(namedEnvironment!, pushed[0]));
  }
  for (const { update, branch } of branches) {
    const actions: PushAction[] = [];
    if (isDeletion(update)) {
      if (!config.prod_branches.includes(branch)) for (const decision of layered) actions.push({ kind: 'drop', decision, branch, primary: false });
    } else if (config.prod_branches.includes(branch)) {
      const decision = explicitDecision ?? resolveEnvironment({ explicit: {}, branch, config });
      if (decision.mode === 'mirror') actions.push({ kind: 'mirror', decision, branch, commit: update.localSha, primary: true, localRef: update.localRef });
      // the base moves on every layered environment; the primary one is the environment named, if layered
      for (const l of layered) {
        const primary = decision.mode === 'layer' && decision.codexBranch === l.codexBranch;
        actions.push({ kind: 'base', decision: primary ? decision : l, branch, commit: update.localSha, primary });
      }
    } else {
      const decision = explicitDecision && !explicitIsRelease ? explicitDecision : resolveEnvironment({ explicit: {}, branch, config });
      if (decision.mode === 'layer') actions.push({ kind: 'layer', decision, branch, commit: update.localSha, primary: true, ...(isCreation(update) ? { created: true } : {}) });
      else actions.push({ kind: 'mirror', decision, branch, commit: update.localSha, primary: true, localRef: update.localRef });
    }
    if (actions.length) out.updates.push({ update, branch, actions });
  }
  return out;
}


/** Whether pre-push asks the production question for an action (unless its commit is on the codex already). */
export function asksProduction(a: PushAction, syncDirection: SyncDirection): boolean {
  return a.kind === 'mirror' && a.decision.needsConfirmation && unanswered({ direction: syncDirection });
}

/**
 * The direction of one action's sync once the push has landed (design §6), or null when there is nothing to
 * sync: a drop, and what a push asks of an environment it is not primarily for, only write; a production
 * release not answered yes, and a commit whose docs are on the codex already, only pull shared docs (so
 * nothing at all with `sync_direction: to-codex`).
 */
export function publishDirection(a: Pick<PushAction, 'kind' | 'primary' | 'decision'> & { answer?: string }, syncDirection: SyncDirection, upToDate: boolean): SyncDirection | null {
  const direction = a.kind === 'drop' || !a.primary ? 'to-codex' : syncDirection;
  const declined = a.kind === 'mirror' && a.decision.needsConfirmation && unanswered({ yes: a.answer === 'yes' });
  if (declined || upToDate) return direction === 'to-codex' ? null : 'from-codex';
  return direction;
}

/**
 * Which pushed branches are written once they land (git says so through their remote-tracking ref) and which
 * now (`unseen`: a push to a URL, or a branch the clone's fetch refspec leaves out). `tracking` is null when
 * the landing cannot be seen at all (nothing new to write, or a git older than 2.28).
 */
export function splitByLanding(
  updates: PushPlan['updates'],
  tracking: ((branch: string) => string | null | undefined) | null,
): { later: Array<{ trackingRef: string; branch: string; sha: string | null; actions: PushAction[] }>; now: PushAction[]; unseen: string[] } {
  const out: ReturnType<typeof splitByLanding> = { later: [], now: [], unseen: [] };
  for (const u of updates) {
    const ref = tracking?.(u.branch);
    if (ref) out.later.push({ trackingRef: ref, branch: u.branch, sha: isDeletion(u.update) ? null : u.update.localSha, actions: u.actions });
    else {
      out.now.push(...u.actions);
      out.unseen.push(u.branch);
    }
  }
  return out;
}
