import type { Config } from '../config/normalize.js';
import type { EnvDecision } from '../env/resolve.js';
import type { Project } from '../git/project.js';
import type { TreeEntry } from '../git/parse.js';
import type { Logger } from '../ui/logger.js';
import type { LayerBase } from './base.js';

/** What one sync is asked to do (runSync, and each project of a sync-org batch) and what it reports. */
export type Direction = 'to-codex' | 'from-codex' | 'bidirectional';

export interface SyncOptions {
  project: Project;
  config: Config;
  decision: EnvDecision;
  /** The full sha of the commit whose files are synced (never the working tree). */
  commit: string;
  /** That commit's listing, when the caller has already read it (`listForSync`). */
  entries?: TreeEntry[];
  /** The branch the commit came from, for the message and trailers. */
  sourceBranch: string;
  direction: Direction;
  dryRun?: boolean;
  allowDeletions?: boolean;
  /** The folder mirrors this commit's selection whatever the environment's mode (`sync --mirror`). */
  mirror?: boolean;
  logger: Logger;
  /** Set by runSync: aborted when the sync's time (CODEX_HOOKS_TIMEOUT) has run out. */
  signal?: AbortSignal;
}

export interface SyncResult {
  project: string;
  env: string;
  codexBranch: string;
  codexUrl: string;
  commit: string;
  direction: Direction;
  dryRun: boolean;
  toCodex?: ToCodexResult;
  fromCodex?: FromCodexResult;
}

export interface ToCodexResult {
  added: string[];
  changed: string[];
  removed: string[];
  skipped: Array<{ path: string; reason: string }>;
  codexCommit: string | null;
  attempts: number;
  mode: 'mirror' | 'layer';
  /** sync_patterns matched no path of the commit at all (not even a skipped one). */
  matchedNothing: boolean;
  /** layer: the commit the branch's changes were measured against, and where it came from. */
  base?: { commit: string | null; from: LayerBase['from']; missing?: string };
}

export interface FromCodexResult {
  added: string[];
  changed: string[];
  removed: string[];
  refused: string[];
  skipped: Array<{ path: string; reason: string }>;
}
