import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { resolveEnvironment } from '../env/resolve.js';
import { currentBranch, openProject, operationInProgress, resolveCommit, stateDir } from '../git/project.js';
import { keepPending, writeBackground } from '../sync/state.js';
import { msg, summaryLine, syncWarnings } from '../ui/messages.js';
import type { CommandResult, Context } from '../ui/context.js';
import { alreadySynced } from './up-to-date.js';
import { packageRoot } from '../paths.js';
import { reportBackground } from './background.js';

const BACKGROUND_CHILD = 'CODEX_HOOKS_BACKGROUND_CHILD';

/**
 * post-commit (SPEC §6): to-codex for an assumed environment that needs no confirmation; never prompts,
 * never writes production unless CODEX_ENV names it; stays out of rebases, merges, cherry-picks and
 * detached HEADs. `background` hands the work to a detached process and returns at once.
 */
export async function postCommit(ctx: Context): Promise<CommandResult> {
  const skip = (why: string): CommandResult => ({ data: { hook: 'post-commit', skipped: why } });
  const project = await openProject(ctx.cwd, ctx.env);
  const inProgress = operationInProgress(project);
  if (inProgress) return skip(inProgress);
  const config = await loadConfig(project);
  if (!config.filepath || !config.codexUrl || config.hooks.post_commit === 'off' || config.sync_direction === 'from-codex') return skip('not configured');
  const child = ctx.env[BACKGROUND_CHILD] === '1';
  if (!child) reportBackground(project, ctx.logger);
  const branch = await currentBranch(project);
  if (branch === null) return skip('detached HEAD');
  const decision = resolveEnvironment({ explicit: { envVar: ctx.codexEnv }, branch, config });
  if (decision.needsConfirmation) return skip('production needs confirmation: synced on push');
  const commit = await resolveCommit(project, 'HEAD');
  const known = await alreadySynced(project, config, decision, commit, branch);
  if (known.upToDate) return skip('up to date');

  if (config.hooks.post_commit === 'background' && !child) {
    const dir = stateDir(project);
    fs.mkdirSync(dir, { recursive: true });
    const logFd = fs.openSync(path.join(dir, 'background.log'), 'w');
    const bin = path.join(packageRoot(), 'bin', 'codex-hooks.cjs');
    const sub = spawn(process.execPath, [bin, 'hook', 'post-commit'], {
      cwd: project.root,
      env: { ...ctx.env, [BACKGROUND_CHILD]: '1' } as NodeJS.ProcessEnv,
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
    sub.unref();
    fs.closeSync(logFd);
    return { data: { hook: 'post-commit', background: sub.pid } };
  }

  const { runSync } = await import('../sync/engine.js');
  // A background run has nobody to tell: what it warns about is kept for the next hook run and status.
  const warnings: string[] = [];
  const logger = child ? { ...ctx.logger, warn: (m: string) => void (warnings.push(m), ctx.logger.warn(m)) } : ctx.logger;
  // With from-codex in the direction, shared docs arrive with the same fetch (SPEC §6).
  const direction = config.sync_direction;
  try {
    const r = await runSync({ project, config, decision, commit, entries: known.entries, sourceBranch: branch, direction, logger });
    const line = summaryLine(r, r);
    const notes = syncWarnings(r, { syncPatterns: config.sync_patterns, configFile: config.filepath });
    if (child) writeBackground(project, { ok: true, message: line, time: new Date().toISOString(), warnings: [...notes, ...warnings] });
    else {
      ctx.logger.info(line);
      for (const n of notes) ctx.logger.warn(n);
    }
    return { data: { hook: 'post-commit', result: r } };
  } catch (error) {
    const e = error as Error & { kind?: string };
    keepPending(project, { env: decision.env, explicit: decision.explicit, commit, branch, direction, error: e.message, kind: e.kind });
    const held = e.kind === 'deletions' ? msg.keptHeld(decision.env) : undefined;
    if (child) writeBackground(project, { ok: false, message: e.message, time: new Date().toISOString(), warnings, hint: held });
    else ctx.logger.warn(msg.commitSyncFailed(e.message, held));
    return { data: { hook: 'post-commit', error: e.message }, exitCode: 0 };
  }
}
