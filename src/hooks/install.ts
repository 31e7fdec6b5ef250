import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../errors.js';
import { gitEnv } from '../git/env.js';
import { runGit } from '../git/exec.js';
import { stateDir, type Project } from '../git/project.js';
import { readJson, writeJson } from '../json-file.js';
import { packageRoot } from '../paths.js';

export const HOOKS = ['pre-push', 'post-commit'] as const;
export const MARKER = '# codex-hooks';
/** The one line each husky hook file gets; recognised by its marker, so uninstall removes exactly it. */
export const hookLine = (name: string) => `. "$(dirname "$0")/codex-hooks/${name}" ${MARKER}`;

const HUSKY_DIR = '.husky';

export interface InstallRecord {
  hooksPathSet: boolean;
  previousHooksPath: string | null;
  prepareAdded: boolean;
  createdHookFiles: string[];
}

export interface InstallResult {
  changed: string[];
  unchanged: boolean;
}

const recordFile = (p: Project) => path.join(stateDir(p), 'install.json');

function writeIfDifferent(file: string, content: string, mode: number, changed: string[], label: string): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
  if (current === content) {
    if ((fs.statSync(file).mode & 0o111) === 0 && mode & 0o111) fs.chmodSync(file, mode);
    return;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content, { mode });
  fs.chmodSync(file, mode);
  changed.push(`${current === null ? 'created' : 'updated'} ${label}`);
}

async function hooksPath(project: Project): Promise<string | null> {
  const { stdout, code } = await runGit(['config', '--get', 'core.hooksPath'], { cwd: project.root, env: project.env, okCodes: [1] });
  return code === 0 ? stdout.toString().trim() : null;
}

/** Runs husky's own installer in the project (it works relative to the current folder). */
function runHusky(project: Project): Promise<string> {
  const entry = pathToFileURL(createRequire(path.join(packageRoot(), 'package.json')).resolve('husky')).href;
  const script = `import husky from ${JSON.stringify(entry)}; process.stdout.write(husky(${JSON.stringify(HUSKY_DIR)}));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
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

/** Installs the hooks (SPEC §5 install). Compares before writing; says what it changed. */
export async function install(project: Project): Promise<InstallResult> {
  const changed: string[] = [];
  const record: InstallRecord = readRecord(project) ?? { hooksPathSet: false, previousHooksPath: null, prepareAdded: false, createdHookFiles: [] };
  const huskyRoot = path.join(project.root, HUSKY_DIR);

  const before = await hooksPath(project);
  const wanted = `${HUSKY_DIR}/_`;
  const huskyFilesMissing = !fs.existsSync(path.join(huskyRoot, '_', 'h'));
  if (before !== wanted || huskyFilesMissing) {
    const problem = await runHusky(project);
    if (problem) throw new UsageError(`husky could not install the hooks: ${problem}`, problem.startsWith('HUSKY=0') ? 'unset HUSKY and run `codex-hooks install` again' : 'run `codex-hooks install` at the root of a git checkout');
    if (before !== wanted) {
      if (!record.hooksPathSet) {
        record.hooksPathSet = true;
        record.previousHooksPath = before;
      }
      changed.push(`set core.hooksPath to ${wanted}${before ? ` (was ${before})` : ''}`);
    } else {
      changed.push(`restored husky's files in ${wanted}`);
    }
  }

  for (const name of HOOKS) {
    const script = fs.readFileSync(path.join(packageRoot(), 'hooks', name), 'utf8');
    writeIfDifferent(path.join(huskyRoot, 'codex-hooks', name), script, 0o644, changed, `${HUSKY_DIR}/codex-hooks/${name}`);
    const hookFile = path.join(huskyRoot, name);
    const exists = fs.existsSync(hookFile);
    const text = exists ? fs.readFileSync(hookFile, 'utf8') : '';
    if (text.split('\n').some((l) => l.trimEnd().endsWith(MARKER))) continue;
    const line = hookLine(name);
    let next: string;
    if (name === 'pre-push') {
      // First, so the ref lines on stdin reach codex-hooks and are handed on to the lines after it.
      const lines = text.split('\n');
      const at = lines[0]?.startsWith('#!') ? 1 : 0;
      lines.splice(at, 0, line);
      next = lines.join('\n');
    } else {
      next = text + (text && !text.endsWith('\n') ? '\n' : '') + line + '\n';
    }
    if (!exists) {
      next = line + '\n';
      if (!record.createdHookFiles.includes(name)) record.createdHookFiles.push(name);
    }
    fs.writeFileSync(hookFile, next, { mode: 0o755 });
    changed.push(`${exists ? 'added the codex-hooks line to' : 'created'} ${HUSKY_DIR}/${name}`);
  }

  const pkgFile = path.join(project.root, 'package.json');
  if (fs.existsSync(pkgFile)) {
    const raw = fs.readFileSync(pkgFile, 'utf8');
    const pkg = JSON.parse(raw);
    const prepare: string | undefined = pkg.scripts?.prepare;
    if (!prepare || !/\bhusky\b/.test(prepare)) {
      pkg.scripts = { ...(pkg.scripts ?? {}), prepare: prepare ? `${prepare} && husky` : 'husky' };
      writePackageJson(pkgFile, raw, pkg);
      record.prepareAdded = true;
      changed.push('added "prepare": "husky" to package.json');
    }
  }

  if (changed.length) writeJson(recordFile(project), record);
  return { changed, unchanged: changed.length === 0 };
}

export function readRecord(project: Project): InstallRecord | null {
  return readJson<InstallRecord | null>(recordFile(project), null);
}

/** Removes what install added, and nothing else (SPEC §5 uninstall). */
export async function uninstall(project: Project): Promise<InstallResult> {
  const changed: string[] = [];
  const record = readRecord(project);
  const huskyRoot = path.join(project.root, HUSKY_DIR);
  for (const name of HOOKS) {
    const hookFile = path.join(huskyRoot, name);
    if (fs.existsSync(hookFile)) {
      const text = fs.readFileSync(hookFile, 'utf8');
      const kept = text.split('\n').filter((l) => !l.trimEnd().endsWith(MARKER));
      const next = kept.join('\n');
      if (next !== text) {
        if (record?.createdHookFiles.includes(name) && next.trim() === '') {
          fs.rmSync(hookFile);
          changed.push(`removed ${HUSKY_DIR}/${name}`);
        } else {
          fs.writeFileSync(hookFile, next);
          changed.push(`removed the codex-hooks line from ${HUSKY_DIR}/${name}`);
        }
      }
    }
    const script = path.join(huskyRoot, 'codex-hooks', name);
    if (fs.existsSync(script)) {
      fs.rmSync(script);
      changed.push(`removed ${HUSKY_DIR}/codex-hooks/${name}`);
    }
  }
  const ours = path.join(huskyRoot, 'codex-hooks');
  if (fs.existsSync(ours) && fs.readdirSync(ours).length === 0) fs.rmdirSync(ours);

  // husky stays for the user's own hook files; it goes only with the last of ours.
  const huskyStays = HOOKS.some((n) => fs.existsSync(path.join(huskyRoot, n))) || otherHuskyHooks(huskyRoot);
  if (record?.hooksPathSet && !huskyStays) {
    if (record.previousHooksPath) await runGit(['config', 'core.hooksPath', record.previousHooksPath], { cwd: project.root, env: project.env });
    else await runGit(['config', '--unset', 'core.hooksPath'], { cwd: project.root, env: project.env, okCodes: [5] });
    fs.rmSync(path.join(huskyRoot, '_'), { recursive: true, force: true });
    if (fs.existsSync(huskyRoot) && fs.readdirSync(huskyRoot).length === 0) fs.rmdirSync(huskyRoot);
    changed.push(record.previousHooksPath ? `restored core.hooksPath to ${record.previousHooksPath}` : 'unset core.hooksPath');
  }
  if (record?.prepareAdded && !huskyStays) {
    const pkgFile = path.join(project.root, 'package.json');
    if (fs.existsSync(pkgFile)) {
      const raw = fs.readFileSync(pkgFile, 'utf8');
      const pkg = JSON.parse(raw);
      const prepare: string | undefined = pkg.scripts?.prepare;
      const next = prepare === 'husky' ? undefined : prepare?.replace(/ && husky$/, '');
      if (prepare !== next) {
        if (next === undefined) delete pkg.scripts.prepare;
        else pkg.scripts.prepare = next;
        if (pkg.scripts && Object.keys(pkg.scripts).length === 0) delete pkg.scripts;
        writePackageJson(pkgFile, raw, pkg);
        changed.push('removed "prepare": "husky" from package.json');
      }
    }
  }
  fs.rmSync(recordFile(project), { force: true });
  return { changed, unchanged: changed.length === 0 };
}

/** Rewrites package.json keeping the indentation it had. */
function writePackageJson(file: string, raw: string, pkg: unknown): void {
  const indent = /^\{\r?\n([ \t]+)/.exec(raw)?.[1] ?? '  ';
  fs.writeFileSync(file, JSON.stringify(pkg, null, indent) + '\n');
}

/** Hook files of the user's own in .husky: husky stays installed for them. */
function otherHuskyHooks(huskyRoot: string): boolean {
  if (!fs.existsSync(huskyRoot)) return false;
  return fs.readdirSync(huskyRoot, { withFileTypes: true }).some((e) => e.isFile() && !e.name.startsWith('.'));
}
