import { isTreeMode } from '../git/objects/objects.js';
import { UsageError } from '../core/errors.js';
import { readerMsg } from '../core/messages.js';
import { ReaderError, type Reader } from './reader.js';
import { nearest } from '../config/suggest.js';
import { locate } from './documents.js';
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
  if (org && parsed.org !== org) throw new ReaderError('bad-input', readerMsg.unknownOrg(parsed.org, org), readerMsg.otherOrgHint(org, parsed.project));
  return parsed;
}

/** Why a URI is not on production: released nowhere, or only on a non-production branch. */
export async function missing(reader: Reader, uri: CodexUri, shown: string): Promise<ReaderError> {
  const { snapshot } = await reader.production();
  const bases = (await snapshot.bases()).map((b) => b.name);
  if (!bases.includes(uri.project)) {
    // the project itself is unknown: listing it (the hint below) would fail the same way
    const near = nearest(uri.project, bases);
    const uriOf = (name: string) => `codex://${uri.org}/${name}/`;
    return new ReaderError('not-found', readerMsg.unknownProject(printable(uri.project, 100), reader.settings.branch), readerMsg.unknownProjectHint(near && uriOf(near), bases.slice(0, 20).map(uriOf), bases.length > 20));
  }
  const on = await reader.unreleasedOn(async (snap) => (await locate(snap, uri)).entry !== null);
  if (on.length) return new ReaderError('not-released', readerMsg.notReleased(shown, on, reader.settings.branch), readerMsg.notReleasedHint);
  return new ReaderError('not-found', readerMsg.notFound(shown, reader.settings.branch), readerMsg.notFoundHint(`codex://${uri.org}/${uri.project}/`));
}

/** One released document (codex_fetch, resources/read). */
export async function readDoc(reader: Reader, org: string | null, rawUri: string): Promise<Doc> {
  const uri = parseUri(reader, org, rawUri);
  const shown = printable(rawUri);
  const { snapshot, note } = await reader.production();
  const { codexPath: p, entry } = await locate(snapshot, uri);
  if (!entry) throw await missing(reader, uri, shown);
  if (isTreeMode(entry.mode) || uri.path === '') throw new ReaderError('not-found', readerMsg.isFolder(formatCodexUri(uri.org, uri.project, uri.path).replace(/\/?$/, '/')));
  if (entry.mode === '120000') throw new ReaderError('not-found', readerMsg.isLink(shown));
  if (entry.mode === '160000') throw new ReaderError('not-found', readerMsg.notFound(shown, reader.settings.branch));
  const [size] = await reader.sizesOf([entry.oid]);
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
