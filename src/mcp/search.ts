import { spawnGit, type RunOptions } from '../git/exec.js';

export interface GrepHit {
  /** The codex path. */
  path: string;
  line: number;
  text: string;
}

export interface GrepResult {
  hits: GrepHit[];
  /** More matched than `limit`, or the search was stopped (time, output size). */
  truncated: boolean;
  timedOut: boolean;
}

export interface GrepOptions {
  ignoreCase: boolean;
  limit: number;
  /** A codex folder to search in; the whole tree when absent. */
  folder?: string;
  timeoutMs: number;
  /** The longest line shown; longer lines are cut. */
  maxLine?: number;
}

/** Most bytes of a single output record kept before the search is stopped: a line of a huge file. */
const MAX_PENDING = 1 << 20;

/**
 * `git grep` over one commit's tree: a fixed string (`-F`, so a query is never a pattern), text files
 * only (`-I`), `-z` records `<tip>:<path>\0<line>\0<text>\n`. git is stopped as soon as `limit + 1`
 * hits are in, after `timeoutMs`, or when one record grows past MAX_PENDING: the codex is untrusted and
 * a search must stay bounded in time and output.
 */
export async function grepTree(commit: string, query: string, o: GrepOptions, git: RunOptions): Promise<GrepResult> {
  const args = ['grep', '-z', '-n', '-I', '-F', '--no-color', '--no-textconv', ...(o.ignoreCase ? ['-i'] : []), '-e', query, commit, '--', ...(o.folder ? [`${o.folder}/`] : [])];
  const { child, stderr } = await spawnGit(args, git);
  child.stdin.end();
  const maxLine = o.maxLine ?? 400;
  const prefix = `${commit}:`;
  const hits: GrepHit[] = [];
  let truncated = false;
  let timedOut = false;
  let pending: Buffer = Buffer.alloc(0);
  const stop = () => child.kill('SIGKILL');
  const timer = setTimeout(() => {
    timedOut = truncated = true;
    stop();
  }, o.timeoutMs);
  git.signal?.addEventListener('abort', stop, { once: true });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return;
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      for (;;) {
        const a = pending.indexOf(0);
        const b = a < 0 ? -1 : pending.indexOf(0, a + 1);
        const end = b < 0 ? -1 : pending.indexOf(0x0a, b + 1);
        if (end < 0) break;
        const name = pending.toString('utf8', 0, a);
        const text = pending.toString('utf8', b + 1, Math.min(end, b + 1 + maxLine * 4)).slice(0, maxLine);
        hits.push({ path: name.startsWith(prefix) ? name.slice(prefix.length) : name, line: Number(pending.toString('latin1', a + 1, b)), text });
        pending = pending.subarray(end + 1);
        if (hits.length > o.limit) {
          hits.length = o.limit;
          truncated = true;
          stop();
          return;
        }
      }
      if (pending.length > MAX_PENDING) {
        truncated = true;
        stop();
      }
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      git.signal?.removeEventListener('abort', stop);
      // 1: nothing matched. A signal: we stopped it, and what came before stands.
      if (code === 0 || code === 1 || truncated) resolve({ hits, truncated, timedOut });
      else reject(new Error(`git grep failed (exit ${code}): ${stderr().trim().split('\n').pop() ?? ''}`));
    });
  });
}
