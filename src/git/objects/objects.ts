import { crypto } from '../../core/builtin.js';
import type { TreeEntry } from './parse.js';

/**
 * git's object formats, read and written in-process (design §4: a sync builds its commit from git objects).
 * Names stay bytes: a name that is not UTF-8 is carried over unchanged.
 */
export interface RawEntry {
  mode: string;
  name: Buffer;
  oid: string;
}

/** A SHA-1 object id, the one format read and written in this process (git answers for the other). */
export const isSha1 = (id: string) => /^[0-9a-f]{40}$/.test(id);

export const isTreeMode = (mode: string) => mode === '40000' || mode === '040000';

/** A tree entry as `git ls-tree` shows it: folders as 040000, a blob's mode made canonical. */
export function listedEntry(e: RawEntry, path: string, size = -1): TreeEntry {
  const tree = isTreeMode(e.mode);
  const mode = tree ? '040000' : e.mode === '160000' || e.mode === '120000' ? e.mode : Number.parseInt(e.mode, 8) & 0o111 ? '100755' : '100644';
  return { mode, type: tree ? 'tree' : mode === '160000' ? 'commit' : 'blob', oid: e.oid, size, path };
}

/** A tree that is not what git writes: a damaged cache, or one of another object format. */
export class MalformedTree extends Error {}

/**
 * Entries of a tree object's body: `<mode> <name>\0<20-byte oid>` repeated. Every step is checked, so a
 * damaged or foreign tree (a SHA-256 one has 32-byte ids) fails at once instead of being misread.
 */
export function parseTree(body: Buffer): RawEntry[] {
  const entries: RawEntry[] = [];
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    const nul = space < 0 ? -1 : body.indexOf(0, space + 1);
    if (space <= pos || space - pos > 6 || nul < 0 || nul === space + 1 || nul + 21 > body.length) throw new MalformedTree(`malformed tree entry at byte ${pos}`);
    const mode = body.toString('latin1', pos, space);
    if (!/^[0-7]+$/.test(mode)) throw new MalformedTree(`malformed tree mode ${JSON.stringify(mode)} at byte ${pos}`);
    entries.push({ mode, name: body.subarray(space + 1, nul), oid: body.toString('hex', nul + 1, nul + 21) });
    pos = nul + 21;
  }
  return entries;
}

/** Entries with their names as text (for comparing with a listing; names are UTF-8 in practice). */
export const treeEntries = (body: Buffer) => parseTree(body).map((e) => ({ mode: e.mode, name: e.name.toString('utf8'), oid: e.oid }));

/** The root tree of a commit object's body. */
export const commitTree = (body: Buffer): string | null => /^tree ([0-9a-f]{40})/.exec(body.toString('latin1'))?.[1] ?? null;
/** A commit's parents, from its header (the lines before the first empty one). */
export function commitParents(body: Buffer): string[] {
  const end = body.indexOf('\n\n');
  const head = body.toString('latin1', 0, end < 0 ? body.length : end);
  return [...head.matchAll(/^parent ([0-9a-f]{40})$/gm)].map((m) => m[1]);
}

/** git's tree order: bytes, with a folder compared as if its name ended in "/". */
function compareEntries(a: RawEntry, b: RawEntry): number {
  const len = Math.min(a.name.length, b.name.length);
  const cmp = Buffer.compare(a.name.subarray(0, len), b.name.subarray(0, len));
  if (cmp !== 0) return cmp;
  const next = (e: RawEntry) => (e.name.length > len ? e.name[len] : isTreeMode(e.mode) ? 0x2f : 0);
  return next(a) - next(b);
}

/** A tree object's body; entries are sorted here, so callers may list them in any order. */
export function encodeTree(entries: RawEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of [...entries].sort(compareEntries)) {
    parts.push(Buffer.from(`${isTreeMode(e.mode) ? '40000' : e.mode} `, 'latin1'), e.name, Buffer.from([0]), Buffer.from(e.oid, 'hex'));
  }
  return Buffer.concat(parts);
}

export interface Signature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  when: number;
}

const person = (s: Signature) => `${s.name.replace(/[<>\n]/g, '')} <${s.email.replace(/[<>\n]/g, '')}> ${s.when} +0000`;

export function encodeCommit(c: { tree: string; parents: string[]; author: Signature; committer: Signature; message: string }): Buffer {
  const lines = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`), `author ${person(c.author)}`, `committer ${person(c.committer)}`];
  return Buffer.concat([Buffer.from(lines.join('\n') + '\n\n'), Buffer.from(c.message)]);
}

/** The object's id: sha1 of `<type> <size>\0<body>`. */
export function hashObject(type: string, body: Buffer): string {
  return crypto().createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex');
}
