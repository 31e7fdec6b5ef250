import { commitTree, isTreeMode, parseTree, type RawEntry } from '../git/objects/objects.js';
import type { GitObject } from '../git/objects/batch.js';
import type { ObjectStore } from '../git/objects/store.js';
import { PROJECTS, projectDir } from '../sync/tree/layout.js';
import { CodexTrees, type Walked } from '../sync/tree/codex-walk.js';
import { entriesOf, lacks } from '../sync/tree/codex-tree.js';

/** A file of the codex as the reader shows it: its codex path and what git says of it. */
export interface CodexFile {
  path: string;
  mode: string;
  oid: string;
}

/** A tree's entries by object id: trees are content-addressed, so every tip shares one memo. */
export class TreeMemo {
  private trees = new Map<string, RawEntry[]>();
  /**
   * `strict` (codex-hooks fetch): a tree or commit the cache lacks, or cannot parse, is a damaged cache
   * (a SyncError with the way out), not a path that is not there.
   */
  constructor(private store: ObjectStore, private max = 50_000, readonly strict = false) {}

  async object(oid: string): Promise<GitObject | null> {
    return this.store.readHere(oid) ?? (await this.store.read(oid));
  }

  async entries(oid: string): Promise<RawEntry[] | null> {
    const known = this.trees.get(oid);
    if (known) return known;
    const o = await this.object(oid);
    if (!o || o.type !== 'tree') {
      if (this.strict) throw lacks('tree', oid);
      return null;
    }
    if (this.trees.size >= this.max) this.trees.clear(); // a codex of many folders: start over, never grow without end
    const entries = this.strict ? entriesOf(o.body, oid) : parseTree(o.body);
    this.trees.set(oid, entries);
    return entries;
  }
}

const nameOf = (e: RawEntry) => e.name.toString('utf8');
const byPath = (files: CodexFile[]) => files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

/**
 * One commit of the codex, read through the store (git/objects/store.ts: loose objects in this process, packs by
 * one long-lived git cat-file), trees kept by id: no git process starts per read. The folder a
 * URI's project names is `projects/<name>` when the codex has that project, else the top-level folder
 * `<name>` (`shared`, say).
 */
export class Snapshot {
  private root: Promise<string | null> | null = null;

  constructor(private memo: TreeMemo, readonly tip: string) {}

  private rootTree(): Promise<string | null> {
    this.root ??= this.memo.object(this.tip).then((c) => {
      const tree = c?.type === 'commit' ? commitTree(c.body) : null;
      if (this.memo.strict && !tree) throw c?.type === 'commit' ? lacks('tree of commit', this.tip) : lacks('commit', this.tip);
      return tree;
    });
    return this.root;
  }

  /** An object of the cache (a document's blob), read in this process when it can be. */
  object(oid: string): Promise<GitObject | null> {
    return this.memo.object(oid);
  }

  /** The entry at a codex path ('' is the root folder), or null. */
  async at(codexPath: string): Promise<RawEntry | null> {
    const root = await this.rootTree();
    if (!root) return null;
    let current: RawEntry = { mode: '40000', name: Buffer.alloc(0), oid: root };
    for (const segment of codexPath ? codexPath.split('/') : []) {
      if (!isTreeMode(current.mode)) return null;
      const entries = await this.memo.entries(current.oid);
      const next = entries?.find((e) => nameOf(e) === segment);
      if (!next) return null;
      current = next;
    }
    return current;
  }

  /** Entries of the folder at a codex path, or null when it is no folder. */
  async folder(codexPath: string): Promise<RawEntry[] | null> {
    const e = await this.at(codexPath);
    return e && isTreeMode(e.mode) ? this.memo.entries(e.oid) : null;
  }

  /** The codex folder a URI's project name stands for, or null when the codex has neither. */
  async base(name: string): Promise<string | null> {
    const projects = await this.folder(PROJECTS);
    if (projects?.some((e) => nameOf(e) === name && isTreeMode(e.mode))) return projectDir(name);
    if (name === PROJECTS) return null;
    const top = await this.folder('');
    return top?.some((e) => nameOf(e) === name && isTreeMode(e.mode)) ? name : null;
  }

  /**
   * The names a URI's project part can take, each with its folder: every project, then every other
   * top-level folder that no project's name hides.
   */
  async bases(): Promise<Array<{ name: string; folder: string; kind: 'project' | 'folder' }>> {
    const projects = ((await this.folder(PROJECTS)) ?? []).filter((e) => isTreeMode(e.mode)).map(nameOf);
    const taken = new Set(projects);
    const others = ((await this.folder('')) ?? []).filter((e) => isTreeMode(e.mode) && nameOf(e) !== PROJECTS && !taken.has(nameOf(e))).map(nameOf);
    return [
      ...projects.map((name) => ({ name, folder: projectDir(name), kind: 'project' as const })),
      ...others.map((name) => ({ name, folder: name, kind: 'folder' as const })),
    ];
  }

  /**
   * Every file under a codex folder (blobs, links and submodules, in the order the walk meets them), at
   * most `max` (then `more` is true), within the bounds of sync/tree/bounds.ts: folders past them are
   * `skipped` (a tree bomb is sized, never expanded).
   */
  async walk(folder: string, max = Infinity): Promise<Walked> {
    const start = await this.at(folder);
    if (!start || !isTreeMode(start.mode)) return { files: [], more: false, skipped: [] };
    const read = (oids: string[]) => Promise.all(oids.map(async (oid) => (await this.memo.entries(oid)) ?? []));
    return new CodexTrees(read).walk(start.oid, folder ? `${folder}/` : '', folder ? folder.split('/').length : 0, { maxFiles: max });
  }

  /** The files of walk(), sorted by path; `more` also when a folder was skipped. */
  async files(folder: string, max: number): Promise<{ files: CodexFile[]; more: boolean; skipped: string[] }> {
    const walked = await this.walk(folder, max);
    const files = walked.files.map((e) => ({ path: e.path, mode: e.mode, oid: e.oid }));
    return { files: byPath(files), more: walked.more || walked.skipped.length > 0, skipped: walked.skipped.map((f) => f.path) };
  }

}
