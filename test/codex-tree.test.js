// A hostile codex tree (design §4 "the codex is untrusted input"): a few objects that name one subtree
// many times stand for billions of paths. No listing of the codex expands them: the pull, the routing scan
// and the MCP reader stop at the bounds of src/sync/tree/bounds.ts, say so, and the push goes on.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN, cleanup, git, isolatedEnv, makeCodex, makeRepo, run, writeConfig } from './helpers.js';
import { commitWithTrees, treeBomb, writeTree } from './hostile-helpers.js';

const t = suite('codex tree');
t.after.each(cleanup);

const NAME = 'payments-api';
// The child runs with a heap it cannot exceed: an expanding listing crashes it instead of eating the machine.
const HEAP = ['--max-old-space-size=768'];

/** Processes (other than zombies) whose working folder is `dir`: git started on the cache and left running. */
function processesIn(dir) {
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/cwd`) === dir) found.push(`${pid}: ${fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** A codex whose test and main branches hold shared/guide.md, a routed doc, and shared/bomb: 64⁵ paths from 6 objects. */
function bombedCodex(env) {
  const codex = makeCodex(env, { 'shared/guide.md': '# Shared guide\n', 'projects/other/keep.md': 'other\n', 'notes/routed.md': `---\ncodex_sync_include: ["${NAME}"]\n---\n# For us\n` });
  // The bomb's files carry the routing key too: a scan that expanded it would find a billion candidates.
  const bomb = treeBomb(codex, env, { fanout: 64, depth: 4, content: `---\ncodex_sync_include: ["*"]\n---\n# boom\n` });
  const shared = writeTree(codex, env, { 'guide.md': '# Shared guide\n' });
  const withBomb = git(codex, ['mktree', '-z'], env, git(codex, ['ls-tree', '-z', shared], env) + `040000 tree ${bomb}\tbomb\0`);
  for (const branch of ['test', 'main']) commitWithTrees(codex, env, branch, { shared: withBomb }, 'a tree bomb');
  return { codex, bomb };
}

t('a tree bomb under shared/: the pre-push sync pulls the rest, skips the bomb with a warning, and the push goes on', async () => {
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '40' });
  const { codex } = bombedCodex(env);
  const dir = makeRepo(env, { 'docs/intro.md': '# Intro\n', 'README.md': '# API\n' }, NAME);
  writeConfig(dir, { codex_url: codex, project_name: NAME });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'config'], env);
  git(dir, ['checkout', '-q', '-b', 'feat/docs'], env);
  const sha = git(dir, ['rev-parse', 'HEAD'], env);
  const r = await run(process.execPath, [...HEAP, BIN, 'hook', 'pre-push', 'origin', 'git@example.com:acme/api.git'], {
    cwd: dir,
    env,
    input: `refs/heads/feat/docs ${sha} refs/heads/feat/docs ${'0'.repeat(40)}\n`,
    timeoutMs: 55_000,
  });
  assert.is(r.code, 0, `the push must go on\n${r.stderr}`);
  assert.not.match(r.stderr, /unexpected|heap|out of memory/i);
  assert.match(r.stderr, /shared\/bomb/, 'the warning names the folder');
  assert.match(r.stderr, /200,000 paths/, 'the warning names the bound');
  // (read by path: listing the whole branch is what the bomb is for)
  assert.is(git(codex, ['cat-file', 'blob', `test:projects/${NAME}/docs/intro.md`], env), '# Intro', `the docs were pushed to the codex\n${r.stderr}`);
  assert.is(fs.readFileSync(path.join(dir, '.codex/shared/guide.md'), 'utf8'), '# Shared guide\n');
  assert.is(fs.readFileSync(path.join(dir, '.codex/notes/routed.md'), 'utf8'), `---\ncodex_sync_include: ["${NAME}"]\n---\n# For us\n`);
  assert.not.ok(fs.existsSync(path.join(dir, '.codex/shared/bomb')), 'nothing of the bomb is pulled');
  const caches = path.join(env.CODEX_HOOKS_CACHE_DIR);
  for (const cache of fs.readdirSync(caches).filter((f) => f.endsWith('.git'))) assert.equal(processesIn(path.join(caches, cache)), [], 'a git process outlived the sync');
});

t('a tree bomb in the MCP reader: resources/list and codex_list stop at the bounds, the server stays up', async () => {
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '20' });
  const { codex } = bombedCodex(env);
  const transport = new StdioClientTransport({ command: process.execPath, args: [...HEAP, BIN, 'mcp', `--codex=${codex}`], cwd: path.dirname(codex), env, stderr: 'pipe' });
  let stderr = '';
  transport.stderr.on('data', (d) => (stderr += d));
  const client = new Client({ name: 'bomb', version: '1' });
  await client.connect(transport);
  try {
    const { resources } = await client.listResources(undefined, { timeout: 40_000 });
    const uris = resources.map((r) => r.uri);
    assert.ok(uris.some((u) => u.endsWith('/shared/guide.md')), `${uris.slice(0, 5)}\n${stderr}`);
    assert.not.ok(uris.some((u) => u.includes('/bomb/')), 'the bomb is not listed');
    const list = await client.callTool({ name: 'codex_list', arguments: { uri: `codex://${resources[0].uri.split('/')[2]}/shared/` } }, undefined, { timeout: 40_000 });
    assert.not.ok(list.isError, JSON.stringify(list));
    assert.ok(list.structuredContent.more, 'the listing says it is not whole');
    assert.equal(list.structuredContent.entries.map((e) => e.uri.split('/').pop()), ['guide.md']);
    const search = await client.callTool({ name: 'codex_search', arguments: { query: 'boom', limit: 5 } }, undefined, { timeout: 40_000 });
    assert.not.ok(search.isError, JSON.stringify(search));
    // the server still answers
    const status = await client.callTool({ name: 'codex_status', arguments: {} });
    assert.not.ok(status.isError);
  } finally {
    await client.close();
  }
  assert.not.match(stderr, /heap|out of memory/i);
  // The server has gone with its client, and so has every git process it started (the search's grep too).
  const caches = env.CODEX_HOOKS_CACHE_DIR;
  const left = () => fs.readdirSync(caches).filter((f) => f.endsWith('.git')).flatMap((c) => processesIn(path.join(caches, c)));
  for (let i = 0; i < 100 && left().length; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(left(), [], 'a git process outlived the server');
});

t.run();
