import type { ObjectReader as Reader, GitObject } from './batch.js';
import { ObjectReader } from './batch.js';
import { runGit, type RunOptions } from '../exec.js';
import { looseObjectFile, looseObjectHeader, readLooseObject } from './loose.js';
import { isSha1 } from './objects.js';
import fs from 'node:fs';
import path from 'node:path';

/** Where a sync reads git objects from: this process, or a git process that answers for it. */
export interface ObjectSource {
  read(oid: string): Promise<GitObject | null>;
  readMany(oids: string[]): Promise<Array<GitObject | null>>;
  /** Object sizes in bytes, without reading the objects; ids git does not have are left out. */
  sizes(oids: string[]): Promise<Map<string, number>>;
  close(): void;
}

/**
 * A repository's objects. Loose ones — what a commit made a moment ago, and what a small fetch brings —
 * are read in this process (a hook with nothing to do starts no git process); everything else (packs,
 * alternates, replace refs, SHA-256) is read by one `git cat-file --batch`, so reading packs stays git's.
 */
export class ObjectStore implements ObjectSource {
  private reader: Promise<Reader> | null = null;
  private current: Reader | null = null;
  private sizesRead = new Map<string, number>();

  private constructor(private objects: string, private git: RunOptions, private inProcess: boolean) {}

  /** The store of the repository whose git folder (the common one, for a worktree) is `gitDir`. */
  static open(gitDir: string, git: RunOptions): ObjectStore {
    // Replace refs change what an id reads as; git honours them, so then git alone reads.
    return new ObjectStore(path.join(gitDir, 'objects'), git, !hasReplaceRefs(gitDir));
  }

  /** Starts git's reader now (a sync starts it with its fetch, so it is ready when the fetch is done). */
  warm(): void {
    this.batch().catch(() => {}); // a failure is reported by the read that needs it
  }

  /** A loose object read in this process, or null when only git can say. */
  readHere(oid: string): GitObject | null {
    if (!this.inProcess || !isSha1(oid)) return null;
    const loose = readLooseObject(this.objects, oid);
    return loose && { oid, ...loose };
  }

  /** Whether the object is here as a loose file (false also when only git could tell). */
  hasLoose(oid: string): boolean {
    // its file is there (as git's own has_loose_object asks): objects are written whole, then renamed
    return this.inProcess && isSha1(oid) && fs.existsSync(looseObjectFile(this.objects, oid));
  }

  /**
   * A loose object's size from its header, or null when only git can say. With a `limit`, -1 for an
   * object certainly within it: deflate shrinks at most ~1032:1, so a file of `limit / 1100` bytes or
   * less holds no more than `limit` (one stat instead of an open and an inflate, for each doc of a
   * listing). Remembered: a layer sync lists the commit and its base, which share most of their blobs.
   */
  sizeHere(oid: string, limit = 0): number | null {
    if (!this.inProcess || !isSha1(oid)) return null;
    const known = this.sizesRead.get(oid);
    if (known !== undefined) return known;
    const file = looseObjectFile(this.objects, oid);
    if (limit > 0) {
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (!st) return null;
      if (st.size * 1100 <= limit) return -1;
    }
    const size = looseObjectHeader(this.objects, oid)?.size ?? null;
    if (size !== null) this.sizesRead.set(oid, size);
    return size;
  }

  async sizes(oids: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const ask: string[] = [];
    for (const oid of new Set(oids)) {
      const size = this.sizeHere(oid);
      if (size === null) ask.push(oid);
      else out.set(oid, size);
    }
    if (ask.length === 0) return out;
    const { stdout } = await runGit(['cat-file', '--batch-check=%(objectname) %(objectsize)'], { ...this.git, input: ask.join('\n') + '\n' });
    for (const line of stdout.toString('utf8').split('\n')) {
      const [oid, size] = line.split(' ');
      if (size && /^\d+$/.test(size)) out.set(oid, Number(size));
    }
    return out;
  }

  async read(oid: string): Promise<GitObject | null> {
    return (await this.readMany([oid]))[0];
  }

  async readMany(oids: string[]): Promise<Array<GitObject | null>> {
    const found = oids.map((oid) => this.readHere(oid));
    const missing = oids.filter((_, i) => !found[i]);
    if (missing.length === 0) return found;
    let answers: Array<GitObject | null>;
    try {
      answers = await (await this.batch()).readMany(missing);
    } catch (error) {
      // git's reader died under the request (killed, crashed): asked once more of a new one
      if (this.current?.alive !== false) throw error;
      answers = await (await this.batch()).readMany(missing);
    }
    let next = 0;
    return found.map((o) => o ?? answers[next++]);
  }

  close(): void {
    this.reader?.then((r) => r.close(), () => {});
  }

  /** git's reader: started on first use, and again when the last one died or could not start. */
  private batch(): Promise<Reader> {
    if (this.current && !this.current.alive) this.reader = this.current = null;
    this.reader ??= ObjectReader.start(this.git).then(
      (r) => (this.current = r),
      (error) => {
        this.reader = null;
        throw error;
      },
    );
    return this.reader;
  }
}

/** The repository has replace refs (`git replace`), loose or packed. */
export const hasReplaceRefs = (gitDir: string): boolean => fs.existsSync(path.join(gitDir, 'refs', 'replace')) || packedRefsMention(gitDir, 'refs/replace/');

function packedRefsMention(gitDir: string, prefix: string): boolean {
  try {
    return fs.readFileSync(path.join(gitDir, 'packed-refs'), 'latin1').includes(` ${prefix}`);
  } catch {
    return false;
  }
}
