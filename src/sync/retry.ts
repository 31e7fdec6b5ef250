import type { Config } from '../config/normalize.js';
import { resolveEnvironment } from '../env/resolve.js';
import type { Project } from '../git/project.js';
import type { Logger } from '../ui/logger.js';
import { runSync } from './engine.js';
import { clearPending, keepPending, readPending, type PendingRequest } from './state.js';
import type { Direction } from './engine.js';

export interface RetryOutcome {
  env: string;
  commit: string;
  ok: boolean;
  message: string;
}

/**
 * Delivers the syncs kept from failed runs. A kept production request was explicit or confirmed when it
 * was made, so it is delivered as explicit: nobody is asked twice.
 */
export async function deliverPending(project: Project, config: Config, logger: Logger, only?: (r: PendingRequest) => boolean): Promise<RetryOutcome[]> {
  const outcomes: RetryOutcome[] = [];
  for (const request of readPending(project)) {
    if (only && !only(request)) continue;
    try {
      const decision = resolveEnvironment({ explicit: { flag: request.env }, branch: request.branch, config });
      const result = await runSync({
        project,
        config,
        decision,
        commit: request.commit,
        sourceBranch: request.branch,
        direction: request.direction as Direction,
        logger,
      });
      clearPending(project, request.env);
      const c = result.toCodex?.codexCommit;
      outcomes.push({ env: request.env, commit: request.commit, ok: true, message: `delivered ${request.commit.slice(0, 7)}${c ? ` → codex ${result.codexBranch} ${c.slice(0, 7)}` : ' (already up to date)'}` });
    } catch (error) {
      keepPending(project, { ...request, error: (error as Error).message });
      outcomes.push({ env: request.env, commit: request.commit, ok: false, message: `still failing: ${(error as Error).message.split('\n')[0]}` });
    }
  }
  return outcomes;
}
