import fs from 'node:fs';
import path from 'node:path';
import { runGit } from '../git/exec.js';
import type { Project } from '../git/project.js';
import { cmd, msg, packageManager } from '../core/messages.js';
import { CHAIN_LINE, HOOKS, hooksIn, MARKER, SCRIPTS } from './record.js';
import { chainedDir, recordedToolkitDir } from './toolkit.js';
import type { Env } from '../core/edge.js';

export interface HooksHealth {
  /** The hooks are in place and would find codex-hooks when git runs them. */
  ok: boolean;
  /** What is wrong, and the command that fixes it: the first of `problems`. */
  problem?: string;
  fix?: string;
  /** Every problem at once (a linked worktree can lack husky's files and the toolkit both). */
  problems: Array<{ problem: string; fix: string }>;
  /** Hooks git ran before install (in .git/hooks, or the core.hooksPath it replaced) that no longer run. */
  notRunning: string[];
  /** Where those hooks are (from the project root when inside it). */
  chainedFrom: string;
}

/**
 * Whether the hooks can run (design §6), checked the way git and the hook scripts will meet them:
 * core.hooksPath, our lines in .husky, husky's own files in this worktree (git-ignored, so a linked
 * worktree lacks them), the codex-hooks scripts, and the toolkit where the scripts look for it; and
 * which of the hooks that ran before install would no longer run.
 */
export async function hooksHealth(project: Project, env: Env, bin?: string): Promise<HooksHealth> {
  const { stdout, code } = await runGit(['config', '--get', 'core.hooksPath'], { cwd: project.root, env: project.env, okCodes: [1] });
  const husky = path.join(project.root, '.husky');
  const read = (file: string) => {
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return null;
    }
  };
  const ours = HOOKS.every((h) => read(path.join(husky, h))?.includes(MARKER));
  const onHusky = code === 0 && stdout.toString().trim() === '.husky/_';
  const dir = chainedDir(project);
  const rel = path.relative(project.root, dir);
  const chainedFrom = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : dir;
  if (!onHusky || !ours) return health([{ problem: msg.hooksNotInstalled, fix: cmd('install') }], [], chainedFrom);
  const problems: HooksHealth['problems'] = [];
  // git runs .husky/<name> only through husky's .husky/_/<name> (another tool may have written its own there)
  const wrapped = (name: string) => read(path.join(husky, '_', name))?.includes('/h"') ?? false;
  if (!fs.existsSync(path.join(husky, '_', 'h'))) problems.push({ problem: msg.huskyFilesMissing, fix: cmd('install') });
  else {
    const replaced = HOOKS.filter((h) => !wrapped(h));
    if (replaced.length) problems.push({ problem: msg.huskyWrapperReplaced(replaced), fix: cmd('install') });
  }
  if (!SCRIPTS.every((h) => fs.existsSync(path.join(husky, 'codex-hooks', h)))) problems.push({ problem: msg.hookScriptsMissing, fix: cmd('install') });
  const pkgDir = recordedToolkitDir(project) ?? '';
  const candidates = [bin, path.join(project.root, 'node_modules/codex-hooks/bin/codex-hooks.cjs'), pkgDir && path.join(project.root, pkgDir, 'node_modules/codex-hooks/bin/codex-hooks.cjs')];
  if (!candidates.some((c) => c && fs.existsSync(c)) && !onPath('codex-hooks', env)) problems.push({ problem: msg.toolkitNotFound(pkgDir), fix: pkgDir ? `cd ${pkgDir} && ${packageManager(env, project.root).install}` : packageManager(env, project.root).install });
  const notRunning = hooksIn(dir).filter((name) => !read(path.join(husky, name))?.includes(CHAIN_LINE) || !wrapped(name));
  return health(problems, notRunning, chainedFrom);
}

function health(problems: HooksHealth['problems'], notRunning: string[], chainedFrom: string): HooksHealth {
  return { ok: problems.length === 0, ...(problems[0] ?? {}), problems, notRunning, chainedFrom };
}

function onPath(name: string, env: Env): boolean {
  return (env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
