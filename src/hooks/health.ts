import fs from 'node:fs';
import path from 'node:path';
import { runGit } from '../git/exec.js';
import type { Project } from '../git/project.js';
import type { Env } from '../git/env.js';
import { msg } from '../ui/messages.js';
import { HOOKS, MARKER } from '../install/record.js';
import { recordedToolkitDir } from './toolkit.js';

export interface HooksHealth {
  /** The hooks are in place and would find codex-hooks when git runs them. */
  ok: boolean;
  /** What is wrong, and the command that fixes it. */
  problem?: string;
  fix?: string;
}

/**
 * Whether the hooks can run (SPEC §6), checked the way git and the hook scripts will meet them:
 * core.hooksPath, our lines in .husky, husky's own files in this worktree (git-ignored, so a linked
 * worktree lacks them), the codex-hooks scripts, and the toolkit where the scripts look for it.
 */
export async function hooksHealth(project: Project, env: Env): Promise<HooksHealth> {
  const { stdout, code } = await runGit(['config', '--get', 'core.hooksPath'], { cwd: project.root, env: project.env, okCodes: [1] });
  const husky = path.join(project.root, '.husky');
  const ours = HOOKS.every((h) => {
    const file = path.join(husky, h);
    return fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes(MARKER);
  });
  if (code !== 0 || stdout.toString().trim() !== '.husky/_' || !ours) return { ok: false, problem: msg.hooksNotInstalled, fix: 'codex-hooks install' };
  if (!fs.existsSync(path.join(husky, '_', 'h'))) return { ok: false, problem: msg.huskyFilesMissing, fix: 'codex-hooks install' };
  if (!HOOKS.every((h) => fs.existsSync(path.join(husky, 'codex-hooks', h)))) return { ok: false, problem: msg.hookScriptsMissing, fix: 'codex-hooks install' };
  const pkgDir = recordedToolkitDir(project) ?? '';
  const candidates = [env.CODEX_HOOKS_BIN, path.join(project.root, 'node_modules/codex-hooks/bin/codex-hooks.cjs'), pkgDir && path.join(project.root, pkgDir, 'node_modules/codex-hooks/bin/codex-hooks.cjs')];
  if (candidates.some((c) => c && fs.existsSync(c)) || onPath('codex-hooks', env)) return { ok: true };
  return { ok: false, problem: msg.toolkitNotFound(pkgDir), fix: pkgDir ? `cd ${pkgDir} && npm install` : 'npm install' };
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
