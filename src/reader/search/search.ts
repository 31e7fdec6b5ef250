import { spawnGit, type RunOptions } from '../../git/exec.js';
import { readerMsg } from '../../core/messages.js';
import { LIMITS } from '../docs.js';
import { uriOfPath } from '../listing.js';
import { ReaderError, type Reader } from '../reader.js';
import { printable } from '../uri.js';
import { docFields, TEXT_LIMITS } from './doc-text.js';
import { parseQuery, termsOf } from './text-index.js';

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

export interface SearchHit {
  /** Null for a file no URI of this reader names (see uriOfPath). */
  uri: string | null;
  path: string;
  /** The project (or top-level folder) the doc is in. */
  project: string;
  title: string;
  /** Front-matter `description` and `tags` ('' when none). */
  description: string;
  tags: string;
  /** BM25+ relevance (higher is better); null for git grep's matches. */
  score: number | null;
  /** The best line's number and text (the first of `snippet`). */
  line: number;
  text: string;
  /** The best lines, in document order, each cut to SNIPPET_CHARS. */
  snippet: Array<{ line: number; text: string }>;
  /** Provenance: the production commit served, and the release that brought this version when known. */
  production_commit: string;
  released: { commit: string; date: string } | null;
}

export const MAX_QUERY = 1000;
const CONTROL = /[\u0000-\u001f\u007f]/;
const SNIPPET_LINES = 3;
const SNIPPET_CHARS = 240;
/** Ranked docs read at most to find `limit` that hold every quoted phrase. */
const PHRASE_CHECKS = 500;

const projectOf = (codexPath: string) => {
  const parts = codexPath.split('/');
  return parts[0] === 'projects' && parts.length >= 3 ? parts[1] : parts.length >= 2 ? parts[0] : '';
};
const squash = (s: string, lower = true) => (lower ? s.toLowerCase() : s).split(/[\s\p{P}\p{S}]+/u).filter(Boolean).join(' ');

/** A line cut to SNIPPET_CHARS around its first matching term. Pure. */
function cut(line: string, terms: string[]): string {
  const text = line.trim();
  if (text.length <= SNIPPET_CHARS) return text;
  const lower = text.toLowerCase();
  const at = Math.max(0, Math.min(...terms.map((t) => lower.indexOf(t)).filter((i) => i >= 0), text.length) - 40);
  return `${at > 0 ? '…' : ''}${text.slice(at, at + SNIPPET_CHARS)}…`;
}

/** The lines that hold the most of the query's terms (phrases count double), in document order. Pure. */
export function bestLines(body: string, words: string[], phrases: string[]): Array<{ line: number; text: string }> {
  const wanted = new Set(termsOf(words.join(' ')));
  const lines = body.split('\n', 20_000);
  const scored: Array<{ line: number; score: number }> = [];
  lines.forEach((l, i) => {
    if (l.length > 20_000 || !l.trim()) return;
    const have = new Set(termsOf(l).filter((t) => wanted.has(t)));
    const sq = phrases.length ? squash(l) : '';
    const score = have.size + 2 * phrases.filter((p) => sq.includes(p)).length + (/^#/.test(l) && have.size ? 0.5 : 0);
    if (score > 0) scored.push({ line: i + 1, score });
  });
  const best = scored.sort((a, b) => b.score - a.score || a.line - b.line).slice(0, SNIPPET_LINES).sort((a, b) => a.line - b.line);
  const raw = words.map((w) => w.toLowerCase());
  return best.map((b) => ({ line: b.line, text: cut(lines[b.line - 1], raw) }));
}

/**
 * codex_search (design §8): the words in any order anywhere in a released document, ranked by the index of
 * the production tree (search-index.ts); quoted phrases as phrases. While that index is being built the
 * last one answers, or, before any, git grep (the whole query as one phrase), and the result says so.
 */
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
  const limit = input.limit ?? 10;
  const timeoutMs = Math.min(LIMITS.searchSeconds * 1000, reader.settings.timeoutMs);
  const projects = new Set((await snapshot.bases()).filter((b) => b.kind === 'project').map((b) => b.name));
  const query = parseQuery(input.query);
  const view = await reader.searchIndex.view(snapshot.tip);
  const progress = view.building ? readerMsg.indexProgress(view.building.done, view.building.total) : '';
  if (!view.index) {
    const phrase = input.query.replace(/"/g, ' ').trim().replace(/\s+/g, ' ') || input.query;
    const result = await grepTree(snapshot.tip, phrase, { ignoreCase: !input.case_sensitive, limit, folder, timeoutMs }, { cwd: reader.cacheDir, env: reader.settings.env, signal: reader.signal });
    const hits: SearchHit[] = result.hits.map((h) => ({
      uri: uriOfPath(org, h.path, projects), path: h.path, project: projectOf(h.path), title: h.path.slice(h.path.lastIndexOf('/') + 1), description: '', tags: '', score: null,
      line: h.line, text: h.text, snippet: [{ line: h.line, text: h.text }], production_commit: snapshot.tip, released: null,
    }));
    return { hits, truncated: result.truncated, timedOut: result.timedOut, limit, timeoutSeconds: timeoutMs / 1000, source: 'grep' as const, note, indexNote: readerMsg.searchByGrep(progress, reader.searchIndex.lastError) };
  }
  const ranked = view.index.search(query, folder ?? null);
  const phrases = input.case_sensitive ? [...input.query.matchAll(/"([^"]*)"/g)].map((m) => squash(m[1], false)).filter(Boolean) : query.phrases;
  const hits: SearchHit[] = [];
  const started = Date.now();
  let checked = 0;
  let timedOut = false;
  for (const r of ranked) {
    if (hits.length >= limit || checked >= PHRASE_CHECKS) break;
    if (Date.now() - started > timeoutMs) {
      timedOut = true;
      break;
    }
    checked++;
    const doc = view.index.record(r.id);
    const blob = await reader.object(doc.oid);
    const body = blob?.type === 'blob' ? blob.body.subarray(0, TEXT_LIMITS.bodyBytes).toString('utf8') : '';
    if (phrases.length) {
      const all = squash(body, !input.case_sensitive);
      if (!phrases.every((p) => all.includes(p))) continue;
    }
    const snippet = bestLines(body, query.words, query.phrases);
    const first = snippet[0] ?? { line: 1, text: cut(body.split('\n', 1)[0] ?? '', []) };
    const fields = docFields(doc.path, Buffer.from(body.slice(0, 70_000)));
    hits.push({
      uri: uriOfPath(org, doc.path, projects), path: doc.path, project: projectOf(doc.path), title: fields?.title ?? doc.path, description: fields?.description ?? '', tags: fields?.tags ?? '',
      score: Math.round(r.score * 1000) / 1000, line: first.line, text: first.text, snippet: snippet.length ? snippet : [first],
      production_commit: snapshot.tip, released: doc.since && doc.at ? { commit: doc.since, date: new Date(doc.at * 1000).toISOString() } : null,
    });
  }
  const truncated = hits.length >= limit && ranked.length > checked;
  const indexNote = view.current ? null : readerMsg.searchByOldIndex(view.index.commit, snapshot.tip, progress);
  return { hits, truncated, timedOut, limit, timeoutSeconds: timeoutMs / 1000, source: view.current ? ('index' as const) : ('stale-index' as const), note, indexNote };
}
