// End to end: the packed package installed in a fresh folder (no git checkout), `codex-hooks mcp` spawned
// by the SDK's Client over StdioClientTransport, against a bare codex whose main and test differ.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { cleanup, isolatedEnv, releaseToCodex, splitCodex, tmpdir, writeConfig } from './helpers.js';
import { packedInstall } from './e2e-helpers.js';

const t = suite('mcp-e2e');
t.after.each(cleanup);

const MAIN = { 'projects/api/docs/intro.md': '# Intro\nproduction phrase alpha\n', 'shared/style.md': '# Style\n' };
const TEST = { 'projects/api/docs/intro.md': '# Intro\nstaged phrase omega\n', 'projects/api/docs/beta.md': '# Beta\n' };

const textOf = (r) => r.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');

/** Calls `fn` until `ok` holds of its answer (the server's clock decides when it fetches again). */
async function poll(fn, ok, what, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const answer = await fn();
    if (ok(answer)) return answer;
    if (Date.now() > end) throw new Error(`gave up waiting: ${what}\nlast answer: ${JSON.stringify(answer).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

t('the packed server: production only, resources, search, list, refresh, an unreachable codex', async () => {
  const env = isolatedEnv();
  const codex = splitCodex(env, MAIN, TEST);
  const modules = packedInstall();
  assert.not.ok(fs.existsSync(path.join(modules, '@modelcontextprotocol')), 'the SDK is bundled, not installed');
  const bin = path.join(modules, 'codex-hooks/bin/codex-hooks.cjs');
  const folder = tmpdir('agent-'); // no git checkout here
  writeConfig(folder, { codex_url: codex.bare, organization: 'acme', mcp: { refresh_seconds: 1 } });
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, 'mcp'], cwd: folder, env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr.on('data', (d) => (stderr += d));
  const client = new Client({ name: 'e2e', version: '1' });
  await client.connect(transport);
  try {
    const call = (name, args) => client.callTool({ name, arguments: args });
    const intro = await call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' });
    assert.is(intro.content[0].text, '# Intro\nproduction phrase alpha\n', stderr);
    const beta = await call('codex_fetch', { uri: 'codex://acme/api/docs/beta.md' });
    assert.ok(beta.isError);
    assert.match(textOf(beta), /^Not released yet/);
    const read = await client.readResource({ uri: 'codex://acme/api/docs/intro.md' });
    assert.equal(read.contents, [{ uri: 'codex://acme/api/docs/intro.md', mimeType: 'text/markdown', text: '# Intro\nproduction phrase alpha\n' }]);
    const { resources } = await client.listResources();
    assert.equal(resources.map((r) => r.uri).sort(), ['codex://acme/api/docs/intro.md', 'codex://acme/shared/style.md']);
    const prodHits = await call('codex_search', { query: 'PRODUCTION phrase' });
    assert.equal(prodHits.structuredContent.hits.map((h) => h.uri), ['codex://acme/api/docs/intro.md']);
    const testHits = await call('codex_search', { query: 'staged omega' });
    assert.equal(testHits.structuredContent.hits, []);
    const list = await call('codex_list', { uri: 'codex://acme/api/' });
    assert.equal(list.structuredContent.entries.map((e) => e.uri), ['codex://acme/api/docs/intro.md']);

    // a new release is served once refresh_seconds (1) has passed
    releaseToCodex(env, codex, { 'projects/api/docs/intro.md': '# Intro\nversion two\n' });
    await poll(() => call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' }), (r) => r.content[0]?.text === '# Intro\nversion two\n', 'the new release');

    // the codex goes away: the last tip is still served, and status says how old it is
    fs.renameSync(codex.bare, `${codex.bare}.moved`);
    const status = await poll(() => call('codex_status', {}), (r) => r.structuredContent?.reachable === false, 'the codex to be seen gone');
    assert.type(status.structuredContent.age_seconds, 'number');
    assert.match(textOf(status), /fetched \d+ s ago/);
    assert.match(textOf(status), /the codex is unreachable/);
    const stale = await call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' });
    assert.is(stale.content[0].text, '# Intro\nversion two\n');
    assert.match(stale.content[1].text, /^Note: the codex could not be fetched/);
  } finally {
    await client.close();
  }
  assert.not.match(stderr, /unexpected error/, stderr);
});

t('stdout carries only protocol messages, and closing stdin ends the process (exit 0)', async () => {
  const env = isolatedEnv();
  const codex = splitCodex(env, MAIN, TEST);
  const bin = path.join(packedInstall(), 'codex-hooks/bin/codex-hooks.cjs');
  const child = spawn(process.execPath, [bin, 'mcp', '--codex', codex.bare], { cwd: tmpdir('agent-'), env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const send = (m) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\n');
  const answered = (id) =>
    new Promise((resolve) => {
      const look = () => {
        const line = stdout.split('\n').find((l) => l && JSON.parse(l).id === id);
        if (line) {
          child.stdout.off('data', look);
          resolve(JSON.parse(line));
        }
      };
      child.stdout.on('data', (d) => {
        stdout += d;
        look();
      });
    });
  const init = answered(1);
  send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  assert.is((await init).result.serverInfo.name, 'codex-hooks');
  send({ method: 'notifications/initialized' });
  const fetched = answered(2);
  send({ id: 2, method: 'tools/call', params: { name: 'codex_fetch', arguments: { uri: 'codex://any/api/docs/intro.md' } } });
  assert.is((await fetched).result.content[0].text, '# Intro\nproduction phrase alpha\n', stderr);
  child.stdin.end();
  const { code, signal } = await exited;
  assert.is(signal, null, 'ended by itself, not killed');
  assert.is(code, 0, stderr);
  for (const line of stdout.split('\n').filter(Boolean)) assert.is(JSON.parse(line).jsonrpc, '2.0', line);
});

t('closing stdin ends the process even while a fetch hangs on the codex', async () => {
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '600' });
  let connected;
  const reached = new Promise((r) => (connected = r));
  const sockets = [];
  const hang = net.createServer((s) => {
    sockets.push(s);
    connected();
  });
  await new Promise((r) => hang.listen(0, '127.0.0.1', r));
  try {
    const bin = path.join(packedInstall(), 'codex-hooks/bin/codex-hooks.cjs');
    const child = spawn(process.execPath, [bin, 'mcp', '--codex', `git://127.0.0.1:${hang.address().port}/codex.git`], { cwd: tmpdir('agent-'), env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const send = (m) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\n');
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: 'codex_status', arguments: {} } });
    await reached; // git fetch is now waiting on a codex that never answers (for up to 600 s)
    child.stdin.end();
    const gone = await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 60_000).unref())]);
    if (gone === 'still running') child.kill('SIGKILL');
    assert.equal(gone, { code: 0, signal: null }, stderr);
  } finally {
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => hang.close(r));
  }
});

t('a start without any codex fails with what to pass, on stderr (exit 2)', async () => {
  const env = isolatedEnv();
  const bin = path.join(packedInstall(), 'codex-hooks/bin/codex-hooks.cjs');
  const child = spawn(process.execPath, [bin, 'mcp'], { cwd: tmpdir('agent-'), env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.is(code, 2);
  assert.match(stderr, /--codex/);
  assert.is(stdout, '');
});

t.run();
