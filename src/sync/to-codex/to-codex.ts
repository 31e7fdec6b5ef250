import path from 'node:path';
import { ObjectStore, type ObjectSource } from '../../git/objects/store.js';
import { SyncError } from '../../core/errors.js';
import { writeLooseObject } from '../../git/objects/loose.js';
import { encodeCommit, isTreeMode, type RawEntry } from '../../git/objects/objects.js';
import type { TreeEntry } from '../../git/objects/parse.js';
import type { Person } from '../../git/project.js';
import { unwritableCache, type CodexCache } from '../cache/cache.js';
import { buildTree, listFiles, pathChain, replaceAt, rootTree, type Write } from '../tree/codex-tree.js';
import { projectSegments, trailerLines } from '../tree/layout.js';
import { msg } from '../../core/messages.js';

export interface FilePlan {
  added: string[];
  changed: string[];
  removed: string[];
  /** Files of the project in the codex before the sync. */
  before: number;
}


/** The project's folder in a codex commit: its files, and the trees on the way for writing a new one. */
export interface CodexFolder {
  files: Map<string, TreeEntry>;
  levels: RawEntry[][];
  /** The folder's tree, or null when the codex has no such folder yet. */
  tree: string | null;
}

/** What `projects/<name>/` holds on a codex commit: only the trees on that path are read. */
export async function codexProjectFiles(reader: ObjectSource, tip: string, projectName: string): Promise<CodexFolder> {
  const { levels, target } = await pathChain(reader, await rootTree(reader, tip), projectSegments(projectName));
  const tree = target && isTreeMode(target.mode) ? target.oid : null;
  const files = new Map<string, TreeEntry>();
  if (tree) {
    const segments = projectSegments(projectName);
    const listed = await listFiles(reader, tree, '', segments.length);
    // The folder is rewritten from this listing: one it cannot hold whole is never written over.
    if (listed.skipped.length) throw new SyncError('git', msg.ownFolderOverBound(segments.join('/'), listed.skipped.map((s) => s.path)), msg.ownFolderOverBoundHint(segments.join('/')));
    for (const e of listed.files) files.set(e.path, e);
  }
  return { files, levels, tree };
}

/**
 * What a sync changes in the project's codex folder (design §4). Pure: the folder becomes `selection` (the
 * commit's selection in mirror mode, the computed folder in layer mode: layers/), both with the codex's
 * blob ids; files no longer in it are removed.
 */
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

/** Writes objects into the cache as loose files (in-process, no git). */
export const writer = (cache: CodexCache): Write => {
  const objects = path.join(cache.dir, 'objects');
  return (type, body) => {
    try {
      return writeLooseObject(objects, type, body);
    } catch (error) {
      throw unwritableCache(cache.dir, error) ?? error; // a full or read-only cache: named, with the way out
    }
  };
};

export interface Staged {
  /** The selection's own tree (what `mirror` writes), or null for an empty selection. */
  tree: string | null;
  /** The codex's id of each selected blob whose project id differs (a SHA-256 project). */
  ids: Map<string, string>;
}

/** The selection with the blob ids the codex knows them by (see Staged.ids). */
export const codexIds = (files: TreeEntry[], ids: Map<string, string>): TreeEntry[] => (ids.size ? files.map((f) => ({ ...f, oid: ids.get(f.oid) ?? f.oid })) : files);

/**
 * Copies into the cache the selected blobs it lacks (`has` says which it has), read from the project
 * (`source`) (only those: no project history moves) and writes the selection's trees. Both depend on the
 * commit alone, so this runs while the codex is fetched. Copying a blob the cache has packed is harmless
 * (a duplicate a repack drops), so `has` may answer from what it can see cheaply.
 */
export async function stageFolder(cache: CodexCache, has: (oids: string[]) => Promise<Set<string>> | Set<string>, source: ObjectStore, files: TreeEntry[], write: Write = writer(cache)): Promise<Staged> {
  const present = await has(files.map((f) => f.oid));
  const lacking = [...new Map(files.filter((f) => !present.has(f.oid)).map((f) => [f.oid, f])).values()];
  // The id each blob has in the cache: the project's own, unless the two use different hashes (a
  // SHA-256 project), when the copy's is used.
  const ids = new Map<string, string>();
  for (let i = 0; i < lacking.length; i += 256) {
    const chunk = lacking.slice(i, i + 256);
    // Docs committed a moment ago are loose objects, read here; git reads the packed ones.
    const blobs = await source.readMany(chunk.map((f) => f.oid));
    chunk.forEach((f, j) => {
      const blob = blobs[j];
      if (blob?.type !== 'blob') throw new SyncError('git', msg.projectObjectUnreadable(f.oid, f.path), msg.projectObjectUnreadableHint);
      const id = write('blob', blob.body);
      if (id !== f.oid) ids.set(f.oid, id);
    });
  }
  return { tree: buildTree(codexIds(files, ids), write), ids };
}

/** The trees of a folder holding `files` (codex ids), written into the cache; null when empty. */
export const folderTree = (cache: CodexCache, files: TreeEntry[]): string | null => buildTree(files, writer(cache));

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
  const tree = replaceAt(spec.folder.levels, projectSegments(spec.projectName), spec.tree, write);
  const when = Math.floor(Date.now() / 1000);
  const { author, committer } = spec.people;
  return write('commit', encodeCommit({ tree, parents: [spec.tip], author: { ...author, when }, committer: { ...committer, when }, message: spec.message }));
}

export function commitMessage(o: { projectName: string; count: number; branch: string; commit: string; env: string }): string {
  return [
    `docs(${o.projectName}): sync ${o.count} file${o.count === 1 ? '' : 's'} from ${o.branch}@${o.commit.slice(0, 7)} [${o.env}]`,
    '',
    ...trailerLines({ project: o.projectName, sourceCommit: o.commit, sourceBranch: o.branch, env: o.env }),
    '',
  ].join('\n');
}
