
/**
 * The layers of one project on one layered codex branch (design §4), kept in the codex itself so every clone
 * and CI computes the same folder. Stored as a commit on a ref of ours, `refs/codex-hooks/layers/<project>/
 * <codex branch>`, pushed in the same atomic push as the folder: its tree holds `state.json`, the base's
 * selection under `base/` and each layer's written files under `layers/<key>/` (so every blob the folder
 * may need again stays reachable in the codex, whichever clone wrote it).
 *
 * The codex is untrusted input: the state is parsed within bounds, and anything that fails them reads as
 * "no state" (the next write starts the record again from the base) with a warning.
 */
export interface Layer {
  /** The source branch. */
  branch: string;
  /** Its folder under `layers/` in the state tree. */
  key: string;
  /** The branch's tip when it was last written, and its merge base with the base then. */
  tip: string;
  mergeBase: string | null;
  /** When the branch was first pushed (the layer's place in the order), and last written. */
  first: string;
  time: string;
  /** Who pushed it last (the source commit's author). */
  author: string;
  /** Paths the branch deleted or renamed away (relative to the project folder). */
  removed: string[];
  /** The branch was seen on origin: only then does its absence there mean it was deleted. */
  seen?: boolean;
}

export interface LayerState {
  version: 1;
  /** The production branch's commit the folder is built on; null until one is known. */
  base: { branch: string; commit: string; time: string } | null;
  /** In first-push order. */
  layers: Layer[];
}

export const STATE_FILE = 'state.json';
export const MAX_STATE_BYTES = 4 * 1024 * 1024;
export const MAX_LAYERS = 1000;
const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const KEY = /^[0-9a-f]{8,40}$/;
// Checked by hand, not with zod: every layered sync reads the record, and building a zod schema costs a hook
// ~50 ms of start-up (zod is otherwise loaded only when a config is validated).
const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= 1000;
const isOid = (v: unknown): v is string => typeof v === 'string' && OID.test(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function isLayer(v: unknown): v is Layer {
  if (!isObject(v)) return false;
  const { branch, key, tip, mergeBase, first, time, author, removed, seen } = v;
  return (
    isText(branch) && typeof key === 'string' && KEY.test(key) && isOid(tip) && (mergeBase === null || isOid(mergeBase)) && isText(first) && isText(time) && isText(author) &&
    Array.isArray(removed) && removed.length <= 100_000 && removed.every((p) => typeof p === 'string' && p.length <= 4096) && (seen === undefined || typeof seen === 'boolean')
  );
}

function isState(v: unknown): v is LayerState {
  if (!isObject(v) || v.version !== 1 || !Array.isArray(v.layers) || v.layers.length > MAX_LAYERS) return false;
  const base = v.base;
  if (base !== null && !(isObject(base) && isText(base.branch) && isOid(base.commit) && isText(base.time))) return false;
  return v.layers.every(isLayer);
}

export const emptyState = (): LayerState => ({ version: 1, base: null, layers: [] });

/** The state from its JSON, or null when it is not one this code wrote (bounded: see MAX_STATE_BYTES). */
export function parseState(body: Buffer): LayerState | null {
  if (body.length > MAX_STATE_BYTES) return null;
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (!isState(parsed)) return null;
    // only what this code writes is kept (no extra keys carried along)
    const state: LayerState = {
      version: 1,
      base: parsed.base && { branch: parsed.base.branch, commit: parsed.base.commit, time: parsed.base.time },
      layers: parsed.layers.map((l) => ({ branch: l.branch, key: l.key, tip: l.tip, mergeBase: l.mergeBase, first: l.first, time: l.time, author: l.author, removed: l.removed, ...(l.seen !== undefined ? { seen: l.seen } : {}) })),
    };
    return new Set(state.layers.map((l) => l.key)).size === state.layers.length ? state : null;
  } catch {
    return null;
  }
}

export const serializeState = (s: LayerState): Buffer => Buffer.from(JSON.stringify(s, null, 1) + '\n');

/** Where a project's state lives in the codex: one ref per codex branch ('/' escaped, so `test` and `test/x` never clash). */
export const stateRefPrefix = (projectName: string) => `refs/codex-hooks/layers/${projectName}/`;
export const stateRef = (projectName: string, codexBranch: string) => stateRefPrefix(projectName) + codexBranch.replace(/%/g, '%25').replace(/\//g, '%2F');
