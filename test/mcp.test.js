// The reader for agents (design §8): the server factory over the SDK's in-memory transport, against real
// bare codexes in temp folders whose main (production) and test branches differ.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createServer } from '../dist/mcp/server.js';
import { Reader } from '../dist/reader/reader.js';
import { MAX_URI_LENGTH } from '../dist/reader/uri.js';
import { msg } from '../dist/core/messages.js';
import { cachePathFor } from '../dist/sync/cache/cache.js';
import { cleanup, isolatedEnv, makeCodex, releaseToCodex, splitCodex, tmpdir } from './helpers.js';

const t = suite('mcp');
const open = [];
t.after.each(async () => {
  while (open.length) await open.pop()();
  cleanup();
});

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f2a55a0000000049454e44ae426082', 'hex');
const MAIN = {
  'projects/api/docs/intro.md': '# Intro\nThe Released Phrase lives here.\n',
  'projects/api/docs/guide/setup.md': '# Setup\nrun make\n',
  'projects/api/docs/logo.png': PNG,
  'projects/web/README.md': '# Web\nreleased phrase again\n',
  'shared/style.md': '# Style\nwrite short sentences\n',
};
const TEST = {
  'projects/api/docs/intro.md': '# Intro\nThe unreleased rewrite.\n',
  'projects/api/docs/beta.md': '# Beta\nonly-on-test marker\n',
};

/** A client talking to a fresh server over the SDK's in-memory transport. */
async function connect({ codex, env, org = 'acme', checkOrg = 'acme', refreshSeconds = 60, timeoutMs = 20_000, unreleased = ['test'] }) {
  const reader = new Reader({ url: codex, branch: 'main', unreleasedBranches: unreleased, refreshSeconds, timeoutMs, env });
  const server = createServer({ session: async () => ({ reader, org, checkOrg }), version: 'test' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(clientSide);
  open.push(async () => {
    await client.close();
    await server.close();
    reader.close();
  });
  const call = (name, args) => client.callTool({ name, arguments: args }, undefined, { timeout: 30_000 });
  return { client, reader, call };
}

function setup(extra = {}) {
  const env = isolatedEnv();
  const codex = splitCodex(env, MAIN, TEST);
  return { env, codex, ...extra };
}

const textOf = (r) => r.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');

t('codex_fetch: production content; a test-only doc is "not released yet"; absent is "not found"', async () => {
  const { env, codex } = setup();
  const { call } = await connect({ codex: codex.bare, env });
  const prod = await call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' });
  assert.not.ok(prod.isError, textOf(prod));
  assert.is(prod.content[0].text, '# Intro\nThe Released Phrase lives here.\n');
  const shared = await call('codex_fetch', { uri: 'codex://acme/shared/style.md' });
  assert.is(shared.content[0].text, '# Style\nwrite short sentences\n');
  const beta = await call('codex_fetch', { uri: 'codex://acme/api/docs/beta.md' });
  assert.ok(beta.isError);
  assert.match(textOf(beta), /^Not released yet: codex:\/\/acme\/api\/docs\/beta\.md exists on the codex branch test but not on production \(main\)/);
  assert.not.match(textOf(beta), /only-on-test marker/);
  const none = await call('codex_fetch', { uri: 'codex://acme/api/docs/nowhere.md' });
  assert.ok(none.isError);
  assert.match(textOf(none), /^Not found: codex:\/\/acme\/api\/docs\/nowhere\.md is not in the released docs/);
  const folder = await call('codex_fetch', { uri: 'codex://acme/api/docs/guide' });
  assert.ok(folder.isError);
  assert.match(textOf(folder), /is a folder, not a document: list it with codex_list/);
  const png = await call('codex_fetch', { uri: 'codex://acme/api/docs/logo.png' });
  assert.not.ok(png.isError);
  assert.is(png.content[1].resource.mimeType, 'image/png');
  assert.equal(Buffer.from(png.content[1].resource.blob, 'base64'), PNG);
});

t('resources: every released doc listed with its mimeType; read gives production; unreleased is an error', async () => {
  const { env, codex } = setup();
  const { client } = await connect({ codex: codex.bare, env });
  const { resourceTemplates } = await client.listResourceTemplates();
  assert.equal(resourceTemplates.map((r) => r.uriTemplate), ['codex://{org}/{project}/{+path}']);
  const { resources } = await client.listResources();
  const byUri = Object.fromEntries(resources.map((r) => [r.uri, r.mimeType]));
  assert.equal(byUri, {
    'codex://acme/api/docs/guide/setup.md': 'text/markdown',
    'codex://acme/api/docs/intro.md': 'text/markdown',
    'codex://acme/api/docs/logo.png': 'image/png',
    'codex://acme/web/README.md': 'text/markdown',
    'codex://acme/shared/style.md': 'text/markdown',
  });
  const read = await client.readResource({ uri: 'codex://acme/api/docs/intro.md' });
  assert.equal(read.contents, [{ uri: 'codex://acme/api/docs/intro.md', mimeType: 'text/markdown', text: '# Intro\nThe Released Phrase lives here.\n' }]);
  const png = await client.readResource({ uri: 'codex://acme/api/docs/logo.png' });
  assert.equal(Buffer.from(png.contents[0].blob, 'base64'), PNG);
  try {
    await client.readResource({ uri: 'codex://acme/api/docs/beta.md' });
    assert.unreachable('an unreleased doc was read');
  } catch (error) {
    assert.is(error.code, -32002);
    assert.match(error.message, /Not released yet/);
  }
});

t('codex_search before its index is built: git grep answers, saying so, without waiting', async () => {
  const { env, codex } = setup();
  const { call, reader } = await connect({ codex: codex.bare, env });
  const found = await call('codex_search', { query: 'released phrase' });
  assert.not.ok(found.isError, textOf(found));
  assert.is(found.structuredContent.source, 'grep');
  assert.equal(found.structuredContent.hits.map((h) => [h.uri, h.line]).sort(), [['codex://acme/api/docs/intro.md', 2], ['codex://acme/web/README.md', 2]]);
  assert.match(textOf(found), /codex:\/\/acme\/api\/docs\/intro\.md:2: The Released Phrase lives here\./);
  assert.match(textOf(found), /the search index of this production tip is being built.*git grep's matches/);
  await reader.searchIndex.settled();
  const ranked = await call('codex_search', { query: 'released phrase' });
  assert.is(ranked.structuredContent.source, 'index');
  assert.not.match(textOf(ranked), /being built/);
});

t('codex_search ranked: words in any order and on any line, phrases, project filter, limit, front matter', async () => {
  const env = isolatedEnv();
  const main = {
    ...MAIN,
    'projects/api/docs/limits.md': '---\ntitle: Quotas of the public API\ndescription: how many calls a key may make\ntags: [throttling, quota]\n---\n# Quotas\n\nThe rate applies per key.\nThese limits reset every hour.\n',
    'projects/api/docs/other.md': '# Other\nnothing about that here\n',
  };
  const codex = splitCodex(env, main, TEST);
  const { call, reader } = await connect({ codex: codex.bare, env });
  await call('codex_search', { query: 'warm up' });
  await reader.searchIndex.settled();
  const q = async (args) => {
    const r = await call('codex_search', args);
    assert.not.ok(r.isError, textOf(r));
    assert.is(r.structuredContent.source, 'index');
    return r;
  };
  // "rate" and "limits" on two lines: git grep -F of the phrase finds nothing, the index finds the doc first
  const spread = await q({ query: 'rate limits' });
  assert.is(spread.structuredContent.hits[0].uri, 'codex://acme/api/docs/limits.md');
  assert.is(spread.structuredContent.hits[0].title, 'Quotas of the public API');
  assert.equal(spread.structuredContent.hits[0].snippet.map((l) => l.line), [8, 9]);
  assert.match(spread.structuredContent.hits[0].production_commit, /^[0-9a-f]{40}$/);
  assert.is(spread.structuredContent.hits[0].project, 'api');
  assert.is(spread.structuredContent.hits[0].description, 'how many calls a key may make');
  assert.is(spread.structuredContent.hits[0].tags, 'throttling quota');
  assert.match(textOf(spread), /codex:\/\/acme\/api\/docs\/limits\.md — Quotas of the public API \(score [\d.]+\)\n  how many calls a key may make\n  tags: throttling quota\n  8: The rate applies per key\.\n  9: These limits reset every hour\./);
  // front matter: tags and description are searched
  assert.is((await q({ query: 'throttling' })).structuredContent.hits[0].uri, 'codex://acme/api/docs/limits.md');
  assert.is((await q({ query: 'calls key' })).structuredContent.hits[0].uri, 'codex://acme/api/docs/limits.md');
  // any order; stems ("phrases" finds "phrase")
  assert.equal((await q({ query: 'phrases Released' })).structuredContent.hits.map((h) => h.uri).sort(), ['codex://acme/api/docs/intro.md', 'codex://acme/web/README.md']);
  // a quoted phrase is a phrase
  assert.equal((await q({ query: '"released phrase"' })).structuredContent.hits.map((h) => h.uri).sort(), ['codex://acme/api/docs/intro.md', 'codex://acme/web/README.md']);
  assert.equal((await q({ query: '"phrase released"' })).structuredContent.hits, []);
  assert.equal((await q({ query: '"Released Phrase"', case_sensitive: true })).structuredContent.hits.map((h) => h.uri), ['codex://acme/api/docs/intro.md']);
  // production only
  const onlyTest = await q({ query: 'only-on-test marker' });
  assert.equal(onlyTest.structuredContent.hits, []);
  assert.match(textOf(onlyTest), /No released doc matches/);
  assert.not.match(JSON.stringify((await q({ query: 'unreleased rewrite' })).structuredContent.hits), /unreleased rewrite/);
  assert.equal((await q({ query: 'released phrase', project: 'api' })).structuredContent.hits.map((h) => h.uri), ['codex://acme/api/docs/intro.md']);
  const one = await q({ query: 'released phrase', limit: 1 });
  assert.is(one.structuredContent.hits.length, 1);
  assert.ok(one.structuredContent.truncated);
  await q({ query: '--output=/tmp/x' });
});

t('codex_list: projects and folders, then documents with sizes', async () => {
  const { env, codex } = setup();
  const { call } = await connect({ codex: codex.bare, env });
  const top = await call('codex_list', {});
  assert.equal(top.structuredContent.entries, [
    { uri: 'codex://acme/api/', kind: 'project' },
    { uri: 'codex://acme/web/', kind: 'project' },
    { uri: 'codex://acme/shared/', kind: 'folder' },
  ]);
  const api = await call('codex_list', { uri: 'codex://acme/api/' });
  assert.equal(api.structuredContent.entries, [
    { uri: 'codex://acme/api/docs/guide/setup.md', kind: 'document', size: 17 },
    { uri: 'codex://acme/api/docs/intro.md', kind: 'document', size: 40 },
    { uri: 'codex://acme/api/docs/logo.png', kind: 'document', size: PNG.length },
  ]);
  assert.match(textOf(api), /codex:\/\/acme\/api\/docs\/intro\.md {2}\(40 bytes\)/);
  const guide = await call('codex_list', { uri: 'codex://acme/api/docs/guide/' });
  assert.equal(guide.structuredContent.entries.map((e) => e.uri), ['codex://acme/api/docs/guide/setup.md']);
  const unreleased = await call('codex_list', { uri: 'codex://acme/api/docs/beta.md' });
  assert.ok(unreleased.isError);
  assert.match(textOf(unreleased), /Not released yet/);
});

t('codex_status: codex URL without credentials, tip, age, last release per project from the trailers', async () => {
  const { env, codex } = setup();
  const { call } = await connect({ codex: codex.bare, env });
  const s = await call('codex_status', {});
  assert.not.ok(s.isError, textOf(s));
  const st = s.structuredContent;
  assert.is(st.codex_url, codex.bare);
  assert.is(st.production_branch, 'main');
  assert.match(st.tip, /^[0-9a-f]{40}$/);
  assert.ok(st.reachable);
  assert.ok(st.age_seconds >= 0 && st.age_seconds < 3600);
  const api = st.projects.find((p) => p.project === 'api');
  assert.is(api.last_sync.env, 'prod');
  assert.is(api.last_sync.source_branch, 'main');
  assert.is(api.last_sync.source_commit, '1'.repeat(40));
  assert.is(st.projects.find((p) => p.project === 'web').last_sync, null, 'no commit has trailers naming web');
});

t('bad input: missing, wrong-typed and hostile arguments are isError results, never a read outside production', async () => {
  const { env, codex } = setup();
  const { call } = await connect({ codex: codex.bare, env });
  const refused = async (name, args, pattern) => {
    const r = await call(name, args);
    assert.ok(r.isError, `${name} ${JSON.stringify(args).slice(0, 80)} was answered: ${textOf(r).slice(0, 200)}`);
    if (pattern) assert.match(textOf(r), pattern);
    assert.not.match(textOf(r), /unreleased rewrite|only-on-test/);
  };
  await refused('codex_fetch', {}, /uri/);
  await refused('codex_fetch', { uri: 42 }, /expected string/);
  await refused('codex_fetch', { uri: ['codex://acme/api/docs/intro.md'] });
  await refused('codex_fetch', { uri: 'codex://acme/api/../web/README.md' }, /\.\./);
  await refused('codex_fetch', { uri: 'codex://acme/api/docs/%2e%2e/%2e%2e/web/README.md' }, /\.\./);
  await refused('codex_fetch', { uri: 'codex://acme/../../etc/passwd' });
  await refused('codex_fetch', { uri: 'codex://acme/api/docs/intro.md\u0000' }, /control characters/);
  await refused('codex_fetch', { uri: 'codex://acme/api/docs/in\ntro.md' }, /control characters/);
  await refused('codex_fetch', { uri: 'codex://acme/api/docs/%0aintro.md' }, /control characters/);
  await refused('codex_fetch', { uri: 'codex://other/api/docs/intro.md' }, /Unknown organisation "other"/);
  await refused('codex_fetch', { uri: '/etc/passwd' }, /Malformed codex URI/);
  await refused('codex_fetch', { uri: 'codex://acme/api/' + 'a/'.repeat(1 << 19) }, msg.uriWhy.tooLong(MAX_URI_LENGTH));
  await refused('codex_fetch', { uri: 'codex://acme/api/docs/100%.md' }, /%25/);
  await refused('codex_list', { uri: 7 });
  await refused('codex_list', { uri: 'codex://acme/api/docs/../../../' }, /\.\./);
  await refused('codex_list', { uri: 'codex://acme/nope/' }, /No project or folder "nope"/);
  await refused('codex_search', {}, /query/);
  await refused('codex_search', { query: 5 });
  await refused('codex_search', { query: '' });
  await refused('codex_search', { query: 'x'.repeat(1 << 20) }, /1000/);
  await refused('codex_search', { query: 'a\nb' }, /control characters/);
  await refused('codex_search', { query: 'phrase', limit: 0 });
  await refused('codex_search', { query: 'phrase', limit: 10_000 });
  await refused('codex_search', { query: 'phrase', limit: '5' });
  await refused('codex_search', { query: 'phrase', project: '../api' }, /No project or folder/);
  await refused('codex_search', { query: 'phrase', project: 'projects' }, /No project or folder/);
  await refused('codex_search', { query: 'phrase', case_sensitive: 'yes' });
  // no argument names a branch or an environment, and unknown ones are not obeyed
  const sneaky = await call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md', branch: 'test', env: 'test' });
  assert.is(sneaky.content[0].text, '# Intro\nThe Released Phrase lives here.\n');
  const { tools } = await (await connect({ codex: codex.bare, env })).client.listTools();
  for (const tool of tools) assert.not.match(JSON.stringify(tool.inputSchema), /branch|"env"|environment/, tool.name);
});

t('freshness: a new release is served once refresh_seconds passed, and not before', async () => {
  const { env, codex } = setup();
  const slow = await connect({ codex: codex.bare, env, refreshSeconds: 3600 });
  const fast = await connect({ codex: codex.bare, env, refreshSeconds: 0 });
  assert.match((await slow.call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' })).content[0].text, /Released Phrase/);
  releaseToCodex(env, codex, { 'projects/api/docs/intro.md': '# Intro\nversion two\n' });
  assert.is((await fast.call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' })).content[0].text, '# Intro\nversion two\n');
  // the slow one fetched a moment ago: it serves what it has until an hour has passed
  assert.match((await slow.call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' })).content[0].text, /Released Phrase/);
});

t('reads between fetches start no git process (loose objects in process, packs by git processes already running)', async () => {
  const { env, codex } = setup();
  const { call } = await connect({ codex: codex.bare, env, refreshSeconds: 3600 });
  assert.not.ok((await call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' })).isError);
  // packed, as a cache is after a big fetch or a gc: packs are read by one long-lived git cat-file, started now
  execFileSync('git', ['repack', '-adq'], { cwd: cachePathFor(codex.bare, env), env });
  assert.not.ok((await call('codex_fetch', { uri: 'codex://acme/shared/style.md' })).isError);
  assert.not.ok((await call('codex_list', { uri: 'codex://acme/shared/' })).isError);
  const savedPath = env.PATH;
  env.PATH = tmpdir('no-git-'); // the reader's environment: any git it started now would fail to start
  try {
    const r = await call('codex_fetch', { uri: 'codex://acme/api/docs/guide/setup.md' });
    assert.is(r.content[0].text, '# Setup\nrun make\n');
    const l = await call('codex_list', { uri: 'codex://acme/web/' });
    assert.equal(l.structuredContent.entries.map((e) => e.uri), ['codex://acme/web/README.md']);
    assert.not.ok((await call('codex_status', {})).isError);
  } finally {
    env.PATH = savedPath;
  }
});

t('codex unreachable: the last tip is served with a note and its age; with no tip, an isError', async () => {
  const { env, codex } = setup();
  const { call } = await connect({ codex: codex.bare, env, refreshSeconds: 0 });
  assert.not.ok((await call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' })).isError);
  fs.renameSync(codex.bare, `${codex.bare}.gone`);
  const r = await call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' });
  assert.not.ok(r.isError, textOf(r));
  assert.is(r.content[0].text, '# Intro\nThe Released Phrase lives here.\n');
  assert.match(r.content[1].text, /^Note: the codex could not be fetched .*; these are the released docs as fetched \d+ s ago \(production tip [0-9a-f]{12}\)/);
  const s = (await call('codex_status', {})).structuredContent;
  assert.is(s.reachable, false);
  assert.match(s.last_error, /unreachable|not appear to be a git repository/i);
  assert.type(s.age_seconds, 'number');
  assert.match(s.tip, /^[0-9a-f]{40}$/);
  const search = await call('codex_search', { query: 'released phrase' });
  assert.is(search.structuredContent.hits.length, 2);
  assert.match(textOf(search), /Note: the codex could not be fetched/);
  // a server started later on the same cache, its refs packed meanwhile (git gc): the last tip still serves
  execFileSync('git', ['pack-refs', '--all'], { cwd: cachePathFor(codex.bare, env), env });
  const later = await connect({ codex: codex.bare, env, refreshSeconds: 0 });
  const again = await later.call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' });
  assert.is(again.content[0].text, '# Intro\nThe Released Phrase lives here.\n', textOf(again));
  assert.match(again.content[1].text, /^Note: the codex could not be fetched/);
  // another cache, never fetched: nothing to serve
  const fresh = await connect({ codex: codex.bare, env: isolatedEnv(), refreshSeconds: 0 });
  const none = await fresh.call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' });
  assert.ok(none.isError);
  assert.match(textOf(none), /^Codex unreachable: /);
});

t('a codex that hangs, or a cache lock held by a live process, never holds a call past CODEX_HOOKS_TIMEOUT', async () => {
  const env = isolatedEnv();
  // a "git daemon" that accepts and never says a word
  const sockets = [];
  const hang = net.createServer((s) => sockets.push(s));
  await new Promise((r) => hang.listen(0, '127.0.0.1', r));
  open.push(async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => hang.close(r));
  });
  const url = `git://127.0.0.1:${hang.address().port}/codex.git`;
  const { call } = await connect({ codex: url, env: { ...env, CODEX_HOOKS_TIMEOUT: '1' }, timeoutMs: 1000 });
  const r = await call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' });
  assert.ok(r.isError);
  assert.match(textOf(r), /^Codex unreachable: /);
  const s = await call('codex_status', {});
  assert.is(s.structuredContent.reachable, false);

  // a lock file held by this (live) process: the fetch waits for it, the calls do not
  const { codex } = setup();
  const warm = await connect({ codex: codex.bare, env, refreshSeconds: 0 });
  assert.not.ok((await warm.call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' })).isError);
  const lock = `${cachePathFor(codex.bare, env)}.lock`;
  fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), time: Date.now() }));
  open.push(async () => fs.rmSync(lock, { force: true }));
  const locked = await connect({ codex: codex.bare, env, refreshSeconds: 0, timeoutMs: 1000 });
  const served = await locked.call('codex_fetch', { uri: 'codex://acme/api/docs/intro.md' });
  assert.not.ok(served.isError, textOf(served));
  assert.is(served.content[0].text, '# Intro\nThe Released Phrase lives here.\n');
  assert.match(served.content[1].text, /CODEX_HOOKS_TIMEOUT/);
});

t('big documents are cut at 1 MiB with a note; the organisation is not checked when none is configured', async () => {
  const env = isolatedEnv();
  const big = 'x'.repeat(1500 * 1024);
  const codex = splitCodex(env, { 'projects/api/big.md': big, 'projects/api/a b.md': 'spaced\n' }, { 'projects/api/t.md': 't\n' });
  const { call, client } = await connect({ codex: codex.bare, env, org: 'codex', checkOrg: null });
  const r = await call('codex_fetch', { uri: 'codex://anything/api/big.md' });
  assert.not.ok(r.isError);
  assert.ok(r.content[0].text.startsWith('x'.repeat(1000)));
  assert.ok(r.content[0].text.length < 1100 * 1024);
  assert.match(r.content[0].text, /\[cut: the first 1048576 of 1536000 bytes are shown\]$/);
  const { resources } = await client.listResources();
  const spaced = resources.find((x) => x.name === 'api/a b.md');
  assert.is(spaced.uri, 'codex://codex/api/a%20b.md');
  assert.is((await client.readResource({ uri: spaced.uri })).contents[0].text, 'spaced\n');
  assert.is((await call('codex_fetch', { uri: spaced.uri })).content[0].text, 'spaced\n');
});

t('bounds: an object over 16 MiB is not read, a binary over 1 MiB not returned, a slow search is stopped', async () => {
  const env = isolatedEnv();
  const huge = Buffer.alloc(17 << 20, 'y');
  const blob = Buffer.concat([Buffer.from([0]), Buffer.alloc(2 << 20, 1)]);
  const codex = splitCodex(env, { 'projects/api/huge.md': huge, 'projects/api/blob.bin': blob, 'projects/api/a.md': 'needle\n' }, { 'projects/api/t.md': 't\n' });
  const { call } = await connect({ codex: codex.bare, env });
  const r = await call('codex_fetch', { uri: 'codex://acme/api/huge.md' });
  assert.ok(r.isError);
  assert.match(textOf(r), /is 17825792 bytes, more than the 16777216 bytes served here/);
  const b = await call('codex_fetch', { uri: 'codex://acme/api/blob.bin' });
  assert.ok(b.isError);
  assert.match(textOf(b), /more than the 1048576 bytes/);
  // a search gets at most min(10 s, CODEX_HOOKS_TIMEOUT): here 1 ms, which no git grep finishes in
  const hurried = await connect({ codex: codex.bare, env, timeoutMs: 1 });
  const warm = async () => (await hurried.call('codex_status', {})).structuredContent?.tip;
  while (!(await warm())) await new Promise((res) => setTimeout(res, 50)); // the first fetch goes on after the call's wait
  const s = await hurried.call('codex_search', { query: 'needle' });
  assert.not.ok(s.isError, textOf(s));
  assert.ok(s.structuredContent.truncated);
  assert.match(textOf(s), /the search was stopped after 0\.001 s/);
});

t('a top-level folder hidden by a project of the same name: its hits keep their codex path and no URI', async () => {
  const env = isolatedEnv();
  const codex = splitCodex(env, { 'projects/shared/x.md': 'needle in the project\n', 'shared/y.md': 'needle in the folder\n' }, { 'projects/api/t.md': 't\n' });
  const { call } = await connect({ codex: codex.bare, env });
  const s = await call('codex_search', { query: 'needle' });
  assert.equal(s.structuredContent.hits.map((h) => [h.uri, h.path]), [['codex://acme/shared/x.md', 'projects/shared/x.md'], [null, 'shared/y.md']]);
  assert.is((await call('codex_fetch', { uri: 'codex://acme/shared/x.md' })).content[0].text, 'needle in the project\n');
  assert.ok((await call('codex_fetch', { uri: 'codex://acme/shared/y.md' })).isError);
});

t('a codex without a production branch: nothing is released, said as such', async () => {
  const env = isolatedEnv();
  const bare = makeCodex(env, { 'projects/api/docs/a.md': 'a\n' }, ['test']);
  const { call } = await connect({ codex: bare, env });
  const r = await call('codex_fetch', { uri: 'codex://acme/api/docs/a.md' });
  assert.ok(r.isError);
  assert.match(textOf(r), /The codex has no production branch 'main' yet: nothing is released/);
});

t.run();
