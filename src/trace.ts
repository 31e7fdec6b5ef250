import type { Env } from './git/env.js';

/** With CODEX_HOOKS_TRACE=1, one line on stderr: what happened, at how many ms since the process started. */
export function trace(env: Env, what: string): void {
  if (env.CODEX_HOOKS_TRACE) process.stderr.write(`codex-hooks trace: at ${performance.now().toFixed(0)} ms  ${what}\n`);
}
