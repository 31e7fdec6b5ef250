import { takeSignals } from '../git/exec.js';

/**
 * Until the returned function is called, the first SIGTERM/SIGINT/SIGHUP aborts `stop` (the HTTP server
 * drains: requests in flight are answered, then it exits 0); a second one exits as the entry's handler does.
 */
export const drainOnSignals = (stop: AbortController): (() => void) => takeSignals(() => stop.abort());
