import path from 'node:path';
import { ObjectStore, type ObjectSource } from '../git/store.js';
import { SyncError } from '../errors.js';
import { writeLooseObject } from '../git/loose.js';
import { encodeCommit, isTreeMode, type RawEntry } from '../git/objects.js';
import type { TreeEntry } from '../git/parse.js';
import type { Person } from '../git/project.js';
import type { CodexCache } from './cache.js';
import { buildTree, listFiles, pathChain, replaceAt, rootTree, type Write } from './codex-tree.js';

export interface FilePlan {
  added: string[];
  changed: string[];
  removed: string[];
  /** Files of the project in the codex before the sync. */
  before: number;
}

export const projectDir = (projectName: string) => `projects/${projectName}`;

/** The project's folder in a codex commit: its files, and the trees on the way for writing a new one. */
export interface CodexFolder {
  files: Map<string, TreeEntry>;
  levels: RawEntry[][];
  /** The folder's tree, or null when the codex has no such folder yet. */
  tree: string | null;
}

/** What `projects/<name>/` holds on a codex commit: only the trees on that path are read. */
export async function codexProjectFiles(reader: ObjectSource, tip: string, projectName: string): Promise<CodexFolder> {
  const { levels, target } = await pathChain(reader, await rootTree(reader, tip), ['projects', projectName]);
  const tree = target && isTreeMode(target.mode) ? target.oid : null;
  const files = new Map<string, TreeEntry>();
  if (tree) for (const e of await listFiles(reader, tree)) files.set(e.path, e);
  return { files, levels, tree };
}

/** Compares the selection with the codex folder. Pure. */
export function planToCodex(selection: TreeEntry[], existing: Map<string, TreeEntry>): FilePlan {
  const plan: FilePlan = { added: [], changed: [], removed: [], before: existing.size };
  const wanted = new Set<string>();
  for (const f of selection) {
    wanted.add(f.path);
    const old = existing.get(f.path);
    if (!old) plan.added.push(f.path);
    else if (old.oid !== f.oid || old.mode !== f.mode) plan.changed.push(f.path);
  }
  for (const p of existing.keys()) if (!wanted.has(p)) plan.removed.push(p);
  return plan;
}

const writer = (cache: CodexCache): Write => {
  const objects = path.join(cache.dir, 'objects');
  return (type, body) => writeLooseObject(objects, type, body);
};

/**
 * Copies into the cache (`store`) the selected blobs it lacks, read from the project (`source`) (only those: no project history moves) and writes
 * the folder's trees. Both depend on the commit alone, so this runs while the codex is fetched. Returns
 * the folder's tree, or null for an empty selection.
 */
export async function stageFolder(cache: CodexCache, store: ObjectStore, source: ObjectStore, files: TreeEntry[], write: Write = writer(cache)): Promise<string | null> {
  const lacking = [...new Map(files.filter((f) => !store.has(f.oid)).map((f) => [f.oid, f])).values()];
  // The id each blob has in the cache: the project's own, unless the two use different hashes (a
  // SHA-256 project), when the copy's is used.
  const ids = new Map<string, string>();
  for (let i = 0; i < lacking.length; i += 256) {
    const chunk = lacking.slice(i, i + 256);
    // Docs committed a moment ago are loose objects, older ones packed: both read here, git for the rest.
    const blobs = await source.readMany(chunk.map((f) => f.oid));
    chunk.forEach((f, j) => {
      const blob = blobs[j];
      if (blob?.type !== 'blob') throw new SyncError('git', `The project's object ${f.oid} (${f.path}) cannot be read`, 'run `git fsck` in the project');
      ids.set(f.oid, write('blob', blob.body));
    });
  }
  return buildTree(files.map((f) => ({ ...f, oid: ids.get(f.oid) ?? f.oid })), write);
}

export interface CommitSpec {
  tip: string;
  projectName: string;
  /** The codex's folder on `tip` (codexProjectFiles). */
  folder: CodexFolder;
  /** The new folder's tree (stageFolder). */
  tree: string | null;
  message: string;
  people: { author: Person; committer: Person };
}

/**
 * Writes one codex commit on top of `tip` whose `projects/<name>/` is the staged tree, everything else
 * untouched: new trees only on that path, then the commit, as loose objects in the cache. No index of
 * the codex, no checkout, no process: the cost follows the depth of the path.
 */
export function writeCommit(cache: CodexCache, spec: CommitSpec, write: Write = writer(cache)): string {
  const tree = replaceAt(spec.folder.levels, ['projects', spec.projectName], spec.tree, write);
  const when = Math.floor(Date.now() / 1000);
  const { author, committer } = spec.people;
  return write('commit', encodeCommit({ tree, parents: [spec.tip], author: { ...author, when }, committer: { ...committer, when }, message: spec.message }));
}

export function commitMessage(o: { projectName: string; count: number; branch: string; commit: string; env: string }): string {
  return [
    `docs(${o.projectName}): sync ${o.count} files from ${o.branch}@${o.commit.slice(0, 7)} [${o.env}]`,
    '',
    `Codex-Project: ${o.projectName}`,
    `Codex-Source-Commit: ${o.commit}`,
    `Codex-Source-Branch: ${o.branch}`,
    `Codex-Env: ${o.env}`,
    '',
  ].join('\n');
}
