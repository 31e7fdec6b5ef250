import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { resolveEnvironment } from '../environment/resolve.js';
import { currentBranch, openProject, operationInProgress, resolveCommit, stateDir } from '../git/project.js';
import { readBackground, writeBackground } from '../sync/state.js';
import { msg, syncWarnings } from '../core/messages.js';
import { packageRoot } from '../core/paths.js';
import { childProcess } from '../core/builtin.js';
import { reportBackground } from './background.js';
import { BACKGROUND_CHILD, HOOK_ENTRY, withoutCaCertsRead } from '../core/settings.js';
import type { CommandResult, Context } from '../core/edge.js';


/**
 * post-commit (design §6) never writes the codex: a commit is not a publication (a push is). It prepares the
 * next push — the codex branch of the current branch's environment fetched into the cache, with its layer
 * state — and brings shared docs into pull_dir when the direction includes from-codex. Never prompts;
 * stays out of rebases, merges, cherry-picks and detached HEADs. `background` hands the work to a
 * detached process and returns at once.
 */
export async function postCommit(ctx: Context): Promise<CommandResult> {
  const skip = (why: string): CommandResult => ({ data: { hook: 'post-commit', skipped: why } });
  const project = await openProject(ctx.cwd, ctx.env);
  const inProgress = operationInProgress(project);
  if (inProgress) return skip(inProgress);
  const config = await loadConfig(project);
  if (!config.filepath || !config.codexUrl || config.hooks.post_commit === 'off') return skip('not configured');
  const child = ctx.settings.backgroundChild;
  if (!child) reportBackground(project, ctx.logger);
  const branch = await currentBranch(project);
  if (branch === null) return skip('detached HEAD');
  const decision = resolveEnvironment({ explicit: { envVar: ctx.namedEnvironment }, branch, config });
  const commit = await resolveCommit(project, 'HEAD');

  if (config.hooks.post_commit === 'background' && !child) {
    const dir = stateDir(project);
    fs.mkdirSync(dir, { recursive: true });
    const logFd = fs.openSync(path.join(dir, 'background.log'), 'w');
    const bin = path.join(packageRoot(), 'bin', HOOK_ENTRY);
    const sub = childProcess().spawn(process.execPath, [bin, 'hook', 'post-commit'], {
      cwd: project.root,
      env: { ...withoutCaCertsRead(ctx.env), [BACKGROUND_CHILD]: '1' } as NodeJS.ProcessEnv,
      detached: true,
      stdio: ['ignore', logFd, logFd],
    });
    sub.unref();
    fs.closeSync(logFd);
    return { data: { hook: 'post-commit', background: sub.pid } };
  }

  const { runSync, prefetch } = await import('../sync/engine.js');
  // A background run has nobody to tell: what it warns about is kept for the next hook run and status.
  const warnings: string[] = [];
  const logger = child ? { ...ctx.logger, warn: (m: string) => void (warnings.push(m), ctx.logger.warn(m)) } : ctx.logger;
  try {
    if (config.sync_direction === 'to-codex') {
      await prefetch({ project, config, decision });
      return { data: { hook: 'post-commit', prefetched: decision.codexBranch } };
    }
    // Shared docs arrive with the same fetch (design §6); nothing of the project's is written.
    const r = await runSync({ project, config, decision, commit, sourceBranch: branch, direction: 'from-codex', logger });
    const line = msg.pulledOnly(config.projectName, decision.env, decision.codexBranch, r.fromCodex);
    const notes = syncWarnings(r, { syncPatterns: config.sync_patterns, configFile: config.filepath });
    if (child) {
      // post-commit pulls after every commit: the same warnings as the run already shown are not shown again
      const all = [...notes, ...warnings];
      const last = readBackground(project);
      const seen = !!last?.ok && !!last.reported && JSON.stringify([...(last.warnings ?? [])].sort()) === JSON.stringify([...all].sort());
      writeBackground(project, { ok: true, message: line, time: new Date().toISOString(), warnings: all, ...(seen ? { reported: true } : {}) });
    }
    else {
      ctx.logger.info(line);
      for (const n of notes) ctx.logger.warn(n);
    }
    return { data: { hook: 'post-commit', result: r } };
  } catch (error) {
    // Nothing to keep for retry: nothing was to be written; the next push fetches and pulls again.
    const e = error as Error & { kind?: string };
    if (child) writeBackground(project, { ok: false, message: e.message, time: new Date().toISOString(), warnings });
    else ctx.logger.warn(msg.pullOnlyFailed(decision.codexBranch, e.message.split('\n').join(' ')));
    return { data: { hook: 'post-commit', error: e.message }, exitCode: 0 };
  }
}
