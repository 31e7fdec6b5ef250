// A code config (.codexrc.js|cjs|mjs|ts, codex.config.*) is a program: loading it runs it. fetch and mcp
// given the codex by --codex or CODEX_URL, and sync-org in the checkouts it visits, read data configs
// only, unless --trust-config-code says to run code (issue 19 item 9).
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, isolatedEnv, makeCodex, makeRepo, tmpdir } from './helpers.js';
import { mcpCall } from './mcp-process.js';

const t = suite('code-config');
t.after.each(cleanup);

const MAIN = { 'projects/api/docs/intro.md': '# Intro\n' };

/** A code config that leaves a marker when it is run, and the marker's path. */
function codeConfig(dir, codex, name = '.codexrc.cjs') {
  const marker = path.join(tmpdir('ran-'), `${name}-ran`);
  fs.writeFileSync(path.join(dir, name), `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\nmodule.exports = { codex_url: ${JSON.stringify(codex)}, organization: 'acme' };\n`);
  return marker;
}

t('fetch given --codex or CODEX_URL never runs the code config in its folder (a note says so)', async () => {
  const env = isolatedEnv();
  const bare = makeCodex(env, MAIN);
  const away = tmpdir('downloads-');
  const marker = codeConfig(away, bare);
  for (const [args, extra] of [[['--codex', bare], {}], [[], { CODEX_URL: bare }]]) {
    const r = await cli(['fetch', 'codex://acme/api/docs/intro.md', ...args], { cwd: away, env: { ...env, ...extra } });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, '# Intro\n');
    assert.match(r.stderr, /\.codexrc\.cjs.*not run/);
    assert.match(r.stderr, /--trust-config-code/);
  }
  assert.not.ok(fs.existsSync(marker), 'the code config ran');
  const trusted = await cli(['fetch', 'codex://acme/api/docs/intro.md', '--codex', bare, '--trust-config-code'], { cwd: away, env });
  assert.is(trusted.code, 0, trusted.stderr);
  assert.ok(fs.existsSync(marker), '--trust-config-code runs it');
});

t('fetch in a checkout with no --codex runs the code config the project wrote, as before', async () => {
  const env = isolatedEnv();
  const bare = makeCodex(env, MAIN);
  const dir = makeRepo(env);
  const marker = codeConfig(dir, bare, 'codex.config.cjs');
  const r = await cli(['fetch', 'codex://acme/api/docs/intro.md'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.ok(fs.existsSync(marker));
});

t('mcp given --codex never runs the code config in its folder', async () => {
  const env = isolatedEnv();
  const bare = makeCodex(env, MAIN);
  const away = tmpdir('agent-');
  const marker = codeConfig(away, bare, '.codexrc.js');
  fs.writeFileSync(path.join(away, 'package.json'), '{"type":"commonjs"}\n');
  const r = await mcpCall(away, env, ['--codex', bare], 'codex_status');
  assert.ok(r.answered, r.stderr);
  assert.not.match(r.stdout, /"isError":true/, r.stdout);
  assert.match(r.stderr, /\.codexrc\.js.*not run/);
  assert.not.ok(fs.existsSync(marker), 'the code config ran');
});

t('sync-org runs no code config of a checkout it visits: that row fails saying so; --trust-config-code runs it', async () => {
  const env = isolatedEnv();
  const bare = makeCodex(env, MAIN);
  const root = tmpdir('org-');
  const dir = makeRepo(env, undefined, 'svc');
  fs.renameSync(dir, path.join(root, 'svc'));
  const marker = codeConfig(path.join(root, 'svc'), bare);
  const r = await cli(['sync-org', '--env', 'test', '--root', root], { cwd: root, env });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout + r.stderr, /\.codexrc\.cjs.*not run.*--trust-config-code/s);
  assert.not.ok(fs.existsSync(marker), 'the code config ran');
  const trusted = await cli(['sync-org', '--env', 'test', '--root', root, '--trust-config-code'], { cwd: root, env });
  assert.is(trusted.code, 0, trusted.stdout + trusted.stderr);
  assert.ok(fs.existsSync(marker));
});

t.run();
