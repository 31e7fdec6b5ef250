import type { TreeEntry } from '../../git/objects/parse.js';

/**
 * The layered folder as a function (design §4), pure: the base's selection, then each live layer's changes
 * in first-push order. Paths are relative to the project's folder; ids are the codex's.
 */
export interface LayerChanges {
  /** Files the branch added or changed since its merge base with the base. */
  files: TreeEntry[];
  /** Paths it deleted (or renamed away). */
  removed: string[];
}

export interface ComposedLayer extends LayerChanges {
  branch: string;
}

export interface Overlap {
  path: string;
  /** The live layers that change this path, in order; the last one's version shows. */
  branches: string[];
  shown: string;
}

const same = (a: { oid: string; mode: string } | undefined, b: { oid: string; mode: string } | undefined) => !!a && !!b && a.oid === b.oid && a.mode === b.mode;

/** What a branch changes: its selection against its merge base's (null: no merge base known, all of it is the branch's). */
export function layerChanges(before: TreeEntry[] | null, after: TreeEntry[]): LayerChanges {
  const old = new Map((before ?? []).map((e) => [e.path, e]));
  const files = after.filter((f) => !same(old.get(f.path), f));
  const kept = new Set(after.map((f) => f.path));
  const removed = [...old.keys()].filter((p) => !kept.has(p));
  return { files, removed };
}

/** Every change the layer carries equals the base's version (a squash or rebase merge): nothing of it is left to show. */
export function isAbsorbed(layer: LayerChanges, base: Map<string, TreeEntry>): boolean {
  return layer.files.every((f) => same(base.get(f.path), f)) && layer.removed.every((p) => !base.has(p));
}

export interface Composed {
  files: Map<string, TreeEntry>;
  overlaps: Overlap[];
}

export function composeFolder(base: TreeEntry[], layers: ComposedLayer[]): Composed {
  const files = new Map(base.map((e) => [e.path, e]));
  const touched = new Map<string, Array<{ branch: string; version: string }>>();
  const touch = (p: string, branch: string, version: string) => {
    const list = touched.get(p);
    if (list) list.push({ branch, version });
    else touched.set(p, [{ branch, version }]);
  };
  for (const layer of layers) {
    for (const p of layer.removed) {
      files.delete(p);
      touch(p, layer.branch, '-');
    }
    for (const f of layer.files) {
      // A file where the folder has a folder of that name, or under a name the folder has as a file,
      // replaces what is in the way, as the branch's own tree does.
      for (let i = f.path.indexOf('/'); i > 0; i = f.path.indexOf('/', i + 1)) files.delete(f.path.slice(0, i));
      const under = f.path + '/';
      for (const p of files.keys()) if (p.startsWith(under)) files.delete(p);
      files.set(f.path, f);
      touch(f.path, layer.branch, `${f.mode} ${f.oid}`);
    }
  }
  const overlaps: Overlap[] = [];
  for (const [p, list] of touched) {
    if (list.length < 2 || list.every((t) => t.version === list[0].version)) continue;
    const branches = [...new Set(list.map((t) => t.branch))];
    if (branches.length > 1) overlaps.push({ path: p, branches, shown: list[list.length - 1].branch });
  }
  overlaps.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, overlaps };
}
