// codex_search's index (design §8, issue 22): kept under the cache folder by production tree, loaded by the
// next server, updated from the diff of the old tip to the new one, built while searches go on.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Reader } from '../dist/reader/reader.js';
import { searchDocs } from '../dist/reader/search/search.js';
import { INDEX_FOLDER } from '../dist/reader/search/search-index.js';
import { cachePathFor } from '../dist/sync/cache/cache.js';
import { cleanup, commitToCodex, isolatedEnv, makeCodex } from './helpers.js';

const t = suite('mcp-index');
const readers = [];
t.after.each(() => {
  while (readers.length) readers.pop().close();
  cleanup();
});

const open = (bare, env) => {
  const r = new Reader({ url: bare, branch: 'main', unreleasedBranches: [], refreshSeconds: 0, timeoutMs: 20_000, env });
  readers.push(r);
  return r;
};
const search = (reader, query) => searchDocs(reader, 'acme', { query, limit: 50 });
const saved = (bare, env) => fs.readdirSync(path.join(cachePathFor(bare, env), INDEX_FOLDER)).filter((n) => n.endsWith('.json'));

t('saved by tree under the cache, loaded by the next server, updated from the diff of a release', async () => {
  const env = isolatedEnv();
  const docs = {};
  for (let i = 0; i < 40; i++) docs[`projects/api/docs/d${i}.md`] = `# Doc ${i}\n\nplain words of doc ${i}\n`;
  docs['projects/api/docs/gone.md'] = '# Gone\n\nthe vanishing paragraph\n';
  const bare = makeCodex(env, docs, ['main']);

  const a = open(bare, env);
  assert.is((await search(a, 'plain words')).source, 'grep');
  await a.searchIndex.settled();
  assert.equal({ kind: a.searchIndex.lastBuild.kind, docsRead: a.searchIndex.lastBuild.docsRead }, { kind: 'full', docsRead: 41 });
  assert.equal(saved(bare, env), [`${a.searchIndex.lastBuild.tree}.json`]);

  // another server on the same cache: loads the saved index, reads no doc
  const b = open(bare, env);
  assert.is((await search(b, 'plain words')).source, 'grep', 'the index is loaded in the background too');
  await b.searchIndex.settled();
  assert.equal({ kind: b.searchIndex.lastBuild.kind, docsRead: b.searchIndex.lastBuild.docsRead }, { kind: 'loaded', docsRead: 0 });
  assert.is((await search(b, 'plain words')).hits.length, 41 - 1);

  // a release of 10 docs: 9 changed or added, 1 removed; the next search answers from the last index, saying so
  const release = { 'projects/api/docs/gone.md': null };
  for (let i = 0; i < 8; i++) release[`projects/api/docs/d${i}.md`] = `# Doc ${i}\n\nrewritten with the word zephyr\n`;
  release['projects/api/docs/new.md'] = '# New\n\nzephyr arrives\n';
  commitToCodex(bare, env, release, 'main', 'release');
  const during = await search(b, 'vanishing paragraph');
  assert.is(during.source, 'stale-index');
  assert.match(during.indexNote, /ranked by the index of the previous production tip [0-9a-f]{12} while the index of [0-9a-f]{12} is being updated/);
  await b.searchIndex.settled();
  assert.equal({ kind: b.searchIndex.lastBuild.kind, docsRead: b.searchIndex.lastBuild.docsRead }, { kind: 'update', docsRead: 9 });
  const after = await search(b, 'zephyr');
  assert.is(after.source, 'index');
  assert.equal(after.hits.map((h) => h.path).sort(), [...Array.from({ length: 8 }, (_, i) => `projects/api/docs/d${i}.md`), 'projects/api/docs/new.md'].sort());
  const changed = after.hits.find((h) => h.path === 'projects/api/docs/new.md');
  assert.is(changed.released.commit, changed.production_commit, 'a doc the update saw arrive names its release');
  assert.is(after.hits.find((h) => h.path === 'projects/api/docs/d0.md').released.commit, changed.production_commit);
  assert.equal((await search(b, 'vanishing paragraph')).hits, []);
  assert.equal(saved(bare, env), [`${b.searchIndex.lastBuild.tree}.json`], 'the older tree is removed');

  // the first server moves to the new tip through the same diff
  await search(a, 'zephyr');
  await a.searchIndex.settled();
  assert.is(a.searchIndex.lastBuild.kind, 'update');
  assert.is((await search(a, 'zephyr')).hits.length, 9);
});

t('a damaged saved index is rebuilt, not trusted', async () => {
  const env = isolatedEnv();
  const bare = makeCodex(env, { 'projects/api/a.md': '# A\n\nalpha\n' }, ['main']);
  const a = open(bare, env);
  await search(a, 'alpha');
  await a.searchIndex.settled();
  const file = path.join(cachePathFor(bare, env), INDEX_FOLDER, saved(bare, env)[0]);
  fs.writeFileSync(file, '{"version": 1, "docs": ');
  const b = open(bare, env);
  await search(b, 'alpha');
  await b.searchIndex.settled();
  assert.is(b.searchIndex.lastBuild.kind, 'full');
  assert.is((await search(b, 'alpha')).hits[0].path, 'projects/api/a.md');
});

t('a saved index whose tree the cache no longer has: every doc is read again, the search keeps working', async () => {
  const env = isolatedEnv();
  const bare = makeCodex(env, { 'projects/api/a.md': '# A\n\nalpha\n', 'projects/api/b.md': '# B\n\nbeta\n' }, ['main']);
  const a = open(bare, env);
  await search(a, 'alpha');
  await a.searchIndex.settled();
  const file = path.join(cachePathFor(bare, env), INDEX_FOLDER, saved(bare, env)[0]);
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  data.tree = 'f'.repeat(40);
  fs.writeFileSync(path.join(path.dirname(file), `${'f'.repeat(40)}.json`), JSON.stringify(data));
  fs.rmSync(file);
  const b = open(bare, env);
  await search(b, 'alpha');
  await b.searchIndex.settled();
  assert.is(b.searchIndex.lastError, null);
  assert.equal({ kind: b.searchIndex.lastBuild.kind, docsRead: b.searchIndex.lastBuild.docsRead }, { kind: 'full', docsRead: 2 });
  const r = await search(b, 'beta');
  assert.is(r.source, 'index');
  assert.is(r.hits[0].path, 'projects/api/b.md');
  assert.is(r.hits[0].released, null);
});

t.run();
