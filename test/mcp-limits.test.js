// The MCP server under pressure (design §8): concurrent searches are queued, a git that cannot start
// (EMFILE) is an error result for that call and never a dead server, and a cat-file that died is restarted.
import fs from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createServer } from '../dist/mcp/server.js';
import { Reader } from '../dist/reader/reader.js';
import { cachePathFor } from '../dist/sync/cache/cache.js';
import { BIN, cleanup, git, isolatedEnv, splitCodex } from './helpers.js';

const t = suite('mcp limits');
t.after.each(cleanup);

const MAIN = {};
for (let i = 0; i < 200; i++) MAIN[`projects/api/docs/d${i}.md`] = `# doc ${i}\nneedle ${i}\n`;

/** Processes working in `dir` whose command line holds `what`: pids. */
function processes(dir, what) {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    try {
      return fs.readlinkSync(`/proc/${pid}/cwd`) === dir && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(what);
    } catch {
      return false;
    }
  });
}

t('30 searches at once with 40 file descriptors: each is answered, failures are error results, the server stays up', async () => {
  const env = isolatedEnv();
  const codex = splitCodex(env, MAIN, { 'projects/api/x.md': 'x\n' });
  // 40 descriptors: node and the protocol's pipes take most; a few greps at once fit, thirty never did.
  const transport = new StdioClientTransport({ command: 'sh', args: ['-c', `ulimit -n 40 && exec "${process.execPath}" "${BIN}" mcp --codex="${codex.bare}"`], env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr.on('data', (d) => (stderr += d));
  const client = new Client({ name: 'limits', version: '1' });
  await client.connect(transport);
  try {
    const calls = await Promise.allSettled(Array.from({ length: 30 }, () => client.callTool({ name: 'codex_search', arguments: { query: 'needle', limit: 5 } }, undefined, { timeout: 30_000 })));
    for (const c of calls) {
      assert.is(c.status, 'fulfilled', `a call got no answer: ${c.reason}\n${stderr}`);
      if (c.value.isError) assert.match(c.value.content[0].text, /could not be read just now|Busy/, c.value.content[0].text);
    }
    assert.ok(calls.some((c) => !c.value.isError), 'no search succeeded');
    const after = await client.callTool({ name: 'codex_search', arguments: { query: 'needle 7', limit: 5 } }, undefined, { timeout: 30_000 });
    assert.not.ok(after.isError, JSON.stringify(after));
    assert.not.match(stderr, /unexpected error/);
  } finally {
    await client.close();
  }
});

t('a cat-file that died is started again: the next read is served', async () => {
  const env = isolatedEnv();
  const codex = splitCodex(env, MAIN, { 'projects/api/x.md': 'x\n' });
  const reader = new Reader({ url: codex.bare, branch: 'main', unreleasedBranches: [], refreshSeconds: 3600, timeoutMs: 20_000, env });
  const server = createServer({ session: async () => ({ reader, org: 'acme', checkOrg: 'acme' }), version: 'test' });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(b);
  const client = new Client({ name: 'limits', version: '1' });
  await client.connect(a);
  try {
    const fetchDoc = (i) => client.callTool({ name: 'codex_fetch', arguments: { uri: `codex://acme/api/docs/d${i}.md` } });
    assert.not.ok((await fetchDoc(0)).isError);
    // Packed objects are read by git's cat-file (loose ones in-process): pack the cache, then read.
    const cache = cachePathFor(codex.bare, env);
    git(cache, ['repack', '-adq'], env);
    git(cache, ['prune-packed'], env);
    const first = await fetchDoc(1);
    assert.is(first.content[0].text, '# doc 1\nneedle 1\n');
    const running = processes(cache, 'cat-file');
    assert.ok(running.length > 0, 'no cat-file started');
    for (const pid of running) process.kill(Number(pid), 'SIGKILL');
    for (let i = 0; i < 100 && processes(cache, 'cat-file').some((p) => running.includes(p)); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setImmediate(r));
    const again = await fetchDoc(2);
    assert.not.ok(again.isError, JSON.stringify(again));
    assert.is(again.content[0].text, '# doc 2\nneedle 2\n');
    const listed = await client.callTool({ name: 'codex_list', arguments: { uri: 'codex://acme/api/docs/' } });
    assert.not.ok(listed.isError, JSON.stringify(listed));
  } finally {
    await client.close();
    await server.close();
    reader.close();
  }
});

t.run();
