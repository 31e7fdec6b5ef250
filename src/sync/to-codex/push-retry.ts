import { setTimeout as sleep } from 'node:timers/promises';
import type { PushOutcome } from '../cache/cache.js';
import type { Refusal } from '../cache/remote.js';

/** Pushes rejected because the codex branch moved before a sync gives up ("kept moving"). */
export const MAX_ATTEMPTS = 30;
/** Full jitter: concurrent projects that collided once spread out instead of colliding again. */
const backoff = (attempt: number) => Math.random() * Math.min(2000, 50 * 2 ** attempt);

/** What a push loop is made of; `B` is what one build wrote to be pushed (a commit, a chain, a folder and its state). */
export interface PushRetry<B> {
  /** The fetched tip of the codex branch: the first build's. */
  tip: string;
  /** Builds on `tip` what is to be pushed; null when nothing is (the loop ends there, with nothing landed). */
  build: (tip: string) => Promise<B | null>;
  /** Pushes a build, without force. */
  push: (built: B) => Promise<PushOutcome>;
  /** Fetches the codex branch again, after a push it moved under: its new tip. */
  fetchTip: () => Promise<string>;
  /** The error thrown when the server refused the push (a protected branch, a hook). */
  refused: (refusal: Refusal) => unknown;
  /** The error thrown after MAX_ATTEMPTS pushes were rejected because the branch moved. */
  rejected: (attempts: number) => unknown;
}

/**
 * The push loop of every sync (design §4 Concurrency): what is built on the fetched tip is pushed; when the
 * codex branch moved meanwhile, the branch is fetched again, after a backoff, and it is built again on the
 * new tip, up to MAX_ATTEMPTS pushes. A refusal is never retried: trying again cannot change the server's
 * mind. Returns what landed (null when a build had nothing to push) and the number of pushes.
 */
export async function pushRetrying<B>(r: PushRetry<B>): Promise<{ landed: B | null; attempts: number }> {
  let tip = r.tip;
  for (let attempts = 0; ; ) {
    const built = await r.build(tip);
    if (built === null) return { landed: null, attempts };
    attempts++;
    const outcome = await r.push(built);
    if (outcome.pushed) return { landed: built, attempts };
    if (outcome.refused) throw r.refused(outcome.refused);
    if (attempts >= MAX_ATTEMPTS) throw r.rejected(attempts);
    await sleep(backoff(attempts));
    tip = await r.fetchTip();
  }
}
