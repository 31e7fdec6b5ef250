// The bin's V8 code cache (bin/codex-hooks.cjs, README "Performance"): made after a command that succeeded,
// one file per command, never after a failure; a damaged cache is rejected and made again; the runner's lazy
// import()s work from it (a config in YAML loads js-yaml through one) and print no warning; CODEX_HOOKS_NO_CODE_CACHE=1 makes none.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, cleanup, cliProcess, isolatedEnv, makeCodex, makeRepo, ROOT } from './helpers.js';

const t = test;
t.after.each(cleanup);

const compiled = (env) => {
  const dir = path.join(env.CODEX_HOOKS_CACHE_DIR, 'compiled');
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
};

/** A project whose config is YAML (loaded through the runner's lazy import of js-yaml) and a codex. */
function yamlProject(env) {
  const codex = makeCodex(env);
  const dir = makeRepo(env);
  fs.writeFileSync(path.join(dir, '.codexrc.yaml'), `codex_url: ${codex}\nproject_name: api\n`);
  return dir;
}

t('a command that succeeded leaves its cache; the next run uses it and prints nothing more', async () => {
  const env = isolatedEnv();
  const dir = yamlProject(env);
  const first = await cliProcess(['status', '--json'], { cwd: dir, env });
  assert.is(first.code, 0, first.stderr);
  const made = compiled(env);
  assert.is(made.length, 1, made.join(', '));
  assert.match(made[0], /^runner-status-[0-9a-f]{16}-v\d+\.\d+\.\d+-[a-z0-9]+\.v8$/);
  const build = /^\/\/ codex-hooks build ([0-9a-f]{16})\n/.exec(fs.readFileSync(path.join(ROOT, 'dist/codex-hooks.cjs'), 'utf8'))[1];
  assert.ok(made[0].includes(build), 'named by the runner\'s content, not its size and time');
  const second = await cliProcess(['status', '--json'], { cwd: dir, env });
  assert.is(second.code, 0, second.stderr);
  assert.is(JSON.parse(second.stdout).project ?? null, JSON.parse(first.stdout).project ?? null, 'the same answer from the cache');
  assert.not.match(second.stderr, /ExperimentalWarning|experimental/i, 'no warning from node:vm');
  assert.equal(compiled(env), made, 'the cache is kept, not written again');
});

t("a cache an hour old is made again with what the run compiled besides (a command's other path); a younger one is kept", async () => {
  const env = isolatedEnv();
  const dir = yamlProject(env);
  // pre-push skipped (CODEX_HOOKS=0): a short path; then a push of a new branch: the config, the plan, the sync
  const skip = await cliProcess(['hook', 'pre-push', 'origin', 'x'], { cwd: dir, env: { ...env, CODEX_HOOKS: '0' }, input: '' });
  assert.is(skip.code, 0, skip.stderr);
  const [file] = compiled(env);
  assert.match(file, /^runner-hook-pre-push-/);
  const full = path.join(env.CODEX_HOOKS_CACHE_DIR, 'compiled', file);
  const short = fs.readFileSync(full);
  const head = (await import('node:child_process')).execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, env, encoding: 'utf8' }).trim();
  const line = `refs/heads/main ${head} refs/heads/main ${'0'.repeat(40)}\n`;
  const push = await cliProcess(['hook', 'pre-push', 'origin', 'x'], { cwd: dir, env, input: line });
  assert.is(push.code, 0, push.stderr);
  assert.equal(fs.readFileSync(full), short, 'younger than an hour: kept');
  const old = new Date(Date.now() - 2 * 3600 * 1000);
  fs.utimesSync(full, old, old);
  assert.is((await cliProcess(['hook', 'pre-push', 'origin', 'x'], { cwd: dir, env, input: line })).code, 0);
  const grown = fs.readFileSync(full);
  assert.ok(grown.length > short.length, `made again with what the longer run compiled (${short.length} -> ${grown.length} bytes)`);
  const again = await cliProcess(['hook', 'pre-push', 'origin', 'x'], { cwd: dir, env, input: line });
  assert.is(again.code, 0, again.stderr);
  assert.equal(fs.readFileSync(full), grown, 'kept: made a moment ago');
  // the short path with the grown cache: still kept
  assert.is((await cliProcess(['hook', 'pre-push', 'origin', 'x'], { cwd: dir, env: { ...env, CODEX_HOOKS: '0' }, input: '' })).code, 0);
  assert.equal(fs.readFileSync(full), grown);
});

t('a command that failed leaves no cache (bad input is refused before anything is written)', async () => {
  const env = isolatedEnv();
  const r = await cliProcess(['sync', '--env', 'nope'], { cwd: makeRepo(env), env });
  assert.is(r.code, 2, r.stderr);
  assert.equal(compiled(env), []);
  assert.not.ok(fs.existsSync(env.CODEX_HOOKS_CACHE_DIR), 'no cache folder made');
});

t('a damaged cache is rejected and made again; CODEX_HOOKS_NO_CODE_CACHE=1 makes none', async () => {
  const env = isolatedEnv();
  const dir = yamlProject(env);
  assert.is((await cliProcess(['status'], { cwd: dir, env })).code, 0);
  const [file] = compiled(env);
  const full = path.join(env.CODEX_HOOKS_CACHE_DIR, 'compiled', file);
  // bytes damaged in place (the same length): V8 would crash on them; the checksum turns them away
  const bytes = fs.readFileSync(full);
  for (let i = 4000; i < bytes.length; i += 997) bytes[i] ^= 0x5a;
  fs.writeFileSync(full, bytes);
  const r = await cliProcess(['status'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.not.equal(fs.readFileSync(full), bytes, 'made again');
  fs.writeFileSync(full, 'not a code cache');
  assert.is((await cliProcess(['status'], { cwd: dir, env })).code, 0);
  assert.ok(fs.statSync(full).size > 50_000, 'made again (a real cache is hundreds of KB)');

  const off = { ...isolatedEnv(), CODEX_HOOKS_NO_CODE_CACHE: '1' };
  const d2 = yamlProject(off);
  assert.is((await cliProcess(['status'], { cwd: d2, env: off })).code, 0);
  assert.equal(compiled(off), []);
});

t('--help and --version leave no cache (it would hold nothing of the command); no home folder runs without one', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  for (const args of [['sync', '--help'], ['--version'], ['status', '-h']]) assert.is((await cliProcess(args, { cwd: dir, env })).code, 0, args.join(' '));
  assert.equal(compiled(env), []);
  const homeless = { ...env };
  delete homeless.HOME;
  delete homeless.CODEX_HOOKS_CACHE_DIR;
  delete homeless.XDG_CACHE_HOME;
  // a user with no passwd entry has no home either; here HOME is unset, and the folder os.homedir() names is not ours to fill
  const r = await cliProcess(['--version'], { cwd: dir, env: homeless });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stderr, '');
  // a uid with no passwd entry and no HOME (a container's arbitrary user): os.homedir() throws; the bin used to
  // die of it before main, on every command and every push
  if (process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0) {
    const u = spawnSync('setpriv', ['--reuid=4242', '--regid=4242', '--clear-groups', process.execPath, BIN, '--version'], { cwd: '/', env: { PATH: process.env.PATH }, encoding: 'utf8' });
    assert.is(u.status, 0, u.stderr);
    assert.is(u.stderr, '');
  }
});

t('the runner has no import() the bin cannot run from its cache', () => {
  const text = fs.readFileSync(path.join(ROOT, 'dist/codex-hooks.cjs'), 'utf8');
  const left = [...text.matchAll(/\bimport\(/g)].length;
  assert.is(left, 1, 'only the fallback when the runner is required as it is');
  assert.match(text, /__codexHooksImport\("js-yaml"\)/);
});

t.run();
