import { crypto } from '../core/builtin.js';
import fs from 'node:fs';
import path from 'node:path';
import { SyncError } from '../core/errors.js';
import { isTreeMode, listedEntry } from '../git/objects/objects.js';
import { ObjectStore } from '../git/objects/store.js';
import { Snapshot, TreeMemo } from './snapshot.js';
import type { CodexUri } from './uri.js';
import { CODEX_TREE } from '../sync/tree/bounds.js';
import { cacheRoot, local, openCache, remoteBranches, startFetch } from '../sync/cache/cache.js';
import { msg } from '../core/messages.js';
import { locate } from './documents.js';
import type { Env, Logger } from '../core/edge.js';

/** What `codex-hooks fetch` found at a URI on one codex branch. */
export type Fetched =
  | { kind: 'document'; oid: string; content: Buffer }
  /** The files under the folder the URI names, relative to its project's folder. */
  | { kind: 'listing'; files: string[] }
  /** The codex has no such branch (`branches`: those it has, when it said). */
  | { kind: 'no-branch'; branches: string[] | null }
  /** Neither `projects/<project>` nor a top-level folder of that name (`known`: the codex's projects). */
  | { kind: 'no-project'; known: string[] }
  | { kind: 'no-document' };

/**
 * The CLI face of the reader (design §5): fetches one codex branch into the cache, then reads the document
 * a URI names there, or lists the files of the folder it names within the bounds of sync/tree/bounds.ts (a
 * folder past them is skipped with a warning, never expanded). `env` carries the codex's credentials.
 */
export async function fetchFromCodex(o: { url: string; env: Env; branch: string; uri: CodexUri; logger: Logger }): Promise<Fetched> {
  const cache = await openCache(o.url, o.env);
  const tip = await startFetch(cache, o.branch).done;
  if (!tip) return { kind: 'no-branch', branches: await remoteBranches(cache).catch(() => null) };
  const store = ObjectStore.open(cache.dir, local(cache));
  try {
    return await readAt(new Snapshot(new TreeMemo(store, undefined, true), tip), o.uri, path.join(cacheRoot(o.env), 'blobs'), o.logger);
  } finally {
    store.close();
  }
}

async function readAt(snap: Snapshot, uri: CodexUri, blobs: string, logger: Logger): Promise<Fetched> {
  const filesUnder = async (folder: string, base: string) => {
    const { files, skipped } = await snap.walk(folder);
    if (skipped.length) logger.warn(msg.codexTreeBounded(skipped, CODEX_TREE));
    return files.filter((e) => e.type === 'blob').map((e) => e.path.slice(base.length + 1));
  };
  const { base, codexPath, entry } = await locate(snap, uri);
  if (base === null) return { kind: 'no-project', known: (await snap.bases()).filter((b) => b.kind === 'project').map((b) => b.name) };
  if (uri.path === '') return { kind: 'listing', files: await filesUnder(base, base) };
  const doc = entry && !isTreeMode(entry.mode) ? listedEntry(entry, codexPath!) : null;
  if (!doc || doc.type !== 'blob') {
    const under = entry && isTreeMode(entry.mode) ? await filesUnder(codexPath!, base) : [];
    return under.length ? { kind: 'listing', files: under } : { kind: 'no-document' };
  }
  return { kind: 'document', oid: doc.oid, content: await blobContent(snap, doc.oid, blobs) };
}

/**
 * A blob's content. Fetched documents are kept by blob id under `blobs`: the same content is never read
 * out of git twice. What the folder holds is checked against the id before it is served (another user, a
 * disk, a tool may have changed it); a file that does not match is read from git again and replaced.
 */
async function blobContent(snap: Snapshot, oid: string, blobs: string): Promise<Buffer> {
  const blobFile = path.join(blobs, oid.slice(0, 2), oid.slice(2));
  const cached = readCachedBlob(blobFile, oid);
  if (cached) return cached;
  const blob = await snap.object(oid);
  if (!blob || blob.type !== 'blob') throw new SyncError('git', msg.cacheLacks('blob', oid), msg.cacheLacksHint);
  try {
    fs.mkdirSync(path.dirname(blobFile), { recursive: true });
    fs.writeFileSync(`${blobFile}.tmp-${process.pid}`, blob.body);
    fs.renameSync(`${blobFile}.tmp-${process.pid}`, blobFile);
  } catch {
    fs.rmSync(`${blobFile}.tmp-${process.pid}`, { force: true }); // only a speed-up: served all the same
  }
  return blob.body;
}

/** A blob kept by id, or null when there is none or its content does not hash to the id. */
function readCachedBlob(file: string, oid: string): Buffer | null {
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch {
    return null;
  }
  return blobId(content, oid.length === 64 ? 'sha256' : 'sha1') === oid ? content : null;
}

/** git's id of a blob: the hash of `blob <size>\0<content>`. */
function blobId(content: Buffer, algorithm: 'sha1' | 'sha256'): string {
  return crypto().createHash(algorithm).update(`blob ${content.length}\0`).update(content).digest('hex');
}
