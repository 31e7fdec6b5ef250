import { SyncError } from '../../core/errors.js';
import type { ObjectSource } from '../../git/objects/store.js';
import { msg } from '../../core/messages.js';
import { commitTree, encodeTree, isTreeMode, listedEntry, MalformedTree, parseTree, type RawEntry } from '../../git/objects/objects.js';
import type { TreeEntry } from '../../git/objects/parse.js';
import { CODEX_TREE } from './bounds.js';
import { CodexTrees, type ReadTrees, type Walked } from './codex-walk.js';

/**
 * Reading and rewriting codex trees (objects from git/objects/store.ts). Only the trees on the paths asked for
 * are read, each level of a walk in one request, so the cost follows the folders touched, never the size
 * of the codex.
 */
export type Write = (type: 'tree' | 'commit' | 'blob', body: Buffer) => string;

export const lacks = (type: string, oid: string) => new SyncError('git', msg.cacheLacks(type, oid), msg.cacheLacksHint);

async function must(reader: ObjectSource, oid: string, type: string) {
  const o = await reader.read(oid);
  if (!o || o.type !== type) throw lacks(type, oid);
  return o.body;
}

/** A codex tree's entries; a tree that cannot be parsed is a damaged cache, with the way out. */
export function entriesOf(body: Buffer, oid: string): RawEntry[] {
  try {
    return parseTree(body);
  } catch (error) {
    if (error instanceof MalformedTree) throw new SyncError('git', msg.cacheMalformed(oid, error.message), msg.cacheLacksHint);
    throw error;
  }
}

export async function rootTree(reader: ObjectSource, commit: string): Promise<string> {
  const tree = commitTree(await must(reader, commit, 'commit'));
  if (!tree) throw lacks('tree of commit', commit);
  return tree;
}

/** The trees from the root down `segments`: `levels[i]` holds the entries inside `segments[0..i)`. */
export async function pathChain(reader: ObjectSource, root: string, segments: string[]): Promise<{ levels: RawEntry[][]; target: RawEntry | null }> {
  const levels: RawEntry[][] = [entriesOf(await must(reader, root, 'tree'), root)];
  for (let i = 0; i < segments.length; i++) {
    const entry = levels[i].find((e) => e.name.toString('utf8') === segments[i]) ?? null;
    if (i === segments.length - 1 || !entry || !isTreeMode(entry.mode)) return { levels, target: i === segments.length - 1 ? entry : null };
    levels.push(entriesOf(await must(reader, entry.oid, 'tree'), entry.oid));
  }
  return { levels, target: null };
}

/** Trees by id from `reader`, one request for all (CodexTrees' reader). */
export const treesOf = (reader: ObjectSource): ReadTrees => async (oids) => {
  const objects = await reader.readMany(oids);
  return objects.map((o, i) => {
    if (!o || o.type !== 'tree') throw lacks('tree', oids[i]);
    return entriesOf(o.body, oids[i]);
  });
};

/**
 * Every file under a tree (blobs, links and submodules), paths relative to it after `prefix`, within the
 * bounds of bounds.ts (`depth`: how many folders below the codex's root the tree is): folders beyond
 * them are `skipped`, never expanded.
 */
export function listFiles(reader: ObjectSource, tree: string, prefix = '', depth = 0, signal?: AbortSignal): Promise<Walked> {
  return new CodexTrees(treesOf(reader), CODEX_TREE, signal).walk(tree, prefix, depth);
}

/** A codex listing went past a bound of bounds.ts (a caller with another way to the answer takes it). */
export class OverBound extends Error {}

export interface TreeChange {
  path: string;
  /** 'D' for a whole folder means everything under `path/` went. */
  status: 'A' | 'M' | 'D';
  entry: TreeEntry | null;
  folder: boolean;
}

/**
 * What changed between two trees, skipping every subtree whose id did not change. Throws OverBound when
 * the folders compared or the changes go past CODEX_TREE.paths (a tree bomb changed): the caller lists
 * afresh, within the bounds.
 */
export async function diffTrees(reader: ObjectSource, from: string, to: string, signal?: AbortSignal): Promise<TreeChange[]> {
  const changes: TreeChange[] = [];
  let level = from === to ? [] : [{ a: from, b: to, path: '' }];
  let compared = 0;
  while (level.length) {
    compared += level.length;
    if (compared + changes.length > CODEX_TREE.paths) throw new OverBound();
    signal?.throwIfAborted();
    const objects = await reader.readMany(level.flatMap((p) => [p.a, p.b]));
    const next: typeof level = [];
    const added: Array<{ oid: string; path: string }> = [];
    level.forEach((pair, i) => {
      const [a, b] = [objects[2 * i], objects[2 * i + 1]];
      if (!a || !b) throw lacks('tree', a ? pair.b : pair.a);
      const before = new Map(entriesOf(a.body, a.oid).map((e) => [e.name.toString('utf8'), e]));
      for (const e of entriesOf(b.body, b.oid)) {
        const name = e.name.toString('utf8');
        const old = before.get(name);
        before.delete(name);
        const p = pair.path + name;
        if (old && old.oid === e.oid && old.mode === e.mode) continue;
        if (old && isTreeMode(old.mode) && isTreeMode(e.mode)) next.push({ a: old.oid, b: e.oid, path: p + '/' });
        else {
          if (old) changes.push({ path: p, status: 'D', entry: null, folder: isTreeMode(old.mode) });
          if (isTreeMode(e.mode)) added.push({ oid: e.oid, path: p + '/' });
          else changes.push({ path: p, status: old && !isTreeMode(old.mode) ? 'M' : 'A', entry: listedEntry(e, p), folder: false });
        }
      }
      for (const [name, old] of before) changes.push({ path: pair.path + name, status: 'D', entry: null, folder: isTreeMode(old.mode) });
    });
    for (const t of added) {
      const { files, skipped } = await listFiles(reader, t.oid, t.path, t.path.split('/').length - 1, signal);
      if (skipped.length || changes.length + files.length > CODEX_TREE.paths) throw new OverBound();
      for (const f of files) changes.push({ path: f.path, status: 'A', entry: f, folder: false });
    }
    level = next;
  }
  // A file that became a folder (or back) shows as a removal and additions; order removals first.
  return changes.sort((x, y) => (x.status === 'D' ? 0 : 1) - (y.status === 'D' ? 0 : 1));
}

/** Trees for `files` (paths relative to the folder); null when there are none (git has no empty folders). */
export function buildTree(files: Array<{ path: string; mode: string; oid: string }>, write: Write): string | null {
  type Dir = Map<string, Dir | { mode: string; oid: string }>;
  const top: Dir = new Map();
  for (const f of files) {
    const parts = f.path.split('/');
    let dir = top;
    for (const seg of parts.slice(0, -1)) {
      let sub = dir.get(seg);
      if (!(sub instanceof Map)) dir.set(seg, (sub = new Map()));
      dir = sub;
    }
    dir.set(parts[parts.length - 1], { mode: f.mode, oid: f.oid });
  }
  const emit = (dir: Dir): string | null => {
    const entries: RawEntry[] = [];
    for (const [name, v] of dir) {
      const oid = v instanceof Map ? emit(v) : v.oid;
      if (oid) entries.push({ mode: v instanceof Map ? '40000' : v.mode, name: Buffer.from(name), oid });
    }
    return entries.length ? write('tree', encodeTree(entries)) : null;
  };
  return emit(top);
}

/**
 * A new root tree in which `segments` names `subtree` (null removes it), every other entry kept as it
 * was, byte for byte. `levels` comes from pathChain; folders left empty are dropped.
 */
export function replaceAt(levels: RawEntry[][], segments: string[], subtree: string | null, write: Write): string {
  let current = subtree;
  for (let i = segments.length - 1; i >= 0; i--) {
    const name = Buffer.from(segments[i]);
    const entries = (levels[i] ?? []).filter((e) => !e.name.equals(name));
    if (current) entries.push({ mode: '40000', name, oid: current });
    current = entries.length || i === 0 ? write('tree', encodeTree(entries)) : null;
  }
  return current!;
}
