// `codex-hooks fetch` outside any git checkout (design §5): the codex from --codex, CODEX_URL or the config
// in the folder; and the "not released yet" hint names commands that work.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, git, isolatedEnv, splitCodex, tmpdir, writeConfig } from './helpers.js';
import { commitWithTrees, treeBomb, writeTree } from './hostile-helpers.js';

const t = suite('fetch-anywhere');
t.after.each(cleanup);

const MAIN = { 'projects/api/docs/intro.md': '# Intro\nreleased text\n', 'shared/guide.md': '# Guide\n' };
const TEST = { 'projects/api/docs/intro.md': '# Intro\nunreleased text\n', 'projects/api/docs/new.md': '# New\n' };

t('fetch works in a folder that is no git checkout: --codex, CODEX_URL, then the config there', async () => {
  const env = isolatedEnv();
  const { bare } = splitCodex(env, MAIN, TEST);
  const away = tmpdir('no-checkout-');
  const byFlag = await cli(['fetch', 'codex://acme/api/docs/intro.md', '--codex', bare], { cwd: away, env });
  assert.is(byFlag.code, 0, byFlag.stderr);
  assert.is(byFlag.stdout, '# Intro\nreleased text\n');
  const byEnv = await cli(['fetch', 'codex://acme/shared/guide.md'], { cwd: away, env: { ...env, CODEX_URL: bare } });
  assert.is(byEnv.code, 0, byEnv.stderr);
  assert.is(byEnv.stdout, '# Guide\n');
  writeConfig(away, { codex_url: bare, organization: 'acme' });
  const byConfig = await cli(['fetch', 'codex://acme/api/docs/intro.md', '--env', 'test'], { cwd: away, env });
  assert.is(byConfig.code, 0, byConfig.stderr);
  assert.is(byConfig.stdout, '# Intro\nunreleased text\n');
  const wrongOrg = await cli(['fetch', 'codex://other/api/docs/intro.md'], { cwd: away, env });
  assert.is(wrongOrg.code, 2);
  assert.match(wrongOrg.stderr, /organisation "acme"/);
});

t('fetch with no codex anywhere fails before any git work, naming --codex and CODEX_URL (exit 2)', async () => {
  const env = isolatedEnv();
  const away = tmpdir('no-checkout-');
  const r = await cli(['fetch', 'codex://acme/api/docs/intro.md'], { cwd: away, env });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /--codex/);
  assert.match(r.stderr, /CODEX_URL/);
  assert.not.ok(fs.existsSync(env.CODEX_HOOKS_CACHE_DIR), 'no cache made');
});

t('a doc only on test: the hint names a fetch --env test that works, and sync --env prod', async () => {
  const env = isolatedEnv();
  const { bare } = splitCodex(env, MAIN, TEST);
  const away = tmpdir('no-checkout-');
  const r = await cli(['fetch', 'codex://acme/api/docs/new.md', '--codex', bare], { cwd: away, env });
  assert.is(r.code, 2);
  const suggested = /`codex-hooks (fetch [^`]+)`/.exec(r.stderr);
  assert.ok(suggested, r.stderr);
  assert.match(r.stderr, /`codex-hooks sync --env prod`/);
  assert.not.match(r.stderr, /CODEX_ENV=prod git push/, 'a second push of the same commit runs no hook');
  const again = await cli([...suggested[1].split(' '), '--codex', bare], { cwd: away, env });
  assert.is(again.code, 0, again.stderr);
  assert.is(again.stdout, '# New\n');
});

t('the blob cache is checked against the id before it is served: altered content is read from git again', async () => {
  const env = isolatedEnv();
  const { bare } = splitCodex(env, MAIN, TEST);
  const away = tmpdir('no-checkout-');
  const first = await cli(['fetch', 'codex://acme/api/docs/intro.md', '--codex', bare], { cwd: away, env });
  assert.is(first.code, 0, first.stderr);
  const oid = git(bare, ['rev-parse', 'main:projects/api/docs/intro.md'], env);
  const kept = path.join(env.CODEX_HOOKS_CACHE_DIR, 'blobs', oid.slice(0, 2), oid.slice(2));
  assert.is(fs.readFileSync(kept, 'utf8'), '# Intro\nreleased text\n');
  fs.writeFileSync(kept, 'planted by someone else\n');
  const again = await cli(['fetch', 'codex://acme/api/docs/intro.md', '--codex', bare], { cwd: away, env });
  assert.is(again.code, 0, again.stderr);
  assert.is(again.stdout, '# Intro\nreleased text\n');
  assert.is(fs.readFileSync(kept, 'utf8'), '# Intro\nreleased text\n', 'the altered copy is replaced');
});

t('fetch in a folder holding a tree bomb: the doc is served, a listing stops at the bounds', async () => {
  const env = isolatedEnv();
  const { bare } = splitCodex(env, MAIN, TEST);
  const bomb = treeBomb(bare, env, { fanout: 64, depth: 4 });
  const shared = git(bare, ['mktree', '-z'], env, git(bare, ['ls-tree', '-z', writeTree(bare, env, { 'guide.md': '# Guide\n' })], env) + `040000 tree ${bomb}\tbomb\0`);
  commitWithTrees(bare, env, 'main', { shared });
  const away = tmpdir('no-checkout-');
  const doc = await cli(['fetch', 'codex://acme/shared/guide.md', '--codex', bare], { cwd: away, env });
  assert.is(doc.code, 0, doc.stderr);
  assert.is(doc.stdout, '# Guide\n');
  const list = await cli(['fetch', 'codex://acme/shared/', '--codex', bare], { cwd: away, env });
  assert.is(list.code, 0, list.stderr);
  assert.is(list.stdout.trim(), 'guide.md');
  assert.match(list.stderr, /shared\/bomb/);
});

t.run();
