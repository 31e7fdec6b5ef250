import fs from 'node:fs';
import type { Output } from '../core/edge.js';

/**
 * stdout or stderr as the edge hands them down, made as late as possible: a line of text is written to the
 * file descriptor as it is, so a hook that prints a line or two never makes node's stream (for two pipes
 * ~2.5 ms, node:net loaded; on a terminal node:tty); anything else asked of it (isTTY, columns, a live
 * table's writes once it has the stream) makes the stream, once, and every later write goes through it:
 * what was written before is out already, so the order holds. A reader that has gone (`codex-hooks status |
 * head`) drops the rest of the output and the command still finishes: a sync is never cut short by a
 * closed pipe. A descriptor that would block (EAGAIN) hands the rest to the stream. On Windows the stream
 * is made at once: a console shows UTF-8 bytes written as they are in its code page (✔ as Ô£ö), where
 * node's stream writes UTF-16.
 */
export function lazyOutput(fd: 1 | 2, make: () => Output): Output {
  let stream: Output | null = null;
  const real = (): Output => {
    if (stream) return stream;
    stream = make();
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    });
    return stream;
  };
  if (process.platform === 'win32') return real();
  let gone = false;
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    if (stream) return (stream.write as (...a: unknown[]) => boolean)(chunk, ...rest);
    if (gone) return true;
    const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let done = 0;
    try {
      while (done < data.length) done += fs.writeSync(fd, data, done);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') gone = true;
      else if (code === 'EAGAIN') return (real().write as (...a: unknown[]) => boolean)(data.subarray(done), ...rest.filter((r) => typeof r === 'function'));
      else throw error;
    }
    const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (callback) process.nextTick(callback);
    return true;
  };
  return new Proxy({} as Output, {
    get(_, key) {
      if (key === 'write') return write;
      const value = Reflect.get(real(), key);
      return typeof value === 'function' ? value.bind(stream) : value;
    },
  });
}
