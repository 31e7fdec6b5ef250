import { traceOn } from './settings.js';
import type { Env } from './edge.js';

/** With CODEX_HOOKS_TRACE=1, one line on stderr: what happened, at how many ms since the process started. */
export function trace(env: Env, what: string): void {
  if (traceOn(env)) process.stderr.write(`codex-hooks trace: at ${performance.now().toFixed(0)} ms  ${what}\n`);
}
