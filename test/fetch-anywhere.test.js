// `codex-hooks fetch` outside any git checkout (SPEC §5): the codex from --codex, CODEX_URL or the config
// in the folder; and the "not released yet" hint names commands that work.
import fs from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, isolatedEnv, splitCodex, tmpdir, writeConfig } from './helpers.js';

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

t.run();
