// Values from the environment and from a repository's config that git or the timer would misread
// (issue 19 items 11, 12, 14): bad input exits 2 before any git work; a secret never leaves the process.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { redactUrl, splitUrl, hasCredentials } from '../dist/core/url.js';
import { connectionFor, makeRedactor } from '../dist/sync/cache/remote.js';
import { cleanup, cli, codexFiles, git, isolatedEnv, makeCodex, makeRepo, tmpdir, writeConfig } from './helpers.js';

const t = suite('trust-inputs');
t.after.each(cleanup);

function project(env, config = {}) {
  const codex = makeCodex(env);
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: codex, project_name: 'api', ...config });
  return { dir, codex };
}

t('CODEX_HOOKS_TIMEOUT above the timer range (2,147,483 s) is bad input, not a sync that times out at once', async () => {
  const env = isolatedEnv();
  const { dir, codex } = project(env);
  for (const value of ['2147484', '1e300', '99999999999']) {
    const r = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, CODEX_HOOKS_TIMEOUT: value } });
    assert.is(r.code, 2, `${value}: ${r.stderr}`);
    assert.match(r.stderr, /CODEX_HOOKS_TIMEOUT/);
    assert.match(r.stderr, /2147483/);
  }
  assert.not.ok(fs.existsSync(env.CODEX_HOOKS_CACHE_DIR), 'no codex cache made');
  const ok = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, CODEX_HOOKS_TIMEOUT: '2147483' } });
  assert.is(ok.code, 0, ok.stderr);
  assert.ok('projects/api/docs/intro.md' in codexFiles(codex, 'test', env));
});

t("environment branch names are checked by git's ref rules before any git work (exit 2, naming the key)", async () => {
  for (const branch of ['*', 'a b', 'x@{1}', '-x', 'a..b', 'a.lock', 'a/', 'HEAD', 'a\\b', 'a:b', '.hidden']) {
    const env = isolatedEnv();
    const { dir, codex } = project(env, { environments: { test: { branch } } });
    const before = git(codex, ['for-each-ref'], env);
    for (const args of [['sync', '--env', 'test'], ['status']]) {
      const r = await cli(args, { cwd: dir, env });
      assert.is(r.code, 2, `${JSON.stringify(branch)} ${args[0]}: ${r.stderr}`);
      assert.match(r.stderr, /environments\.test\.branch/);
      assert.match(r.stderr, /branch name/);
    }
    assert.is(git(codex, ['for-each-ref'], env), before);
    assert.not.ok(fs.existsSync(env.CODEX_HOOKS_CACHE_DIR), `${JSON.stringify(branch)}: no codex cache made`);
  }
});

/**
 * An ssh command for git that records what it was given and what git's own command line was (its
 * parent's /proc/<pid>/cmdline), then runs the remote command here, in `base`: the codex is reached
 * through real git on both ends, with no sshd (git's own tests use such a fake ssh, test-fake-ssh).
 */
function recordingSsh(base) {
  const log = path.join(base, 'ssh.log');
  const script = path.join(base, 'fake-ssh');
  fs.writeFileSync(
    script,
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> '${log}'; done\ntr '\\0' ' ' < /proc/$PPID/cmdline >> '${log}'\necho >> '${log}'\neval "last=\\\${$#}"\ncd '${base}' && exec sh -c "$last"\n`,
    { mode: 0o755 },
  );
  return { log, command: script };
}

/** Every file under `dir` whose bytes hold `secret`. */
function filesHolding(dir, secret) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && fs.readFileSync(p).includes(secret)) found.push(p);
    }
  };
  walk(dir);
  return found;
}

t('a password in an scp-like URL (user:pass@host:path) is never shown, stored, or on a command line', async () => {
  const secret = 'S3cr3t-scp-Pa55';
  const base = tmpdir('ssh-base-');
  fs.mkdirSync(path.join(base, 'acme'));
  const codex = makeCodex(isolatedEnv());
  fs.renameSync(codex, path.join(base, 'acme/codex.git'));
  const ssh = recordingSsh(base);
  const env = isolatedEnv({ GIT_SSH_COMMAND: ssh.command, GIT_SSH_VARIANT: 'simple' });
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: `git:${secret}@codexhost:acme/codex.git`, project_name: 'api' });
  const runs = [await cli(['sync', '--env', 'test'], { cwd: dir, env }), await cli(['status'], { cwd: dir, env }), await cli(['status', '--json'], { cwd: dir, env })];
  assert.is(runs[0].code, 0, runs[0].stderr);
  assert.ok('projects/api/docs/intro.md' in codexFiles(path.join(base, 'acme/codex.git'), 'test', env), 'the sync landed');
  const log = fs.readFileSync(ssh.log, 'utf8');
  assert.match(log, /^git@codexhost$/m, 'ssh is given the user and host');
  assert.not.match(log, new RegExp(secret), 'no password on ssh or git command lines');
  for (const r of runs) assert.not.match(r.stdout + r.stderr, new RegExp(secret));
  assert.match(runs[1].stderr + runs[1].stdout, /carries a password/, 'status warns that the URL holds one');
  assert.equal(filesHolding(env.HOME, secret), [], 'nothing stored in the cache or HOME');
  assert.equal(filesHolding(path.join(dir, '.git'), secret), [], 'nothing stored in the git directory');
});

t('init --codex user:pass@host:path warns and never shows the password', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  const r = await cli(['init', '--yes', '--codex', 'git:S3cr3t-init@codexhost:acme/codex.git', '--json'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stdout + r.stderr, /S3cr3t-init/);
  const out = JSON.parse(r.stdout);
  assert.match(out.warnings.join('\n'), /carries a password/);
  assert.is(JSON.parse(fs.readFileSync(path.join(dir, '.codexrc.json'), 'utf8')).codex_url, 'git@codexhost:acme/codex.git', 'the password is not stored');
});

t('scp-like URLs: a password is split off (it may hold : and @), the user and host kept; others unchanged', () => {
  const table = [
    ['git:pw@host:acme/codex.git', 'git@host:acme/codex.git', 'pw'],
    ['git:p@ss:w/rd@codex.example.com:srv/codex.git', 'git@codex.example.com:srv/codex.git', 'p@ss:w/rd'],
    ['u:pw@[::1]:codex.git', 'u@[::1]:codex.git', 'pw'],
    ['git@host:acme/codex.git', 'git@host:acme/codex.git', undefined],
    ['codexhost:/srv/codex.git', 'codexhost:/srv/codex.git', undefined],
    ['./a:b@c:d', './a:b@c:d', undefined],
  ];
  for (const [url, shown, password] of table) {
    assert.is(splitUrl(url).url, shown, url);
    assert.is(splitUrl(url).password, password, url);
    assert.is(redactUrl(url), shown, url);
    assert.is(hasCredentials(url), password !== undefined, url);
    assert.is(connectionFor(url, {}).url, shown, `${url}: what git is given`);
  }
  assert.is(makeRedactor('git:pw-secret@host:a.git', {})('fatal: git:pw-secret@host:a.git and pw-secret'), 'fatal: git@host:a.git and ***');
});

t.run();
