/**
 * node's built-in modules that only some runs need, loaded when first asked for: a hook that finds nothing
 * to do loads neither node:crypto (~2.6 ms) nor node:child_process and node:tty (~2.3 ms together, with
 * the node:net both load) — a third of what it adds to node's own start. The rest are imported as usual.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);
const once = <T>(name: string): (() => T) => {
  let m: T | undefined;
  return () => (m ??= load(name) as T);
};

export const crypto = once<typeof import('node:crypto')>('node:crypto');
export const childProcess = once<typeof import('node:child_process')>('node:child_process');
export const tty = once<typeof import('node:tty')>('node:tty');
