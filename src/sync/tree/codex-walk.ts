import { isTreeMode, listedEntry, type RawEntry } from '../../git/objects/objects.js';
import type { TreeEntry } from '../../git/objects/parse.js';
import { CODEX_TREE, type CodexTreeBounds } from './bounds.js';

/** Reads trees by id (each answer a tree's entries); a tree that cannot be read throws. */
export type ReadTrees = (oids: string[]) => Promise<RawEntry[][]>;

/** A codex folder a listing left out: it holds more than the bound's paths, or paths too deep. */
export interface SkippedFolder {
  path: string;
  reason: 'paths' | 'depth';
}

export interface Walked {
  files: TreeEntry[];
  skipped: SkippedFolder[];
  /** `maxFiles` was reached: more files than those listed. */
  more: boolean;
}

interface Size {
  /** Paths inside the folder (files and folders, all the way down). */
  paths: number;
  /** Levels of entries below it: 1 for a folder of files, 0 for an empty one. */
  height: number;
}

/** Let timers run (the sync's deadline, design §4) during work that only awaits what is already here. */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Bounded listings of codex trees (bounds.ts). Each distinct tree is read once, level by level (one
 * request per level), and sized before anything is expanded: a tree that names one subtree many times
 * costs its distinct objects, never its paths. A folder that fits in what is left of the bound is listed
 * whole; one that does not is skipped whole, unless some of its entries fit: then those are listed and
 * the rule applies to the rest. So a bomb in `shared/bomb/` costs `shared/bomb` only.
 */
export class CodexTrees {
  private entries = new Map<string, RawEntry[]>();
  /** Trees not read because they lie below the depth bound. */
  private deep = new Set<string>();
  private sizes = new Map<string, Size>();

  constructor(
    private read: ReadTrees,
    private bounds: CodexTreeBounds = CODEX_TREE,
    private signal?: AbortSignal,
  ) {}

  /** Reads the distinct trees under `tree` (a folder at `depth`), down to the depth bound, at most `bounds.paths` entries. */
  private async load(tree: string, depth: number): Promise<void> {
    let level = [tree];
    let budget = this.bounds.paths;
    for (let d = depth; level.length && budget >= 0; d++) {
      if (d > this.bounds.depth) {
        for (const oid of level) this.deep.add(oid);
        return;
      }
      const want = level.filter((oid) => !this.entries.has(oid));
      if (want.length) {
        const got = await this.read(want);
        want.forEach((oid, i) => this.entries.set(oid, got[i]));
        await pause();
        this.signal?.throwIfAborted();
      }
      const next = new Set<string>();
      for (const oid of level) {
        const entries = this.entries.get(oid)!;
        budget -= entries.length;
        for (const e of entries) if (isTreeMode(e.mode) && !this.entries.has(e.oid)) next.add(e.oid);
      }
      level = [...next];
    }
  }

  /** A folder's size; unread folders are over the bound (paths) or below the depth bound (height). */
  private size(oid: string): Size {
    const known = this.sizes.get(oid);
    if (known) return known;
    const entries = this.entries.get(oid);
    if (!entries) return this.deep.has(oid) ? { paths: 0, height: Infinity } : { paths: Infinity, height: 0 };
    let paths = entries.length;
    let height = 0;
    for (const e of entries) {
      height = Math.max(height, 1);
      if (!isTreeMode(e.mode)) continue;
      const s = this.size(e.oid);
      paths += s.paths;
      height = Math.max(height, s.height + 1);
    }
    const size = { paths, height };
    if (Number.isFinite(paths) && Number.isFinite(height)) this.sizes.set(oid, size);
    return size;
  }

  /**
   * The files under `tree` (the folder `prefix`, `depth` folders below the codex's root), paths after
   * `prefix`, within the bounds; `maxFiles` stops the listing early (`more`). With `files: false` only
   * what would be skipped is worked out.
   */
  async walk(tree: string, prefix: string, depth: number, o: { maxFiles?: number; files?: boolean } = {}): Promise<Walked> {
    await this.load(tree, depth);
    const { paths: maxPaths, depth: maxDepth } = this.bounds;
    const maxFiles = o.maxFiles ?? Infinity;
    const out: Walked = { files: [], skipped: [], more: false };
    let remaining = maxPaths;
    let work = 0;
    const fits = (e: RawEntry, d: number) => {
      if (!isTreeMode(e.mode)) return remaining >= 1 && d + 1 <= maxDepth;
      const s = this.size(e.oid);
      return 1 + s.paths <= remaining && d + 1 + s.height <= maxDepth;
    };
    const busy = async () => {
      if (++work % 4096 === 0) {
        await pause();
        this.signal?.throwIfAborted();
      }
    };
    // Everything under a folder known to fit (from what was read: no reads here).
    const all = async (oid: string, path: string): Promise<void> => {
      for (const e of this.entries.get(oid)!) {
        if (out.more) return;
        await busy();
        const p = path + e.name.toString('utf8');
        if (isTreeMode(e.mode)) await all(e.oid, p + '/');
        else if (o.files === false) continue;
        else if (out.files.length >= maxFiles) out.more = true;
        else out.files.push(listedEntry(e, p));
      }
    };
    const visit = async (oid: string, path: string, d: number): Promise<void> => {
      const s = this.size(oid);
      const entries = this.entries.get(oid);
      if (entries && s.paths <= remaining && d + s.height <= maxDepth) {
        remaining -= s.paths;
        return all(oid, path);
      }
      const skip = () => void out.skipped.push({ path: path.replace(/\/$/, ''), reason: s.paths <= remaining && Number.isFinite(s.paths) ? 'depth' : 'paths' });
      if (!entries || entries.length > remaining || !entries.some((e) => fits(e, d))) return skip();
      remaining -= entries.length;
      for (const e of entries) {
        if (out.more) return;
        await busy();
        const p = path + e.name.toString('utf8');
        if (!isTreeMode(e.mode)) {
          if (o.files === false) continue;
          if (out.files.length >= maxFiles) out.more = true;
          else out.files.push(listedEntry(e, p));
        } else if (fits(e, d)) {
          remaining -= this.size(e.oid).paths;
          await all(e.oid, p + '/');
        } else await visit(e.oid, p + '/', d + 1);
      }
    };
    await visit(tree, prefix, depth);
    return out;
  }
}
