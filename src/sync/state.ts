import fs from 'node:fs';
import path from 'node:path';
import { stateDir, type Project } from '../git/project.js';
import { redactUrl } from '../core/url.js';
import { readJson, writeJson } from '../core/json-file.js';

/** What the last successful sync of each environment wrote, so a hook with nothing new skips the network. */
export interface SyncedRecord {
  /** codex URL (redacted) + codex branch + project name: a change of any of them invalidates the record. */
  target: string;
  /** The source branch synced (a layer folder's content depends on it, not only on the selection). */
  branch?: string;
  selectionKey: string;
  /** sync_patterns matched no file: said again by every hook run that finds nothing new. */
  matchedNothing?: boolean;
  /** The selection-relevant config (patterns, size limit) the record was made with. */
  configKey: string;
  /** The root tree entries the selection can come from (see probe.ts), or null when patterns start with a glob. */
  probe: string | null;
  commit: string;
  codexCommit: string | null;
  time: string;
  /** layer mode: origin's production branch as this clone knew it (a newer one moves the base: not up to date). */
  baseTip?: string | null;
}

/** A sync that failed and is kept for retry (design §6). One per environment: a newer one replaces it. */
export interface PendingRequest {
  env: string;
  explicit: boolean;
  commit: string;
  branch: string;
  direction: string;
  attempts: number;
  error: string;
  /** The failure's kind (SyncError.kind): `deletions` needs `--allow-deletions` to be delivered. */
  kind?: string;
  time: string;
}

export interface BackgroundOutcome {
  ok: boolean;
  message: string;
  time: string;
  /** What the run skipped or warned about (design §6): shown once by the next hook run. */
  warnings?: string[];
  /** What to run when a plain retry cannot fix the failure (held deletions). */
  hint?: string;
  reported?: boolean;
}


const syncedFile = (p: Project) => path.join(stateDir(p), 'synced.json');
const pendingDir = (p: Project) => path.join(stateDir(p), 'pending');
/** Where the kept request of one environment is (named in messages: removing it drops the request). */
export const pendingFile = (p: Project, env: string) => path.join(pendingDir(p), `${env}.json`);
const backgroundFile = (p: Project) => path.join(stateDir(p), 'background.json');
/** What the pull wrote into this worktree's pull_dir: per worktree, as each has a pull_dir of its own. */
export const pulledFile = (p: Project) => path.join(p.gitDir, 'codex-hooks', 'pulled.json');
/** Held while a pull is applied to this worktree: two syncs of one project never interleave their writes. */
export const pullLockFile = (p: Project) => path.join(p.gitDir, 'codex-hooks', 'pull.lock');

export const readSynced = (p: Project): Record<string, SyncedRecord> => readJson(syncedFile(p), {});

export function recordSynced(p: Project, env: string, record: SyncedRecord): void {
  const all = readSynced(p);
  all[env] = record;
  writeJson(syncedFile(p), all);
}

export function readPending(p: Project): PendingRequest[] {
  const dir = pendingDir(p);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => readJson<PendingRequest | null>(path.join(dir, f), null))
    .filter((r): r is PendingRequest => r !== null);
}

export function keepPending(p: Project, request: Omit<PendingRequest, 'attempts' | 'time'>): PendingRequest {
  const file = path.join(pendingDir(p), `${request.env}.json`);
  const previous = readJson<PendingRequest | null>(file, null);
  const kept = { ...request, attempts: (previous?.attempts ?? 0) + 1, time: new Date().toISOString() };
  writeJson(file, kept);
  return kept;
}

export function clearPending(p: Project, env: string): void {
  fs.rmSync(path.join(pendingDir(p), `${env}.json`), { force: true });
  // the request a failed background run kept is delivered: its failure is no news any more
  const background = readBackground(p);
  if (background && !background.ok && !background.reported && !readPending(p).length) writeBackground(p, { ...background, reported: true });
}

export const readBackground = (p: Project): BackgroundOutcome | null => readJson(backgroundFile(p), null);
export const writeBackground = (p: Project, o: BackgroundOutcome): void => writeJson(backgroundFile(p), o);

/** What a synced record is about: a change of codex, codex branch or project name invalidates it. */
export const syncTarget = (url: string, branch: string, project: string) => `${redactUrl(url)}#${branch}#${project}`;
