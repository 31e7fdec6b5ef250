// Real repositories and bare codex remotes in temp folders; every child gets an isolated HOME, git
// config and codex cache, so tests never read or write the developer's own.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isCI } from '../dist/core/settings.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.join(ROOT, 'bin', 'codex-hooks.cjs');

const made = [];

/** A fresh temp folder, removed by cleanup(). */
export function tmpdir(prefix = 'codex-hooks-test-') {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

export function cleanup() {
  while (made.length) fs.rmSync(made.pop(), { recursive: true, force: true });
}

/** An environment with its own HOME, global git config and codex cache. */
export function isolatedEnv(extra = {}) {
  const home = tmpdir('codex-hooks-home-');
  fs.writeFileSync(
    path.join(home, '.gitconfig'),
    '[user]\n\tname = Test User\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n[commit]\n\tgpgSign = false\n[gc]\n\tauto = 0\n[maintenance]\n\tauto = false\n[receive]\n\tautogc = false\n[advice]\n\tdetachedHead = false\n',
  );
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('GIT_') || k.startsWith('CODEX_') || k === 'CI' || k === 'HUSKY' || k === 'FORCE_COLOR') delete env[k];
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    CODEX_HOOKS_CACHE_DIR: path.join(home, 'cache'),
    NO_COLOR: '1',
    ...extra,
  };
}

export function git(cwd, args, env, input) {
  return execFileSync('git', args, { cwd, env, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }).replace(/\n$/, '');
}

/** A project repository on branch main with the given files committed. */
export function makeRepo(env, files = { 'docs/intro.md': '# Intro\n', 'README.md': '# Project\n' }, name = 'project') {
  const dir = path.join(tmpdir(), name);
  fs.mkdirSync(dir);
  git(dir, ['init', '-q', '-b', 'main'], env);
  writeFiles(dir, files);
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'initial'], env);
  return dir;
}

export function writeFiles(dir, files) {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (content === null) fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, content);
  }
}

export function commit(dir, env, files, message = 'change') {
  writeFiles(dir, files);
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', message], env);
  return git(dir, ['rev-parse', 'HEAD'], env);
}

/**
 * A bare codex with `branches`, each holding `files` (shared docs, another project's folder): one commit
 * written by `git fast-import` (two git processes where a seed clone and a push per branch took twenty).
 */
export function makeCodex(env, files = { 'shared/guide.md': '# Shared guide\n', 'projects/other/keep.md': 'other project\n' }, branches = ['main', 'test']) {
  const base = tmpdir('codex-');
  const bare = path.join(base, 'codex.git');
  git(base, ['init', '-q', '--bare', bare], env);
  if (branches.length === 0) return bare;
  const chunks = [];
  const data = (content) => chunks.push(Buffer.from(`data ${Buffer.byteLength(content)}\n`), Buffer.from(content), Buffer.from('\n'));
  // fast-import takes a path as the rest of the line, quoted (C style) only when it must be
  const quote = (p) => (/^"|[\n\\]/.test(p) ? `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"` : p);
  const entries = Object.entries(files).filter(([, content]) => content !== null);
  entries.forEach(([, content], i) => {
    chunks.push(Buffer.from(`blob\nmark :${i + 1}\n`));
    data(content);
  });
  chunks.push(Buffer.from(`commit refs/heads/${branches[0]}\nmark :${entries.length + 1}\ncommitter Test User <test@example.com> ${Math.floor(Date.now() / 1000)} +0000\n`));
  data('seed codex\n');
  entries.forEach(([rel], i) => chunks.push(Buffer.from(`M 100644 :${i + 1} ${quote(rel)}\n`)));
  for (const b of branches.slice(1)) chunks.push(Buffer.from(`reset refs/heads/${b}\nfrom :${entries.length + 1}\n\n`));
  execFileSync('git', ['fast-import', '--quiet'], { cwd: bare, env, input: Buffer.concat(chunks) });
  return bare;
}

/** Commits `files` (null removes one) to a codex branch as another project's developer would: clone, commit, push. */
export function commitToCodex(bare, env, files, branch = 'test', message = 'shared docs') {
  const work = path.join(tmpdir('codex-work-'), 'work');
  git(path.dirname(work), ['clone', '-q', '-b', branch, bare, work], env);
  commit(work, env, files, message);
  git(work, ['push', '-q', 'origin', branch], env);
}

/** path → content of a codex branch, or null when the branch is missing. */
export function codexFiles(bare, branch, env) {
  let out;
  try {
    out = git(bare, ['ls-tree', '-r', '-z', branch], env);
  } catch {
    return null;
  }
  const records = out.split('\0').filter(Boolean).map((rec) => {
    const tab = rec.indexOf('\t');
    const [mode, , oid] = rec.slice(0, tab).split(' ');
    return { mode, oid, path: rec.slice(tab + 1) };
  });
  const objects = readObjects(bare, env, records.map((r) => r.oid));
  const files = {};
  for (const r of records) {
    const content = objects.get(r.oid).body.toString('utf8').replace(/\n$/, '');
    files[r.path] = r.mode === '120000' ? `-> ${content}` : content;
  }
  return files;
}

/** Objects as git reads them, all from one `cat-file --batch`: id → { type, body }. */
export function readObjects(dir, env, oids) {
  const out = execFileSync('git', ['cat-file', '--batch'], { cwd: dir, env, input: oids.join('\n') + '\n', maxBuffer: 1 << 30 });
  const objects = new Map();
  // "<oid> <type> <size>\n<body>\n" each
  for (let at = 0; at < out.length; ) {
    const eol = out.indexOf(10, at);
    const [oid, type, size] = out.subarray(at, eol).toString().split(' ');
    objects.set(oid, { type, body: out.subarray(eol + 1, eol + 1 + Number(size)) });
    at = eol + 1 + Number(size) + 1;
  }
  return objects;
}

export function writeConfig(dir, config) {
  fs.writeFileSync(path.join(dir, '.codexrc.json'), JSON.stringify(config, null, 2));
}

/** Runs the CLI in a process of its own, as users do; resolves { code, stdout, stderr }. */
export function cliProcess(args, { cwd, env, input = '' } = {}) {
  return run(process.execPath, [BIN, ...args], { cwd, env, input });
}

let built;
const output = () => ({ text: '', isTTY: false, write(s) { this.text += s; return true; } });

/**
 * Runs the built CLI (dist/codex-hooks.cjs) in this process: argument parsing, the command, its output
 * and exit code as from `codex-hooks ...`, without a node start per call. There is no terminal: a
 * production question is answered with `answer` ('y' or 'n'), or finds nobody (`asked` lists the
 * questions). Tests of what only a process shows (signals, tracing to stderr, a closed pipe, a real
 * terminal) use cliProcess or the end-to-end helpers.
 */
export async function cli(args, { cwd = process.cwd(), env = process.env, input = '', answer, from } = {}) {
  // `from`: another build of the CLI (the packed package's)
  const { main } = from ? createRequire(import.meta.url)(from) : (built ??= createRequire(import.meta.url)('../dist/codex-hooks.cjs'));
  const stdout = output();
  const stderr = output();
  const asked = [];
  const confirm = async (question, preamble) => {
    asked.push(`${preamble ?? ''}\n${question}`);
    if (answer !== undefined) return answer === 'y';
    return isCI(env.CI) ? 'ci' : 'no-terminal'; // as the terminal prompt says (settings.ts)
  };
  const code = await main(args, { cwd, env, stdout, stderr, stdin: async () => input, confirm, ask: async () => null });
  return { code, stdout: stdout.text, stderr: stderr.text, asked };
}

export function run(cmd, args, { cwd, env, input = '', timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

export const refOf = (bare, branch, env) => {
  try {
    return git(bare, ['rev-parse', `refs/heads/${branch}`], env);
  } catch {
    return null;
  }
};

/**
 * A bare codex whose production branch (main) and test branch differ: `main` files are committed and
 * pushed to main (with a sync's trailers for project api), then `test` files on top, pushed to test.
 * `seed` is the work tree to make more commits from.
 */
export function splitCodex(env, main, test) {
  const base = tmpdir('codex-split-');
  const bare = path.join(base, 'codex.git');
  git(base, ['init', '-q', '--bare', bare], env);
  const seed = path.join(base, 'seed');
  fs.mkdirSync(seed);
  git(seed, ['init', '-q', '-b', 'main'], env);
  writeFiles(seed, main);
  git(seed, ['add', '-A'], env);
  git(seed, ['commit', '-q', '-m', 'docs(api): sync 1 files from main@1111111 [prod]\n\nCodex-Project: api\nCodex-Source-Commit: 1111111111111111111111111111111111111111\nCodex-Source-Branch: main\nCodex-Env: prod'], env);
  git(seed, ['push', '-q', bare, 'HEAD:refs/heads/main'], env);
  writeFiles(seed, test);
  git(seed, ['add', '-A'], env);
  git(seed, ['commit', '-q', '-m', 'test docs'], env);
  git(seed, ['push', '-q', bare, 'HEAD:refs/heads/test'], env);
  git(seed, ['reset', '-q', '--hard', 'HEAD~1'], env);
  return { bare, seed };
}

/** A new commit of `files` on the codex's production branch (from splitCodex's seed). */
export function releaseToCodex(env, { bare, seed }, files, message = 'release') {
  writeFiles(seed, files);
  git(seed, ['add', '-A'], env);
  git(seed, ['commit', '-q', '-m', message], env);
  git(seed, ['push', '-q', bare, 'HEAD:refs/heads/main'], env);
}
