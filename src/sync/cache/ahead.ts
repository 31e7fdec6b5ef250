import { Running } from '../../git/exec.js';
import type { Env } from '../../core/edge.js';
import { timeoutSeconds } from '../../core/timeout.js';
import { openCache, startFetch } from './cache.js';

/**
 * Fetches started ahead of the sync that will use them, by the hook that will run it: a push of code that
 * only pulls starts its fetch as soon as it knows the codex branch, so what is left to decide (and loading
 * the sync itself) runs while git fetches. Keyed by codex URL, branch and refs; taken once (engine.ts), when
 * the sync's end (its CODEX_HOOKS_TIMEOUT, Ctrl-C) ends it too. One nobody takes (the push stopped before its
 * sync) ends within CODEX_HOOKS_TIMEOUT of its start, so it never holds a hook longer than a sync would.
 */
interface Ahead {
  started: Promise<Running<string | null> | null>;
  stop: AbortController;
}
const ahead = new Map<string, Ahead>();
const keyOf = (url: string, branch: string, also: string[]) => JSON.stringify([url, branch, also]);

export function fetchAhead(url: string, env: Env, branch: string, also: string[] = []): void {
  const key = keyOf(url, branch, also);
  if (ahead.has(key)) return;
  const stop = new AbortController();
  const deadline = setTimeout(() => stop.abort(new Error('the fetch started ahead ran past CODEX_HOOKS_TIMEOUT')), timeoutSeconds(env) * 1000);
  deadline.unref();
  const started = (async () => {
    const fetch = startFetch(await openCache(url, env, stop.signal), branch, also);
    fetch.done.catch(() => {}).finally(() => clearTimeout(deadline)); // reported by the sync that takes it
    return fetch;
  })().catch(() => null); // the sync opens the cache itself, and says what is wrong
  ahead.set(key, { started, stop });
}

/** The fetch started ahead for this URL, branch and refs, if any, handed out once and bound to the taker's `signal`. */
export function takeFetchAhead(url: string, branch: string, also: string[], signal?: AbortSignal): Promise<Running<string | null> | null> | null {
  const key = keyOf(url, branch, also);
  const taken = ahead.get(key);
  ahead.delete(key);
  if (!taken) return null;
  if (signal?.aborted) taken.stop.abort(signal.reason);
  else signal?.addEventListener('abort', () => taken.stop.abort(signal.reason), { once: true });
  return taken.started;
}
