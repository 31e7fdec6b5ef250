import type { RawEntry } from '../git/objects/objects.js';
import type { Snapshot } from './snapshot.js';

/** Where a URI's project and path lead on one commit of the codex. */
export interface Located {
  /** The folder the project part names (`projects/<p>`, else the top-level `<p>`), or null when neither is there. */
  base: string | null;
  /** The codex path the URI names, or null when its folder is not there. */
  codexPath: string | null;
  /** What is at that path, or null. */
  entry: RawEntry | null;
}

/**
 * The one rule from a codex URI to the codex (design §8), for both faces of the reader (`codex-hooks fetch`
 * and the MCP server): codex://org/<project>/<path> is projects/<project>/<path>, or <project>/<path> in a
 * top-level folder (codex://org/shared/…) when no project has the name. Only the trees on the path are read.
 */
export async function locate(snap: Snapshot, uri: { project: string; path: string }): Promise<Located> {
  const base = await snap.base(uri.project);
  if (base === null) return { base, codexPath: null, entry: null };
  const codexPath = uri.path ? `${base}/${uri.path}` : base;
  return { base, codexPath, entry: await snap.at(codexPath) };
}
