import fs from 'node:fs';
import path from 'node:path';
import { SyncError } from './errors.js';
import { msg } from './messages.js';

/** A JSON file's value, or `fallback` when it is missing or unreadable (state is rebuilt, never trusted blindly). */
export function readJson<T>(file: string, fallback: T): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return fallback;
  }
}

/**
 * Writes through a temp file and a rename: a crash leaves the old file or the new one, never half of one.
 * A write that fails (a full disk, a read-only folder) removes its temp file and says which file and why.
 */
export function writeJson(file: string, value: unknown, { compact = false } = {}): void {
  const text = compact ? JSON.stringify(value) : JSON.stringify(value, null, 2) + '\n';
  if (unchanged(file, text)) return;
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch (error) {
    fs.rmSync(tmp, { force: true });
    const e = error as NodeJS.ErrnoException;
    throw new SyncError('git', msg.stateUnwritable(file, e.code === 'ENOSPC' ? msg.noSpace : e.message), msg.stateUnwritableHint(path.dirname(file)));
  }
}

/**
 * The file holds `text` already: it is left alone. A rename over a file costs a flush of its data (ext4),
 * ~1 ms a file, which sync-org would pay for every project whose pull changed nothing. Read only when
 * the sizes agree.
 */
function unchanged(file: string, text: string): boolean {
  try {
    return fs.statSync(file).size === Buffer.byteLength(text) && fs.readFileSync(file, 'utf8') === text;
  } catch {
    return false; // not there yet
  }
}

/** writeJson for what is only a speed-up (a cache, an index): a failure is no error, and leaves nothing. */
export function writeJsonIfPossible(file: string, value: unknown, options: { compact?: boolean } = {}): boolean {
  try {
    writeJson(file, value, options);
    return true;
  } catch {
    return false;
  }
}
