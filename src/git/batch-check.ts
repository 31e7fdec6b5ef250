import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError, spawnGit, type RunOptions } from './exec.js';

const OID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/**
 * One long-lived `git cat-file --batch-check`: object sizes by id, without reading the objects, for the
 * price of one process however many are asked. A reader of untrusted content (the MCP server) asks the
 * size before it reads an object whole.
 */
export class SizeReader {
  private waiting: Array<{ resolve: (size: number | null) => void; reject: (e: Error) => void }> = [];
  private pending = '';
  private failure: Error | null = null;

  private constructor(private child: ChildProcessWithoutNullStreams, stderr: () => string, args: string[], redact: (s: string) => string) {
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (chunk: string) => this.take(chunk));
    const fail = (code: number | null) => {
      this.failure = new GitError(args, code, stderr() || 'cat-file stopped answering', redact);
      for (const w of this.waiting.splice(0)) w.reject(this.failure);
    };
    child.on('error', () => fail(null));
    child.on('close', (code) => fail(code));
  }

  static async start(options: RunOptions): Promise<SizeReader> {
    const args = ['cat-file', '--batch-check=%(objectname) %(objectsize)'];
    const { child, stderr } = await spawnGit(args, options);
    return new SizeReader(child, stderr, args, options.redact ?? ((s) => s));
  }

  /** Sizes in bytes, null for an object the repository does not have; asked with one write. */
  sizes(oids: string[]): Promise<Array<number | null>> {
    if (this.failure) return Promise.reject(this.failure);
    if (oids.length === 0) return Promise.resolve([]);
    const bad = oids.find((o) => !OID.test(o));
    if (bad !== undefined) return Promise.reject(new Error(`not an object id: ${JSON.stringify(bad)}`));
    const answers = oids.map(() => new Promise<number | null>((resolve, reject) => this.waiting.push({ resolve, reject })));
    this.child.stdin.write(oids.join('\n') + '\n');
    return Promise.all(answers);
  }

  close(): void {
    this.child.stdin.end();
  }

  // `<oid> <size>\n`, or `<oid> missing\n`
  private take(chunk: string): void {
    this.pending += chunk;
    let nl: number;
    while ((nl = this.pending.indexOf('\n')) >= 0) {
      const [, size] = this.pending.slice(0, nl).split(' ');
      this.pending = this.pending.slice(nl + 1);
      this.waiting.shift()?.resolve(size && /^\d+$/.test(size) ? Number(size) : null);
    }
  }
}
