import fs from 'node:fs';
import path from 'node:path';
import { runGit } from '../../git/exec.js';
import { writer } from '../to-codex/to-codex.js';
import { encodeCommit, isSha1, isTreeMode, type RawEntry } from '../../git/objects/objects.js';
import type { TreeEntry } from '../../git/objects/parse.js';
import type { Person } from '../../git/project.js';
import type { ObjectSource } from '../../git/objects/store.js';
import { local, type CodexCache } from '../cache/cache.js';
import { buildTree, listFiles, pathChain, rootTree, type Write } from '../tree/codex-tree.js';
import { emptyState, parseState, serializeState, STATE_FILE, stateRef, type LayerState } from './state.js';

/** A project's layer state as the codex holds it (design §4): the record and the files it names. */
export interface StoredState {
  /** The state commit (null: the codex has none yet — a first layered sync, or a codex from before layers). */
  commit: string | null;
  state: LayerState;
  /** The base's selection, codex ids. */
  base: TreeEntry[];
  /** Each layer's written files, by layer key. */
  files: Map<string, TreeEntry[]>;
  /** The codex's record could not be read (damaged, or written by something else): started again. */
  unreadable?: boolean;
  /** The record's trees of the base's files and of each layer's (by key), which a new record reuses when they are unchanged. */
  trees?: { base: string | null; layers: Map<string, string> };
}

const BASE = 'base';
const LAYERS = 'layers';

/** The state commit the cache has for this project and codex branch (fetched with the branch), or null. */
export async function stateCommitIn(cache: CodexCache, projectName: string, codexBranch: string): Promise<string | null> {
  const ref = stateRef(projectName, codexBranch);
  try {
    const loose = fs.readFileSync(path.join(cache.dir, ...ref.split('/')), 'utf8').trim();
    if (isSha1(loose)) return loose;
  } catch {
    // packed (after a repack), or missing: git knows
  }
  const { stdout, code } = await runGit(['rev-parse', '-q', '--verify', `${ref}^{commit}`], local(cache, { okCodes: [1, 128] }));
  return code === 0 ? stdout.toString().trim() : null;
}

export async function readStoredState(reader: ObjectSource, commit: string | null): Promise<StoredState> {
  const none: StoredState = { commit, state: emptyState(), base: [], files: new Map() };
  if (!commit) return none;
  let entries: TreeEntry[];
  let trees: StoredState['trees'];
  try {
    // the codex's copy, so within the bounds of bounds.ts: a state past them is unreadable, never expanded
    const root = await rootTree(reader, commit);
    const listed = await listFiles(reader, root);
    if (listed.skipped.length) return { ...none, unreadable: true };
    entries = listed.files;
    trees = await subtrees(reader, root);
  } catch {
    return { ...none, unreadable: true };
  }
  const stateEntry = entries.find((e) => e.path === STATE_FILE && !isTreeMode(e.mode));
  const body = stateEntry && (await reader.read(stateEntry.oid));
  const state = body?.type === 'blob' ? parseState(body.body) : null;
  if (!state) return { ...none, unreadable: true };
  const base: TreeEntry[] = [];
  const files = new Map<string, TreeEntry[]>(state.layers.map((l) => [l.key, []]));
  for (const e of entries) {
    if (e.path.startsWith(`${BASE}/`)) base.push({ ...e, path: e.path.slice(BASE.length + 1) });
    else if (e.path.startsWith(`${LAYERS}/`)) {
      const rest = e.path.slice(LAYERS.length + 1);
      const slash = rest.indexOf('/');
      files.get(rest.slice(0, slash))?.push({ ...e, path: rest.slice(slash + 1) });
    }
  }
  return { commit, state, base, files, trees };
}

/** The ids of the record's `base/` tree and of each `layers/<key>/` tree (read by the listing just before). */
async function subtrees(reader: ObjectSource, root: string): Promise<StoredState['trees']> {
  const { levels } = await pathChain(reader, root, ['layers', '']);
  const id = (entries: RawEntry[] | undefined, name: string) => entries?.find((e) => isTreeMode(e.mode) && e.name.toString('utf8') === name)?.oid ?? null;
  return { base: id(levels[0], 'base'), layers: new Map((levels[1] ?? []).filter((e) => isTreeMode(e.mode)).map((e) => [e.name.toString('utf8'), e.oid])) };
}

/**
 * Writes the state commit (loose objects in the cache): its tree holds the record, the base's files and
 * each layer's, so the blobs stay reachable; its parent is the state it replaces, so its ref only ever
 * moves forward (no force push) and a concurrent writer's push is rejected, then re-applied.
 */
export function writeStoredState(cache: CodexCache, parent: StoredState, state: LayerState, base: TreeEntry[], files: Map<string, TreeEntry[]>, who: Person, write: Write = writer(cache)): string {
  // A list of files the parent record holds as it was (the same list, not only equal) keeps its tree: a
  // layer's push rewrites the record's file, its own layer and the trees above them, not every tree.
  const kept = (now: TreeEntry[], before: TreeEntry[] | undefined, tree: string | null | undefined) => (now.length > 0 && now === before && tree ? tree : null);
  const folder = (prefix: string, now: TreeEntry[], tree: string | null) => (tree ? [{ path: prefix, mode: '40000', oid: tree }] : now.map((f) => ({ ...f, path: `${prefix}/${f.path}` })));
  const all = [
    { path: STATE_FILE, mode: '100644', oid: write('blob', serializeState(state)) },
    ...folder(BASE, base, kept(base, parent.base, parent.trees?.base)),
    ...state.layers.flatMap((l) => {
      const now = files.get(l.key) ?? [];
      return folder(`${LAYERS}/${l.key}`, now, kept(now, parent.files.get(l.key), parent.trees?.layers.get(l.key)));
    }),
  ];
  const tree = buildTree(all, write)!;
  const when = Math.floor(Date.now() / 1000);
  const person = { ...who, when };
  return write('commit', encodeCommit({ tree, parents: parent.commit ? [parent.commit] : [], author: person, committer: person, message: 'codex-hooks layer state\n' }));
}
