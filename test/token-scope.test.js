// CODEX_TOKEN goes only to the host it is for (issue 19 item 6): CODEX_TOKEN_HOST names it; sync-org, which
// visits checkouts whose configs anyone may have written, sends it to no other host, and to none without it.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, codexFiles, isolatedEnv, makeCodex, makeRepo, tmpdir, writeConfig } from './helpers.js';
import { startHttpCodex } from './servers.js';
import { codexTokenFor } from '../dist/sync/cache/remote.js';

const t = suite('token-scope');
const TOKEN = 'codex-t0ken-for-A';
const stops = [];
t.after.each(async () => {
  while (stops.length) await stops.pop()();
  cleanup();
});

/** An http server on 127.0.0.1 that answers 401 to everything and keeps every Authorization header. */
async function recordingServer() {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    req.resume();
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' });
    res.end();
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))));
  return { seen, port: server.address().port };
}

const leaked = (seen) => seen.filter((h) => Buffer.from(h.replace(/^Basic /, ''), 'base64').toString().includes(TOKEN) || h.includes(TOKEN));

/** A checkout under `root` named `name` whose committed config names `url`. */
function checkout(env, root, name, url) {
  const dir = makeRepo(env, undefined, name);
  fs.renameSync(dir, path.join(root, name));
  writeConfig(path.join(root, name), { codex_url: url, project_name: name });
  return path.join(root, name);
}

async function setup() {
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '30' });
  const codex = makeCodex(env);
  const good = await startHttpCodex({ root: path.dirname(codex), user: 'x-access-token', password: TOKEN });
  stops.push(() => good.stop());
  const evil = await recordingServer();
  const root = tmpdir('org-root-');
  checkout(env, root, 'api', good.url('codex.git'));
  checkout(env, root, 'planted', `http://127.0.0.1:${evil.port}/codex.git`);
  return { env, codex, good, evil, root };
}

t('sync-org with CODEX_TOKEN_HOST: the named host gets the token, a checkout naming another never does', async () => {
  const { env, codex, good, evil, root } = await setup();
  const r = await cli(['sync-org', '--env', 'test', '--root', root], { cwd: root, env: { ...env, CODEX_TOKEN: TOKEN, CODEX_TOKEN_HOST: `127.0.0.1:${good.port}` } });
  assert.is(r.code, 1, r.stderr); // the planted checkout fails
  assert.ok('projects/api/docs/intro.md' in codexFiles(codex, 'test', env), r.stderr);
  assert.ok(evil.seen.length > 0, 'the other host was asked');
  assert.equal(leaked(evil.seen), [], 'the token went to another host');
  assert.not.match(r.stdout + r.stderr, TOKEN);
});

t('sync-org without CODEX_TOKEN_HOST: CODEX_TOKEN goes to no host, and a warning says how to name one', async () => {
  const { env, evil, root } = await setup();
  const r = await cli(['sync-org', '--env', 'test', '--root', root], { cwd: root, env: { ...env, CODEX_TOKEN: TOKEN } });
  assert.is(r.code, 1, r.stderr);
  assert.equal(leaked(evil.seen), [], 'the token went to a host nobody named');
  assert.match(r.stdout + r.stderr, /CODEX_TOKEN_HOST/);
});

t('sync with CODEX_TOKEN_HOST naming another host: the codex gets no token', async () => {
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '30' });
  const evil = await recordingServer();
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: `http://127.0.0.1:${evil.port}/codex.git`, project_name: 'api' });
  const r = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, CODEX_TOKEN: TOKEN, CODEX_TOKEN_HOST: 'codex.example.com' } });
  assert.is(r.code, 1, r.stderr);
  assert.ok(evil.seen.length > 0);
  assert.equal(leaked(evil.seen), []);
  assert.match(r.stderr, /AUTHENTICATION FAILED/);
  assert.match(r.stderr, /CODEX_TOKEN_HOST/, 'the hint says the token was kept for another host');
});

t('codexTokenFor: CODEX_TOKEN_HOST as a host (any port), host:port or a URL; unset, the token as before', () => {
  const table = [
    ['https://git.example.com/', undefined, true],
    ['https://git.example.com/', 'git.example.com', true],
    ['https://git.example.com:8443/', 'git.example.com', true],
    ['https://git.example.com:8443/', 'git.example.com:8443', true],
    ['https://git.example.com:8443/', 'git.example.com:9443', false],
    ['https://GIT.example.com/', 'https://git.example.com/acme', true],
    ['https://evil.example/', 'git.example.com', false],
    ['https://git.example.com.evil.example/', 'git.example.com', false],
  ];
  for (const [origin, host, sent] of table) assert.is(codexTokenFor(origin, { CODEX_TOKEN: 'tok', CODEX_TOKEN_HOST: host }), sent ? 'tok' : undefined, `${origin} ${host}`);
  assert.is(codexTokenFor('https://a/', {}), undefined);
});

t.run();
