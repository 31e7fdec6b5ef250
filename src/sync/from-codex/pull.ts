import fs from 'node:fs';
import path from 'node:path';
import type { ObjectSource } from '../../git/objects/store.js';
import type { Project } from '../../git/project.js';
import { msg } from '../../core/messages.js';
import type { CodexCache } from '../cache/cache.js';
import { applyPull, codexSelection, planPull, pullRoot } from './from-codex.js';
import { acquireLock } from '../cache/lock.js';
import type { FromCodexResult, SyncOptions } from '../options.js';
import { pulledFile, pullLockFile } from '../state.js';
import type { PullState } from './pull-plan.js';
import { readJson, writeJson } from '../../core/json-file.js';

/**
 * Makes pull_dir mirror what the codex tip holds for this project (design §4 from-codex), among the files
 * codex-hooks wrote there: a user's own file is never removed or overwritten. The worktree is locked
 * while the pull is applied, so two syncs never interleave their writes.
 */
export async function pull(job: SyncOptions, cache: CodexCache, reader: ObjectSource, branch: string, tip: string): Promise<FromCodexResult> {
  const { wanted, refused, warnings, unlisted } = await codexSelection(cache, reader, branch, tip, job.config, job.signal);
  const root = pullRoot(job.project.root, job.config.pull_dir);
  const pullDir = path.relative(job.project.root, root);
  const apply = async (): Promise<FromCodexResult> => {
    const state = readPullState(job.project, pullDir);
    const plan = planPull(root, wanted, state, refused, unlisted);
    const warn = (text: string) => job.logger.warn(text);
    for (const p of plan.refused) warn(msg.pullRefused(p, job.config.pull_dir));
    for (const w of warnings) warn(w);
    for (const k of plan.newlyKept) warn(msg.pullKept(path.posix.join(pullDir, k.path), k.reason));
    if (job.dryRun) return { added: plan.added, changed: plan.changed, removed: plan.removed, refused: plan.refused, skipped: plan.kept };
    fs.mkdirSync(root, { recursive: true });
    ignoreItself(root);
    const outcome = await applyPull(reader, root, plan, state, job.config.max_file_size, { signal: job.signal, record: (s) => writeJson(pulledFile(job.project), s) });
    for (const s of outcome.skipped) if (s.fresh) warn(msg.pullSkipped(path.posix.join(pullDir, s.path), s.reason));
    writeJson(pulledFile(job.project), outcome.state);
    return { added: outcome.added, changed: outcome.changed, removed: plan.removed, refused: plan.refused, skipped: [...plan.kept, ...outcome.skipped.map(({ path: p, reason }) => ({ path: p, reason }))] };
  };
  if (job.dryRun) return apply();
  const release = await acquireLock(pullLockFile(job.project), { signal: job.signal, what: msg.pullLocked });
  try {
    return await apply();
  } finally {
    release();
  }
}

/** What earlier pulls wrote into pull_dir (`pulled.json`). Files recorded for another pull_dir are no licence to touch anything in this one. */
function readPullState(project: Project, pullDir: string): PullState {
  const saved = readJson<PullState>(pulledFile(project), { files: {} });
  return saved.root === undefined || saved.root === pullDir ? { ...saved, root: pullDir } : { root: pullDir, files: {} };
}

/**
 * pull_dir's own `.gitignore` (`*`), written by the pull, so pulled docs are never committed by accident when
 * the project's `.gitignore` lacks the line (init adds it, a hand-made config may not). One the user wrote
 * there is left as it is.
 */
function ignoreItself(root: string): void {
  try {
    fs.writeFileSync(path.join(root, '.gitignore'), '*\n', { flag: 'wx' });
  } catch {
    // there already (ours from an earlier pull, or the user's own): kept
  }
}
