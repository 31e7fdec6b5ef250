// Where the hooks must keep working (design §6): a monorepo with the package in a sub-folder, a
// core.hooksPath set before install, and `status` telling when the hooks cannot run. The packed package,
// real `git commit` / `git push` through husky.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, codexFiles, commit, git, isolatedEnv, makeCodex, refOf, run, tmpdir, writeConfig } from './helpers.js';
import { e2eProject, packedInstall, pushWithoutTerminal } from './e2e-helpers.js';

const t = suite('install-layouts');
t.after.each(cleanup);

/** A repository whose package lives in web/ (its own package.json and node_modules with the packed codex-hooks). */
function monorepo(env) {
  const base = tmpdir('codex-hooks-mono-');
  const origin = path.join(base, 'origin.git');
  git(base, ['init', '-q', '--bare', origin], env);
  const codex = makeCodex(env);
  const dir = path.join(base, 'shop');
  fs.mkdirSync(path.join(dir, 'web'), { recursive: true });
  git(dir, ['init', '-q', '-b', 'main'], env);
  git(dir, ['remote', 'add', 'origin', origin], env);
  fs.symlinkSync(packedInstall(), path.join(dir, 'web/node_modules'));
  fs.mkdirSync(path.join(dir, 'docs'));
  fs.writeFileSync(path.join(dir, 'docs/intro.md'), '# Intro\n');
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n.codex/\n');
  fs.writeFileSync(path.join(dir, 'web/package.json'), JSON.stringify({ name: 'web', version: '1.0.0' }, null, 2) + '\n');
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'initial'], env);
  return { dir, web: path.join(dir, 'web'), codex, origin, bin: path.join(dir, 'web/node_modules/.bin/codex-hooks') };
}

t('monorepo: init and install from web/, then every hook finds codex-hooks', async () => {
  const env = isolatedEnv();
  const m = monorepo(env);
  const init = await run(m.bin, ['init', '--codex', m.codex, '--project', 'shop', '--yes'], { cwd: m.web, env });
  assert.is(init.code, 0, init.stderr);
  const config = JSON.parse(fs.readFileSync(path.join(m.dir, '.codexrc.json'), 'utf8'));
  assert.ok(fs.existsSync(path.resolve(m.dir, config.$schema)), `$schema ${config.$schema} exists`);
  config.hooks.post_commit = 'foreground';
  writeConfig(m.dir, config);
  const r = await run(m.bin, ['install'], { cwd: m.web, env });
  assert.is(r.code, 0, r.stderr);
  const pkg = JSON.parse(fs.readFileSync(path.join(m.web, 'package.json'), 'utf8'));
  assert.is(pkg.scripts.prepare, 'codex-hooks prepare || true');
  git(m.dir, ['add', '-A'], env);
  git(m.dir, ['checkout', '-q', '-b', 'feat'], env);
  const c = await run('git', ['commit', '-q', '-m', 'hooks and config'], { cwd: m.dir, env });
  assert.is(c.code, 0, c.stderr);
  assert.not.match(c.stdout + c.stderr, /not found/);
  assert.ok(fs.existsSync(path.join(m.dir, '.codex/shared/guide.md')), 'the post-commit hook ran: shared docs pulled');
  assert.not.ok(codexFiles(m.codex, 'test', env)['projects/shop/docs/intro.md'], 'a commit is not published');
  commit(m.dir, env, { 'docs/more.md': 'more\n' });
  const p = await pushWithoutTerminal(m.dir, env, ['origin', 'feat']);
  assert.is(p.code, 0, p.stderr);
  assert.not.match(p.stdout + p.stderr, /not found/);
  assert.match(p.stdout + p.stderr, /codex-hooks: shop \[test\]/);
  assert.is(codexFiles(m.codex, 'test', env)['projects/shop/docs/more.md'], 'more');
  const s = JSON.parse((await run(m.bin, ['status', '--offline', '--json'], { cwd: m.web, env })).stdout);
  assert.is(s.hooksInstalled, true, JSON.stringify(s.hooks));
  const u = await run(m.bin, ['uninstall'], { cwd: m.web, env });
  assert.is(u.code, 0, u.stderr);
  assert.equal(JSON.parse(fs.readFileSync(path.join(m.web, 'package.json'), 'utf8')), { name: 'web', version: '1.0.0' });
  // From the repository's root a hint names where the toolkit is, and works as typed there (issue 21 item 6)
  const s2 = await run(m.bin, ['status', '--offline'], { cwd: m.dir, env });
  const hint = /`(npx --prefix web codex-hooks install)`/.exec(s2.stdout + s2.stderr);
  assert.ok(hint, s2.stdout + s2.stderr);
  const typed = await run('sh', ['-c', hint[1]], { cwd: m.dir, env });
  assert.is(typed.code, 0, typed.stdout + typed.stderr);
  assert.is(git(m.dir, ['config', 'core.hooksPath'], env), '.husky/_');
});

t('monorepo: the toolkit missing at hook time says where to install it', async () => {
  const env = isolatedEnv();
  const m = monorepo(env);
  writeConfig(m.dir, { codex_url: m.codex, project_name: 'shop', hooks: { post_commit: 'off' } });
  assert.is((await run(m.bin, ['install'], { cwd: m.web, env })).code, 0);
  fs.rmSync(path.join(m.web, 'node_modules'));
  git(m.dir, ['checkout', '-q', '-b', 'feat'], env);
  const bare = { ...env, PATH: path.dirname(process.execPath) + ':/usr/bin:/bin' };
  const p = await pushWithoutTerminal(m.dir, bare, ['origin', 'feat']);
  assert.is(p.code, 0, p.stderr);
  assert.match(p.stderr, /codex-hooks: not found \(run npm install in web\)/);
});

t('core.hooksPath set before install: its hooks still run (pre-push with the ref lines), uninstall restores it', async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  const seen = path.join(path.dirname(p.dir), 'githooks-saw.txt');
  fs.mkdirSync(path.join(p.dir, '.githooks'));
  fs.writeFileSync(path.join(p.dir, '.githooks/pre-push'), `#!/bin/sh\necho "pre-push $1" >> '${seen}'\ncat >> '${seen}'\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(p.dir, '.githooks/post-commit'), `#!/bin/sh\necho "post-commit ran" >> '${seen}'\n`, { mode: 0o755 });
  git(p.dir, ['config', 'core.hooksPath', '.githooks'], env);
  const r = await run(p.bin, ['install'], { cwd: p.dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /was \.githooks/);
  git(p.dir, ['checkout', '-q', '-b', 'feat'], env);
  commit(p.dir, env, { 'docs/x.md': 'x\n' });
  assert.match(fs.readFileSync(seen, 'utf8'), /post-commit ran/);
  const push = await pushWithoutTerminal(p.dir, env, ['origin', 'feat']);
  assert.is(push.code, 0, push.stderr);
  const head = git(p.dir, ['rev-parse', 'HEAD'], env);
  const text = fs.readFileSync(seen, 'utf8');
  assert.match(text, 'pre-push origin');
  assert.match(text, `refs/heads/feat ${head} refs/heads/feat 0000000000000000000000000000000000000000`);
  assert.ok(codexFiles(p.codex, 'test', env)['projects/api/docs/x.md'], 'codex-hooks ran too');
  // a chained hook that fails stops the push, as it did before install
  fs.writeFileSync(path.join(p.dir, '.githooks/pre-push'), '#!/bin/sh\necho "githooks says no" >&2\nexit 1\n', { mode: 0o755 });
  commit(p.dir, env, { 'docs/y.md': 'y\n' });
  const no = await pushWithoutTerminal(p.dir, env, ['origin', 'feat']);
  assert.is.not(no.code, 0);
  assert.match(no.stderr, /githooks says no/);
  // an install by a version that did not chain: running install again chains what it recorded
  fs.rmSync(path.join(p.dir, '.git/codex-hooks/chained-hooks-path'));
  const again = await run(p.bin, ['install'], { cwd: p.dir, env });
  assert.match(again.stdout, /kept the hooks of \.githooks/);
  assert.match((await pushWithoutTerminal(p.dir, env, ['origin', 'feat'])).stderr, /githooks says no/);
  const u = await run(p.bin, ['uninstall'], { cwd: p.dir, env });
  assert.is(u.code, 0, u.stderr);
  assert.is(git(p.dir, ['config', 'core.hooksPath'], env), '.githooks');
});

t('a global core.hooksPath (~/hooks): chained, and uninstall leaves no local copy of it', async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  const seen = path.join(env.HOME, 'global-saw.txt');
  fs.mkdirSync(path.join(env.HOME, 'hooks'));
  fs.writeFileSync(path.join(env.HOME, 'hooks/pre-push'), `#!/bin/sh\ncat > '${seen}'\n`, { mode: 0o755 });
  git(p.dir, ['config', '--global', 'core.hooksPath', '~/hooks'], env);
  assert.is((await run(p.bin, ['install'], { cwd: p.dir, env })).code, 0);
  git(p.dir, ['checkout', '-q', '-b', 'feat'], env);
  const push = await pushWithoutTerminal(p.dir, env, ['origin', 'feat']);
  assert.is(push.code, 0, push.stderr);
  assert.match(fs.readFileSync(seen, 'utf8'), 'refs/heads/feat');
  assert.is((await run(p.bin, ['uninstall'], { cwd: p.dir, env })).code, 0);
  assert.throws(() => git(p.dir, ['config', '--local', 'core.hooksPath'], env));
  assert.is(git(p.dir, ['config', 'core.hooksPath'], env), '~/hooks');
});

t('status: a linked worktree without husky\'s files, and a missing toolkit, are problems with their fix', async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  assert.is((await run(p.bin, ['install'], { cwd: p.dir, env })).code, 0);
  git(p.dir, ['add', '-A'], env);
  git(p.dir, ['commit', '-q', '-m', 'hooks'], env);
  const wt = path.join(path.dirname(p.dir), 'wt');
  git(p.dir, ['worktree', 'add', '-q', '-b', 'feat/wt', wt], env);
  fs.symlinkSync(path.join(p.dir, 'node_modules'), path.join(wt, 'node_modules'));
  const s = await run(p.bin, ['status', '--offline', '--quiet'], { cwd: wt, env });
  assert.is(s.code, 0, s.stderr);
  assert.match(s.stderr, /husky's files \(\.husky\/_\) are missing in this worktree.*run `npx codex-hooks install`/);
  assert.not.match(s.stdout + s.stderr, /installed \(pre-push, post-commit\)/);
  assert.is((await run(p.bin, ['install'], { cwd: wt, env })).code, 0);
  const fixed = await run(p.bin, ['status', '--offline'], { cwd: wt, env });
  assert.match(fixed.stdout, /hooks:\s+installed \(pre-push, post-commit\)/);
  // the toolkit gone from node_modules: the hooks would skip every sync
  const packedBin = path.join(fs.realpathSync(path.join(p.dir, 'node_modules')), 'codex-hooks/bin/codex-hooks.cjs');
  fs.rmSync(path.join(p.dir, 'node_modules'));
  const gone = await run(process.execPath, [packedBin, 'status', '--offline', '--json'], { cwd: p.dir, env: { ...env, PATH: '/usr/bin:/bin' } });
  const doc = JSON.parse(gone.stdout);
  assert.is(doc.hooksInstalled, false);
  assert.match(doc.hooks.problem, /cannot find codex-hooks/);
  assert.is(doc.hooks.fix, 'npm install');
});

t.run();
