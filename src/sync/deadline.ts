import { setMaxListeners } from 'node:events';
import { SyncError } from '../core/errors.js';
import { msg } from '../core/messages.js';
import type { Env } from '../core/edge.js';
import { timeoutSeconds } from '../core/timeout.js';

/**
 * Runs `work` within CODEX_HOOKS_TIMEOUT (design §4: a whole sync, not only each git process). When the time
 * is up, `signal` aborts — every git process started with it ends (its group too), no lock is waited for,
 * nothing more is written — and the returned promise rejects with a timeout SyncError.
 */
export async function withinTimeout<T>(env: Env, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const seconds = timeoutSeconds(env);
  const deadline = new AbortController();
  // every git process and lock of a sync (or of a batch's many projects) listens to it: no leak warning
  setMaxListeners(0, deadline.signal);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new SyncError('timeout', msg.syncTimedOut(seconds), msg.syncTimedOutHint);
      deadline.abort(error);
      reject(error);
    }, seconds * 1000);
  });
  expired.catch(() => {});
  const running = work(deadline.signal);
  running.catch(() => {});
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
  }
}
