import { crypto } from '../../core/builtin.js';
import type { TreeEntry } from '../../git/objects/parse.js';
import { composeFolder, isAbsorbed, type Composed, type LayerChanges } from './compute.js';
import type { Layer, LayerState } from './state.js';
import type { StoredState } from './store.js';

/** Why a layer left the folder (design §4). */
export type DropReason = 'deleted' | 'gone from origin' | 'merged' | 'absorbed' | 'dropped by hand';

/** What changes a layered folder (design §4, §6): a branch's push, a move of the production branch, branches gone. */
export type LayerEvent =
  | { kind: 'layer'; branch: string; commit: string }
  | { kind: 'base'; branch: string; commit: string }
  | { kind: 'drop'; branches: string[]; why: DropReason }
  | { kind: 'reconcile' };

export interface LayerWrite {
  branch: string;
  tip: string;
  mergeBase: string | null;
  changes: LayerChanges;
  author: string;
}

export interface NextInput {
  stored: StoredState;
  /** The base to build on (the stored one, or a newer tip of the production branch). */
  base: { branch: string; commit: string; time: string; files: TreeEntry[] } | null;
  /** The pushed branch's layer, added or replaced (keeping its place in the order). */
  write?: LayerWrite;
  /** Layers to drop: deleted branches, or by hand. */
  drop?: { branches: string[]; why: DropReason };
  /** Branches origin does not have (null: origin was not asked). */
  gone: Set<string> | null;
  /** Branches whose tip the base contains. */
  merged: Set<string>;
  now: string;
}

export interface Next {
  state: LayerState;
  base: TreeEntry[];
  files: Map<string, TreeEntry[]>;
  composed: Composed;
  dropped: Array<{ branch: string; why: DropReason }>;
}

export const layerKey = (branch: string) => crypto().createHash('sha1').update(branch).digest('hex').slice(0, 16);

/**
 * The next state of a project's layers and the folder it makes (design §4). Pure. A layer stays live until its
 * branch is deleted or gone from origin, merged into the base or absorbed by it, or dropped by hand.
 */
export function nextLayers(i: NextInput): Next {
  const files = new Map(i.stored.files);
  const layers: Layer[] = [];
  const dropped: Next['dropped'] = [];
  const baseFiles = i.base?.files ?? i.stored.base;
  const baseMap = new Map(baseFiles.map((e) => [e.path, e]));
  const dropping = new Set(i.drop?.branches ?? []);
  const wasLive = new Set(i.stored.state.layers.map((l) => l.branch));
  let written = false;
  for (const layer of i.stored.state.layers) {
    if (i.write?.branch === layer.branch) {
      written = true;
      if (layer.tip === i.write.tip && layer.mergeBase === i.write.mergeBase) {
        layers.push(layer); // pushed again as it was: nothing to record
        continue;
      }
      layers.push({ ...layer, tip: i.write.tip, mergeBase: i.write.mergeBase, time: i.now, author: i.write.author, removed: i.write.changes.removed });
      files.set(layer.key, i.write.changes.files);
    } else layers.push(layer);
  }
  if (i.write && !written) {
    const key = layerKey(i.write.branch);
    layers.push({ branch: i.write.branch, key, tip: i.write.tip, mergeBase: i.write.mergeBase, first: i.now, time: i.now, author: i.write.author, removed: i.write.changes.removed });
    files.set(key, i.write.changes.files);
  }
  // A branch origin has is seen; one seen there before and gone now was deleted on the server. A branch
  // never pushed there (a local `codex-hooks sync`) is not taken for a deleted one.
  const seenNow = (l: Layer) => (i.gone && !i.gone.has(l.branch) && !l.seen ? { ...l, seen: true } : l);
  const live = layers.map(seenNow).filter((l) => {
    const why: DropReason | null = dropping.has(l.branch)
      ? i.drop!.why
      : l.branch !== i.write?.branch && l.seen && i.gone?.has(l.branch)
        ? 'gone from origin'
        : i.merged.has(l.branch)
          ? 'merged'
          : isAbsorbed({ files: files.get(l.key) ?? [], removed: l.removed }, baseMap)
            ? 'absorbed'
            : null;
    if (why) {
      // a branch whose first push carries nothing (or only what the base has) never was in the folder
      if (wasLive.has(l.branch)) dropped.push({ branch: l.branch, why });
      files.delete(l.key);
    }
    return !why;
  });
  const state: LayerState = { version: 1, base: i.base ? { branch: i.base.branch, commit: i.base.commit, time: i.base.time } : i.stored.state.base, layers: live };
  const composed = composeFolder(baseFiles, live.map((l) => ({ branch: l.branch, files: files.get(l.key) ?? [], removed: l.removed })));
  return { state, base: baseFiles, files, composed, dropped };
}

/** The state changed (what the codex's record would say differs from what it says). */
export const stateChanged = (before: LayerState, after: LayerState) => JSON.stringify(before) !== JSON.stringify(after);
