import type { SyncDirection } from '../config/defaults.js';
import type { Config, SyncMode } from '../config/normalize.js';
import type { EnvironmentDecision } from '../environment/resolve.js';
import type { Project } from '../git/project.js';
import type { TreeEntry } from '../git/objects/parse.js';
import type { DropReason, LayerEvent } from './layers/next.js';
import type { Overlap } from './layers/compute.js';
import type { Logger } from '../core/edge.js';

/** What one sync is asked to do (runSync, and each project of a sync-org batch) and what it reports. */

export interface SyncOptions {
  project: Project;
  config: Config;
  decision: EnvironmentDecision;
  /** The full sha of the commit whose files are synced (never the working tree). */
  commit: string;
  /** That commit's listing, when the caller has already read it (`listForSync`). */
  entries?: TreeEntry[];
  /** The branch the commit came from, for the message and trailers. */
  sourceBranch: string;
  direction: SyncDirection;
  dryRun?: boolean;
  allowDeletions?: boolean;
  /** The folder mirrors this commit's selection whatever the environment's mode (`sync --mirror`). */
  mirror?: boolean;
  /** layer mode: what this sync does to the layers (default: the source branch's layer, or a base move for a production branch). */
  layerEvent?: LayerEvent;
  /**
   * layer mode: the branch is known to be on origin (its push landed, or a kept request of a push): when origin
   * says it is not (deleted since), its layer is dropped instead of written.
   */
  onOrigin?: boolean;
  logger: Logger;
  /** Set by runSync: aborted when the sync's time (CODEX_HOOKS_TIMEOUT) has run out. */
  signal?: AbortSignal;
}

/** The sync writes the project's layered folder (design §4 `layer`): to-codex work, in layer mode, not `--mirror`. */
export const layered = (job: Pick<SyncOptions, 'direction' | 'mirror' | 'decision'>): boolean => job.direction !== 'from-codex' && !job.mirror && job.decision.mode === 'layer';

export interface SyncResult {
  project: string;
  env: string;
  codexBranch: string;
  codexUrl: string;
  commit: string;
  direction: SyncDirection;
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
  mode: SyncMode;
  /** sync_patterns matched no path of the commit at all (not even a skipped one). */
  matchedNothing: boolean;
  /** layer mode: the layers after this sync (design §4). */
  layers?: LayersReport;
}

export interface FromCodexResult {
  added: string[];
  changed: string[];
  removed: string[];
  refused: string[];
  skipped: Array<{ path: string; reason: string }>;
}

export interface LayersReport {
  event: LayerEvent['kind'];
  base: { branch: string; commit: string; time: string } | null;
  live: Array<{ branch: string; tip: string; author: string; time: string; files: number; docs?: string[] }>;
  dropped: Array<{ branch: string; why: DropReason }>;
  overlaps: Overlap[];
  /** Why origin could not be asked which branches it has (null: it was asked). */
  origin: string | null;
}
