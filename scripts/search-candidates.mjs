// The measurement behind codex_search's index library (issue 22, README "Ranked search"): each candidate
// indexes the same generated codex of SEARCH_DOCS documents (100000) in its own process, and we print build
// time, peak RSS, the saved index's size and warm query p50/p95. The candidates are not dependencies:
//   npm i --no-save --prefix /tmp/search-candidates minisearch @orama/orama flexsearch @sqlite.org/sqlite-wasm
//   SEARCH_CANDIDATES=/tmp/search-candidates node scripts/search-candidates.mjs
// node:sqlite does not exist in node 20 (our engines floor); SQLite FTS5 is measured through the official
// WASM build. The documents are generated (seeded) in memory, one at a time, never all held at once.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rng } from './rng.mjs';

const N = Number(process.env.SEARCH_DOCS || 100000);
const QUERIES = 300;
const DIR = process.env.SEARCH_CANDIDATES || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(DIR, 'package.json'));
const MODULES = path.join(DIR, 'node_modules');
const versionOf = (name) => JSON.parse(fs.readFileSync(path.join(MODULES, name, 'package.json'), 'utf8')).version;

const SYL = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'qu', 'ro', 'di', 'fe', 'gu', 'hi', 'ja', 'bo', 'ce', 'wy'];
const VOCAB = Array.from({ length: 30000 }, (_, i) => {
  let w = '';
  for (let n = i + 20; n > 0; n = Math.floor(n / 20)) w += SYL[n % 20];
  return w;
});
/** Zipf-like: a few words are everywhere, most are rare, as in prose. */
const word = (r) => VOCAB[Math.floor(VOCAB.length * Math.pow(r(), 3))];
const words = (r, n) => Array.from({ length: n }, () => word(r)).join(' ');
function doc(i) {
  const r = rng(i + 1);
  const title = words(r, 4);
  const headings = [words(r, 3), words(r, 3), words(r, 3)].join('\n');
  const body = Array.from({ length: 6 }, () => words(r, 25)).join('\n');
  return { id: i, path: `projects/p${Math.floor(i / 100)}/docs/${words(r, 1)}-${i % 100}.md`, title, headings, body };
}
function queries() {
  const r = rng(424242);
  return Array.from({ length: QUERIES }, () => {
    const d = doc(Math.floor(r() * N));
    return `${d.title.split(' ')[Math.floor(r() * 4)]} ${d.body.split(' ')[Math.floor(r() * 150)]}`;
  });
}
const BOOST = { title: 3, headings: 2, path: 2, body: 1 };

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const candidates = {
  /** What codex_search uses (after `npm run build`): MiniSearch's ranking over postings in typed arrays. */
  async 'codex-hooks'() {
    const { TextIndex, parseQuery } = await import(pathToFileURL(path.join(ROOT, 'dist/reader/search/text-index.js')).href);
    const index = TextIndex.empty();
    return {
      version: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
      add: (d) => index.add({ path: d.path, oid: d.id.toString(16).padStart(40, '0'), since: null, at: null }, { path: d.path, title: d.title, description: '', tags: '', headings: d.headings, body: d.body }),
      finish: () => index.finish(),
      search: (q) => index.search(parseQuery(q), null).slice(0, 10),
      size: () => index.toJSON().length,
    };
  },
  async minisearch() {
    const MiniSearch = require('minisearch');
    const ms = new MiniSearch({ fields: ['path', 'title', 'headings', 'body'], storeFields: [] });
    return {
      version: versionOf('minisearch'),
      add: (d) => ms.add(d),
      search: (q) => ms.search(q, { boost: BOOST }).slice(0, 10),
      size: () => JSON.stringify(ms).length,
    };
  },
  async orama() {
    const orama = await import(pathToFileURL(require.resolve('@orama/orama')).href);
    const db = orama.create({ schema: { path: 'string', title: 'string', headings: 'string', body: 'string' } });
    return {
      version: versionOf('@orama/orama'),
      add: (d) => orama.insert(db, { ...d, id: String(d.id) }),
      search: (q) => orama.search(db, { term: q, boost: BOOST, limit: 10 }),
      size: () => JSON.stringify(orama.save(db)).length,
    };
  },
  async flexsearch() {
    const FlexSearch = require('flexsearch');
    const index = new FlexSearch.Document({ document: { id: 'id', index: ['path', 'title', 'headings', 'body'] }, tokenize: 'strict' });
    return {
      version: versionOf('flexsearch'),
      add: (d) => index.add(d),
      // no BM25: per-field result lists, merged here by the field order only
      search: (q) => index.search(q, { limit: 10 }),
      size: async () => {
        let total = 0;
        await index.export((key, data) => void (total += key.length + (data?.length ?? 0)));
        return total;
      },
    };
  },
  async fts5() {
    // the official WASM build expects a browser or a worker: these two shims are all it needs in node
    globalThis.self = globalThis;
    const dir = path.join(MODULES, '@sqlite.org/sqlite-wasm/sqlite-wasm/jswasm');
    globalThis.location = pathToFileURL(path.join(dir, 'sqlite3.mjs'));
    const { default: init } = await import(pathToFileURL(path.join(dir, 'sqlite3.mjs')).href);
    const sqlite3 = await init({ wasmBinary: fs.readFileSync(path.join(dir, 'sqlite3.wasm')), print: () => {}, printErr: () => {} });
    const db = new sqlite3.oo1.DB(':memory:');
    db.exec("create virtual table t using fts5(path, title, headings, body, content='')");
    db.exec('begin');
    const insert = db.prepare('insert into t(rowid, path, title, headings, body) values (?, ?, ?, ?, ?)');
    return {
      version: versionOf('@sqlite.org/sqlite-wasm'),
      add: (d) => insert.bind([d.id, d.path, d.title, d.headings, d.body]).stepReset(),
      finish: () => {
        insert.finalize();
        db.exec('commit');
      },
      search: (q) => db.selectArrays(`select rowid from t where t match ? order by bm25(t, 2, 3, 2, 1) limit 10`, [q.split(' ').join(' OR ')]),
      size: () => db.selectValue('pragma page_count') * db.selectValue('pragma page_size'),
    };
  },
};

async function one(name) {
  const c = await candidates[name]();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) await c.add(doc(i));
  await c.finish?.();
  const build = performance.now() - t0;
  const rss = process.resourceUsage().maxRSS / 1024;
  const qs = queries();
  for (const q of qs.slice(0, 30)) await c.search(q);
  const times = [];
  let found = 0;
  for (const q of qs) {
    const t = performance.now();
    const r = await c.search(q);
    times.push(performance.now() - t);
    if ((r.hits ?? r).length) found++;
  }
  times.sort((a, b) => a - b);
  const size = await c.size();
  console.log(JSON.stringify({ name, version: c.version, buildS: build / 1000, peakRssMb: rss, indexMb: size / 1e6, p50: times[Math.floor(QUERIES / 2)], p95: times[Math.floor(QUERIES * 0.95)], answered: found }));
}

if (process.argv[2]) await one(process.argv[2]);
else {
  const out = [];
  for (const name of Object.keys(candidates)) {
    const r = spawnSync(process.execPath, ['--max-old-space-size=4096', fileURLToPath(import.meta.url), name], { encoding: 'utf8', env: process.env, timeout: 600_000 });
    const line = r.stdout.trim().split('\n').pop();
    if (r.status !== 0 || !line) {
      console.error(`${name}: failed (${r.status ?? r.signal}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
      continue;
    }
    out.push(JSON.parse(line));
    console.error(line);
  }
  console.log(`| library | build (${N} docs) | peak RSS | index size | warm query p50 | p95 |\n|---|---|---|---|---|---|`);
  for (const r of out) console.log(`| ${r.name} ${r.version} | ${r.buildS.toFixed(1)} s | ${r.peakRssMb.toFixed(0)} MB | ${r.indexMb.toFixed(0)} MB | ${r.p50.toFixed(2)} ms | ${r.p95.toFixed(2)} ms |`);
}
