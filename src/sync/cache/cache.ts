import { processAlive as alive } from '../../core/process-alive.js';
import type { Env } from '../../core/edge.js';
import { shortId } from '../../core/hash.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SyncError } from '../../core/errors.js';
import { runGit, Running, startGit, type RunOptions } from '../../git/exec.js';
import { looseRefFile, readLooseRef } from '../../git/objects/loose.js';
import { acquireLock, removeStaleGitLocks } from './lock.js';
import { isSshUrl } from '../../core/url.js';
import { batchSshEnv } from '../../git/ssh.js';
import { msg } from '../../core/messages.js';
import { classifyRemoteError, connectionFor, makeRedactor, readPushOutcome, type Connection, type Refusal } from './remote.js';
import { redactUrl } from '../../core/url.js';
import { checkCodexUrl } from '../../config/normalize.js';
import { timeoutSeconds } from '../../core/timeout.js';
import { cacheDirOf } from '../../core/settings.js';

/**
 * A persistent bare clone of one codex (design §4): fetched, never cloned again. Its refs change only under
 * its lock (fetch, the ref update after a push, repacking); building and pushing a commit only add objects,
 * which git allows concurrently, so syncs of many projects through one cache run side by side.
 */
export interface CodexCache {
  dir: string;
  /** The codex URL as configured (shown redacted; names the cache). */
  url: string;
  /** What git is given for it, and its credentials through the environment (remote.ts connectionFor). */
  connection: Connection;
  env: Env;
  redact: (s: string) => string;
  timeoutMs: number;
  locked: <T>(fn: () => Promise<T>) => Promise<T>;
  /** The sync's own deadline (design §4): git processes started for it end when it passes. */
  signal?: AbortSignal;
}

export function cacheRoot(env: Env): string {
  const dir = cacheDirOf(env);
  if (dir) return path.resolve(dir);
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'codex-hooks');
}

/** One folder per codex URL, named without its credentials (a rotated token keeps the same cache). */
export function cachePathFor(url: string, env: Env): string {
  const shown = redactUrl(url);
  const slug = (shown.replace(/\.git$/, '').split(/[/:\\]/).pop() || 'codex').replace(/[^A-Za-z0-9._-]/g, '_');
  const id = shortId(shown).slice(0, 12);
  return path.join(cacheRoot(env), `${slug}-${id}.git`);
}

/** Why the cache cannot be written (a full disk, a read-only or forbidden folder), as an error naming it; null for other failures. */
export function unwritableCache(dir: string, error: unknown): SyncError | null {
  const e = error as NodeJS.ErrnoException & { stderr?: string };
  // git's own lines about local files only: the server's (`remote:`) and ssh's "Permission denied
  // (publickey)" are not about this disk
  const local = (e.stderr ?? '').split('\n').filter((l) => !/^remote:/i.test(l)).join('\n');
  const why =
    e.code === 'ENOSPC' || /No space left on device/i.test(local) ? msg.noSpace
    : e.code === 'EDQUOT' || /Disk quota exceeded/i.test(local) ? 'the disk quota is exceeded'
    : e.code === 'EROFS' || /Read-only file system/i.test(local) ? msg.readOnlyDisk
    : e.code === 'EACCES' || e.code === 'EPERM' ? msg.permissionDenied
    : null;
  if (!why) return null;
  removeTempObjects(dir);
  return new SyncError('git', msg.cacheUnwritable(dir, why), msg.cacheUnwritableHint(dir));
}

/**
 * The temporary object files a failed write left (git's tmp_obj_*, and ours of a process no longer
 * running): a full disk must not stay full of them.
 */
function removeTempObjects(dir: string): void {
  const objects = path.join(dir, 'objects');
  let fans: string[];
  try {
    fans = fs.readdirSync(objects).filter((f) => /^[0-9a-f]{2}$/.test(f) || f === 'pack');
  } catch {
    return;
  }
  for (const fan of fans) {
    let names: string[];
    try {
      names = fs.readdirSync(path.join(objects, fan));
    } catch {
      continue;
    }
    for (const name of names) {
      if (!/^tmp_(obj|pack|idx)_/.test(name)) continue;
      const pid = /^tmp_obj_codex_(\d+)_/.exec(name)?.[1];
      if (pid && Number(pid) !== process.pid && alive(Number(pid))) continue; // another sync writing now
      fs.rmSync(path.join(objects, fan, name), { force: true });
    }
  }
}


export async function openCache(url: string, env: Env, signal?: AbortSignal): Promise<CodexCache> {
  checkCodexUrl(url, 'codex_url'); // every entry checks first; this keeps a URL that slipped past them from git
  const dir = cachePathFor(url, env);
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    fs.accessSync(path.dirname(dir), fs.constants.W_OK);
  } catch (error) {
    throw cacheUnwritable(path.dirname(dir), error as NodeJS.ErrnoException);
  }
  const locked = async <T>(fn: () => Promise<T>): Promise<T> => {
    const release = await acquireLock(`${dir}.lock`, { signal }).catch((error: NodeJS.ErrnoException) => {
      throw FS_FAULTS.has(error.code ?? '') ? cacheUnwritable(path.dirname(dir), error) : error;
    });
    try {
      removeStaleGitLocks(dir);
      return await fn();
    } finally {
      release();
    }
  };
  // A cache is made once; only making it needs the lock (and the check again under it).
  if (!usableCache(dir)) {
    await locked(async () => {
      if (usableCache(dir)) return;
      // Half-made, or made in a format this code does not read: set aside (never deleted: it may hold
      // something a person wants back) and made again.
      if (fs.existsSync(dir)) fs.renameSync(dir, `${dir}.set-aside-${Date.now()}-${process.pid}`);
      // Initialise into a scratch folder and rename: a crash never leaves a half-made cache behind. The
      // formats are pinned whatever the user's git defaults say: SHA-1 objects, loose ref files.
      const tmp = `${dir}.init-${process.pid}`;
      fs.rmSync(tmp, { recursive: true, force: true });
      const pinned = { ...env, GIT_DEFAULT_HASH: undefined, GIT_DEFAULT_REF_FORMAT: undefined };
      try {
        await runGit(['-c', 'init.defaultRefFormat=files', 'init', '--bare', '-q', '--object-format=sha1', '--', tmp], { cwd: path.dirname(dir), env: pinned, signal });
        fs.renameSync(tmp, dir);
      } catch (error) {
        const full = unwritableCache(path.dirname(dir), error);
        if (!full) throw error;
        fs.rmSync(tmp, { recursive: true, force: true });
        throw full;
      }
    });
  }
  const connection = connectionFor(url, env);
  // ssh never prompts (BatchMode), whichever ssh command the user has git run
  if (isSshUrl(connection.url)) Object.assign(connection.env, await batchSshEnv(dir, env, signal));
  return { dir, url, connection, env, redact: makeRedactor(url, env), timeoutMs: timeoutSeconds(env) * 1000, locked, signal };
}

const FS_FAULTS = new Set(['EACCES', 'EPERM', 'ENOTDIR', 'EROFS', 'ENOSPC', 'EEXIST']);

/** The cache folder cannot be made or written (a read-only disk, a file in the way, no permission): the user's to fix, not a bug. */
function cacheUnwritable(root: string, error: NodeJS.ErrnoException): SyncError {
  const why: Record<string, string> = { ENOSPC: msg.noSpace, ENOTDIR: msg.fileInTheWay, EEXIST: msg.fileInTheWay, EACCES: msg.permissionDenied, EPERM: msg.permissionDenied, EROFS: msg.readOnlyDisk };
  return new SyncError('git', msg.cacheUnwritable(root, why[error.code ?? ''] ?? error.message), msg.cacheUnwritableHint(root));
}

/**
 * A cache folder this code can use: a bare repository with HEAD, objects/ and refs/, in the formats it
 * reads (SHA-1, ref files). A folder left half-made by a crash, or made under GIT_DEFAULT_HASH=sha256 or
 * init.defaultRefFormat=reftable by an earlier version, is not.
 */
function usableCache(dir: string): boolean {
  if (!['HEAD', 'objects', 'refs'].every((f) => fs.existsSync(path.join(dir, f)))) return false;
  let config = '';
  try {
    config = fs.readFileSync(path.join(dir, 'config'), 'utf8');
  } catch {
    return false;
  }
  const format = /^\s*objectformat\s*=\s*(\S+)/im.exec(config)?.[1].toLowerCase();
  return (!format || format === 'sha1') && !/^\s*refstorage\s*=\s*reftable/im.test(config);
}


export const local = (cache: CodexCache, extra: Partial<RunOptions> = {}): RunOptions => ({
  cwd: cache.dir,
  env: cache.env,
  redact: cache.redact,
  signal: cache.signal,
  ...extra,
});

const remote = (cache: CodexCache): RunOptions => local(cache, { extraEnv: cache.connection.env, timeoutMs: cache.timeoutMs });

/**
 * Fetches one codex branch into the cache, under its lock: its tip, or null when the codex has no such
 * branch. `started` once git's fetch has been spawned (after the lock is taken).
 */
export function startFetch(cache: CodexCache, branch: string, also: string[] = []): Running<string | null> {
  return new Running((fetch) => cache.locked(() => fetchUnlocked(cache, branch, also, fetch)));
}

/** A glob refspec that fetches the refs under `prefix` as they are (a layered project's state: sync/layers/). */
export const mirrorRefs = (prefix: string) => `+${prefix}*:${prefix}*`;

async function fetchUnlocked(cache: CodexCache, branch: string, also: string[], fetch: Running<string | null>): Promise<string | null> {
  try {
    // --no-auto-gc: no maintenance process after every fetch; the sync repacks the cache when it needs it (maintenance.ts)
    const git = startGit(['fetch', '--no-tags', '--no-write-fetch-head', '--no-auto-gc', '-q', '--', cache.connection.url, `+refs/heads/${branch}:refs/heads/${branch}`, ...also], { ...remote(cache), discardStdout: true });
    fetch.follow(git);
    await git.done;
  } catch (error) {
    const e = error as { stderr?: string };
    const full = unwritableCache(cache.dir, error);
    if (full) throw full;
    if (e.stderr && /mismatched algorithms|object format/i.test(e.stderr)) {
      const format = /server (sha\d+)/i.exec(e.stderr)?.[1] ?? 'another object format';
      throw new SyncError('git', msg.codexFormat(redactUrl(cache.url), format), msg.codexFormatHint);
    }
    if (e.stderr && /couldn't find remote ref/i.test(e.stderr)) {
      await runGit(['update-ref', '-d', `refs/heads/${branch}`], local(cache));
      return null;
    }
    throw classifyRemoteError(error, cache.url);
  }
  return readLooseRef(cache.dir, branch) ?? (await runGit(['rev-parse', `refs/heads/${branch}`], local(cache))).stdout.toString().trim();
}

/**
 * Points the cache's branch at a commit we just pushed. Under the cache lock nothing else writes refs, so
 * the loose ref file is written directly (temp file + rename, as git does), sparing a git process.
 */
function writeLooseRef(cache: CodexCache, branch: string, commit: string, fullName = false): void {
  const file = fullName ? path.join(cache.dir, ...branch.split('/')) : looseRefFile(cache.dir, branch);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(cache.dir, `codex-hooks-ref-${process.pid}.tmp`); // outside refs/: never seen as a ref
  fs.writeFileSync(tmp, commit + '\n');
  fs.renameSync(tmp, file);
}

/** The codex's branches, from the remote itself. */
export async function remoteBranches(cache: CodexCache): Promise<string[]> {
  try {
    const { stdout } = await runGit(['ls-remote', '--heads', '--', cache.connection.url], remote(cache));
    return stdout
      .toString()
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\trefs/heads/')[1]);
  } catch (error) {
    throw classifyRemoteError(error, cache.url);
  }
}

/** Not pushed: the branch moved (try again on the new tip), or `refused` by the server (never retried). */
export type PushOutcome = { pushed: true } | { pushed: false; refused?: Refusal };

/**
 * Pushes a commit to a codex branch without force. `started` once git's push has been spawned. The
 * cache's own branch is not moved here: recordPushed does that, as a step of its own.
 */
export function startPush(cache: CodexCache, commit: string | null, branch: string, also: Array<{ commit: string; ref: string }> = []): Running<PushOutcome> {
  const specs = [...(commit ? [`${commit}:refs/heads/${branch}`] : []), ...also.map((a) => `${a.commit}:${a.ref}`)];
  return new Running(async (push) => {
    // --atomic: a layered folder and its state land together or not at all (design §4)
    const git = startGit(['push', '--no-verify', '--porcelain', '-q', ...(specs.length > 1 ? ['--atomic'] : []), '--', cache.connection.url, ...specs], { ...remote(cache), okCodes: [1] });
    push.follow(git);
    let result;
    try {
      result = await git.done;
    } catch (error) {
      throw classifyRemoteError(error, cache.url);
    }
    if (result.code === 0) return { pushed: true };
    const outcome = readPushOutcome(cache.redact(result.stdout.toString()), cache.redact(result.stderr));
    return outcome === 'moved' ? { pushed: false } : { pushed: false, refused: outcome };
  });
}

/**
 * After a push landed: the cache's branch catches up with the pushed commit (under the cache's lock), so
 * the next sync's fetch has nothing of ours to bring. Written directly (see writeLooseRef).
 */
export function recordPushed(cache: CodexCache, branch: string | null, commit: string | null, also: Array<{ commit: string; ref: string }> = []): Promise<void> {
  return cache.locked(async () => {
    if (branch && commit) writeLooseRef(cache, branch, commit);
    for (const a of also) writeLooseRef(cache, a.ref, a.commit, true);
  });
}
