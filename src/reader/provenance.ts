import fs from 'node:fs';
import path from 'node:path';
import type { GitObject } from '../git/objects/batch.js';
import { readLooseRef, readPackedRef } from '../git/objects/loose.js';
import { runGit } from '../git/exec.js';
import { ObjectStore } from '../git/objects/store.js';
import { TRAILER } from '../sync/tree/layout.js';
import type { Env } from '../core/edge.js';

/**
 * Provenance of codex commits (design §4): what a sync commit says of itself — its trailers, when it was
 * made, by whom — read from the cache's objects in this process (packed ones by git's cat-file), for both
 * faces of the reader: `codex-hooks status` (each environment's last sync of this project) and the MCP
 * server's codex_status (each project's last release).
 */

/** A sync commit's trailers (sync/tree/layout.ts writes them); null for one it does not carry. */
export interface SyncTrailers {
  project: string | null;
  sourceCommit: string | null;
  sourceBranch: string | null;
  env: string | null;
}

/**
 * The one reader of the sync trailers: each key's first `Key: value` line of the message (case-insensitive,
 * trimmed). The values are codex text, written by anybody: the caller bounds and escapes what it shows.
 */
export function syncTrailers(message: string): SyncTrailers {
  const value = (key: string) => new RegExp(`^${key}: *(.+)$`, 'mi').exec(message)?.[1]?.trim() ?? null;
  return { project: value(TRAILER.project), sourceCommit: value(TRAILER.sourceCommit), sourceBranch: value(TRAILER.sourceBranch), env: value(TRAILER.env) };
}

/** One codex commit as provenance reads it. */
export interface CodexCommit {
  oid: string;
  parents: string[];
  /** The author's name (git's %an). */
  author: string;
  /** Seconds since the epoch and the committer's time zone (`+0100`), or null when the line is unreadable. */
  committed: { seconds: number; zone: string } | null;
  trailers: SyncTrailers;
}

/** A commit object's body as provenance reads it (headers up to the first blank line, then the message). */
export function parseCommit(oid: string, body: Buffer): CodexCommit {
  const text = body.toString('utf8');
  const end = text.indexOf('\n\n');
  const head = end < 0 ? text : text.slice(0, end);
  const message = end < 0 ? '' : text.slice(end + 2);
  const parents = [...head.matchAll(/^parent ([0-9a-f]{40})$/gm)].map((m) => m[1]);
  const author = /^author ([^<\n]*)</m.exec(head)?.[1]?.trim() ?? '';
  const when = /^committer .* (\d+) ([+-]\d{4})$/m.exec(head);
  return { oid, parents, author, committed: when ? { seconds: Number(when[1]), zone: when[2] } : null, trailers: syncTrailers(message) };
}

/** The commit time in UTC (`2026-12-06T06:17:32.000Z`), or '' when unknown. */
export const utcTime = (c: CodexCommit) => (c.committed ? new Date(c.committed.seconds * 1000).toISOString() : '');

/** The commit time in the committer's zone, as git's %cI shows it (`2026-12-06T07:17:32+01:00`), or ''. */
export function committerTime(c: CodexCommit): string {
  if (!c.committed) return '';
  const { seconds, zone } = c.committed;
  const minutes = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)));
  const local = new Date((seconds + minutes * 60) * 1000).toISOString().slice(0, 19);
  return `${local}${zone.slice(0, 3)}:${zone.slice(3, 5)}`;
}

type ReadObject = (oid: string) => Promise<GitObject | null>;

/** A tip's first-parent history, newest first, at most `max` commits; stops quietly at one it cannot read. */
export async function* firstParentHistory(read: ReadObject, tip: string, max: number): AsyncGenerator<CodexCommit> {
  let oid: string | undefined = tip;
  for (let i = 0; oid && i < max; i++) {
    const o = await read(oid);
    if (!o || o.type !== 'commit') return;
    const c = parseCommit(oid, o.body);
    yield c;
    oid = c.parents[0];
  }
}

/**
 * Each project's last release on a snapshot's first-parent history (codex_status): the newest commit whose
 * Codex-Project trailer names it, within `max` commits; stops once every name in `names` is found.
 */
export async function lastReleases(read: ReadObject, tip: string, names: string[], max: number): Promise<Map<string, CodexCommit>> {
  const last = new Map<string, CodexCommit>();
  for await (const c of firstParentHistory(read, tip, max)) {
    const project = c.trailers.project;
    if (!project || last.has(project)) continue;
    last.set(project, c);
    if (names.every((n) => last.has(n))) break;
  }
  return last;
}

/** The last sync of a project to one environment, as `codex-hooks status` shows it. */
export interface LastSync {
  codexBranch: string;
  codexCommit: string;
  /** The codex commit's time in its committer's zone (git's %cI). */
  time: string;
  sourceCommit: string;
  sourceBranch: string;
  /** Who made the synced commit (the codex commit carries the source commit's author). */
  author?: string;
}

/** null: the codex branch has no sync of the project; unknown: the cache lacks the branch (or its history). */
export type LastSyncOrUnknown = LastSync | { unknown: true; codexBranch: string } | null;

/**
 * A `git log -E -i` argument matching commits with the line `key: value`: a search, wider than syncTrailers
 * (any case, any such line), which reads the values.
 */
const grepTrailer = (key: string, value: string) => `--grep=^${key}:[[:space:]]*${value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[[:space:]]*$`;

/**
 * The last sync of `project` to each environment, from the codex trailers in the local cache (as the last
 * fetch left it): the newest commit of the environment's branch, in git log's order, whose trailers name
 * the project and the environment. git's --grep finds the candidates (git walks a long history twice as
 * fast as this process reads it: scripts/bench-provenance.mjs), each read here and confirmed by
 * syncTrailers. Empty when there is no cache yet.
 */
export async function lastSyncs(cacheDir: string, env: Env, project: string, environments: Record<string, { branch: string }>): Promise<Record<string, LastSyncOrUnknown>> {
  const out: Record<string, LastSyncOrUnknown> = {};
  if (!fs.existsSync(cacheDir)) return out;
  const store = ObjectStore.open(cacheDir, { cwd: cacheDir, env });
  try {
    for (const [envName, { branch }] of Object.entries(environments)) {
      const tip = fs.existsSync(path.join(cacheDir, 'HEAD')) ? (readLooseRef(cacheDir, branch) ?? readPackedRef(cacheDir, branch)) : null;
      out[envName] = tip ? await lastSyncOn(store, cacheDir, env, branch, project, envName) : { unknown: true, codexBranch: branch };
    }
  } finally {
    store.close();
  }
  return out;
}

async function lastSyncOn(store: ObjectStore, cacheDir: string, env: Env, branch: string, project: string, envName: string): Promise<LastSyncOrUnknown> {
  // git's first match is the answer unless its message repeats a key (by hand, or hostile): then every
  // other match, in one more walk, each confirmed in turn
  for (const limit of [['-1'], ['--skip=1']]) {
    const args = ['log', '-E', '-i', '--all-match', ...limit, grepTrailer(TRAILER.project, project), grepTrailer(TRAILER.env, envName), '--format=%H', `refs/heads/${branch}`, '--'];
    const { stdout, code } = await runGit(args, { cwd: cacheDir, env, okCodes: [128] });
    // The cache never fetched that history whole: whether the project ever synced there is not known here.
    if (code !== 0) return { unknown: true, codexBranch: branch };
    for (const oid of stdout.toString().split('\n').filter(Boolean)) {
      const o = await store.read(oid);
      if (!o || o.type !== 'commit') return { unknown: true, codexBranch: branch };
      const c = parseCommit(oid, o.body);
      if (c.trailers.project !== project || c.trailers.env !== envName) continue;
      return { codexBranch: branch, codexCommit: c.oid, time: committerTime(c), sourceCommit: c.trailers.sourceCommit ?? '', sourceBranch: c.trailers.sourceBranch ?? '', author: c.author };
    }
    if (!stdout.length) return null;
  }
  return null;
}
