// Repositories that already run hooks of their own (design §5 install, §6): the pre-commit framework
// (Debian's `pre-commit`), lefthook (from npm) and git-lfs. `install` switches git to husky's folder; every
// hook they had keeps running, `status` names one that would not, `uninstall` gives back what was there.
// The packed package, real `git commit` / `git checkout` / `git push`.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, codexFiles, commit, git, isolatedEnv, run, tmpdir, writeFiles } from './helpers.js';
import { e2eProject, pushWithoutTerminal } from './e2e-helpers.js';

const t = suite('hook-managers');
t.after.each(cleanup);

/** Every file under .husky and the hook settings, to compare before install and after uninstall. */
function hookState(dir, env) {
  const files = {};
  const walk = (d, rel) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else files[r] = fs.readFileSync(path.join(d, e.name), 'utf8');
    }
  };
  walk(path.join(dir, '.husky'), '.husky');
  walk(path.join(dir, '.git/hooks'), '.git/hooks');
  let hooksPath = null;
  try {
    hooksPath = git(dir, ['config', '--local', 'core.hooksPath'], env);
  } catch {
    // unset
  }
  return { files, hooksPath, pkg: fs.readFileSync(path.join(dir, 'package.json'), 'utf8') };
}

async function blocksTodo(dir, env, what) {
  writeFiles(dir, { 'docs/todo.md': 'TODO: write this\n' });
  git(dir, ['add', 'docs/todo.md'], env);
  const c = await run('git', ['commit', '-q', '-m', 'a TODO the check blocks'], { cwd: dir, env });
  assert.is.not(c.code, 0, `${what}: the TODO commit went through`);
  git(dir, ['reset', '-q', 'docs/todo.md'], env);
  fs.rmSync(path.join(dir, 'docs/todo.md'));
  return c;
}

t('the pre-commit framework: its pre-commit check still blocks a TODO after install; uninstall gives back what was there', async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  fs.writeFileSync(
    path.join(p.dir, '.pre-commit-config.yaml'),
    'repos:\n- repo: local\n  hooks:\n  - id: no-todo\n    name: no TODO in docs\n    entry: TODO\n    language: pygrep\n    files: \\.md$\n',
  );
  git(p.dir, ['add', '-A'], env);
  git(p.dir, ['commit', '-q', '-m', 'pre-commit config'], env);
  execFileSync('pre-commit', ['install'], { cwd: p.dir, env, stdio: 'pipe' });
  await blocksTodo(p.dir, env, 'before install');
  const before = hookState(p.dir, env);
  const r = await run(p.bin, ['install'], { cwd: p.dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /\.husky\/pre-commit/);
  const c = await blocksTodo(p.dir, env, 'after install');
  assert.match(c.stdout + c.stderr, /no TODO in docs/);
  const s = JSON.parse((await run(p.bin, ['status', '--offline', '--json'], { cwd: p.dir, env })).stdout);
  assert.is(s.hooksInstalled, true, JSON.stringify(s.hooks));
  assert.equal(s.hooks.notRunning, []);
  // a commit the check lets through, and a push: codex-hooks still syncs
  git(p.dir, ['checkout', '-q', '-b', 'feat'], env);
  commit(p.dir, env, { 'docs/ok.md': 'fine\n' });
  const push = await pushWithoutTerminal(p.dir, env, ['origin', 'feat']);
  assert.is(push.code, 0, push.stderr);
  assert.ok(codexFiles(p.codex, 'test', env)['projects/api/docs/ok.md']);
  const u = await run(p.bin, ['uninstall'], { cwd: p.dir, env });
  assert.is(u.code, 0, u.stderr);
  assert.equal(hookState(p.dir, env), before);
  await blocksTodo(p.dir, env, 'after uninstall');
});

let lefthookBin = null;
/** lefthook from npm, installed once into a throwaway project (its binary comes in an npm package). */
function lefthook() {
  if (lefthookBin) return lefthookBin;
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(path.dirname(tmpdir()), 'lefthook-npm-')));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'lefthook-here', private: true }));
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', 'lefthook@2'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return (lefthookBin = path.join(dir, 'node_modules/.bin/lefthook'));
}

t('lefthook: its pre-commit job still blocks a TODO, its post-checkout still runs, after install', async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  const saw = path.join(path.dirname(p.dir), 'lefthook-checkout.txt');
  fs.writeFileSync(
    path.join(p.dir, 'lefthook.yml'),
    `pre-commit:\n  commands:\n    no-todo:\n      run: "! git diff --cached -U0 | grep -q TODO || { echo 'lefthook: no TODO' >&2; exit 1; }"\npost-checkout:\n  commands:\n    note:\n      run: "echo checkout >> '${saw}'"\n`,
  );
  git(p.dir, ['add', '-A'], env);
  git(p.dir, ['commit', '-q', '-m', 'lefthook config'], env);
  execFileSync(lefthook(), ['install'], { cwd: p.dir, env, stdio: 'pipe' });
  await blocksTodo(p.dir, env, 'before install');
  const before = hookState(p.dir, env);
  const r = await run(p.bin, ['install'], { cwd: p.dir, env });
  assert.is(r.code, 0, r.stderr);
  const c = await blocksTodo(p.dir, env, 'after install');
  assert.match(c.stderr, /lefthook: no TODO/);
  git(p.dir, ['checkout', '-q', '-b', 'feat'], env);
  assert.match(fs.readFileSync(saw, 'utf8'), /checkout/);
  // lefthook's own runs have not taken husky's place
  const s = JSON.parse((await run(p.bin, ['status', '--offline', '--json'], { cwd: p.dir, env })).stdout);
  assert.is(s.hooksInstalled, true, JSON.stringify(s.hooks));
  assert.equal(s.hooks.notRunning, []);
  commit(p.dir, env, { 'docs/ok.md': 'fine\n' });
  const push = await pushWithoutTerminal(p.dir, env, ['origin', 'feat']);
  assert.is(push.code, 0, push.stderr);
  assert.ok(codexFiles(p.codex, 'test', env)['projects/api/docs/ok.md']);
  const u = await run(p.bin, ['uninstall'], { cwd: p.dir, env });
  assert.is(u.code, 0, u.stderr);
  assert.equal(hookState(p.dir, env), before);
});

t("git-lfs: its pre-push still uploads, its post-checkout and post-merge still run; status names a hook that would not run", async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  git(p.dir, ['lfs', 'install', '--local'], env);
  git(p.dir, ['lfs', 'track', '*.bin'], env);
  git(p.dir, ['add', '-A'], env);
  git(p.dir, ['commit', '-q', '-m', 'lfs'], env);
  const r = await run(p.bin, ['install'], { cwd: p.dir, env });
  assert.is(r.code, 0, r.stderr);
  for (const name of ['post-checkout', 'post-merge']) assert.ok(fs.existsSync(path.join(p.dir, '.husky', name)), name);
  git(p.dir, ['checkout', '-q', '-b', 'feat'], env);
  fs.writeFileSync(path.join(p.dir, 'blob.bin'), Buffer.alloc(2000, 7));
  git(p.dir, ['add', 'blob.bin'], env);
  git(p.dir, ['commit', '-q', '-m', 'a large file'], env);
  const push = await pushWithoutTerminal(p.dir, env, ['origin', 'feat']);
  assert.is(push.code, 0, push.stderr);
  const lfsObjects = path.join(p.origin, 'lfs/objects');
  assert.ok(fs.existsSync(lfsObjects) && fs.readdirSync(lfsObjects).length > 0, `git-lfs's pre-push uploaded nothing: ${push.stderr}`);
  assert.ok(codexFiles(p.codex, 'test', env)['projects/api/docs/intro.md'], 'codex-hooks synced too');
  const traced = { ...env, GIT_TRACE: '1' };
  const co = await run('git', ['checkout', '-q', 'main'], { cwd: p.dir, env: traced });
  assert.match(co.stderr, /git-lfs post-checkout/);
  const m = await run('git', ['merge', '-q', '--no-edit', 'feat'], { cwd: p.dir, env: traced });
  assert.is(m.code, 0, m.stderr);
  assert.match(m.stderr, /git-lfs post-merge/);
  // a hook that appears in .git/hooks after install would not run: status says so, install chains it
  fs.writeFileSync(path.join(p.dir, '.git/hooks/commit-msg'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  const s = await run(p.bin, ['status', '--offline'], { cwd: p.dir, env });
  assert.match(s.stdout + s.stderr, /commit-msg.*no longer runs?.*codex-hooks install/s);
  assert.is((await run(p.bin, ['install'], { cwd: p.dir, env })).code, 0);
  const again = JSON.parse((await run(p.bin, ['status', '--offline', '--json'], { cwd: p.dir, env })).stdout);
  assert.equal(again.hooks.notRunning, []);
});

t('a hook outside husky\'s list (reference-transaction) keeps running, with its stdin; prepare in a new clone makes its husky file too', async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  const saw = path.join(path.dirname(p.dir), 'refs-saw.txt');
  fs.writeFileSync(path.join(p.dir, '.git/hooks/reference-transaction'), `#!/bin/sh\n[ "$1" = committed ] && cat >> '${saw}'\nexit 0\n`, { mode: 0o755 });
  const r = await run(p.bin, ['install'], { cwd: p.dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /\.husky\/_\/reference-transaction/);
  git(p.dir, ['branch', 'one'], env);
  assert.match(fs.readFileSync(saw, 'utf8'), /refs\/heads\/one$/m);
  // husky's folder is per clone: a new clone's prepare makes what install made here
  fs.rmSync(path.join(p.dir, '.husky/_'), { recursive: true });
  const prep = await run(p.bin, ['prepare'], { cwd: p.dir, env });
  assert.is(prep.code, 0, prep.stderr);
  git(p.dir, ['branch', 'two'], env);
  assert.match(fs.readFileSync(saw, 'utf8'), /refs\/heads\/two$/m);
  const u = await run(p.bin, ['uninstall'], { cwd: p.dir, env });
  assert.is(u.code, 0, u.stderr);
  assert.not.ok(fs.existsSync(path.join(p.dir, '.husky')), 'nothing of install left');
});

t.run();
