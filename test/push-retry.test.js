// The push loop (design §4 Concurrency): a push the codex branch moved under is rebuilt on the new tip and
// pushed again, with backoff, until it lands or MAX_ATTEMPTS pushes were rejected; a refusal is never
// retried. A real bare codex whose pre-receive hook moves the branch while a push is received, as another
// client's push would. And the handle of git at work (git/exec.ts): a git that cannot start.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startGit, GitError } from '../dist/git/exec.js';
import { msg } from '../dist/core/messages.js';
import { cleanup, cli, codexFiles, git, isolatedEnv, makeCodex, makeRepo, refOf, tmpdir, writeConfig } from './helpers.js';

const t = suite('push-retry');
t.after.each(cleanup);

/**
 * A pre-receive hook that commits `racer-N.md` to the codex's test branch while a push is received (outside
 * git's quarantine, as another client's push would be), so that push is rejected because the branch moved:
 * the first `races` pushes (all of them when `races` is Infinity).
 */
function racer(codex, races) {
  const count = path.join(codex, 'races');
  const stop = Number.isFinite(races) ? `[ -e '${count}' ] && [ "$(wc -l < '${count}')" -ge ${races} ] && exit 0\n` : '';
  fs.writeFileSync(
    path.join(codex, 'hooks', 'pre-receive'),
    `#!/bin/sh\ncat >/dev/null\n${stop}echo x >> '${count}'\nn=$(wc -l < '${count}' | tr -d ' ')\n` +
      'unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES\n' +
      `blob=$(printf 'racer %s\\n' "$n" | git hash-object -w --stdin)\n` +
      `tree=$( (git ls-tree test; printf '100644 blob %s\\tracer-%s.md\\n' "$blob" "$n") | git mktree)\n` +
      `c=$(echo racer | GIT_AUTHOR_NAME=R GIT_AUTHOR_EMAIL=r@x GIT_COMMITTER_NAME=R GIT_COMMITTER_EMAIL=r@x git commit-tree "$tree" -p test)\n` +
      'git update-ref refs/heads/test "$c"\n',
    { mode: 0o755 },
  );
  return () => (fs.existsSync(count) ? fs.readFileSync(count, 'utf8').split('\n').filter(Boolean).length : 0);
}

/** A project on a feature branch (the codex's test branch, layer mode) with an origin, and its codex. */
function setup() {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const base = tmpdir();
  const origin = path.join(base, 'origin.git');
  git(base, ['init', '-q', '--bare', origin], env);
  const dir = makeRepo(env, { 'docs/intro.md': '# Intro\n', 'README.md': '# API\n' });
  git(dir, ['remote', 'add', 'origin', origin], env);
  writeConfig(dir, { codex_url: codex, project_name: 'api', sync_direction: 'to-codex' });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'config'], env);
  git(dir, ['push', '-q', 'origin', 'main'], env);
  git(dir, ['checkout', '-q', '-b', 'feat/docs'], env);
  return { env, codex, dir };
}

const sync = (dir, env, args = []) => cli(['sync', '--json', ...args], { cwd: dir, env });
/** The codex commits on test after `since`, newest first: 'api' for the project's, else the subject. */
const commitsSince = (codex, since, env) =>
  git(codex, ['log', '--format=%s', `${since}..test`], env)
    .split('\n')
    .map((l) => (l.startsWith('docs(api): ') ? 'api' : l));

for (const [mode, args] of [
  ['mirror', ['--mirror']],
  ['layer', []],
]) {
  t(`${mode}: a push the branch moved under (twice) is rebuilt on the new tip and lands on the third attempt, on top of both racers`, async () => {
    const { env, codex, dir } = setup();
    const before = refOf(codex, 'test', env);
    const races = racer(codex, 2);
    const r = await sync(dir, env, args);
    assert.is(r.code, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout).toCodex;
    assert.is(out.mode, mode);
    assert.is(out.attempts, 3);
    assert.is(races(), 2);
    assert.is(out.codexCommit, refOf(codex, 'test', env));
    assert.equal(commitsSince(codex, before, env), ['api', 'racer', 'racer']);
    const files = codexFiles(codex, 'test', env);
    assert.equal([files['racer-1.md'], files['racer-2.md'], files['projects/api/docs/intro.md']], ['racer 1', 'racer 2', '# Intro']);
  });
}

t('mirror: a rebuilt plan with nothing left to push (another client landed the same folder meanwhile) pushes once and lands nothing', async () => {
  const { env, codex, dir } = setup();
  const before = refOf(codex, 'test', env);
  // while the first push is received, its commit lands as another client's: the same tree, on the tip
  fs.writeFileSync(
    path.join(codex, 'hooks', 'pre-receive'),
    `#!/bin/sh\nread old new ref\n[ -e "$GIT_DIR/raced" ] && exit 0\ntouch "$GIT_DIR/raced"\n` +
      `git rev-list --objects "$new" --not "$old" | git pack-objects -q --stdout > "$GIT_DIR/racer.pack"\n` +
      'unset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES\n' +
      `git unpack-objects -q < "$GIT_DIR/racer.pack"\n` +
      `c=$(echo racer | GIT_AUTHOR_NAME=R GIT_AUTHOR_EMAIL=r@x GIT_COMMITTER_NAME=R GIT_COMMITTER_EMAIL=r@x git commit-tree "$new^{tree}" -p test)\n` +
      'git update-ref refs/heads/test "$c"\n',
    { mode: 0o755 },
  );
  const r = await sync(dir, env, ['--mirror']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout).toCodex;
  assert.equal([out.attempts, out.codexCommit], [1, null]);
  assert.equal(commitsSince(codex, before, env), ['racer']);
  assert.is(codexFiles(codex, 'test', env)['projects/api/docs/intro.md'], '# Intro');
});

t('a branch that keeps moving: MAX_ATTEMPTS (30) pushes, then "kept moving" with exit 1; the codex holds only the racers', async () => {
  const { env, codex, dir } = setup();
  const before = refOf(codex, 'test', env);
  const races = racer(codex, Infinity);
  const r = await sync(dir, env, ['--mirror']);
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, msg.pushRejected('test', 30));
  assert.is(races(), 30);
  assert.ok(commitsSince(codex, before, env).every((c) => c === 'racer'));
});

t('sync-org: a branch that keeps moving fails each project whose commit was in the push with "kept moving" after 30 pushes', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const root = tmpdir('org-');
  for (const name of ['svc1', 'svc2']) {
    const dir = path.join(root, name);
    fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
    git(dir, ['init', '-q', '-b', 'main'], env);
    fs.writeFileSync(path.join(dir, 'docs/index.md'), `# ${name}\n`);
    writeConfig(dir, { codex_url: codex, project_name: name, sync_direction: 'to-codex' });
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '-m', 'docs'], env);
    git(dir, ['checkout', '-q', '-b', 'feat'], env);
  }
  const races = racer(codex, Infinity);
  const r = await cli(['sync-org', '--root', root, '--env', 'test', '--json'], { cwd: root, env });
  assert.is(r.code, 1, r.stdout + r.stderr);
  assert.is(races(), 30);
  const rows = JSON.parse(r.stdout).projects;
  assert.equal(
    rows.map((p) => [p.project, p.status, p.message]),
    ['svc1', 'svc2'].map((n) => [n, 'failed', msg.pushRejected('test', 30)]),
  );
});

t('git that cannot start (no such folder, no git on PATH): done rejects with the reason, started never settles, so racing the two is the error', async () => {
  const env = isolatedEnv();
  const empty = tmpdir('no-git-');
  const cases = [
    ['no such folder', { cwd: path.join(empty, 'missing'), env }],
    ['no git on PATH', { cwd: empty, env: { ...env, PATH: empty } }],
  ];
  for (const [why, options] of cases) {
    const running = startGit(['version'], options);
    const seen = [];
    running.started.then(
      () => seen.push('started'),
      () => seen.push('started rejected'),
    );
    const raced = await Promise.race([running.started, running.done]).then(
      () => 'settled without an error',
      (e) => e,
    );
    assert.instance(raced, GitError, why);
    assert.match(raced.message, /cannot run git/, why);
    // every reaction to what has settled has run by now: `started` neither resolved nor rejected
    await new Promise((r) => setImmediate(r));
    assert.equal(seen, [], why);
  }
  // and a git that starts: `started` resolves before `done`
  const running = startGit(['version'], { cwd: empty, env });
  const order = [];
  await Promise.all([running.started.then(() => order.push('started')), running.done.then(() => order.push('done'))]);
  assert.equal(order, ['started', 'done']);
});

t.run();
