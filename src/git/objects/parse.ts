/** Pure parsers for git's `-z` output. */

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
  /** Size in bytes for blobs (ls-tree -l); -1 for the rest, and for blobs known to be within max_file_size unmeasured. */
  size: number;
  path: string;
}

/** `git ls-tree -z [-l]`: `<mode> SP <type> SP <oid>[ SP+ <size>] TAB <path> NUL`. */
export function parseLsTree(out: Buffer | string): TreeEntry[] {
  const text = typeof out === 'string' ? out : out.toString('utf8');
  const entries: TreeEntry[] = [];
  for (const record of text.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid, size] = record.slice(0, tab).split(/ +/);
    entries.push({
      mode,
      type: type as TreeEntry['type'],
      oid,
      size: size === undefined || size === '-' ? -1 : Number(size),
      path: record.slice(tab + 1),
    });
  }
  return entries;
}
