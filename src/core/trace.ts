import fs from 'node:fs';
import { traceOn } from './settings.js';
import type { Env } from './edge.js';

/** With CODEX_HOOKS_TRACE=1, one line on stderr: what happened, at how many ms since the process started. */
export function trace(env: Env, what: string): void {
  if (traceOn(env)) traceLine(`at ${performance.now().toFixed(0)} ms  ${what}`);
}

/**
 * A trace line, written to stderr's descriptor as it is, as the edge writes its lines (ui/output.ts); a
 * stderr nobody reads any more loses it, and nothing else.
 */
export function traceLine(text: string): void {
  try {
    fs.writeSync(2, `codex-hooks trace: ${text}\n`);
  } catch {
    // EPIPE, EAGAIN: a trace is never worth a failure
  }
}
