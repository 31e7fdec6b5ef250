import { Running } from '../../git/exec.js';
import type { Env } from '../../core/edge.js';
import { openCache, startFetch } from './cache.js';

/**
 * Fetches started ahead of the sync that will use them, by the hook that will run it: a push of code that
 * only pulls starts its fetch as soon as it knows the codex branch, so what is left to decide (and loading
 * the sync itself) runs while git fetches. Keyed by codex URL, branch and refs; taken once (engine.ts).
 */
const ahead = new Map<string, Promise<Running<string | null> | null>>();
const keyOf = (url: string, branch: string, also: string[]) => JSON.stringify([url, branch, also]);

export function fetchAhead(url: string, env: Env, branch: string, also: string[] = []): void {
  const key = keyOf(url, branch, also);
  if (ahead.has(key)) return;
  const started = (async () => {
    const fetch = startFetch(await openCache(url, env), branch, also);
    fetch.done.catch(() => {}); // reported by the sync that takes it
    return fetch;
  })().catch(() => null); // the sync opens the cache itself, and says what is wrong
  ahead.set(key, started);
}

/** The fetch started ahead for this URL, branch and refs, if any: handed out once. */
export function takeFetchAhead(url: string, branch: string, also: string[]): Promise<Running<string | null> | null> | null {
  const key = keyOf(url, branch, also);
  const started = ahead.get(key) ?? null;
  ahead.delete(key);
  return started;
}
