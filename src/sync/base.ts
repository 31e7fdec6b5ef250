import path from 'node:path';
import { stateDir, listCommit, mergeBaseWithProduction, type Project } from '../git/project.js';
import type { ObjectStore } from '../git/store.js';
import { runGit } from '../git/exec.js';
import { local, type CodexCache } from './cache.js';
import type { TreeEntry } from '../git/parse.js';
import { listForSync } from './listing.js';
import { selectFiles, type SelectConfig } from './select.js';
import { readJson, writeJson } from './state.js';
import { grepTrailer, TRAILER, trailerFormat } from './layout.js';

/**
 * The base of a `layer` sync (SPEC §4): the commit this source branch last synced to the codex folder,
 * else (its first sync) the merge base with the project's production branch. Its selection is what the
 * branch's changes are measured against.
 */
export interface LayerBase {
  commit: string | null;
  /** Where the base came from: this machine's record, the codex's trailers, the merge base, or none. */
  from: 'record' | 'codex' | 'merge-base' | 'none';
  /** The base commit's selection (the project's blob ids); null without a base. */
  files: TreeEntry[] | null;
  /** A base named by the codex or the record that this clone does not have (then the merge base is used). */
  missing?: string;
}

const basesFile = (p: Project) => path.join(stateDir(p), 'layer-bases.json');
type Bases = Record<string, Record<string, string>>;

const readBases = (p: Project): Bases => readJson<Bases>(basesFile(p), {});

/** Remembers the commit `branch` synced to `target` (codex URL + branch + project): the next base. */
export function recordBase(p: Project, target: string, branch: string, commit: string): void {
  const all = readBases(p);
  if (all[target]?.[branch] === commit) return;
  all[target] = { ...all[target], [branch]: commit };
  writeJson(basesFile(p), all);
}

export interface BaseInput {
  project: Project;
  source: ObjectStore;
  config: SelectConfig & { projectName: string; prod_branches: string[] };
  target: string;
  branch: string;
  commit: string;
  /** The codex's cache and the fetched tip (awaited only when this machine has no record). */
  codex: CodexCache;
  tip: Promise<string>;
}

export async function findBase(o: BaseInput): Promise<LayerBase> {
  let missing: string | undefined;
  const recorded = readBases(o.project)[o.target]?.[o.branch];
  if (recorded) {
    const files = await selectionOf(o, recorded);
    if (files) return { commit: recorded, from: 'record', files };
    missing = recorded;
  }
  // Without a record the merge base may be needed: asked of git while the codex is fetched.
  const merging = mergeBaseWithProduction(o.project, o.commit, o.config.prod_branches);
  merging.catch(() => {});
  const named = await lastSyncedFromCodex(o.codex, await o.tip, o.config.projectName, o.branch);
  if (named && named !== recorded) {
    const files = await selectionOf(o, named);
    if (files) return { commit: named, from: 'codex', files };
    missing = named;
  }
  const merged = await merging;
  const files = merged ? await selectionOf(o, merged) : null;
  if (merged && files) return { commit: merged, from: 'merge-base', files, missing };
  return { commit: null, from: 'none', files: null, missing };
}

/** A commit's selection, or null when this clone lacks the commit (another developer's, rewritten since). */
async function selectionOf(o: BaseInput, commit: string): Promise<TreeEntry[] | null> {
  if (!OBJECT_ID.test(commit)) return null;
  try {
    const here = o.source.readHere(commit);
    const entries = here?.type === 'commit' ? await listForSync(o.project, o.source, commit, o.config) : await listCommit(o.project, commit);
    return selectFiles(entries, o.config).files;
  } catch {
    return null;
  }
}

/**
 * The source commit of the newest codex commit on this branch that synced `branch` of the project,
 * from the `Codex-Project`/`Codex-Source-Branch`/`Codex-Source-Commit` trailers, whichever machine
 * wrote it. Asked of git (`log --grep`, first parents): a branch's first sync finds no such commit and
 * walks the whole history, which git does in a few ms per thousand commits.
 */
export async function lastSyncedFromCodex(cache: CodexCache, tip: string, projectName: string, branch: string): Promise<string | null> {
  const { stdout, code } = await runGit(
    ['log', '-1', '--first-parent', '-E', '--all-match', grepTrailer(TRAILER.project, projectName), grepTrailer(TRAILER.sourceBranch, branch), `--format=${trailerFormat(TRAILER.sourceCommit, '%x20')}`, tip, '--'],
    local(cache, { okCodes: [128] }),
  );
  // Codex text: only an object id is taken (it is handed to git), anything else means no base here.
  const named = code === 0 ? stdout.toString().trim() : '';
  return OBJECT_ID.test(named) ? named : null;
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
