// End to end: the packed package installed in fresh repositories, `codex-hooks install`, then real
// `git push` / `git commit` through husky's hooks, a real pseudo-terminal for the prompt (script) and
// no terminal at all (setsid, no stdin).
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, codexFiles, commit, git, isolatedEnv, refOf, run, writeConfig } from './helpers.js';
import { e2eProject, pushInTerminal, pushWithoutTerminal, installedProject } from './e2e-helpers.js';

const t = suite('e2e');
t.after.each(cleanup);

const DOC = 'projects/api/docs/intro.md';
const has = (codex, branch, env) => DOC in (codexFiles(codex, branch, env) ?? {});

const installed = installedProject;

t('feature push: docs on codex test, nothing on main, no prompt, one summary line', async () => {
  const { env, dir, codex } = await installed();
  const mainBefore = refOf(codex, 'main', env);
  git(dir, ['checkout', '-q', '-b', 'feat/login'], env);
  const r = await pushWithoutTerminal(dir, env, ['-u', 'origin', 'feat/login']);
  assert.is(r.code, 0, r.stderr);
  assert.ok(has(codex, 'test', env));
  assert.is(refOf(codex, 'main', env), mainBefore);
  const ours = (r.stdout + r.stderr).split('\n').filter((l) => l.includes('codex-hooks:'));
  assert.equal(ours.length, 1, ours.join('\n'));
  assert.match(ours[0], /codex-hooks: api \[test\] 1 file → codex test/);
  assert.not.match(r.stdout + r.stderr, /PRODUCTION/);
});

t('push of main in a terminal answering y: docs on main', async () => {
  const { env, dir, codex } = await installed();
  const r = await pushInTerminal(dir, env, ['origin', 'main'], 'y\r');
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, /⚠ PRODUCTION SYNC CONFIRMATION\r?\nYou are pushing main\. This will sync documentation to PRODUCTION\.\r?\nTarget: .*codex\.git \(branch main\)   Direction: bidirectional/);
  assert.match(r.stdout, /Sync to production\?.*\[y\/N\]/);
  assert.ok(has(codex, 'main', env));
  assert.is(git(dir, ['rev-parse', 'HEAD'], env), refOf(path.join(path.dirname(dir), 'origin.git'), 'main', env));
});

for (const [label, answer] of [['n', 'n\r'], ['just Enter', '\r']]) {
  t(`push of main answering ${label}: not on main, the push succeeded`, async () => {
    const { env, dir, codex, origin } = await installed();
    const before = refOf(codex, 'main', env);
    const r = await pushInTerminal(dir, env, ['origin', 'main'], answer);
    assert.is(r.code, 0, r.stdout);
    assert.match(r.stdout, /Sync to production\?/);
    assert.match(r.stdout, /skipped \(declined\)/);
    assert.is(refOf(codex, 'main', env), before);
    assert.is(refOf(origin, 'main', env), git(dir, ['rev-parse', 'HEAD'], env));
  });
}

t('push of main with no terminal: returns promptly, not on main, push succeeded, hint printed', async () => {
  const { env, dir, codex, origin } = await installed();
  const before = refOf(codex, 'main', env);
  const started = Date.now();
  const r = await pushWithoutTerminal(dir, env, ['origin', 'main']);
  assert.ok(Date.now() - started < 30_000, 'never waits for an answer');
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /no terminal to confirm on/);
  assert.match(r.stderr, /CODEX_ENV=prod git push/);
  assert.match(r.stderr, /codex-hooks sync --env prod/);
  assert.is(refOf(codex, 'main', env), before);
  assert.is(refOf(origin, 'main', env), git(dir, ['rev-parse', 'HEAD'], env));
});

t('CODEX_ENV=prod git push: on main with no prompt', async () => {
  const { env, dir, codex } = await installed();
  const r = await pushWithoutTerminal(dir, { ...env, CODEX_ENV: 'prod' }, ['origin', 'main']);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stdout + r.stderr, /CONFIRMATION/);
  assert.ok(has(codex, 'main', env));
});

t('CODEX_ENV=prd: push refused, the message lists the environments, nothing written', async () => {
  const { env, dir, codex, origin } = await installed();
  const refs = git(codex, ['for-each-ref'], env);
  const r = await pushWithoutTerminal(dir, { ...env, CODEX_ENV: 'prd' }, ['origin', 'main']);
  assert.is.not(r.code, 0);
  assert.match(r.stderr, /Unknown environment "prd"/);
  assert.match(r.stderr, /Known environments: dev, test, staging, prod/);
  assert.is(git(codex, ['for-each-ref'], env), refs);
  assert.is(refOf(origin, 'main', env), null);
});

t('git push origin feat:main is treated as main', async () => {
  const { env, dir, codex } = await installed();
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const mainBefore = refOf(codex, 'main', env);
  const r = await pushWithoutTerminal(dir, env, ['origin', 'feat:main']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /skipped for main: no terminal/);
  assert.is(refOf(codex, 'main', env), mainBefore, 'production is not written without a yes');
  // a push of main moves the base of test (silently): test shows main's docs, no feature branch's
  assert.equal(Object.keys(codexFiles(codex, 'test', env)).filter((p) => p.startsWith('projects/api/')), ['projects/api/docs/intro.md']);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'next'], env); // so that main has something new to push
  const y = await pushInTerminal(dir, env, ['origin', 'feat:refs/heads/release-main', 'feat:main'], 'y\r');
  assert.is(y.code, 0, y.stdout);
});

t('test configured to main: a feature push shows the warning prompt', async () => {
  const { env, dir, codex } = await installed({ config: { environments: { test: { branch: 'main' } } } });
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const r = await pushInTerminal(dir, env, ['origin', 'feat'], 'y\r');
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, /PRODUCTION SYNC CONFIRMATION/);
  assert.match(r.stdout, /Environment "test" is configured to the production codex branch "main"/);
  assert.ok(has(codex, 'main', env));
});

t('codex unreachable: the push succeeds, the request is kept, the next push delivers it', async () => {
  const { env, dir, codex } = await installed();
  const away = `${codex}.away`;
  fs.renameSync(codex, away);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const r = await pushWithoutTerminal(dir, env, ['-u', 'origin', 'feat']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /CODEX UNREACHABLE/);
  assert.match(r.stderr, /kept and will be retried/);
  const status = JSON.parse((await run(path.join(dir, 'node_modules/.bin/codex-hooks'), ['status', '--offline', '--json'], { cwd: dir, env })).stdout);
  assert.is(status.pending.length, 1);
  fs.renameSync(away, codex);
  // nothing new to push: the kept request is delivered by the next push
  commit(dir, env, { 'src/x.js': 'code\n' });
  const again = await pushWithoutTerminal(dir, env, []);
  assert.is(again.code, 0, again.stderr);
  assert.ok(has(codex, 'test', env));
  const after = JSON.parse((await run(path.join(dir, 'node_modules/.bin/codex-hooks'), ['status', '--offline', '--json'], { cwd: dir, env })).stdout);
  assert.is(after.pending.length, 0);
});

t('hooks.on_failure block: the push fails when the sync fails', async () => {
  const { env, dir, codex, origin } = await installed({ config: { hooks: { post_commit: 'off', on_failure: 'block' } } });
  fs.rmSync(codex, { recursive: true });
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const r = await pushWithoutTerminal(dir, env, ['origin', 'feat']);
  assert.is.not(r.code, 0);
  assert.match(r.stderr, /CODEX UNREACHABLE/);
  assert.is(refOf(origin, 'feat', env), null);
});

t('install twice changes nothing the second time; uninstall leaves other lines alone', async () => {
  const { env, dir, bin } = await installed();
  const snapshot = () => ['.husky/pre-push', '.husky/post-commit', 'package.json'].map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n--\n');
  const first = snapshot();
  const again = await run(bin, ['install'], { cwd: dir, env });
  assert.is(again.code, 0);
  assert.match(again.stdout, /nothing changed/);
  assert.is(snapshot(), first);
  fs.appendFileSync(path.join(dir, '.husky/pre-push'), 'echo "my own check"\n');
  fs.writeFileSync(path.join(dir, '.husky/pre-commit'), 'npm test\n');
  const u = await run(bin, ['uninstall'], { cwd: dir, env });
  assert.is(u.code, 0, u.stderr);
  assert.is(fs.readFileSync(path.join(dir, '.husky/pre-push'), 'utf8'), 'echo "my own check"\n');
  assert.not.ok(fs.existsSync(path.join(dir, '.husky/post-commit')));
  assert.not.ok(fs.existsSync(path.join(dir, '.husky/codex-hooks')));
  assert.is(git(dir, ['config', 'core.hooksPath'], env), '.husky/_', 'husky stays for the user\'s own hooks');
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  assert.is(pkg.scripts.prepare, 'codex-hooks prepare || true');
});

t('uninstall of a fresh install restores the repository exactly', async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  const pkgBefore = fs.readFileSync(path.join(p.dir, 'package.json'), 'utf8');
  await run(p.bin, ['install'], { cwd: p.dir, env });
  const u = await run(p.bin, ['uninstall'], { cwd: p.dir, env });
  assert.is(u.code, 0, u.stderr);
  assert.is(fs.readFileSync(path.join(p.dir, 'package.json'), 'utf8'), pkgBefore);
  assert.not.ok(fs.existsSync(path.join(p.dir, '.husky')));
  assert.throws(() => git(p.dir, ['config', 'core.hooksPath'], env));
});

t('a pre-existing .git/hooks/pre-push still runs and still sees the ref lines', async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  const seen = path.join(path.dirname(p.dir), 'legacy-saw.txt');
  fs.writeFileSync(path.join(p.dir, '.git/hooks/pre-push'), `#!/bin/sh\necho "legacy $1" > '${seen}'\ncat >> '${seen}'\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(p.dir, '.husky-user-line'), '');
  assert.is((await run(p.bin, ['install'], { cwd: p.dir, env })).code, 0);
  // a line of the user's own after ours also gets the ref lines
  fs.appendFileSync(path.join(p.dir, '.husky/pre-push'), `cat > '${seen}.user'\n`);
  git(p.dir, ['checkout', '-q', '-b', 'feat'], env);
  const r = await pushWithoutTerminal(p.dir, env, ['origin', 'feat']);
  assert.is(r.code, 0, r.stderr);
  const head = git(p.dir, ['rev-parse', 'HEAD'], env);
  const legacy = fs.readFileSync(seen, 'utf8');
  assert.match(legacy, 'legacy origin');
  assert.match(legacy, `refs/heads/feat ${head} refs/heads/feat 0000000000000000000000000000000000000000`);
  assert.match(fs.readFileSync(`${seen}.user`, 'utf8'), `refs/heads/feat ${head} refs/heads/feat`);
  assert.ok(has(p.codex, 'test', env));
});

t('works without package.json and in a linked worktree', async () => {
  const env = isolatedEnv();
  const p = e2eProject(env, { packageJson: false });
  const r = await run(p.bin, ['install'], { cwd: p.dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(fs.existsSync(path.join(p.dir, 'package.json')));
  git(p.dir, ['add', '-A'], env);
  git(p.dir, ['commit', '-q', '-m', 'hooks'], env);
  const wt = path.join(path.dirname(p.dir), 'wt');
  git(p.dir, ['worktree', 'add', '-q', '-b', 'feat/wt', wt], env);
  fs.symlinkSync(path.join(p.dir, 'node_modules'), path.join(wt, 'node_modules'));
  // husky's own files (.husky/_) are git-ignored, so a new worktree needs them made: install does that
  const first = await run(p.bin, ['install'], { cwd: wt, env });
  assert.is(first.code, 0, first.stderr);
  assert.match(first.stdout, /restored husky's files in \.husky\/_/);
  const again = await run(p.bin, ['install'], { cwd: wt, env });
  assert.match(again.stdout, /nothing changed/);
  commit(wt, env, { 'docs/wt.md': 'from the worktree\n' });
  const push = await pushWithoutTerminal(wt, env, ['origin', 'feat/wt']);
  assert.is(push.code, 0, push.stderr);
  assert.is(codexFiles(p.codex, 'test', env)['projects/api/docs/wt.md'], 'from the worktree');
});

t('post-commit background: returns at once, pulls shared docs and writes nothing to the codex; detached HEAD and rebase skip', async () => {
  const { env, dir, codex } = await installed({ config: { hooks: { post_commit: 'background' } } });
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const tip = refOf(codex, 'test', env);
  commit(dir, env, { 'docs/bg.md': 'background\n' });
  const pulled = path.join(dir, '.codex/shared/guide.md');
  const deadline = Date.now() + 20_000;
  while (!fs.existsSync(pulled) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.ok(fs.existsSync(pulled), 'the background run pulled the shared docs');
  const status = JSON.parse((await run(path.join(dir, 'node_modules/.bin/codex-hooks'), ['status', '--offline', '--json'], { cwd: dir, env })).stdout);
  assert.is(status.background.ok, true);
  assert.is(refOf(codex, 'test', env), tip, 'a commit is not a publication: the codex is unchanged');
  // The hook creates background.log just before it starts a background run, and git waits for the hook:
  // once `git commit` returns, no log means no run was started (no need to wait and see).
  const log = path.join(dir, '.git/codex-hooks/background.log');
  assert.ok(fs.existsSync(log), 'the first commit started a background run');
  fs.rmSync(log); // (the first run may still hold it open: it writes to the removed file)
  git(dir, ['checkout', '-q', '--detach'], env);
  commit(dir, env, { 'docs/detached.md': 'x\n' });
  assert.not.ok(fs.existsSync(log), 'detached HEAD: no background run was started');
  assert.is(refOf(codex, 'test', env), tip, 'detached HEAD: no sync');
  // A real rebase: git runs post-commit for every commit it replays (sequencer), which must not sync.
  git(dir, ['checkout', '-q', 'main'], env);
  git(dir, ['checkout', '-q', '-b', 'feat-rebased'], env);
  git(dir, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--allow-empty', '-m', 'base'], env);
  fs.writeFileSync(path.join(dir, 'docs/rebased.md'), 'rebased\n');
  git(dir, ['add', '-A'], env);
  git(dir, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'to replay'], env);
  git(dir, ['checkout', '-q', 'main'], env);
  git(dir, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '--allow-empty', '-m', 'main moves'], env);
  git(dir, ['checkout', '-q', 'feat-rebased'], env);
  git(dir, ['rebase', '-q', 'main'], env);
  assert.ok(fs.existsSync(path.join(dir, 'docs/rebased.md')) && git(dir, ['log', '--format=%s', '-2'], env) === 'to replay\nbase', 'the rebase replayed the commit');
  assert.not.ok(fs.existsSync(log), 'rebase: no background run was started');
  assert.is(refOf(codex, 'test', env), tip, 'rebase: the replayed commits did not sync');
});

t('post-commit never writes the codex, not even with CODEX_ENV=prod; foreground mode pulls before returning', async () => {
  const { env, dir, codex } = await installed({ config: { hooks: { post_commit: 'foreground' } } });
  const mainTip = refOf(codex, 'main', env);
  const testTip = refOf(codex, 'test', env);
  commit(dir, env, { 'docs/on-main.md': 'x\n' });
  assert.is(refOf(codex, 'main', env), mainTip);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  commit(dir, env, { 'docs/fg.md': 'foreground\n' });
  assert.ok(fs.existsSync(path.join(dir, '.codex/shared/guide.md')), 'shared docs pulled before git commit returned');
  assert.is(refOf(codex, 'test', env), testTip, 'an unpushed commit is not published');
  git(dir, ['checkout', '-q', 'main'], env);
  const r = await run('git', ['commit', '-q', '--allow-empty', '-m', 'release'], { cwd: dir, env: { ...env, CODEX_ENV: 'prod' } });
  assert.is(r.code, 0);
  assert.is(refOf(codex, 'main', env), mainTip, 'a commit never releases: the push does');
});

t('CODEX_HOOKS=0 skips with one line; HUSKY=0 skips everything', async () => {
  const { env, dir, codex } = await installed();
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const tip = refOf(codex, 'test', env);
  const r = await pushWithoutTerminal(dir, { ...env, CODEX_HOOKS: '0' }, ['origin', 'feat']);
  assert.is(r.code, 0);
  // every line codex-hooks prints starts with `codex-hooks:` (after a ⚠ on stderr); git's own lines do not
  const ours = (r.stdout + r.stderr).split('\n').filter((l) => /^(\S+ )?codex-hooks:/.test(l));
  assert.equal(ours.map((l) => l.replace(/^\S+ (?=codex-hooks:)/, '')), ['codex-hooks: skipped (CODEX_HOOKS=0)'], 'exactly one line');
  const h = await pushWithoutTerminal(dir, { ...env, HUSKY: '0' }, ['origin', 'feat:other']);
  assert.is(h.code, 0);
  assert.not.match(h.stdout + h.stderr, /codex-hooks:/);
  assert.is(refOf(codex, 'test', env), tip);
});

t('toolkit missing at hook time: one line and git goes on, unless CODEX_ENV asked for a sync', async () => {
  const { env, dir, origin } = await installed();
  fs.rmSync(path.join(dir, 'node_modules'));
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const bare = { ...env, PATH: path.dirname(process.execPath) + ':/usr/bin:/bin' };
  const r = await pushWithoutTerminal(dir, bare, ['origin', 'feat']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /codex-hooks: not found \(run npm install\); docs not synced, push goes on/);
  const e = await pushWithoutTerminal(dir, { ...bare, CODEX_ENV: 'test' }, ['origin', 'feat:other']);
  assert.is.not(e.code, 0);
  assert.match(e.stderr, /CODEX_ENV=test asked for a docs sync: push stopped/);
  assert.is(refOf(origin, 'other', env), null);
});

t('tags and branch deletions are skipped', async () => {
  const { env, dir, codex } = await installed();
  git(dir, ['tag', 'v1'], env);
  const refs = git(codex, ['for-each-ref'], env);
  const r = await pushWithoutTerminal(dir, env, ['origin', 'v1']);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stderr + r.stdout, /codex-hooks:/);
  await pushWithoutTerminal(dir, { ...env, CODEX_HOOKS: '0' }, ['origin', 'main:gone']);
  const d = await pushWithoutTerminal(dir, env, ['origin', ':gone']);
  assert.is(d.code, 0, d.stderr);
  assert.is(git(codex, ['for-each-ref'], env), refs);
});

t.run();
