/**
 * CODEX_HOOKS_TIMEOUT, in seconds: the bound of each network git process and of a whole sync (design §4).
 * Node's timers hold at most 2^31-1 ms; a longer one fires after 1 ms (TimeoutOverflowWarning), so a
 * value above that would make every sync time out at once (issue 19): it is bad input, like `abc`.
 */
export const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

export const DEFAULT_TIMEOUT_SECONDS = 60;

/** Why CODEX_HOOKS_TIMEOUT cannot be used, or null (unset and empty mean the default). */
export function timeoutProblem(value: string | undefined): 'not-a-number' | 'too-large' | null {
  if (value === undefined || value === '') return null;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) return 'not-a-number';
  return seconds > MAX_TIMEOUT_SECONDS ? 'too-large' : null;
}

/** The timeout in seconds; a value the edge would refuse (timeoutProblem) counts as the default. */
export function timeoutSeconds(env: Record<string, string | undefined>): number {
  return timeoutProblem(env.CODEX_HOOKS_TIMEOUT) || !env.CODEX_HOOKS_TIMEOUT ? DEFAULT_TIMEOUT_SECONDS : Number(env.CODEX_HOOKS_TIMEOUT);
}
