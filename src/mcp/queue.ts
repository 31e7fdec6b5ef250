import pLimit from 'p-limit';
import { readerMsg } from '../core/messages.js';
import { ReaderError } from '../reader/reader.js';

/**
 * A bounded queue for calls that start a git process each (codex_search's grep): at most `running` at
 * once, at most `waiting` queued behind them; past that a call is an error result at once ("busy"), so a
 * client sending searches in a loop can neither exhaust file descriptors nor grow memory without end.
 */
export function boundedQueue(running: number, waiting: number): <T>(work: () => Promise<T>) => Promise<T> {
  const limit = pLimit(running);
  return (work) => {
    if (limit.pendingCount >= waiting) return Promise.reject(new ReaderError('busy', readerMsg.busy(running + waiting), readerMsg.busyHint));
    return limit(work);
  };
}
