import { fixedBase } from '../../config/patterns.js';
import { listCommit, type Project } from '../../git/project.js';
import { commitTree, isTreeMode, listedEntry, parseTree, type RawEntry } from '../../git/objects/objects.js';
import type { TreeEntry } from '../../git/objects/parse.js';
import type { ObjectStore } from '../../git/objects/store.js';

/**
 * The fixed paths sync patterns can match under: `docs/**` → docs, `README.md` → README.md. Null when
 * a pattern can match anywhere (`**\/*.md`, a negation): then every path is a candidate.
 */
export function patternBases(patterns: string[]): string[] | null {
  const bases = new Set<string>();
  for (const pattern of patterns) {
    const base = fixedBase(pattern);
    if (!base) return null;
    bases.add(base);
  }
  return [...bases].filter((b) => ![...bases].some((o) => o !== b && b.startsWith(o + '/')));
}

/**
 * What a sync needs of a commit: the root's entries (the hook's quick check), and every entry under the
 * patterns' fixed paths with blob sizes, as `git ls-tree -r -t -l` gives them (sizes of small loose
 * blobs only bounded: see TreeEntry.size and ObjectStore.sizeHere). Read in this process when every
 * object on the way is loose (a commit made a moment ago, and the trees it changed), so a push with new
 * docs does not wait for a git process before the fetch; git lists (`ls-tree`) when a pattern can match
 * anywhere or an object is packed or out of reach here.
 */
export async function listForSync(project: Project, objects: ObjectStore, commit: string, config: { sync_patterns: string[]; max_file_size: number }): Promise<TreeEntry[]> {
  const bases = patternBases(config.sync_patterns);
  let here: TreeEntry[] | null = null;
  try {
    here = bases && walk(objects, commit, bases, config.max_file_size);
  } catch {
    here = null; // a tree this process cannot parse: git lists it (and says what is wrong, if anything)
  }
  return here || listCommit(project, commit);
}

function walk(store: ObjectStore, commit: string, bases: string[], limit: number): TreeEntry[] | null {
  const c = store.readHere(commit);
  const rootOid = c?.type === 'commit' ? commitTree(c.body) : null;
  const read = (oid: string | null): RawEntry[] | null => {
    const t = oid ? store.readHere(oid) : null;
    return t?.type === 'tree' ? parseTree(t.body) : null;
  };
  const root = read(rootOid);
  if (!root) return null;
  const out: TreeEntry[] = [];
  const seen = new Set<string>();
  const add = (e: RawEntry, path: string): boolean => {
    if (seen.has(path)) return true;
    seen.add(path);
    const entry = listedEntry(e, path);
    if (entry.type === 'blob') {
      const size = store.sizeHere(e.oid, limit);
      if (size === null) return false;
      entry.size = size;
    }
    out.push(entry);
    return true;
  };
  for (const e of root) if (!add(e, e.name.toString('utf8'))) return null;
  const below = (tree: string, prefix: string): boolean => {
    const entries = read(tree);
    if (!entries) return false;
    for (const e of entries) {
      const p = prefix + e.name.toString('utf8');
      if (!add(e, p)) return false;
      if (isTreeMode(e.mode) && !below(e.oid, p + '/')) return false;
    }
    return true;
  };
  for (const base of bases) {
    const segments = base.split('/');
    let entries: RawEntry[] | null = root;
    for (let i = 0; i < segments.length && entries; i++) {
      const e: RawEntry | undefined = entries.find((x) => x.name.toString('utf8') === segments[i]);
      if (!e) break;
      const p = segments.slice(0, i + 1).join('/');
      if (i > 0 && !add(e, p)) return null;
      if (!isTreeMode(e.mode)) break;
      if (i === segments.length - 1) {
        if (!below(e.oid, p + '/')) return null;
      } else {
        entries = read(e.oid);
        if (!entries) return null;
      }
    }
  }
  return out;
}
