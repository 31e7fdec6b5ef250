import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError, spawnGit, type RunOptions } from '../exec.js';

export interface GitObject {
  oid: string;
  type: string;
  body: Buffer;
}

interface Waiting<T> {
  resolve: (answer: T | null) => void;
  reject: (e: Error) => void;
}

const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/; // SHA-1 or SHA-256

/**
 * One long-lived `git cat-file --batch…` process: ids written to its stdin, answers read back in order,
 * for the price of one process however many are asked. Started before a fetch, it still finds what the
 * fetch brings: git looks again for packs when an object is missing, and loose objects are looked up one
 * by one. Each kind of answer (`--batch`, `--batch-check`) parses its own output (`take`).
 */
abstract class CatFile<T> {
  protected waiting: Array<Waiting<T>> = [];
  private failure: Error | null = null;

  protected constructor(private child: ChildProcessWithoutNullStreams, stderr: () => string, args: string[], redact: (s: string) => string) {
    child.stdout.on('data', (chunk: Buffer) => this.take(chunk));
    const fail = (code: number | null) => {
      this.failure = new GitError(args, code, stderr() || 'cat-file stopped answering', redact);
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    child.on('error', () => fail(null));
    child.on('close', (code) => fail(code));
  }

  protected static async spawn(args: string[], options: RunOptions) {
    return { ...(await spawnGit(args, options)), args, redact: options.redact ?? ((s: string) => s) };
  }

  /** Answers by id (null for one the repository does not have), asked with one write: they stream back while the next ones are looked up. */
  protected ask(oids: string[]): Promise<Array<T | null>> {
    if (this.failure) return Promise.reject(this.failure);
    if (oids.length === 0) return Promise.resolve([]);
    const bad = oids.find((o) => !OID.test(o));
    if (bad !== undefined) return Promise.reject(new Error(`not an object id: ${JSON.stringify(bad)}`));
    const answers = oids.map(() => new Promise<T | null>((resolve, reject) => this.waiting.push({ resolve, reject })));
    this.child.stdin.write(oids.join('\n') + '\n');
    return Promise.all(answers);
  }

  /** False once the process has gone (killed, crashed): a new one must be started. */
  get alive(): boolean {
    return this.failure === null;
  }

  /** Ends the process once it has answered everything asked. */
  close(): void {
    this.child.stdin.end();
  }

  protected abstract take(chunk: Buffer): void;
}

/** `git cat-file --batch`: whole objects by id. */
export class ObjectReader extends CatFile<GitObject> {
  private parts: Buffer[] = [];
  private have = 0;
  private head: { oid: string; type: string; size: number } | null = null;

  static async start(options: RunOptions): Promise<ObjectReader> {
    const { child, stderr, args, redact } = await CatFile.spawn(['cat-file', '--batch'], options);
    return new ObjectReader(child, stderr, args, redact);
  }

  readMany(oids: string[]): Promise<Array<GitObject | null>> {
    return this.ask(oids);
  }

  private joined(): Buffer {
    if (this.parts.length > 1) this.parts = [Buffer.concat(this.parts)];
    return this.parts[0] ?? Buffer.alloc(0);
  }

  private rest(all: Buffer, from: number): void {
    this.parts = from < all.length ? [all.subarray(from)] : [];
    this.have = all.length - from;
  }

  // `<oid> <type> <size>\n<body>\n`, or `<oid> missing\n`. A large body arrives in many chunks: they are
  // joined once, when all are in.
  protected take(chunk: Buffer): void {
    this.parts.push(chunk);
    this.have += chunk.length;
    for (;;) {
      if (!this.head) {
        const all = this.joined();
        const nl = all.indexOf(0x0a);
        if (nl < 0) return;
        const [oid, type, size] = all.subarray(0, nl).toString('latin1').split(' ');
        this.rest(all, nl + 1);
        if (type === 'missing' || size === undefined) {
          this.waiting.shift()?.resolve(null);
          continue;
        }
        this.head = { oid, type, size: Number(size) };
      }
      if (this.have < this.head.size + 1) return;
      const all = this.joined();
      const body = all.subarray(0, this.head.size);
      this.rest(all, this.head.size + 1);
      const { oid, type } = this.head;
      this.head = null;
      this.waiting.shift()?.resolve({ oid, type, body });
    }
  }
}

/**
 * `git cat-file --batch-check`: object sizes by id, without reading the objects. A reader of untrusted
 * content (the MCP server) asks the size before it reads an object whole.
 */
export class SizeReader extends CatFile<number> {
  private pending = '';

  static async start(options: RunOptions): Promise<SizeReader> {
    const { child, stderr, args, redact } = await CatFile.spawn(['cat-file', '--batch-check=%(objectname) %(objectsize)'], options);
    return new SizeReader(child, stderr, args, redact);
  }

  sizes(oids: string[]): Promise<Array<number | null>> {
    return this.ask(oids);
  }

  // `<oid> <size>\n`, or `<oid> missing\n`
  protected take(chunk: Buffer): void {
    this.pending += chunk.toString('latin1');
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const [, size] = this.pending.slice(0, nl).split(' ');
      this.pending = this.pending.slice(nl + 1);
      this.waiting.shift()?.resolve(size && /^\d+$/.test(size) ? Number(size) : null);
    }
  }
}
