import { fixedBase } from '../../config/patterns.js';

/**
 * The top-level names a selection can come from: `docs/**` → `docs`, `README.md` → `README.md`. When the
 * root tree's entries for these names are unchanged since the last sync, so is the selection (given the
 * same patterns and size limit). Null when a pattern starts with a glob (`**\/*.md`): anything may match.
 */
export function probeNames(syncPatterns: string[]): string[] | null {
  const names = new Set<string>();
  for (const pattern of syncPatterns) {
    const base = fixedBase(pattern);
    if (!base) return null;
    names.add(base.split('/')[0]);
  }
  return [...names].sort();
}

/** What decides a selection besides the files: a config change invalidates every probe. */
export function selectionConfigKey(c: { sync_patterns: string[]; exclude_patterns: string[]; deny_patterns: string[]; max_file_size: number; pull_dir: string }): string {
  // 2: the rules themselves changed (deny patterns in any case, refused names, pull_dir left out).
  return JSON.stringify([2, c.sync_patterns, c.exclude_patterns, c.deny_patterns, c.max_file_size, c.pull_dir]);
}

/** The root entries for `names`, as one string (absent names count too); short enough to keep as is. */
export function probeKey(names: string[], rootEntries: Array<{ mode: string; name: string; oid: string }>): string {
  const byName = new Map(rootEntries.map((e) => [e.name, e]));
  return names.map((n) => {
    const e = byName.get(n);
    return e ? `${n} ${Number.parseInt(e.mode, 8).toString(8)} ${e.oid}` : `${n} -`;
  }).join('\n');
}
