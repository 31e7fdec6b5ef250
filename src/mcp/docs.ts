import { isTreeMode } from '../git/objects.js';
import { UsageError } from '../errors.js';
import { readerMsg } from '../ui/messages.js';
import { ReaderError, type Reader } from './reader.js';
import { grepTree } from './search.js';
import type { Snapshot } from './snapshot.js';
import { formatCodexUri, parseCodexUri, printable, type CodexUri } from './uri.js';

/** Bounds on what is read from the untrusted codex and handed to an agent. */
export const LIMITS = {
  /** Bytes of a document returned; a longer text is cut, a longer binary refused. */
  docBytes: 1 << 20,
  /** Bytes of an object read at all. */
  readBytes: 16 << 20,
  listEntries: 1000,
  resources: 10_000,
  searchSeconds: 10,
  historyCommits: 1000,
};

export interface Doc {
  uri: string;
  path: string;
  oid: string;
  size: number;
  mimeType: string;
  /** The whole document, or its first LIMITS.docBytes when `truncated`. */
  body: Buffer;
  binary: boolean;
  truncated: boolean;
  note: string | null;
}

const MIME: Record<string, string> = {
  md: 'text/markdown', markdown: 'text/markdown', mdx: 'text/markdown', txt: 'text/plain', json: 'application/json',
  yaml: 'application/yaml', yml: 'application/yaml', html: 'text/html', htm: 'text/html', csv: 'text/csv',
  xml: 'application/xml', svg: 'image/svg+xml', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg',
  gif: 'image/gif', webp: 'image/webp', pdf: 'application/pdf',
};

export function mimeTypeOf(p: string, binary: boolean): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(p)?.[1]?.toLowerCase();
  return (ext && MIME[ext]) ?? (binary ? 'application/octet-stream' : 'text/plain');
}

/** git's own rule: a NUL in the first 8000 bytes makes a file binary; so does text that is not UTF-8. */
function isBinary(body: Buffer): boolean {
  if (body.subarray(0, 8000).includes(0)) return true;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body, { stream: true }); // a character cut at the end is no error
    return false;
  } catch {
    return true;
  }
}

/** Parses a URI an agent sent; bad input and a foreign organisation are ReaderErrors. */
export function parseUri(reader: Reader, org: string | null, uri: string): CodexUri {
  let parsed: CodexUri;
  try {
    parsed = parseCodexUri(uri);
  } catch (error) {
    throw new ReaderError('bad-input', (error as UsageError).message, (error as UsageError).hint);
  }
  if (org && parsed.org !== org) throw new ReaderError('bad-input', readerMsg.unknownOrg(parsed.org, org), `use codex://${org}/${parsed.project}/…`);
  return parsed;
}

/** Why a URI is not on production: released nowhere, or only on a non-production branch. */
async function missing(reader: Reader, uri: CodexUri, shown: string): Promise<ReaderError> {
  const on = await reader.unreleasedOn(async (snap) => {
    const base = await snap.base(uri.project);
    return base !== null && (await snap.at(uri.path ? `${base}/${uri.path}` : base)) !== null;
  });
  if (on.length) return new ReaderError('not-released', readerMsg.notReleased(shown, on, reader.settings.branch), readerMsg.notReleasedHint);
  return new ReaderError('not-found', readerMsg.notFound(shown, reader.settings.branch), readerMsg.notFoundHint(`codex://${uri.org}/${uri.project}/`));
}

/** The codex path a URI names on this snapshot, or null. */
async function codexPath(snap: Snapshot, uri: CodexUri): Promise<string | null> {
  const base = await snap.base(uri.project);
  return base === null ? null : uri.path ? `${base}/${uri.path}` : base;
}

/** One released document (codex_fetch, resources/read). */
export async function readDoc(reader: Reader, org: string | null, rawUri: string): Promise<Doc> {
  const uri = parseUri(reader, org, rawUri);
  const shown = printable(rawUri);
  const { snapshot, note } = await reader.production();
  const p = await codexPath(snapshot, uri);
  const entry = p === null ? null : await snapshot.at(p);
  if (!entry) throw await missing(reader, uri, shown);
  if (isTreeMode(entry.mode) || uri.path === '') throw new ReaderError('not-found', readerMsg.isFolder(formatCodexUri(uri.org, uri.project, uri.path).replace(/\/?$/, '/')));
  if (entry.mode === '120000') throw new ReaderError('not-found', readerMsg.isLink(shown));
  if (entry.mode === '160000') throw new ReaderError('not-found', readerMsg.notFound(shown, reader.settings.branch));
  const size = reader.sizeOf(entry.oid, LIMITS.readBytes);
  if (size !== null && size > LIMITS.readBytes) throw new ReaderError('too-large', readerMsg.tooLarge(shown, size, LIMITS.readBytes));
  const object = await reader.object(entry.oid);
  if (!object) throw new ReaderError('not-found', readerMsg.notFound(shown, reader.settings.branch));
  const binary = isBinary(object.body.subarray(0, LIMITS.docBytes));
  if (binary && object.body.length > LIMITS.docBytes) throw new ReaderError('too-large', readerMsg.tooLarge(shown, object.body.length, LIMITS.docBytes));
  const truncated = object.body.length > LIMITS.docBytes;
  return {
    uri: formatCodexUri(uri.org, uri.project, uri.path),
    path: p!,
    oid: entry.oid,
    size: object.body.length,
    mimeType: mimeTypeOf(uri.path, binary),
    body: truncated ? object.body.subarray(0, LIMITS.docBytes) : object.body,
    binary,
    truncated,
    note,
  };
}

export interface Listed {
  uri: string;
  kind: 'document' | 'project' | 'folder';
  /** Bytes, for documents. */
  size?: number;
}

/** codex_list: the projects and top-level folders, or the documents under a URI, with sizes. */
export async function listDocs(reader: Reader, org: string, checkOrg: string | null, rawUri?: string): Promise<{ entries: Listed[]; more: boolean; note: string | null }> {
  const uri = rawUri === undefined ? null : parseUri(reader, checkOrg, rawUri);
  const { snapshot, note } = await reader.production();
  if (!uri) {
    const bases = await snapshot.bases();
    return { entries: bases.map((b) => ({ uri: `codex://${org}/${b.name}/`, kind: b.kind })), more: false, note };
  }
  const base = await snapshot.base(uri.project);
  const p = base === null ? null : uri.path ? `${base}/${uri.path}` : base;
  const entry = p === null ? null : await snapshot.at(p);
  if (!entry) throw await missing(reader, uri, printable(rawUri!));
  const size = (oid: string) => reader.sizeOf(oid, 0) ?? undefined;
  if (!isTreeMode(entry.mode)) return { entries: [{ uri: formatCodexUri(uri.org, uri.project, uri.path), kind: 'document', size: size(entry.oid) }], more: false, note };
  const { files, more } = await snapshot.files(p!, LIMITS.listEntries);
  const entries = files.filter((f) => f.mode !== '160000' && f.mode !== '120000').map((f) => ({ uri: formatCodexUri(uri.org, uri.project, f.path.slice(base!.length + 1)), kind: 'document' as const, size: size(f.oid) }));
  return { entries, more, note };
}

/** A codex path as a URI of this reader: projects/<p>/x → codex://org/p/x, <folder>/x → codex://org/folder/x. */
function uriOfPath(org: string, codexPath: string): string | null {
  const parts = codexPath.split('/');
  if (parts[0] === 'projects' && parts.length >= 3) return formatCodexUri(org, parts[1], parts.slice(2).join('/'));
  return parts.length >= 2 ? formatCodexUri(org, parts[0], parts.slice(1).join('/')) : null;
}

export interface SearchInput {
  query: string;
  project?: string;
  limit?: number;
  case_sensitive?: boolean;
}

export const MAX_QUERY = 1000;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** codex_search: lines of released docs holding the query (a fixed string), case-insensitive unless asked. */
export async function searchDocs(reader: Reader, org: string, input: SearchInput) {
  if (input.query.length > MAX_QUERY) throw new ReaderError('bad-input', `The query is ${input.query.length} characters long, more than ${MAX_QUERY}.`, 'search for a shorter phrase');
  if (!input.query.trim()) throw new ReaderError('bad-input', 'The query is empty.', 'search for a word or a phrase');
  if (CONTROL.test(input.query)) throw new ReaderError('bad-input', `The query is refused: ${readerMsg.queryControl}.`, 'search for one line of text');
  const { snapshot, note } = await reader.production();
  let folder: string | undefined;
  if (input.project !== undefined) {
    const base = /^[A-Za-z0-9._-]+$/.test(input.project) && input.project !== '.' && input.project !== '..' ? await snapshot.base(input.project) : null;
    if (base === null) throw new ReaderError('not-found', readerMsg.unknownProject(printable(input.project, 100), reader.settings.branch), `list the projects with codex_list {}`);
    folder = base;
  }
  const limit = input.limit ?? 20;
  const timeoutMs = Math.min(LIMITS.searchSeconds * 1000, reader.settings.timeoutMs);
  const result = await grepTree(snapshot.tip, input.query, { ignoreCase: !input.case_sensitive, limit, folder, timeoutMs }, { cwd: reader.cacheDir, env: reader.settings.env, signal: reader.signal });
  const hits = result.hits.map((h) => ({ uri: uriOfPath(org, h.path), path: h.path, line: h.line, text: h.text }));
  return { hits, truncated: result.truncated, timedOut: result.timedOut, limit, timeoutSeconds: timeoutMs / 1000, note };
}

export interface LastSync {
  commit: string;
  date: string;
  source_branch: string | null;
  source_commit: string | null;
  env: string | null;
}

const trailer = (body: string, key: string) => new RegExp(`^${key}: *(.+)$`, 'mi').exec(body)?.[1]?.trim() ?? null;

/** codex_status: where the docs come from, how fresh they are, and each project's last release. */
export async function status(reader: Reader, org: string) {
  const s = await reader.tip();
  const age = reader.ageSeconds(s);
  const base = {
    codex_url: reader.shownUrl,
    organization: org,
    production_branch: reader.settings.branch,
    tip: s.tip,
    fetched_at: s.fetchedAt === null ? null : new Date(s.fetchedAt).toISOString(),
    age_seconds: age === null ? null : Math.round(age),
    age: age === null ? null : readerMsg.ago(age),
    reachable: s.error === null,
    last_error: s.error,
    refresh_seconds: reader.settings.refreshSeconds,
    projects: [] as Array<{ project: string; uri: string; last_sync: LastSync | null }>,
  };
  if (!s.tip) return base;
  const snapshot = reader.snapshot(s.tip);
  const names = (await snapshot.bases()).filter((b) => b.kind === 'project').map((b) => b.name);
  const last = new Map<string, LastSync>();
  for await (const c of snapshot.history(LIMITS.historyCommits)) {
    const project = trailer(c.body, 'Codex-Project');
    if (!project || last.has(project)) continue;
    const when = /^committer .* (\d+) [+-]\d{4}$/m.exec(c.body)?.[1];
    last.set(project, {
      commit: c.oid,
      date: when ? new Date(Number(when) * 1000).toISOString() : '',
      source_branch: trailer(c.body, 'Codex-Source-Branch'),
      source_commit: trailer(c.body, 'Codex-Source-Commit'),
      env: trailer(c.body, 'Codex-Env'),
    });
    if (names.every((n) => last.has(n))) break;
  }
  base.projects = names.map((name) => ({ project: name, uri: `codex://${org}/${name}/`, last_sync: last.get(name) ?? null }));
  return base;
}

/** Every released document as a resource (at most LIMITS.resources), kept per production tip. */
export async function listResources(reader: Reader, org: string): Promise<Array<{ uri: string; name: string; title: string; description: string; mimeType: string }>> {
  const { snapshot } = await reader.production();
  const out: Array<{ uri: string; name: string; title: string; description: string; mimeType: string }> = [];
  for (const b of await snapshot.bases()) {
    if (out.length >= LIMITS.resources) break;
    const { files } = await snapshot.files(b.folder, LIMITS.resources - out.length);
    for (const f of files) {
      if (f.mode === '160000' || f.mode === '120000') continue;
      const rel = f.path.slice(b.folder.length + 1);
      const name = `${b.name}/${rel}`;
      out.push({ uri: formatCodexUri(org, b.name, rel), name, title: name, description: `Released ${b.kind === 'project' ? 'doc of the project' : 'doc in the folder'} ${b.name}`, mimeType: mimeTypeOf(rel, false) });
    }
  }
  return out;
}
