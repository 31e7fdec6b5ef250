import fs from 'node:fs';
import path from 'node:path';
import { ObjectReader, type GitObject } from './batch.js';
import { runGit, type RunOptions } from './exec.js';
import { looseObjectFile, looseObjectHeader, readLooseObject } from './loose.js';
import { isSha1 } from './objects.js';
import { Pack } from './pack.js';

/** Where a sync reads git objects from: this process, or a git process that answers for it. */
export interface ObjectSource {
  read(oid: string): Promise<GitObject | null>;
  readMany(oids: string[]): Promise<Array<GitObject | null>>;
  /** Object sizes in bytes, without reading the objects; ids git does not have are left out. */
  sizes(oids: string[]): Promise<Map<string, number>>;
  close(): void;
}

/**
 * A repository's objects read in this process: loose files and version-2 packs, the two forms git
 * itself writes here. Whatever is not found that way (an alternate, a SHA-256 repository, a pack of
 * another version, replace refs in force) is asked of one `git cat-file --batch`, started only when
 * first needed, so the answer is always git's.
 */
export class ObjectStore implements ObjectSource {
  private packs = new Map<string, Pack | null>();
  private packDirStamp = -1;
  private fallback: Promise<ObjectReader> | null = null;

  private constructor(private objects: string, private git: RunOptions, private inProcess: boolean) {}

  /** The store of the repository whose git folder (the common one, for a worktree) is `gitDir`. */
  static open(gitDir: string, git: RunOptions): ObjectStore {
    // Replace refs change what an id reads as; git honours them, so then git alone reads.
    const replaced = fs.existsSync(path.join(gitDir, 'refs', 'replace')) || packedRefsMention(gitDir, 'refs/replace/');
    return new ObjectStore(path.join(gitDir, 'objects'), git, !replaced);
  }

  /** The object from this process, or null when only git can say. */
  readHere(oid: string): GitObject | null {
    if (!this.inProcess || !isSha1(oid)) return null;
    const loose = readLooseObject(this.objects, oid);
    if (loose) return { oid, ...loose };
    const packed = this.inPacks(oid, (pack, at) => pack.read(at, (base) => this.readHere(base)));
    return packed && { oid, ...packed };
  }

  /** Whether the object is here as a loose file or in a pack (false also when only git could tell). */
  has(oid: string): boolean {
    if (!this.inProcess || !isSha1(oid)) return false;
    return fs.existsSync(looseObjectFile(this.objects, oid)) || this.inPacks(oid, () => true) !== null;
  }

  /**
   * An object's size without reading it whole; -1 when it is certainly at most `limit` bytes (a loose
   * file of n bytes inflates to at most ~1032·n: deflate's largest ratio), null when only git can say.
   */
  sizeHere(oid: string, limit = 0): number | null {
    if (!this.inProcess || !isSha1(oid)) return null;
    if (limit > 0) {
      const st = fs.statSync(looseObjectFile(this.objects, oid), { throwIfNoEntry: false });
      if (st && st.size * 1100 <= limit) return -1;
    }
    const loose = looseObjectHeader(this.objects, oid);
    return loose ? loose.size : this.inPacks(oid, (pack, at) => pack.sizeAt(at));
  }

  async sizes(oids: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const ask: string[] = [];
    for (const oid of new Set(oids)) {
      const size = this.sizeHere(oid);
      if (size === null || size < 0) ask.push(oid);
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
    this.fallback ??= ObjectReader.start(this.git);
    const answers = await (await this.fallback).readMany(missing);
    let next = 0;
    return found.map((o) => o ?? answers[next++]);
  }

  close(): void {
    for (const pack of this.packs.values()) pack?.close();
    this.packs.clear();
    this.fallback?.then((r) => r.close(), () => {});
  }

  /**
   * `use` applied to the object in the first pack that has it and gives an answer; the pack folder is
   * looked at again once when none does (a fetch may have written a pack since).
   */
  private inPacks<T>(oid: string, use: (pack: Pack, offset: number) => T | null): T | null {
    const search = () => {
      for (const pack of this.packs.values()) {
        const offset = pack?.offsetOf(oid);
        const answer = offset == null ? null : use(pack!, offset);
        if (answer !== null) return answer;
      }
      return null;
    };
    if (this.packDirStamp < 0) this.rescanPacks();
    const found = search();
    return found !== null || !this.rescanPacks() ? found : search();
  }

  /** Opens packs that appeared since the last look (a fetch writes one); true when there were any. */
  private rescanPacks(): boolean {
    const dir = path.join(this.objects, 'pack');
    let stamp: number;
    let names: string[];
    try {
      stamp = fs.statSync(dir).mtimeMs;
      if (stamp === this.packDirStamp) return false;
      names = fs.readdirSync(dir);
    } catch {
      return false;
    }
    this.packDirStamp = stamp;
    let added = false;
    for (const name of names) {
      if (!name.endsWith('.idx')) continue;
      const base = path.join(dir, name.slice(0, -4));
      if (this.packs.has(base)) continue;
      this.packs.set(base, Pack.open(base));
      added = true;
    }
    return added;
  }
}

function packedRefsMention(gitDir: string, prefix: string): boolean {
  try {
    return fs.readFileSync(path.join(gitDir, 'packed-refs'), 'latin1').includes(` ${prefix}`);
  } catch {
    return false;
  }
}
