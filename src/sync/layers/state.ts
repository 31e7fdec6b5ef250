import { z } from 'zod';

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
const OID = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/);
const text = z.string().max(1000);

const schema = z.object({
  version: z.literal(1),
  base: z.object({ branch: text, commit: OID, time: text }).nullable(),
  layers: z
    .array(
      z.object({
        branch: text,
        key: z.string().regex(/^[0-9a-f]{8,40}$/),
        tip: OID,
        mergeBase: OID.nullable(),
        first: text,
        time: text,
        author: text,
        removed: z.array(z.string().max(4096)).max(100_000),
        seen: z.boolean().optional(),
      }),
    )
    .max(MAX_LAYERS),
});

export const emptyState = (): LayerState => ({ version: 1, base: null, layers: [] });

/** The state from its JSON, or null when it is not one this code wrote (bounded: see MAX_STATE_BYTES). */
export function parseState(body: Buffer): LayerState | null {
  if (body.length > MAX_STATE_BYTES) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) return null;
    const keys = new Set(parsed.data.layers.map((l) => l.key));
    return keys.size === parsed.data.layers.length ? parsed.data : null;
  } catch {
    return null;
  }
}

export const serializeState = (s: LayerState): Buffer => Buffer.from(JSON.stringify(s, null, 1) + '\n');

/** Where a project's state lives in the codex: one ref per codex branch ('/' escaped, so `test` and `test/x` never clash). */
export const stateRefPrefix = (projectName: string) => `refs/codex-hooks/layers/${projectName}/`;
export const stateRef = (projectName: string, codexBranch: string) => stateRefPrefix(projectName) + codexBranch.replace(/%/g, '%25').replace(/\//g, '%2F');
