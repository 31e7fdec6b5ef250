/** Pure parsers for git's `-z` output. */

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  oid: string;
  /** Size in bytes for blobs (ls-tree -l), -1 otherwise. */
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

export interface DiffTreeEntry {
  status: string;
  oldOid: string;
  newOid: string;
  newMode: string;
  path: string;
}

/** `git diff-tree -r -z --no-renames A B`: `:<m1> <m2> <o1> <o2> <S> NUL <path> NUL`. */
export function parseDiffTree(out: Buffer | string): DiffTreeEntry[] {
  const parts = (typeof out === 'string' ? out : out.toString('utf8')).split('\0');
  const entries: DiffTreeEntry[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const head = parts[i];
    if (!head.startsWith(':')) continue;
    const [, newMode, oldOid, newOid, status] = head.slice(1).split(' ');
    entries.push({ status, oldOid, newOid, newMode, path: parts[i + 1] });
  }
  return entries;
}

/**
 * `git cat-file --batch` output for known oids: `<oid> <type> <size>\n<content>\n` repeated.
 * Returns the contents in order.
 */
export function parseBatch(out: Buffer): Map<string, Buffer> {
  const blobs = new Map<string, Buffer>();
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(0x0a, pos);
    if (nl < 0) break;
    const [oid, type, size] = out.subarray(pos, nl).toString('utf8').split(' ');
    if (type === 'missing') {
      pos = nl + 1;
      continue;
    }
    const n = Number(size);
    blobs.set(oid, out.subarray(nl + 1, nl + 1 + n));
    pos = nl + 1 + n + 1;
  }
  return blobs;
}

/** Quotes a path for `git fast-import` (C-style, as git itself quotes). */
export function quoteFastImportPath(path: string): string {
  let s = '"';
  for (const ch of path) {
    const code = ch.codePointAt(0)!;
    if (ch === '"') s += '\\"';
    else if (ch === '\\') s += '\\\\';
    else if (ch === '\n') s += '\\n';
    else if (ch === '\t') s += '\\t';
    else if (code < 0x20 || code === 0x7f) s += '\\' + code.toString(8).padStart(3, '0');
    else s += ch;
  }
  return s + '"';
}
