import { crypto } from '../../core/builtin.js';
import path from 'node:path';
import picomatch from 'picomatch';
import type { TreeEntry } from '../../git/objects/parse.js';
import { safeRelativePath } from '../../core/names.js';

export interface SelectConfig {
  sync_patterns: string[];
  exclude_patterns: string[];
  deny_patterns: string[];
  max_file_size: number;
  /** Pulled docs are never sent back, whatever the patterns (`**` matches them too). */
  pull_dir?: string;
}

export interface Selection {
  files: TreeEntry[];
  skipped: Array<{ path: string; reason: 'too-large' | 'submodule' | 'denied' | 'refused' }>;
}

/** sync_patterns matched no path of the commit at all (not even a skipped one). */
export const matchedNothing = (s: Selection): boolean => s.files.length === 0 && s.skipped.length === 0;

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

/** Compiled once per process for each list (sync-org selects for many projects with the same lists). */
const matchers = new Map<string, picomatch.Matcher>();
function matcher(patterns: string[], opts: picomatch.PicomatchOptions): picomatch.Matcher {
  const key = JSON.stringify([patterns, opts]);
  let m = matchers.get(key);
  if (!m) matchers.set(key, (m = picomatch(patterns, opts)));
  return m;
}

/**
 * The files of one commit that go to the codex (design §4): matching sync_patterns, minus exclude_patterns
 * and deny_patterns, minus files over max_file_size, minus submodules. Symlinks stay symlinks: their blob
 * is the link target, never the file it points to. A path with a component git refuses on checkout
 * (`.git` in any spelling) is refused: one such file would make the codex unclonable. Pure.
 */
export function selectFiles(entries: TreeEntry[], config: SelectConfig): Selection {
  const opts = { dot: true };
  const wanted = matcher(config.sync_patterns, opts);
  // Secrets are denied in any letter case: `.ENV` is `.env` on macOS and Windows file systems.
  const deniedAnyCase = matcher(config.deny_patterns.length ? config.deny_patterns : ['\0'], { ...opts, nocase: true });
  const excluded = matcher(config.exclude_patterns.length ? config.exclude_patterns : ['\0'], opts);
  const denied = (p: string) => deniedAnyCase(p) || excluded(p);
  // deny lists name files ("**/.env"); a denied folder name must also catch what is inside it. Each
  // folder is asked once: the files of a folder share it.
  const folders = new Map<string, boolean>();
  const deniedFolder = (dir: string) => {
    let answer = folders.get(dir);
    if (answer === undefined) folders.set(dir, (answer = denied(dir)));
    return answer;
  };
  const deniedDir = (p: string) => {
    const parts = p.split('/');
    for (let i = 1; i < parts.length; i++) if (deniedFolder(parts.slice(0, i).join('/'))) return true;
    return false;
  };
  const pulled = config.pull_dir && path.posix.normalize(config.pull_dir.replace(/\\/g, '/')).replace(/\/+$/, '');
  const isPulled = (p: string) => !!pulled && (p === pulled || p.startsWith(pulled + '/'));
  const files: TreeEntry[] = [];
  const skipped: Selection['skipped'] = [];
  for (const entry of entries) {
    if (!wanted(matchable(entry.path)) || isPulled(entry.path)) continue;
    if ((entry.type === 'blob' || entry.type === 'commit') && !safeRelativePath(entry.path)) skipped.push({ path: entry.path, reason: 'refused' });
    else if (entry.type === 'commit') skipped.push({ path: entry.path, reason: 'submodule' });
    else if (entry.type !== 'blob') continue;
    else if (denied(matchable(entry.path)) || deniedDir(matchable(entry.path))) skipped.push({ path: entry.path, reason: 'denied' });
    else if (entry.size > config.max_file_size) skipped.push({ path: entry.path, reason: 'too-large' });
    else files.push({ ...entry, mode: normalMode(entry.mode) });
  }
  return { files, skipped };
}

/** A fingerprint of a selection: equal fingerprints mean the codex folder would not change. */
export function selectionKey(files: TreeEntry[]): string {
  const hash = crypto().createHash('sha1');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) hash.update(`${f.mode} ${f.oid} ${f.path}\0`);
  return hash.digest('hex');
}
