// The packed package, installed once into a throwaway folder; each end-to-end repository links its
// node_modules there, then runs `codex-hooks install` and real `git commit` / `git push` through husky.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, git, tmpdir, makeCodex, writeConfig, run } from './helpers.js';

let installed = null;

export function packedInstall() {
  if (installed) return installed;
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'codex-hooks-packed-')));
  const tgz = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').pop();
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'packed-install', private: true }));
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', path.join(dir, tgz)], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  installed = path.join(dir, 'node_modules');
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return installed;
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

/** `git push ...` in a real pseudo-terminal (util-linux script), typing `answer` at the prompt. */
export function pushInTerminal(dir, env, pushArgs, answer) {
  const command = ['git', 'push', ...pushArgs].map((a) => `'${a}'`).join(' ');
  // Keep script's stdin open while git runs: the answer is typed once the prompt is up.
  const feeder = `sleep 1; printf '%s' '${answer}'; sleep 3`;
  return run('sh', ['-c', `(${feeder}) | script -qefc "${command.replace(/"/g, '\\"')}" /dev/null`], { cwd: dir, env, timeoutMs: 60_000 });
}

/** `git push ...` with no controlling terminal and no stdin (as from CI, a GUI client or an editor). */
export function pushWithoutTerminal(dir, env, pushArgs) {
  return run('setsid', ['-w', 'git', 'push', ...pushArgs], { cwd: dir, env, timeoutMs: 60_000 });
}
