import { SyncError, UsageError } from '../core/errors.js';
import type { Config } from '../config/normalize.js';
import { resolveEnvironment, type EnvironmentDecision } from '../environment/resolve.js';
import { needsYes } from '../environment/needs-yes.js';
import type { Project } from '../git/project.js';
import { msg } from '../core/messages.js';
import { runSync } from './engine.js';
import { clearPending, keepPending, pendingFile, readPending, type PendingRequest } from './state.js';
import type { SyncDirection } from '../config/defaults.js';
import type { Logger } from '../core/edge.js';

export interface RetryOutcome {
  env: string;
  commit: string;
  ok: boolean;
  message: string;
  /** Not delivered: it would write production and nobody said yes (exit 3 for `sync --retry`). */
  needsConfirmation?: boolean;
  /** A plain retry cannot fix it (held deletions, bad config): the message says what to run. */
  retryCannotFix?: boolean;
}

export interface RetryOptions {
  only?: (r: PendingRequest) => boolean;
  allowDeletions?: boolean;
  /**
   * Asked for a kept request that now writes production but was made for an assumed environment that
   * did not (its config changed since): yes delivers it. Without it such a request stays kept.
   */
  confirm?: (decision: EnvironmentDecision, request: PendingRequest) => Promise<boolean>;
}

/**
 * Delivers the syncs kept from failed runs. A request kept from an explicit or confirmed production sync
 * is delivered as explicit: nobody is asked twice. One kept from an assumed environment (`explicit`
 * false) never becomes a production write without a yes.
 */
export async function deliverPending(project: Project, config: Config, logger: Logger, options: RetryOptions = {}): Promise<RetryOutcome[]> {
  const outcomes: RetryOutcome[] = [];
  for (const request of readPending(project)) {
    if (options.only && !options.only(request)) continue;
    const base = { env: request.env, commit: request.commit };
    if (!Object.hasOwn(config.environments, request.env)) {
      // The config no longer has it: no retry can deliver this request.
      outcomes.push({ ...base, ok: false, retryCannotFix: true, message: msg.retryGoneEnv(request.env, config.filepath, pendingFile(project, request.env)) });
      continue;
    }
    try {
      const decision = resolveEnvironment({ explicit: { flag: request.env }, branch: request.branch, config });
      const asked = needsYes({ explicit: request.explicit, codexBranch: decision.codexBranch, prodBranch: config.environments.prod.branch, direction: request.direction });
      if (asked && !(options.confirm && (await options.confirm(decision, request)))) {
        outcomes.push({ ...base, ok: false, needsConfirmation: true, message: msg.retryNeedsYes(request.env, decision.codexBranch) });
        continue;
      }
      const result = await runSync({
        project,
        config,
        decision,
        commit: request.commit,
        sourceBranch: request.branch,
        direction: request.direction as SyncDirection,
        allowDeletions: options.allowDeletions,
        // a kept request is a push's: a branch origin no longer has was deleted since, and gets no layer
        onOrigin: true,
        logger,
      });
      clearPending(project, request.env);
      const c = result.toCodex?.codexCommit;
      outcomes.push({ ...base, ok: true, message: msg.retryDelivered(request.commit, result.codexBranch, c) });
    } catch (error) {
      const e = error as Error & { hint?: string };
      const held = error instanceof SyncError && error.kind === 'deletions';
      const bad = error instanceof UsageError;
      keepPending(project, { ...request, error: e.message, kind: error instanceof SyncError ? error.kind : bad ? 'usage' : undefined });
      const why = held ? msg.retryHeld : bad ? msg.retryBadInput(e.hint) : null;
      outcomes.push({ ...base, ok: false, retryCannotFix: !!why, message: msg.retryStillFailing(e.message, why) });
    }
  }
  return outcomes;
}
