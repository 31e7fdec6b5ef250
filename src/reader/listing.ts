import { isTreeMode } from '../git/objects/objects.js';
import { LIMITS, mimeTypeOf, missing, parseUri } from './docs.js';
import type { Reader } from './reader.js';
import { locate } from './documents.js';
import { formatCodexUri, parseCodexUri, printable } from './uri.js';
import { PROJECTS } from '../sync/tree/layout.js';

export interface Listed {
  uri: string;
  kind: 'document' | 'project' | 'folder';
  /** Bytes, for documents. */
  size?: number;
}

/**
 * The URI of a codex file as this server would read it back, or null when parseCodexUri would refuse it
 * (a folder name outside [A-Za-z0-9._-], a control character, a `..` segment, over MAX_URI_LENGTH) or
 * read another path: a listing never offers a URI the server refuses.
 */
export function offeredUri(org: string, project: string, rel: string): string | null {
  const uri = formatCodexUri(org, project, rel);
  try {
    const back = parseCodexUri(uri);
    return back.org === org && back.project === project && back.path === rel ? uri : null;
  } catch {
    return null;
  }
}

/** codex_list: the projects and top-level folders, or the documents under a URI, with sizes. */
export async function listDocs(reader: Reader, org: string, checkOrg: string | null, rawUri?: string): Promise<{ entries: Listed[]; more: boolean; note: string | null }> {
  const uri = rawUri === undefined ? null : parseUri(reader, checkOrg, rawUri);
  const { snapshot, note } = await reader.production();
  if (!uri) {
    const bases = await snapshot.bases();
    const offered = bases.filter((b) => offeredUri(org, b.name, '') !== null);
    return { entries: offered.map((b) => ({ uri: `codex://${org}/${b.name}/`, kind: b.kind })), more: false, note };
  }
  const { base, codexPath: p, entry } = await locate(snapshot, uri);
  if (!entry) throw await missing(reader, uri, printable(rawUri!));
  if (!isTreeMode(entry.mode)) {
    const [size] = await reader.sizesOf([entry.oid]);
    return { entries: [{ uri: formatCodexUri(uri.org, uri.project, uri.path), kind: 'document', size: size ?? undefined }], more: false, note };
  }
  const { files, more } = await snapshot.files(p!, LIMITS.listEntries);
  const docs = files.flatMap((f) => {
    const offered = f.mode === '160000' || f.mode === '120000' ? null : offeredUri(uri.org, uri.project, f.path.slice(base!.length + 1));
    return offered ? [{ uri: offered, oid: f.oid }] : [];
  });
  const sizes = await reader.sizesOf(docs.map((f) => f.oid));
  const entries = docs.map((f, i) => ({ uri: f.uri, kind: 'document' as const, size: sizes[i] ?? undefined }));
  return { entries, more, note };
}

/**
 * A codex path as a URI of this reader: projects/<p>/x → codex://org/p/x, <folder>/x → codex://org/folder/x.
 * Null for a file at the codex's root, and for one in a top-level folder that a project's name hides
 * (its URI would name the project's file): such hits keep their codex path only.
 */
export function uriOfPath(org: string, codexPath: string, projects: Set<string>): string | null {
  const parts = codexPath.split('/');
  if (parts[0] === PROJECTS && parts.length >= 3) return formatCodexUri(org, parts[1], parts.slice(2).join('/'));
  return parts.length >= 2 && parts[0] !== PROJECTS && !projects.has(parts[0]) ? formatCodexUri(org, parts[0], parts.slice(1).join('/')) : null;
}

export async function listResources(reader: Reader, org: string): Promise<Array<{ uri: string; name: string; title: string; description: string; mimeType: string }>> {
  const { snapshot } = await reader.production();
  const out: Array<{ uri: string; name: string; title: string; description: string; mimeType: string }> = [];
  for (const b of await snapshot.bases()) {
    if (out.length >= LIMITS.resources) break;
    const { files } = await snapshot.files(b.folder, LIMITS.resources - out.length);
    for (const f of files) {
      if (f.mode === '160000' || f.mode === '120000') continue;
      const rel = f.path.slice(b.folder.length + 1);
      const uri = offeredUri(org, b.name, rel);
      if (!uri) continue;
      const name = `${b.name}/${rel}`;
      out.push({ uri, name, title: name, description: `Released ${b.kind === 'project' ? 'doc of the project' : 'doc in the folder'} ${b.name}`, mimeType: mimeTypeOf(rel, false) });
    }
  }
  return out;
}
