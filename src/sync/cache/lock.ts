import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SyncError } from '../../core/errors.js';
import { msg } from '../../core/messages.js';
import { processAlive as alive } from '../../core/process-alive.js';
import { setTimeout as sleep } from 'node:timers/promises';



/**
 * An exclusive lock file (O_EXCL). A holder that died (its pid is gone on this host) or that has held it
 * longer than `staleMs` leaves a stale lock, which the next run takes over: a SIGKILL never wedges the cache.
 */
export async function acquireLock(
  file: string,
  { waitMs = 120_000, staleMs = 10 * 60_000, signal, what = msg.cacheLocked }: { waitMs?: number; staleMs?: number; signal?: AbortSignal; what?: string } = {},
): Promise<() => void> {
  const started = Date.now();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const me = JSON.stringify({ pid: process.pid, host: os.hostname(), time: Date.now() });
  for (let delay = 20; ; delay = Math.min(delay * 2, 500)) {
    try {
      fs.writeFileSync(file, me, { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === me) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if (isStale(file, staleMs)) {
      // Rename first, so two waiters that both saw it stale cannot both remove a fresh lock.
      const grave = `${file}.stale-${process.pid}`;
      try {
        fs.renameSync(file, grave);
        fs.unlinkSync(grave);
      } catch {
        // another waiter took it over first
      }
      continue;
    }
    signal?.throwIfAborted();
    if (Date.now() - started > waitMs) throw new SyncError('locked', msg.locked(what, file), msg.lockedHint(file));
    await sleep(delay + Math.random() * delay);
  }
}

function isStale(file: string, staleMs: number): boolean {
  try {
    const holder = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (holder.host === os.hostname() && !alive(holder.pid)) return true;
    return Date.now() - holder.time > staleMs;
  } catch {
    // unreadable or half-written by a writer killed mid-write: stale once it is a few seconds old
    const st = fs.statSync(file, { throwIfNoEntry: false });
    return !!st && Date.now() - st.mtimeMs > 5_000;
  }
}

/**
 * Git's own lock files left by a git process killed mid-update. Git holds one for milliseconds, so one
 * older than a minute is an orphan; younger ones may belong to a sync running beside us.
 */
export function removeStaleGitLocks(gitDir: string, olderThanMs = 60_000): void {
  const now = Date.now();
  const removeIfOld = (p: string) => {
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (st && now - st.mtimeMs > olderThanMs) fs.rmSync(p, { force: true });
  };
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.lock')) removeIfOld(p);
    }
  };
  for (const name of ['HEAD.lock', 'config.lock', 'packed-refs.lock', 'shallow.lock', 'index.lock']) removeIfOld(path.join(gitDir, name));
  if (fs.existsSync(path.join(gitDir, 'refs'))) walk(path.join(gitDir, 'refs'));
}
