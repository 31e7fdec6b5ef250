import { createHash } from '../hash.js';
import picomatch from 'picomatch';
import type { TreeEntry } from '../git/parse.js';

export interface SelectConfig {
  sync_patterns: string[];
  exclude_patterns: string[];
  deny_patterns: string[];
  max_file_size: number;
}

export interface Selection {
  files: TreeEntry[];
  skipped: Array<{ path: string; reason: 'too-large' | 'submodule' | 'denied' }>;
}

/**
 * picomatch's patterns use `.`, which in a JavaScript regular expression never matches a line break:
 * a file named with a newline would slip past both the sync and the deny patterns. Match such names
 * with the break replaced by a character every `*` matches.
 */
export const matchable = (p: string) => p.replace(/[\n\r\u2028\u2029]/g, '\uFFFD');

/** File modes as git writes them in trees; group-writable blobs are ordinary files to git. */
export function normalMode(mode: string): string {
  if (mode === '120000' || mode === '100755') return mode;
  return '100644';
}

/**
 * The files of one commit that go to the codex (SPEC §4): matching sync_patterns, minus exclude_patterns
 * and deny_patterns, minus files over max_file_size, minus submodules. Symlinks stay symlinks: their blob
 * is the link target, never the file it points to. Pure.
 */
export function selectFiles(entries: TreeEntry[], config: SelectConfig): Selection {
  const opts = { dot: true };
  const wanted = picomatch(config.sync_patterns, opts);
  const denied = picomatch([...config.deny_patterns, ...config.exclude_patterns], opts);
  // deny lists name files ("**/.env"); a denied folder name must also catch what is inside it.
  const deniedDir = (p: string) => {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) if (denied(parts.slice(0, i).join('/'))) return true;
    return false;
  };
  const files: TreeEntry[] = [];
  const skipped: Selection['skipped'] = [];
  for (const entry of entries) {
    if (!wanted(matchable(entry.path))) continue;
    if (entry.type === 'commit') skipped.push({ path: entry.path, reason: 'submodule' });
    else if (entry.type !== 'blob') continue;
    else if (denied(matchable(entry.path)) || deniedDir(matchable(entry.path))) skipped.push({ path: entry.path, reason: 'denied' });
    else if (entry.size > config.max_file_size) skipped.push({ path: entry.path, reason: 'too-large' });
    else files.push({ ...entry, mode: normalMode(entry.mode) });
  }
  return { files, skipped };
}

/** A fingerprint of a selection: equal fingerprints mean the codex folder would not change. */
export function selectionKey(files: TreeEntry[]): string {
  const hash = createHash('sha1');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) hash.update(`${f.mode} ${f.oid} ${f.path}\0`);
  return hash.digest('hex');
}
