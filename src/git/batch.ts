import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError, spawnGit, type RunOptions } from './exec.js';

export interface GitObject {
  oid: string;
  type: string;
  body: Buffer;
}

interface Waiting {
  resolve: (o: GitObject | null) => void;
  reject: (e: Error) => void;
}

const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/; // SHA-1 or SHA-256

/**
 * One long-lived `git cat-file --batch`: objects by id, answered in order, for the price of one process
 * however many are read. Started before a fetch, it still finds what the fetch brings: git looks again
 * for packs when an object is missing, and loose objects are looked up one by one.
 */
export class ObjectReader {
  private waiting: Waiting[] = [];
  private parts: Buffer[] = [];
  private have = 0;
  private head: { oid: string; type: string; size: number } | null = null;
  private failure: Error | null = null;

  private constructor(private child: ChildProcessWithoutNullStreams, stderr: () => string, args: string[], redact: (s: string) => string) {
    child.stdout.on('data', (chunk: Buffer) => this.take(chunk));
    const fail = (code: number | null) => {
      this.failure = new GitError(args, code, stderr() || 'cat-file stopped answering', redact);
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    child.on('error', () => fail(null));
    child.on('close', (code) => fail(code));
  }

  static async start(options: RunOptions): Promise<ObjectReader> {
    const args = ['cat-file', '--batch'];
    const { child, stderr } = await spawnGit(args, options);
    return new ObjectReader(child, stderr, args, options.redact ?? ((s) => s));
  }

  /**
   * Objects by id (null for one the repository does not have), asked with one write: the answers stream
   * back while the next ones are looked up.
   */
  readMany(oids: string[]): Promise<Array<GitObject | null>> {
    if (this.failure) return Promise.reject(this.failure);
    if (oids.length === 0) return Promise.resolve([]);
    const bad = oids.find((o) => !OID.test(o));
    if (bad !== undefined) return Promise.reject(new Error(`not an object id: ${JSON.stringify(bad)}`));
    const answers = oids.map(() => new Promise<GitObject | null>((resolve, reject) => this.waiting.push({ resolve, reject })));
    this.child.stdin.write(oids.join('\n') + '\n');
    return Promise.all(answers);
  }

  /** Ends the process once it has answered everything asked. */
  close(): void {
    this.child.stdin.end();
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
  private take(chunk: Buffer): void {
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
