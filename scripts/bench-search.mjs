// codex_search's figures (issue 22) on the bench's codex of BENCH_SEARCH_SIZE files (100000): the first
// index build (time, peak RSS of the process, saved size), loading it in a second server, warm query
// p50/p95 (snippets included), the update after a 10-doc release, and codex_fetch beside them.
//   npm run build && node scripts/bench-search.mjs          (a table; --json: one JSON line, for bench.mjs)
// Each doc is bench.mjs's (`# <path>`, a sentence) plus one line of 12 words from a 5,000-word vocabulary,
// so that queries have something to rank.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rng } from './rng.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_SEARCH_SIZE || 100000);
const dist = (p) => pathToFileURL(path.join(ROOT, 'dist', p)).href;
const env = { ...process.env };
for (const k of Object.keys(env)) if (k.startsWith('GIT_') || k.startsWith('CODEX_')) delete env[k];

const SYL = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'ze', 'pa', 'qu', 'ro', 'di', 'fe', 'gu', 'hi'];
const VOCAB = Array.from({ length: 5000 }, (_, i) => {
  let w = '';
  for (let n = i + 16; n > 0; n = Math.floor(n / 16)) w += SYL[n % 16];
  return w;
});
const words = (r, n) => Array.from({ length: n }, () => VOCAB[Math.floor(VOCAB.length * Math.pow(r(), 2))]).join(' ');
const pathOf = (i) => (i < 20 ? `shared/doc${i}.md` : `projects/p${Math.floor(i / 100)}/docs/f${i % 100}.md`);
const bodyOf = (i, rev = 0) => `# ${pathOf(i)}\n\nDocument ${i} of the benchmark codex.\n${words(rng(i + 1 + rev * 7919), 12)}\n${i % 1000 === 7 ? 'It mentions the Needle Phrase once.\n' : ''}`;

function makeCodex(base) {
  const bare = path.join(base, 'codex.git');
  execFileSync('git', ['init', '-q', '--bare', bare], { env });
  const chunks = ['commit refs/heads/main\ncommitter Bench <b@example.com> 1700000000 +0000\ndata 4\nseed\n'];
  for (let i = 0; i < N; i++) {
    const body = bodyOf(i);
    chunks.push(`M 100644 inline ${pathOf(i)}\ndata ${Buffer.byteLength(body)}\n${body}\n`);
  }
  chunks.push('\n');
  execFileSync('git', ['fast-import', '--quiet'], { cwd: bare, env, input: chunks.join(''), maxBuffer: 1 << 30 });
  execFileSync('git', ['gc', '-q'], { cwd: bare, env });
  return bare;
}

function release(bare) {
  const chunks = ['commit refs/heads/main\ncommitter Bench <b@example.com> 1700000100 +0000\ndata 8\nrelease\nfrom refs/heads/main^0\n'];
  for (let i = 100; i < 110; i++) {
    const body = bodyOf(i, 1);
    chunks.push(`M 100644 inline ${pathOf(i)}\ndata ${Buffer.byteLength(body)}\n${body}\n`);
  }
  chunks.push('\n');
  execFileSync('git', ['fast-import', '--quiet'], { cwd: bare, env, input: chunks.join('') });
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function reader(bare, cacheDir) {
  const { Reader } = await import(dist('reader/reader.js'));
  return new Reader({ url: bare, branch: 'main', unreleasedBranches: [], refreshSeconds: 3600, timeoutMs: 120_000, env: { ...env, CODEX_HOOKS_CACHE_DIR: cacheDir } });
}

/** In a process of its own: the first build, its time and the process's peak RSS. */
async function firstBuild(bare, cacheDir) {
  const { searchDocs } = await import(dist('reader/search/search.js'));
  const r = await reader(bare, cacheDir);
  await searchDocs(r, 'bench', { query: 'needle phrase' });
  await r.searchIndex.settled();
  console.log(JSON.stringify({ ms: r.searchIndex.lastBuild.ms, kind: r.searchIndex.lastBuild.kind, rssMb: process.resourceUsage().maxRSS / 1024 }));
  r.close();
}

async function main() {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'codex-hooks-bench-search-')));
  try {
    process.stderr.write(`codex_search bench: a codex of ${N} files: building…\n`);
    const bare = makeCodex(base);
    const cacheDir = path.join(base, 'cache');
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--build', bare, cacheDir], { encoding: 'utf8', env, maxBuffer: 1 << 26 });
    if (child.status !== 0) throw new Error(`the build failed: ${child.stderr}`);
    const build = JSON.parse(child.stdout.trim().split('\n').pop());
    const { searchDocs } = await import(dist('reader/search/search.js'));
    const { readDoc } = await import(dist('reader/docs.js'));
    const { INDEX_FOLDER } = await import(dist('reader/search/search-index.js'));
    const { cachePathFor } = await import(dist('sync/cache/cache.js'));
    const folder = path.join(cachePathFor(bare, { ...env, CODEX_HOOKS_CACHE_DIR: cacheDir }), INDEX_FOLDER);
    const indexMb = fs.readdirSync(folder).reduce((s, n) => s + fs.statSync(path.join(folder, n)).size, 0) / 1e6;
    const r = await reader(bare, cacheDir);
    await searchDocs(r, 'bench', { query: 'warm' });
    await r.searchIndex.settled();
    const load = r.searchIndex.lastBuild;
    const q = rng(99);
    const queries = Array.from({ length: 300 }, () => `${words(q, 1)} ${words(q, 1)}`);
    for (const query of queries.slice(0, 30)) await searchDocs(r, 'bench', { query });
    const times = [];
    let answered = 0;
    for (const query of queries) {
      const t = performance.now();
      const res = await searchDocs(r, 'bench', { query });
      times.push(performance.now() - t);
      if (res.source !== 'index') throw new Error(`answered by ${res.source}`);
      if (res.hits.length) answered++;
    }
    const fetches = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await readDoc(r, 'bench', `codex://bench/p${1 + (i % Math.max(1, Math.floor(N / 100) - 1))}/docs/f${i % 100}.md`);
      fetches.push(performance.now() - t);
    }
    release(bare);
    r.settings.refreshSeconds = 0;
    await searchDocs(r, 'bench', { query: 'needle' });
    await r.searchIndex.settled();
    const update = r.searchIndex.lastBuild;
    r.close();
    const out = {
      docs: N, buildMs: build.ms, buildRssMb: build.rssMb, indexMb, loadMs: load.ms, loadKind: load.kind, queryP50: pct(times, 0.5), queryP95: pct(times, 0.95),
      answered: `${answered}/${queries.length}`, updateMs: update.ms, updateKind: update.kind, updateDocs: update.docsRead, fetchP50: pct(fetches, 0.5),
    };
    if (process.argv.includes('--json')) console.log(JSON.stringify(out));
    else {
      console.log(`| codex_search, ${N} docs | measured | target |\n|---|---|---|`);
      console.log(`| first index build | ${(out.buildMs / 1000).toFixed(1)} s, peak RSS ${out.buildRssMb.toFixed(0)} MB | ≤ 60 s, ≤ 300 MB |`);
      console.log(`| saved index | ${out.indexMb.toFixed(0)} MB, loaded by the next server in ${(out.loadMs / 1000).toFixed(1)} s | |`);
      console.log(`| warm query (2 words, 10 hits with snippets) | p50 ${out.queryP50.toFixed(1)} ms, p95 ${out.queryP95.toFixed(1)} ms (${out.answered} answered) | p50 ≤ 30 ms, p95 ≤ 100 ms |`);
      console.log(`| update after a 10-doc release | ${out.updateMs.toFixed(0)} ms (${out.updateKind}, ${out.updateDocs} docs read) | ≤ 1 s |`);
      console.log(`| codex_fetch beside it | p50 ${out.fetchP50.toFixed(2)} ms | ≤ 10 ms |`);
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--build') await firstBuild(process.argv[3], process.argv[4]);
else await main();
