// The codex cache (design §4): made in the formats this code reads whatever the user's git defaults, set
// aside and made again when unusable, a SHA-256 codex named as such, kept packed by pull-only projects.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cachePathFor } from '../dist/sync/cache/cache.js';
import { cleanup, cli, codexFiles, commit, git, isolatedEnv, makeCodex, makeRepo, tmpdir, writeConfig } from './helpers.js';

const t = suite('cache');
t.after.each(cleanup);

function setup(env, config = {}, codex = makeCodex(env)) {
  const dir = makeRepo(env, { 'docs/intro.md': '# Intro\n' });
  writeConfig(dir, { codex_url: codex, project_name: 'api', ...config });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'config'], env);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  return { dir, codex, cache: cachePathFor(codex, env) };
}

const setAside = (cache) => fs.readdirSync(path.dirname(cache)).filter((f) => f.startsWith(path.basename(cache) + '.set-aside-'));

t('GIT_DEFAULT_HASH=sha256 does not make a cache this code cannot read: every sync works', async () => {
  const env = isolatedEnv();
  const { dir, codex, cache } = setup(env);
  const sha256 = { ...env, GIT_DEFAULT_HASH: 'sha256' };
  for (let i = 0; i < 2; i++) {
    commit(dir, env, { [`docs/n${i}.md`]: `${i}\n` });
    const r = await cli(['sync'], { cwd: dir, env: sha256 });
    assert.is(r.code, 0, r.stderr);
  }
  assert.is(codexFiles(codex, 'test', env)['projects/api/docs/n1.md'], '1');
  assert.not.match(fs.readFileSync(path.join(cache, 'config'), 'utf8'), /objectformat/i);
});

t('a half-made cache folder, or one made in SHA-256, is set aside and made again', async () => {
  const env = isolatedEnv();
  const { dir, cache } = setup(env);
  fs.mkdirSync(path.join(cache, 'objects'), { recursive: true }); // a crash left only this
  let r = await cli(['sync'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.is(setAside(cache).length, 1);
  fs.rmSync(cache, { recursive: true });
  git(path.dirname(cache), ['init', '-q', '--bare', '--object-format=sha256', cache], env); // an earlier version under GIT_DEFAULT_HASH
  commit(dir, env, { 'docs/b.md': 'b\n' });
  r = await cli(['sync'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.is(setAside(cache).length, 2);
});

t('a SHA-256 codex is a clear error naming the format (exit 1)', async () => {
  const env = isolatedEnv();
  const base = tmpdir('codex256-');
  const codex = path.join(base, 'codex.git');
  git(base, ['init', '-q', '--bare', '--object-format=sha256', codex], env);
  const seed = path.join(base, 'seed');
  git(base, ['init', '-q', '--object-format=sha256', '-b', 'main', seed], env);
  commit(seed, env, { 'shared/a.md': 'a\n' });
  git(seed, ['push', '-q', codex, 'HEAD:refs/heads/main', 'HEAD:refs/heads/test'], env);
  const { dir } = setup(env, {}, codex);
  const r = await cli(['sync'], { cwd: dir, env });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /sha256/i);
  assert.match(r.stderr, /SHA-1 codex/);
  assert.not.match(r.stderr, /unexpected/i);
});

t('pull-only projects keep the cache packed: past 50 packs a sync rolls them up', async () => {
  const env = isolatedEnv();
  const { dir, cache } = setup(env, { sync_direction: 'from-codex' });
  assert.is((await cli(['sync'], { cwd: dir, env })).code, 0);
  const packDir = path.join(cache, 'objects/pack');
  for (let i = 0; i < 55; i++) {
    const blob = git(cache, ['hash-object', '-w', '--stdin'], env, `pack ${i}\n`);
    git(cache, ['pack-objects', '-q', path.join(packDir, 'pack')], env, blob + '\n');
  }
  git(cache, ['prune-packed'], env);
  const packs = () => fs.readdirSync(packDir).filter((f) => f.endsWith('.pack')).length;
  assert.ok(packs() > 50);
  const r = await cli(['sync'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.ok(packs() < 50, `${packs()} packs left`);
});

t.run();
