import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { hashObject, isSha1 } from './objects.js';

/** Where a loose object's file is, whether or not it is there. */
export const looseObjectFile = (objectsDir: string, oid: string) => `${objectsDir}/${oid.slice(0, 2)}/${oid.slice(2)}`;

/**
 * Reads one loose object straight from the object store, or null when it is not loose (packed, or in an
 * alternate). A commit made a moment before `git push` is loose, and so is its root tree: the hook can see
 * what changed at the top of the tree without starting a git process.
 */
export function readLooseObject(objectsDir: string, oid: string): { type: string; body: Buffer } | null {
  if (!isSha1(oid)) return null;
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(fs.readFileSync(looseObjectFile(objectsDir, oid)));
  } catch {
    return null;
  }
  const nul = raw.indexOf(0);
  const [type] = raw.subarray(0, nul).toString('latin1').split(' ');
  return { type, body: raw.subarray(nul + 1) };
}

/** A loose object's type and size from the start of its file, or null when it is not loose. */
export function looseObjectHeader(objectsDir: string, oid: string): { type: string; size: number } | null {
  if (!isSha1(oid)) return null;
  let fd: number;
  try {
    fd = fs.openSync(looseObjectFile(objectsDir, oid), 'r');
  } catch {
    return null;
  }
  try {
    const start = Buffer.alloc(64);
    const got = fs.readSync(fd, start, 0, 64, 0);
    const raw = zlib.inflateSync(start.subarray(0, got), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const nul = raw.indexOf(0);
    if (nul < 0) return null;
    const [type, size] = raw.toString('latin1', 0, nul).split(' ');
    return { type, size: Number(size) };
  } catch {
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Writes an object as a loose file, as git does: deflated into a temporary file beside its final place,
 * then renamed, so a reader never sees half an object and two writers of the same object both succeed.
 * Returns its id.
 */
export function writeLooseObject(objectsDir: string, type: string, body: Buffer): string {
  const oid = hashObject(type, body);
  const file = looseObjectFile(objectsDir, oid);
  if (fs.existsSync(file)) return oid;
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `tmp_obj_codex_${process.pid}_${oid.slice(2, 10)}`);
  // Fast over small: core.looseCompression's level, and for a small object a small window, since setting
  // up zlib's default one costs more than compressing a doc. Past ~1 KB the small window costs more than
  // it saves (a tree of 250 folders: 0.6 ms against 0.1). A later repack compresses them well.
  const small = body.length < 1024 ? { windowBits: 9, memLevel: 1 } : {};
  const data = zlib.deflateSync(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]), { level: 1, ...small });
  // `git prune-packed` (a repack, a user's `git gc`) removes empty fan-out folders at any moment, also
  // between our mkdir and our write or rename: make the folder again and retry, as git itself does.
  for (let attempt = 1; ; attempt++) {
    try {
      try {
        fs.writeFileSync(tmp, data, { mode: 0o444, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        fs.rmSync(tmp, { force: true }); // left by a process killed mid-write that had our pid (read-only)
        fs.writeFileSync(tmp, data, { mode: 0o444, flag: 'wx' });
      }
      fs.renameSync(tmp, file);
      return oid;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) {
        fs.rmSync(tmp, { force: true }); // a full disk must not keep half an object
        throw error;
      }
      fs.mkdirSync(dir, { recursive: true });
    }
  }
}

/** The file of a branch's loose ref (`refs/heads/a/b`), whether or not it exists. */
export const looseRefFile = (gitDir: string, branch: string) => path.join(gitDir, 'refs', 'heads', ...branch.split('/'));

/** A branch's commit read from its loose ref file, or undefined (packed, missing, or not a sha). */
export function readLooseRef(gitDir: string, branch: string): string | undefined {
  try {
    const sha = fs.readFileSync(looseRefFile(gitDir, branch), 'utf8').trim();
    return isSha1(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

/** A branch's commit from packed-refs (a `git gc` packs a repository's refs), or null. */
export function readPackedRef(gitDir: string, branch: string): string | null {
  try {
    const line = fs.readFileSync(path.join(gitDir, 'packed-refs'), 'utf8').split('\n').find((l) => l.endsWith(` refs/heads/${branch}`));
    const sha = line?.slice(0, 40) ?? '';
    return /^[0-9a-f]{40}$/.test(sha) ? sha : null;
  } catch {
    return null;
  }
}
