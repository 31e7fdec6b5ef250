// `codex-hooks mcp --http` (design §8, issue 22): the CLI's server processes on 127.0.0.1, driven by the
// SDK's StreamableHTTPClientTransport and by plain HTTP requests, against a bare codex whose main and test
// differ.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { BIN, cleanup, cli, isolatedEnv, splitCodex, tmpdir, writeConfig } from './helpers.js';

const t = suite('mcp-http');
const started = [];
t.after.each(async () => {
  while (started.length) await started.pop().stop();
  cleanup();
});

const MAIN = { 'projects/api/docs/intro.md': '# Intro\nproduction phrase alpha\n', 'projects/api/docs/limits.md': '# Limits\nThe rate is per key.\nLimits reset hourly.\n', 'shared/style.md': '# Style\n' };
const TEST = { 'projects/api/docs/intro.md': '# Intro\nstaged phrase omega\n', 'projects/api/docs/beta.md': '# Beta\n' };
const textOf = (r) => r.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');

function setup() {
  const env = isolatedEnv();
  const codex = splitCodex(env, MAIN, TEST);
  const folder = tmpdir('agent-');
  writeConfig(folder, { codex_url: codex.bare, organization: 'acme' });
  return { env, codex, folder };
}

/** `codex-hooks mcp --http 127.0.0.1:0` in its own process; resolves once it says where it listens. */
function startServer({ env, folder }, extraEnv = {}, listen = '127.0.0.1:0') {
  const child = spawn(process.execPath, [BIN, 'mcp', '--http', listen], { cwd: folder, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  child.stdout.on('data', (d) => (stdout += d));
  const server = {
    child,
    exited,
    stderr: () => stderr,
    stdout: () => stdout,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  started.push(server);
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = /listening on (http:\/\/\S+\/mcp)/.exec(stderr);
      if (m && !server.url) resolve(Object.assign(server, { url: m[1] }));
    });
    exited.then(({ code }) => reject(new Error(`the server exited (${code}) before listening:\n${stderr}`)));
  });
}

async function connect(url, { token, fetch } = {}) {
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: token ? { headers: { Authorization: `Bearer ${token}` } } : {}, ...(fetch ? { fetch } : {}) });
  const client = new Client({ name: 'http-test', version: '1' });
  await client.connect(transport);
  started.push({ stop: () => client.close() });
  return client;
}

/** A raw request (headers fetch would not let us set, such as Host). */
function request(url, { method = 'POST', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let data = '';
      res.on('data', (d) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
const INIT = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });

t('tools, fetch, search, resources through StreamableHTTPClientTransport; one log line per request', async () => {
  const s = setup();
  const server = await startServer(s);
  const client = await connect(server.url);
  const { tools } = await client.listTools();
  assert.equal(tools.map((x) => x.name).sort(), ['codex_fetch', 'codex_list', 'codex_search', 'codex_status']);
  for (const tool of tools) assert.equal(tool.annotations, { readOnlyHint: true, openWorldHint: false }, tool.name);
  const call = (name, args) => client.callTool({ name, arguments: args });
  assert.is((await call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' })).content[0].text, '# Intro\nproduction phrase alpha\n');
  assert.match(textOf(await call('codex_fetch', { uri: 'codex://acme/api/docs/beta.md' })), /^Not released yet/);
  // the index is started with the server: poll until search answers ranked ("rate" and "limits" on two lines)
  let ranked;
  for (let i = 0; i < 200; i++) {
    ranked = await call('codex_search', { query: 'rate limits' });
    if (ranked.structuredContent.source === 'index') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.is(ranked.structuredContent.source, 'index');
  assert.is(ranked.structuredContent.hits[0].uri, 'codex://acme/api/docs/limits.md');
  assert.equal((await call('codex_search', { query: 'staged omega' })).structuredContent.hits, []);
  const { resources } = await client.listResources();
  assert.equal(resources.map((r) => r.uri).sort(), ['codex://acme/api/docs/intro.md', 'codex://acme/api/docs/limits.md', 'codex://acme/shared/style.md']);
  assert.is((await client.readResource({ uri: 'codex://acme/shared/style.md' })).contents[0].text, '# Style\n');
  const health = await request(server.url.replace('/mcp', '/health'), { method: 'GET' });
  assert.is(health.status, 200);
  assert.is(JSON.parse(health.body).status, 'ok');
  // SIGTERM: drains and exits 0; every request was logged on stderr, one line each
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, { code: 0, signal: null });
  assert.is(server.stdout(), '', 'stdout stays empty: logs go to stderr');
  assert.match(server.stderr(), /^\S+Z POST \/mcp 200 \d+ ms tools\/call codex_fetch$/m);
  assert.match(server.stderr(), /^\S+Z GET \/health 200 \d+ ms$/m);
});

t('CODEX_MCP_TOKEN: 401 without it or with a wrong one, /health open; Origin and a rebinding Host refused', async () => {
  const s = setup();
  const server = await startServer(s, { CODEX_MCP_TOKEN: 's3cret-token' });
  assert.match(server.stderr(), /Bearer token required/);
  assert.not.match(server.stderr(), /s3cret/);
  const none = await request(server.url, { body: INIT });
  assert.is(none.status, 401);
  assert.is(none.headers['www-authenticate'], 'Bearer');
  assert.is((await request(server.url, { body: INIT, headers: { authorization: 'Bearer s3cret-tokeN' } })).status, 401);
  assert.is((await request(server.url, { body: INIT, headers: { authorization: 'Bearer s3cret-token' } })).status, 200);
  try {
    await connect(server.url);
    assert.unreachable('a client without the token connected');
  } catch (error) {
    assert.match(String(error), /401|Unauthorized/);
  }
  const client = await connect(server.url, { token: 's3cret-token' });
  assert.is((await client.callTool({ name: 'codex_fetch', arguments: { uri: 'codex://acme/shared/style.md' } })).content[0].text, '# Style\n');
  assert.is((await request(server.url.replace('/mcp', '/health'), { method: 'GET' })).status, 200);
  const evil = await request(server.url, { body: INIT, headers: { authorization: 'Bearer s3cret-token', origin: 'http://evil.example' } });
  assert.is(evil.status, 403);
  assert.match(evil.body, /Origin http:\/\/evil\.example is not allowed/);
  const rebound = await request(server.url, { body: INIT, headers: { authorization: 'Bearer s3cret-token', host: 'evil.example:80' } });
  assert.is(rebound.status, 403);
  assert.not.match(server.stderr(), /s3cret/, 'the token is never logged');
  // an allowed origin
  const allowing = await startServer(s, { CODEX_MCP_ORIGINS: 'https://agents.example' });
  assert.is((await request(allowing.url, { body: INIT, headers: { origin: 'https://agents.example' } })).status, 200);
});

t('stateless: two servers on one cache answer one client alternately', async () => {
  const s = setup();
  const a = await startServer(s);
  const b = await startServer(s);
  const urls = [a.url, b.url];
  let n = 0;
  const alternate = (url, init) => fetch(String(url).replace(a.url, urls[n++ % 2]), init);
  const client = await connect(a.url, { fetch: alternate });
  for (let i = 0; i < 6; i++) {
    const r = await client.callTool({ name: 'codex_fetch', arguments: { uri: 'codex://acme/api/docs/intro.md' } });
    assert.is(r.content[0].text, '# Intro\nproduction phrase alpha\n');
  }
  assert.ok(n >= 8, `${n} requests`);
  await a.stop();
  await b.stop();
  const served = (srv) => (srv.stderr().match(/POST \/mcp 200/g) ?? []).length;
  assert.ok(served(a) >= 3 && served(b) >= 3 && served(a) + served(b) >= 7, `a ${served(a)}, b ${served(b)}`);
});

t('a non-loopback address without CODEX_MCP_TOKEN is refused (exit 2) before listening; a bad --http too', async () => {
  const s = setup();
  const r = await cli(['mcp', '--http', '0.0.0.0:0'], { cwd: s.folder, env: s.env });
  assert.is(r.code, 2);
  assert.match(r.stderr, /CODEX_MCP_TOKEN/);
  const bad = await cli(['mcp', '--http', 'localhost:99999'], { cwd: s.folder, env: s.env });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--http takes \[HOST:\]PORT/);
});

t.run();
