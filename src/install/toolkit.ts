/**
 * Where the hooks find what they run besides themselves (design §6): the codex-hooks toolkit (in a monorepo,
 * a package sub-folder's node_modules, recorded in the installed scripts), and the hooks of a
 * core.hooksPath set before install (recorded per clone in the git directory).
 */
import fs from 'node:fs';
import path from 'node:path';
import { stateDir, type Project } from '../git/project.js';
import type { Env } from '../core/edge.js';

const HUSKY_DIR = '.husky';

/** Per clone: the core.hooksPath that was set before install; the hook scripts run its hooks. */
export const chainFile = (p: Project) => path.join(stateDir(p), 'chained-hooks-path');

export const TOOLKIT = ['node_modules', 'codex-hooks', 'bin', 'codex-hooks.cjs'];
export const PACKAGE_DIR_LINE = /^codex_hooks_package_dir=.*$/m;

/**
 * The folder, from the project root, whose node_modules has codex-hooks: the nearest one from where
 * install runs up to the root ('' for the root itself). In a monorepo it is the package's sub-folder
 * (`web`); the hooks run at the root and look there too. Unknown (a global install): what the
 * installed scripts already say, else the root.
 */
export function toolkitDir(project: Project, cwd: string): string {
  const root = project.root;
  let dir = path.resolve(cwd);
  if (dir === root || dir.startsWith(root + path.sep)) {
    for (;;) {
      if (fs.existsSync(path.join(dir, ...TOOLKIT))) return path.relative(root, dir).split(path.sep).join('/');
      if (dir === root) break;
      dir = path.dirname(dir);
    }
  }
  return recordedToolkitDir(project) ?? '';
}

/** The package folder the installed hook scripts look in, or null when they are not installed. */
export function recordedToolkitDir(project: Project): string | null {
  try {
    const text = fs.readFileSync(path.join(project.root, HUSKY_DIR, 'codex-hooks', 'pre-push'), 'utf8');
    const m = /^codex_hooks_package_dir='((?:[^']|'\\'')*)'/m.exec(text);
    return m ? m[1].replace(/'\\''/g, "'") : null;
  } catch {
    return null;
  }
}

export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The hooks folder to run after ours, as the hook scripts will find it from the worktree root; never
 * husky's own folders (that would run our hook file again).
 */
export function chainablePath(hooksPath: string, env: Env): string | null {
  const expanded = hooksPath.startsWith('~/') && env.HOME ? path.join(env.HOME, hooksPath.slice(2)) : hooksPath;
  const norm = path.posix.normalize(expanded.replace(/\\/g, '/')).replace(/\/+$/, '');
  if (norm === HUSKY_DIR || norm.startsWith(`${HUSKY_DIR}/`)) return null;
  return expanded;
}

/**
 * The folder whose hooks the chain line runs, as the hook scripts find it (hooks/chain): the core.hooksPath
 * recorded at install, else the clone's own `.git/hooks`. Absolute.
 */
export function chainedDir(project: Project): string {
  try {
    const recorded = fs.readFileSync(chainFile(project), 'utf8').split('\n')[0];
    if (recorded) return path.resolve(project.root, recorded);
  } catch {
    // none recorded
  }
  return path.join(project.commonDir, 'hooks');
}
