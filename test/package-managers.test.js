// The prepare script install writes (design §5), as teammates meet it: a fresh clone installed with npm,
// with pnpm (which does not hoist husky to the project's PATH), and production installs without dev
// dependencies (`npm ci --omit=dev`, NODE_ENV=production). The packed tarball as a dev dependency, real
// package managers from npm, real hooks.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, codexFiles, commit, git, isolatedEnv, makeCodex, run, tmpdir, writeConfig } from './helpers.js';
import { packedTarball, pushWithoutTerminal } from './e2e-helpers.js';

const t = suite('package-managers');
t.after.each(cleanup);

/** A project with the packed codex-hooks as a dev dependency (not yet installed) and a config; origin and codex bare. */
function project(env, extra = {}) {
  const base = tmpdir('codex-hooks-pm-');
  const origin = path.join(base, 'origin.git');
  git(base, ['init', '-q', '--bare', origin], env);
  const codex = makeCodex(env);
  const dir = path.join(base, 'api');
  fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
  git(dir, ['init', '-q', '-b', 'main'], env);
  git(dir, ['remote', 'add', 'origin', origin], env);
  fs.writeFileSync(path.join(dir, 'docs/intro.md'), '# Intro\n');
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n.codex/\n');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'api', version: '1.0.0', private: true, devDependencies: { 'codex-hooks': `file:${packedTarball()}` }, ...extra }, null, 2) + '\n');
  writeConfig(dir, { codex_url: codex, project_name: 'api', hooks: { post_commit: 'off' } });
  return { base, dir, origin, codex };
}

const npm = (cwd, args, env) => run('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline'], { cwd, env });

t('npm: a teammate\'s clone gets the hooks from npm ci; npm ci --omit=dev and NODE_ENV=production install without failing', async () => {
  const env = isolatedEnv();
  const p = project(env);
  const first = await npm(p.dir, ['install'], env);
  assert.is(first.code, 0, first.stderr);
  const i = await run(path.join(p.dir, 'node_modules/.bin/codex-hooks'), ['install'], { cwd: p.dir, env });
  assert.is(i.code, 0, i.stderr);
  git(p.dir, ['add', '-A'], env);
  git(p.dir, ['commit', '-q', '-m', 'codex-hooks'], env);
  git(p.dir, ['push', '-q', '--no-verify', 'origin', 'main'], env);
  for (const [name, args, extra] of [['omit-dev', ['ci', '--omit=dev'], {}], ['production', ['ci'], { NODE_ENV: 'production' }]]) {
    const clone = path.join(p.base, name);
    git(p.base, ['clone', '-q', p.origin, clone], env);
    const r = await npm(clone, args, { ...env, ...extra });
    assert.is(r.code, 0, `${name}: ${r.stderr}`);
    assert.not.ok(fs.existsSync(path.join(clone, 'node_modules/codex-hooks')), `${name}: no dev dependencies`);
  }
  const mate = path.join(p.base, 'mate');
  git(p.base, ['clone', '-q', p.origin, mate], env);
  const ci = await npm(mate, ['ci'], env);
  assert.is(ci.code, 0, ci.stderr);
  assert.is(git(mate, ['config', 'core.hooksPath'], env), '.husky/_');
  git(mate, ['checkout', '-q', '-b', 'feat'], env);
  commit(mate, env, { 'docs/mate.md': 'from a teammate\n' });
  const push = await pushWithoutTerminal(mate, env, ['origin', 'feat']);
  assert.is(push.code, 0, push.stderr);
  assert.ok(codexFiles(p.codex, 'test', env)['projects/api/docs/mate.md'], push.stdout + push.stderr);
});

let pnpmBin = null;
/** pnpm from npm, installed once into a throwaway folder. */
function pnpm() {
  if (pnpmBin) return pnpmBin;
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(path.dirname(tmpdir()), 'pnpm-npm-')));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'pnpm-here', private: true }));
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', 'pnpm@10'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return (pnpmBin = path.join(dir, 'node_modules/.bin/pnpm'));
}

t('pnpm workspace: every teammate\'s pnpm install succeeds and sets the hooks up (husky is not hoisted)', async () => {
  const env = isolatedEnv();
  const p = project(env);
  fs.writeFileSync(path.join(p.dir, 'pnpm-workspace.yaml'), 'packages:\n  - web\n');
  fs.mkdirSync(path.join(p.dir, 'web'));
  fs.writeFileSync(path.join(p.dir, 'web/package.json'), JSON.stringify({ name: 'web', version: '1.0.0', private: true }, null, 2) + '\n');
  const store = { ...env, npm_config_store_dir: path.join(env.HOME, 'pnpm-store') };
  const first = await run(pnpm(), ['install'], { cwd: p.dir, env: store });
  assert.is(first.code, 0, first.stdout + first.stderr);
  assert.not.ok(fs.existsSync(path.join(p.dir, 'node_modules/.bin/husky')), 'pnpm does not hoist husky');
  const i = await run(path.join(p.dir, 'node_modules/.bin/codex-hooks'), ['install'], { cwd: p.dir, env });
  assert.is(i.code, 0, i.stderr);
  git(p.dir, ['add', '-A'], env);
  git(p.dir, ['commit', '-q', '-m', 'codex-hooks'], env);
  git(p.dir, ['push', '-q', '--no-verify', 'origin', 'main'], env);
  const mate = path.join(p.base, 'mate');
  git(p.base, ['clone', '-q', p.origin, mate], env);
  const r = await run(pnpm(), ['install', '--frozen-lockfile'], { cwd: mate, env: store });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is(git(mate, ['config', 'core.hooksPath'], env), '.husky/_');
  git(mate, ['checkout', '-q', '-b', 'feat'], env);
  commit(mate, env, { 'docs/mate.md': 'from a pnpm teammate\n' });
  const push = await pushWithoutTerminal(mate, env, ['origin', 'feat']);
  assert.is(push.code, 0, push.stderr);
  assert.ok(codexFiles(p.codex, 'test', env)['projects/api/docs/mate.md'], push.stdout + push.stderr);
});

let yarnBin = null;
/** yarn (classic) from npm, installed once into a throwaway folder. */
function yarn() {
  if (yarnBin) return yarnBin;
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(path.dirname(tmpdir()), 'yarn-npm-')));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'yarn-here', private: true }));
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', 'yarn@1'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return (yarnBin = path.join(dir, 'node_modules/.bin/yarn'));
}

t('yarn: a teammate\'s yarn install sets the hooks up; the hints say yarn codex-hooks', async () => {
  const env = isolatedEnv();
  const p = project(env);
  const cached = { ...env, YARN_CACHE_FOLDER: path.join(env.HOME, 'yarn-cache') };
  const first = await run(yarn(), ['install', '--non-interactive'], { cwd: p.dir, env: cached });
  assert.is(first.code, 0, first.stdout + first.stderr);
  const i = await run(path.join(p.dir, 'node_modules/.bin/codex-hooks'), ['install'], { cwd: p.dir, env });
  assert.is(i.code, 0, i.stderr);
  git(p.dir, ['add', '-A'], env);
  git(p.dir, ['commit', '-q', '-m', 'codex-hooks'], env);
  git(p.dir, ['push', '-q', '--no-verify', 'origin', 'main'], env);
  const mate = path.join(p.base, 'mate');
  git(p.base, ['clone', '-q', p.origin, mate], env);
  const r = await run(yarn(), ['install', '--frozen-lockfile', '--non-interactive'], { cwd: mate, env: cached });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.is(git(mate, ['config', 'core.hooksPath'], env), '.husky/_');
  git(mate, ['checkout', '-q', '-b', 'feat'], env);
  commit(mate, env, { 'docs/mate.md': 'from a yarn teammate\n' });
  const push = await pushWithoutTerminal(mate, env, ['origin', 'feat']);
  assert.is(push.code, 0, push.stderr);
  assert.ok(codexFiles(p.codex, 'test', env)['projects/api/docs/mate.md'], push.stdout + push.stderr);
  git(mate, ['config', '--unset', 'core.hooksPath'], env);
  const st = await run(path.join(mate, 'node_modules/.bin/codex-hooks'), ['status', '--offline'], { cwd: mate, env });
  assert.match(st.stderr, /run `yarn codex-hooks install`/);
});

t.run();
