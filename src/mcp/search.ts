import { spawnGit, type RunOptions } from '../git/exec.js';
import { readerMsg } from '../ui/messages.js';
import { LIMITS } from './docs.js';
import { uriOfPath } from './listing.js';
import { ReaderError, type Reader } from './reader.js';
import { printable } from './uri.js';

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

export interface SearchInput {
  query: string;
  project?: string;
  limit?: number;
  case_sensitive?: boolean;
}

export const MAX_QUERY = 1000;
const CONTROL = /[\u0000-\u001f\u007f]/;

/** codex_search: lines of released docs holding the query (a fixed string), case-insensitive unless asked. */
export async function searchDocs(reader: Reader, org: string, input: SearchInput) {
  if (input.query.length > MAX_QUERY) throw new ReaderError('bad-input', readerMsg.queryTooLong(input.query.length, MAX_QUERY), readerMsg.queryTooLongHint);
  if (!input.query.trim()) throw new ReaderError('bad-input', readerMsg.queryEmpty, readerMsg.queryEmptyHint);
  if (CONTROL.test(input.query)) throw new ReaderError('bad-input', readerMsg.queryRefused(readerMsg.queryControl), readerMsg.queryRefusedHint);
  const { snapshot, note } = await reader.production();
  let folder: string | undefined;
  if (input.project !== undefined) {
    const base = /^[A-Za-z0-9._-]+$/.test(input.project) && input.project !== '.' && input.project !== '..' ? await snapshot.base(input.project) : null;
    if (base === null) throw new ReaderError('not-found', readerMsg.unknownProject(printable(input.project, 100), reader.settings.branch), readerMsg.listProjectsHint);
    folder = base;
  }
  const limit = input.limit ?? 20;
  const timeoutMs = Math.min(LIMITS.searchSeconds * 1000, reader.settings.timeoutMs);
  const result = await grepTree(snapshot.tip, input.query, { ignoreCase: !input.case_sensitive, limit, folder, timeoutMs }, { cwd: reader.cacheDir, env: reader.settings.env, signal: reader.signal });
  const projects = new Set((await snapshot.bases()).filter((b) => b.kind === 'project').map((b) => b.name));
  const hits = result.hits.map((h) => ({ uri: uriOfPath(org, h.path, projects), path: h.path, line: h.line, text: h.text }));
  return { hits, truncated: result.truncated, timedOut: result.timedOut, limit, timeoutSeconds: timeoutMs / 1000, note };
}
