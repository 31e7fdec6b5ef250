// codex_search's own index (src/reader/search/text-index.ts) against MiniSearch 7, the library it replaced to fit the
// 100,000-doc build in 300 MB (design §8): on seeded random codexes, adds, removals and re-adds, the same
// docs in the same order with the same BM25+ scores; saved and loaded back, the same again; a copy being
// updated leaves the index that answers as it was.
import fc from 'fast-check';
import MiniSearch from 'minisearch';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { docFields } from '../dist/reader/search/doc-text.js';
import { BOOST, FIELDS, INDEX_TUNING, indexed, parseQuery, processTerm, TextIndex, tokenize } from '../dist/reader/search/text-index.js';

const t = suite('mcp-index-equiv');
const runs = { seed: 20261206, numRuns: 60 };
const VOCAB = ['rate', 'limits', 'limit', 'api', 'key', 'retry', 'after', 'the', 'deploy', 'deploying', 'queue', 'token', 'auth', 'ok', '404', 'x'];
const text = fc.array(fc.oneof(fc.constantFrom(...VOCAB), fc.constantFrom(' ', '\n', '# ', '. ', '-')), { maxLength: 60 }).map((a) => a.join(' '));
const doc = fc.record({ name: fc.integer({ min: 0, max: 14 }), title: text, body: text });
const op = fc.oneof(
  { weight: 4, arbitrary: doc.map((d) => ({ add: d })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 14 }).map((n) => ({ remove: n })) },
  { weight: 1, arbitrary: fc.constant({ finish: true }) },
  { weight: 1, arbitrary: fc.constant({ copy: true }) },
);
const query = fc.tuple(fc.array(fc.constantFrom(...VOCAB), { minLength: 1, maxLength: 4 }), fc.option(fc.array(fc.constantFrom(...VOCAB), { minLength: 1, maxLength: 2 }))).map(([w, p]) => `${w.join(' ')}${p ? ` "${p.join(' ')}"` : ''}`);
const folders = [null, 'projects/a', 'projects/b'];

const pathOf = (n) => `projects/${n % 2 ? 'a' : 'b'}/doc${n}.md`;
const oidOf = (n, v) => (n * 1000 + v).toString(16).padStart(40, '0');
const fieldsOf = (d) => docFields(pathOf(d.name), Buffer.from(`---\ntitle: ${d.title.replace(/[#:\n-]/g, ' ')}\n---\n${d.body}`));

/** What codex_search ranked with before (MiniSearch 7, the same options and calls), from the live docs in the order they were added. */
function oracle(live, q, folder) {
  const ms = new MiniSearch({ fields: [...FIELDS], storeFields: [], tokenize, processTerm });
  for (const [p, f] of live) ms.add({ id: p, ...indexed(f) });
  const filter = (r) => folder === null || r.id.startsWith(`${folder}/`);
  let results = ms.search(q.words.join(' '), { boost: BOOST, combineWith: 'OR', filter });
  for (const p of q.phrases) {
    const all = new Set(ms.search(p, { combineWith: 'AND', filter }).map((r) => r.id));
    results = results.filter((r) => all.has(r.id));
  }
  return results.map((r) => ({ path: r.id, score: r.score }));
}

const ours = (index, q, folder) => index.search(q, folder).map((r) => ({ path: index.record(r.id).path, score: r.score }));

/** Sometimes the last changes are left pending: search and save finish them. */
const v0 = (ops) => ops.length % 2 === 0;

function same(got, want, what) {
  assert.equal(got.map((r) => r.path), want.map((r) => r.path), what);
  got.forEach((r, i) => assert.ok(Math.abs(r.score - want[i].score) <= 1e-9 * Math.max(1, Math.abs(want[i].score)), `${what}: ${r.path} scored ${r.score}, MiniSearch ${want[i].score}`));
}

async function againstMiniSearch() {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 40 }), fc.array(query, { minLength: 1, maxLength: 5 }), async (ops, queries) => {
      let index = TextIndex.empty();
      const live = new Map();
      const originals = [];
      const probe = parseQuery(queries[0]);
      ops.forEach((o, v) => {
        if (o.finish) return index.finish();
        if (o.copy) {
          originals.push({ index, was: ours(index, probe, null) });
          index = index.copy();
          return;
        }
        if (o.remove !== undefined) {
          index.remove(pathOf(o.remove));
          live.delete(pathOf(o.remove));
          return;
        }
        const f = fieldsOf(o.add);
        index.add({ path: pathOf(o.add.name), oid: oidOf(o.add.name, v), since: null, at: null }, f);
        live.delete(pathOf(o.add.name)); // a re-added doc goes last, as its new number does
        live.set(pathOf(o.add.name), f);
      });
      if (v0(ops)) index.finish();
      assert.is(index.size, live.size);
      for (const o of originals) assert.equal(ours(o.index, probe, null), o.was, 'a copy changed leaves its original as it was');
      const loaded = await TextIndex.load(index.toJSON());
      assert.ok(loaded, 'the saved form loads');
      for (const text of queries)
        for (const folder of folders) {
          const q = parseQuery(text);
          const want = oracle(live, q, folder);
          same(ours(index, q, folder), want, `${text} in ${folder}`);
          same(ours(loaded, q, folder), want, `${text} in ${folder}, loaded`);
        }
    }),
    runs,
  );
}

t('the same docs, order and scores as MiniSearch after adds, removals, re-adds and compactions; the same after a save and load; a copy changed leaves its original as it was', againstMiniSearch);

t('the same again when every change after the first goes into a delta', async () => {
  INDEX_TUNING.deltaShare = 0;
  try {
    await againstMiniSearch();
  } finally {
    INDEX_TUNING.deltaShare = 8;
  }
});

t('a copy being updated leaves the index that answers as it was; records keep blob and release', async () => {
  const index = TextIndex.empty();
  for (let n = 0; n < 6; n++) index.add({ path: pathOf(n), oid: oidOf(n, 0), since: null, at: null }, fieldsOf({ name: n, title: 'api key', body: `rate limits ${n}` }));
  index.finish();
  const q = parseQuery('rate limits');
  const before = ours(index, q, null);
  const next = index.copy();
  next.remove(pathOf(0));
  next.add({ path: pathOf(1), oid: oidOf(1, 1), since: 'c'.repeat(40), at: 1700000000 }, fieldsOf({ name: 1, title: 'queue', body: 'deploy' }));
  next.finish();
  assert.equal(ours(index, q, null), before);
  assert.equal(ours(next, q, null).map((r) => r.path).sort(), [2, 3, 4, 5].map(pathOf).sort());
  const hit = next.search(parseQuery('deploy'), null)[0];
  assert.equal(next.record(hit.id), { path: pathOf(1), oid: oidOf(1, 1), since: 'c'.repeat(40), at: 1700000000 });
  assert.equal(index.record(index.search(parseQuery('limits 1'), null)[0].id).oid, oidOf(1, 0));
  const later = next.copy();
  later.remove(pathOf(1));
  const loaded = await TextIndex.load(later.toJSON());
  assert.equal(ours(loaded, parseQuery('deploy'), null), [], 'a removed doc is saved removed');
  assert.equal(ours(loaded, q, null), ours(later, q, null));
});

t('a saved index that is not consistent is not loaded', async () => {
  const index = TextIndex.empty();
  for (let n = 0; n < 3; n++) index.add({ path: pathOf(n), oid: oidOf(n, 0), since: null, at: null }, fieldsOf({ name: n, title: 'api', body: 'token' }));
  const good = JSON.parse(index.toJSON());
  assert.ok(await TextIndex.load(JSON.stringify(good)));
  const docs = Buffer.from(good.docs, 'base64');
  docs.writeUInt32LE(99, 0);
  const offsets = Buffer.from(good.offsets, 'base64');
  offsets.writeUInt32LE(0xffffffff, offsets.length - 4); // claims 4 billion postings: refused before any allocation
  for (const bad of [
    { ...good, version: 3 },
    { ...good, paths: [...good.paths.slice(1), good.paths[1]] },
    { ...good, docs: docs.toString('base64') },
    { ...good, offsets: offsets.toString('base64') },
    { ...good, freqs: good.freqs.slice(0, 8) },
    { ...good, terms: good.terms.slice(1) },
    { ...good, rel: Buffer.from(new Int32Array([0, 0, 0]).buffer).toString('base64') },
  ])
    assert.is(await TextIndex.load(JSON.stringify(bad)), null, JSON.stringify(bad).slice(0, 120));
});

t.run();
