/**
 * What install and uninstall share (design §5): the hook files' marker line, the record of what install
 * changed (so uninstall removes exactly that), and the small file helpers both use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { gitEnv } from '../git/env.js';
import { runGit } from '../git/exec.js';
import { stateDir, type Project } from '../git/project.js';
import { readJson } from '../core/json-file.js';
import { packageRoot } from '../core/paths.js';
import { childProcess } from '../core/builtin.js';
import { msg } from '../core/messages.js';

export const HOOKS = ['pre-push', 'post-commit'] as const;
export const MARKER = '# codex-hooks';
/** The line that runs codex-hooks, last in its hook file; recognised by its marker, so uninstall removes exactly it. */
export const hookLine = (name: string) => `. "$(dirname "$0")/codex-hooks/${name}" ${MARKER}`;
/** The line that runs the hook of the same name that git ran before install, first in its hook file. */
export const CHAIN_LINE = `. "$(dirname "$0")/codex-hooks/chain" ${MARKER}`;
/** The scripts install puts in .husky/codex-hooks/ (from the package's hooks/). */
export const SCRIPTS = [...HOOKS, 'chain'] as const;

/** The hooks husky makes a `.husky/_/<name>` for (husky 9's list): git runs `.husky/<name>` through them. */
export const HUSKY_HOOKS = ['pre-commit', 'pre-merge-commit', 'prepare-commit-msg', 'commit-msg', 'post-commit', 'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-rebase', 'post-rewrite', 'post-checkout', 'post-merge', 'pre-push', 'pre-auto-gc'];
/** Every hook git runs in a clone (githooks(5), less the server's and fsmonitor-watchman, which is no hook git runs by name). */
export const CLIENT_HOOKS = [...HUSKY_HOOKS, 'reference-transaction', 'push-to-checkout', 'sendemail-validate', 'post-index-change', 'p4-changelist', 'p4-prepare-changelist', 'p4-post-changelist', 'p4-pre-submit'];
/** husky's own `.husky/_/<name>`, written the same way for a hook outside its list. */
export const HUSKY_WRAPPER = '#!/usr/bin/env sh\n. "$(dirname "$0")/h"';

/**
 * The hooks git would have run before install, by name: executable files of a client hook's name in
 * `dir` (git ignores the rest: `*.sample`, a file that is not executable).
 */
export function hooksIn(dir: string): string[] {
  return CLIENT_HOOKS.filter((name) => {
    try {
      const st = fs.statSync(path.join(dir, name));
      return st.isFile() && (st.mode & 0o111) !== 0;
    } catch {
      return false;
    }
  });
}

/**
 * A hook file with codex-hooks' lines where they belong: the chain line first (after a shebang), so the
 * hooks that ran before install keep running first, then the project's own lines as they were, then the
 * line that runs codex-hooks (design §6: after the project's own checks). Lines of an earlier install are
 * moved to these places.
 */
export function withOurLines(text: string, name: string): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n').filter((l) => !l.trimEnd().endsWith(MARKER));
  lines.splice(lines[0]?.startsWith('#!') ? 1 : 0, 0, CHAIN_LINE);
  if ((HOOKS as readonly string[]).includes(name)) lines.push(hookLine(name));
  return lines.join('\n') + '\n';
}

export const HUSKY_DIR = '.husky';
/** The prepare script install adds: husky set up in every clone, by every package manager, never failing an install. */
export const PREPARE = 'codex-hooks prepare || true';

export interface InstallRecord {
  hooksPathSet: boolean;
  previousHooksPath: string | null;
  prepareAdded: boolean;
  /** The package.json that got the prepare script, from the project root (a sub-folder in a monorepo). */
  prepareFile?: string;
  /** What was added to it: `husky`, or `cd .. && husky` from a sub-folder. */
  prepareCommand?: string;
  createdHookFiles: string[];
  /** `.husky/_/<name>` files install wrote for chained hooks outside husky's list (uninstall removes them). */
  createdWrappers?: string[];
}

export interface InstallResult {
  changed: string[];
  unchanged: boolean;
}

export const recordFile = (p: Project) => path.join(stateDir(p), 'install.json');

export function writeIfDifferent(file: string, content: string, mode: number, changed: string[], label: string): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (current === content) {
    if ((fs.statSync(file).mode & 0o111) === 0 && mode & 0o111) fs.chmodSync(file, mode);
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
  changed.push(msg.installWrote(current !== null, label));
}

/** core.hooksPath as git uses it (any scope), or only this repository's own setting (`--local`). */
export async function hooksPath(project: Project, local = false): Promise<string | null> {
  const { stdout, code } = await runGit(['config', ...(local ? ['--local'] : []), '--get', 'core.hooksPath'], { cwd: project.root, env: project.env, okCodes: [1] });
  return code === 0 ? stdout.toString().trim() : null;
}

/** Runs husky's own installer in the project (it works relative to the current folder). */
export function runHusky(project: Project): Promise<string> {
  const entry = pathToFileURL(createRequire(path.join(packageRoot(), 'package.json')).resolve('husky')).href;
  const script = `import husky from ${JSON.stringify(entry)}; process.stdout.write(husky(${JSON.stringify(HUSKY_DIR)}));`;
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project.root,
      env: gitEnv(project.env) as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () => resolve(out.trim()));
  });
}

export function readRecord(project: Project): InstallRecord | null {
  return readJson<InstallRecord | null>(recordFile(project), null);
}

/** Rewrites package.json keeping the indentation it had. */
export function writePackageJson(file: string, raw: string, pkg: unknown): void {
  const indent = /^\{\r?\n([ \t]+)/.exec(raw)?.[1] ?? '  ';
  fs.writeFileSync(file, JSON.stringify(pkg, null, indent) + '\n');
}

