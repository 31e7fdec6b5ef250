// The packed package, installed once into a throwaway folder; each end-to-end repository links its
// node_modules there, then runs `codex-hooks install` and real `git commit` / `git push` through husky.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, cli, git, tmpdir, makeCodex, writeConfig, run, isolatedEnv } from './helpers.js';

let installed = null;

/**
 * The packed package (`npm pack` of this checkout, its prepack building and stripping the manifest)
 * installed into a throwaway folder: its node_modules. Packing must leave package.json as it was.
 */
export function packedInstall() {
  if (installed) return installed;
  // scripts/test.mjs packs once for all the files it runs at the same time (npm pack edits package.json)
  if (process.env.CODEX_HOOKS_TEST_PACKED) return (installed = process.env.CODEX_HOOKS_TEST_PACKED);
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'codex-hooks-packed-')));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return (installed = packInto(dir));
}

/** `npm pack` into `dir` and install the tarball there; returns its node_modules. */
export function packInto(dir) {
  const manifest = path.join(ROOT, 'package.json');
  const before = fs.readFileSync(manifest, 'utf8');
  const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
  if (fs.readFileSync(manifest, 'utf8') !== before) throw new Error('npm pack left package.json changed (scripts/pack-manifest.mjs restore did not run)');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'packed-install', private: true }));
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', path.join(dir, tgz)], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return path.join(dir, 'node_modules');
}

/** The packed package's CLI bundle, for cli()'s `from`. */
export const packedCli = () => path.join(packedInstall(), 'codex-hooks/dist/codex-hooks.cjs');

/** The tarball packedInstall installed (beside its node_modules). */
export function packedTarball() {
  const dir = path.dirname(packedInstall());
  return path.join(dir, fs.readdirSync(dir).find((f) => f.endsWith('.tgz')));
}

/**
 * A project with an `origin` bare remote, a codex with main and test, the packed codex-hooks in its
 * node_modules and a .codexrc.json; `install` not yet run.
 */
export function e2eProject(env, { config = {}, packageJson = true, codexBranches = ['main', 'test'] } = {}) {
  const base = tmpdir('codex-hooks-e2e-');
  const origin = path.join(base, 'origin.git');
  git(base, ['init', '-q', '--bare', origin], env);
  const codex = makeCodex(env, undefined, codexBranches);
  const dir = path.join(base, 'api');
  fs.mkdirSync(dir);
  git(dir, ['init', '-q', '-b', 'main'], env);
  git(dir, ['remote', 'add', 'origin', origin], env);
  fs.symlinkSync(packedInstall(), path.join(dir, 'node_modules'));
  fs.mkdirSync(path.join(dir, 'docs'));
  fs.writeFileSync(path.join(dir, 'docs/intro.md'), '# Intro\n');
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n.codex/\n');
  if (packageJson) fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'api', version: '1.0.0', scripts: { test: 'echo ok' } }, null, 2) + '\n');
  writeConfig(dir, { codex_url: codex, project_name: 'api', hooks: { post_commit: 'off' }, ...config });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'initial'], env);
  return { dir, codex, origin, bin: path.join(dir, 'node_modules/.bin/codex-hooks') };
}

// eslint-disable-next-line no-control-regex -- terminal colour and cursor codes
const plain = (text) => text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

/**
 * A command in a real pseudo-terminal (util-linux `script`). `waitFor` resolves once the output shows a
 * pattern in its text without colour codes (never a fixed sleep), `type` sends keys to the terminal, `done` resolves { code, stdout }.
 */
export function terminal(command, { cwd, env, timeoutMs = 60_000 }) {
  const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let ended = false;
  const waiters = new Set();
  const settle = () => {
    for (const w of waiters) {
      const m = w.pattern.exec(plain(output.slice(w.from)));
      if (m) w.finish(null, m);
      else if (ended) w.finish(new Error(`the terminal ended without showing ${w.pattern}:\n${output}`));
    }
  };
  const take = (d) => {
    output += d;
    settle();
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  child.stdin.on('error', () => {});
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(killer);
      ended = true;
      settle();
      resolve({ code, stdout: output });
    });
  });
  return {
    get output() {
      return output;
    },
    /** Resolves with the match once the output after offset `from` shows `pattern`. */
    waitFor(pattern, from = 0) {
      return new Promise((resolve, reject) => {
        const w = {
          pattern,
          from,
          finish: (error, m) => {
            waiters.delete(w);
            clearTimeout(w.timer);
            error ? reject(error) : resolve(m);
          },
        };
        w.timer = setTimeout(() => w.finish(new Error(`timed out waiting for ${pattern}:\n${output}`)), timeoutMs);
        waiters.add(w);
        settle();
      });
    },
    type(keys) {
      child.stdin.write(keys);
    },
    /** The exit; the terminal's input stays open until then (an answer typed early is still read). */
    done: done.finally(() => child.stdin.end()),
  };
}

const quoted = (args) => args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');

/**
 * `git push ...` in a real pseudo-terminal, typing `answer` once the production question is shown
 * (`y\r`, `n\r`, `\r`, or `\x03` for Ctrl-C). A push that asks nothing just runs to its end (callers
 * check whether the question was shown).
 */
export async function pushInTerminal(dir, env, pushArgs, answer) {
  const term = terminal(`git push ${quoted(pushArgs)}`, { cwd: dir, env });
  term.waitFor(/Sync to production\?/).then(() => term.type(answer), () => {});
  return term.done;
}

export { quoted as shellQuote };

/** `git push ...` with no controlling terminal and no stdin (as from CI, a GUI client or an editor). */
export function pushWithoutTerminal(dir, env, pushArgs) {
  return run('setsid', ['-w', 'git', 'push', ...pushArgs], { cwd: dir, env, timeoutMs: 60_000 });
}

/**
 * An e2eProject in a fresh isolated environment with `codex-hooks install` run: `{ env, dir, codex, origin, bin }`.
 * The install is the packed package's own CLI, called in this process (cli()'s way): what a test checks
 * happens later, in the hooks git runs.
 */
export async function installedProject(options) {
  const env = isolatedEnv();
  const p = e2eProject(env, options);
  const r = await cli(['install'], { cwd: p.dir, env, from: packedCli() });
  if (r.code !== 0) throw new Error(`codex-hooks install failed (exit ${r.code}):\n${r.stderr}`);
  return { env, ...p };
}
