import { setImmediate as yieldTurn } from 'node:timers/promises';
import fs from 'node:fs';
import path from 'node:path';
import { commitTree } from '../../git/objects/objects.js';
import type { ObjectSource } from '../../git/objects/store.js';
import { diffTrees, listFiles } from '../../sync/tree/codex-tree.js';
import { docFields, isIndexable } from './doc-text.js';
import { TextIndex } from './text-index.js';

/** Bounds on what one index holds and reads: the codex is untrusted. */
export const INDEX_LIMITS = {
  docs: 250_000,
  /** Larger blobs are indexed by their path only. */
  blobBytes: 4 << 20,
  /** Blobs read per request to git (and between two turns of the event loop). */
  batch: 1000,
};

export const INDEX_FOLDER = 'codex-hooks-search';

export interface IndexView {
  /** The index to answer from, or null: none yet (then git grep answers). */
  index: TextIndex | null;
  /** The index describes the asked tree. */
  current: boolean;
  /** A build in progress: documents read so far of how many. */
  building: { done: number; total: number } | null;
}


/**
 * The search index of the production tree (design §8), kept under the codex's cache folder as
 * `codex-hooks-search/<tree>.json` (one file: the newest tree's; a replica or a restart loads it). A new
 * tip is indexed from the diff of the indexed tree to the new one, so a release of 10 docs re-reads 10
 * docs. Builds run in the background, one at a time: `view()` never waits for one, and answers with the
 * last index (or none) meanwhile.
 */
export class IndexKeeper {
  private index: TextIndex | null = null;
  private build: { tree: string; done: number; total: number; promise: Promise<void> } | null = null;
  private readonly dir: string;
  lastError: string | null = null;
  /** What the last build did: loaded a saved index, updated one from a diff, or read every doc. */
  lastBuild: { kind: 'loaded' | 'update' | 'full'; docsRead: number; ms: number; tree: string } | null = null;

  constructor(cacheDir: string, private objects: () => ObjectSource, private log?: (line: string) => void) {
    this.dir = path.join(cacheDir, INDEX_FOLDER);
  }

  /** What to answer `commit`'s searches with now; starts (or goes on with) the build of its tree. */
  async view(commit: string): Promise<IndexView> {
    const c = await this.objects().read(commit);
    const tree = c?.type === 'commit' ? commitTree(c.body) : null;
    if (!tree) return { index: this.index, current: false, building: null };
    if (this.index?.tree === tree) return { index: this.index, current: true, building: null };
    if (!this.build) {
      const b = { tree, done: 0, total: 0, promise: Promise.resolve() };
      b.promise = this.update(commit, tree, b)
        .catch((error) => {
          this.lastError = (error as Error).message;
          this.log?.(`codex-hooks mcp: the search index of ${commit.slice(0, 12)} could not be built: ${this.lastError}`);
        })
        .finally(() => (this.build = null));
      this.build = b;
    }
    return { index: this.index, current: false, building: { done: this.build.done, total: this.build.total } };
  }

  /** Waits for the build in progress (tests, the bench, a server that closes). */
  async settled(): Promise<void> {
    while (this.build) await this.build.promise;
  }

  private async update(commit: string, tree: string, progress: { done: number; total: number }): Promise<void> {
    const started = Date.now();
    const saved = this.index ? null : await this.loadSaved(tree);
    let base = this.index ?? saved;
    if (base?.tree === tree) {
      this.index = base;
      this.lastBuild = { kind: 'loaded', docsRead: 0, ms: Date.now() - started, tree };
      return;
    }
    const objects = this.objects();
    // the indexed tree gone from the cache (a cache made again): read every doc instead
    const changes = base ? await diffTrees(objects, base.tree, tree).catch(() => null) : null;
    if (!changes) base = null;
    const kind = base ? 'update' : 'full';
    let changed: Array<{ path: string; oid: string }>;
    if (base && changes) {
      const removed = changes.filter((ch) => ch.status === 'D');
      // A copy is changed while the index in service answers; it takes the copy's place when whole.
      const start = base === this.index ? base.copy() : base;
      for (const r of removed) {
        if (!r.folder) start.remove(r.path);
        else for (const p of [...start.paths()]) if (p.startsWith(`${r.path}/`)) start.remove(p);
      }
      changed = changes.filter((ch) => ch.status !== 'D' && ch.entry).map((ch) => ({ path: ch.path, oid: ch.entry!.oid, mode: ch.entry!.mode })).filter((f) => f.mode !== '160000' && f.mode !== '120000');
      base = start;
    } else {
      const { files } = await listFiles(objects, tree); // bounded (sync/tree/bounds.ts): a folder past the bounds is not indexed
      changed = files.filter((f) => f.mode !== '160000' && f.mode !== '120000').map((f) => ({ path: f.path, oid: f.oid }));
      base = TextIndex.empty();
    }
    changed = changed.filter((f) => isIndexable(f.path));
    const at = commitTime(await objects.read(commit));
    const since = kind === 'update' ? commit : null; // a full build does not know when each doc arrived
    progress.total = changed.length;
    const room = Math.max(0, INDEX_LIMITS.docs - base.size);
    changed = changed.slice(0, room);
    // every size in one request per 20,000 (a git process each): blobs over the bound are never read
    const sizes = new Map<string, number>();
    for (let i = 0; i < changed.length; i += 20_000) for (const [oid, n] of await objects.sizes(changed.slice(i, i + 20_000).map((f) => f.oid))) sizes.set(oid, n);
    for (let i = 0; i < changed.length; i += INDEX_LIMITS.batch) {
      const batch = changed.slice(i, i + INDEX_LIMITS.batch);
      const small = batch.filter((f) => (sizes.get(f.oid) ?? Infinity) <= INDEX_LIMITS.blobBytes);
      const blobs = await objects.readMany(small.map((f) => f.oid));
      const body = new Map(small.map((f, j) => [f.path, blobs[j]?.type === 'blob' ? blobs[j]!.body : null]));
      for (const f of batch) {
        const content = body.get(f.path);
        const fields = content ? docFields(f.path, content) : content === undefined ? docFields(f.path, Buffer.alloc(0)) : null;
        if (fields) base.add({ path: f.path, oid: f.oid, since, at: since ? at : null }, fields);
        else base.remove(f.path);
      }
      progress.done = i + batch.length;
      await yieldTurn();
    }
    base.finish();
    base.tree = tree;
    base.commit = commit;
    this.index = base;
    this.lastBuild = { kind, docsRead: changed.length, ms: Date.now() - started, tree };
    this.lastError = null;
    await this.save(base);
  }

  /** The saved index of `tree`, else the newest saved one (to update from), else null. */
  private async loadSaved(tree: string): Promise<TextIndex | null> {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir).filter((n) => /^[0-9a-f]{40}\.json$/.test(n));
    } catch {
      return null;
    }
    const newest = names.map((n) => ({ n, t: fs.statSync(path.join(this.dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 })).sort((a, b) => b.t - a.t);
    const order = [...newest.filter((x) => x.n === `${tree}.json`), ...newest.filter((x) => x.n !== `${tree}.json`)];
    for (const { n } of order) {
      try {
        const index = await TextIndex.load(await fs.promises.readFile(path.join(this.dir, n), 'utf8'));
        if (index) return index;
      } catch {
        // a damaged or older-format file: the next one, or a full build
      }
    }
    return null;
  }

  /** Written aside and renamed; older trees' files removed. A read-only cache only costs the next start a build. */
  private async save(index: TextIndex): Promise<void> {
    const file = path.join(this.dir, `${index.tree}.json`);
    const tmp = `${file}.tmp-${process.pid}`;
    try {
      await fs.promises.mkdir(this.dir, { recursive: true });
      const out = await fs.promises.open(tmp, 'w');
      try {
        for (const piece of index.toJSONPieces()) await out.write(piece);
      } finally {
        await out.close();
      }
      await fs.promises.rename(tmp, file);
      for (const n of fs.readdirSync(this.dir)) if (n !== path.basename(file) && !n.includes('.tmp-')) fs.rmSync(path.join(this.dir, n), { force: true });
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      this.log?.(`codex-hooks mcp: the search index could not be saved in ${this.dir}: ${(error as Error).message}`);
    }
  }
}

function commitTime(c: { type: string; body: Buffer } | null): number | null {
  const when = c?.type === 'commit' ? /^committer .* (\d+) [+-]\d{4}$/m.exec(c.body.toString('utf8'))?.[1] : undefined;
  return when ? Number(when) : null;
}
