// `npm run bench`: builds its own fixtures and prints one table of medians and ratios, measured side by
// side in one run. Sizes: BENCH_SIZES=1000,20000,100000 (default), runs per measure: BENCH_RUNS (5).
// BENCH_ONLY=hook,size,org,mcp,layers,search runs only those parts (e.g. `BENCH_ONLY=mcp npm run bench`); organisation
// sizes: BENCH_ORG=50,200 (projects), into a codex of BENCH_ORG_CODEX=20000 files. The MCP server's
// rows run against a codex of BENCH_MCP_SIZE files (100000).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// the hooks' entry, as they start it (hooks/pre-push); a shell's `codex-hooks` starts the other
const BIN = path.join(ROOT, 'bin/hook.cjs');
const SHELL_BIN = path.join(ROOT, 'bin/codex-hooks.cjs');
const SIZES = (process.env.BENCH_SIZES || '1000,20000,100000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS || 5);
const ONLY = new Set((process.env.BENCH_ONLY || 'hook,size,org,mcp,layers,search').split(','));
const ORG = (process.env.BENCH_ORG || '50,200').split(',').map(Number);
const ORG_CODEX = Number(process.env.BENCH_ORG_CODEX || 20000);
const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'codex-hooks-bench-')));
const env = { ...process.env };
for (const k of Object.keys(env)) if (k.startsWith('GIT_') || k.startsWith('CODEX_') || k === 'CI') delete env[k];
Object.assign(env, { HOME: base, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'b@example.com' });
// Node starts as the hooks start it (hooks/pre-push): without reading the CA bundle NODE_EXTRA_CA_CERTS names
// (node 20 reads it as it starts: ~30 ms here), the reference `node -e 0` too. CA_BUNDLE, when set, times
// one row as a shell starts node, the bundle read.
const CA_BUNDLE = process.env.NODE_EXTRA_CA_CERTS || null;
Object.assign(env, { NODE_EXTRA_CA_CERTS: '', CODEX_HOOKS_EXTRA_CA_CERTS: CA_BUNDLE ?? '' });

const git = (cwd, args, input) => execFileSync('git', args, { cwd, env, input, encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] }).trim();
const time = (fn) => {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
};
const sh = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 1 << 30, ...opts, env: { ...env, ...(opts.env || {}) } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
  return r;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stats = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
const rows = [];
const row = (measure, ours, ref, target, label, targetText) => {
  const ratio = ours.median / ref.median;
  rows.push({ measure, ours, ref, ratio, target, holds: target ? target(ratio, ours) : null, label, targetText });
};
const log = (s) => process.stderr.write(s + '\n');

// A codex of `n` files (projects/pN/docs/fN.md and shared/), branches main and test, made by fast-import.
function makeCodex(n) {
  const bare = path.join(base, `codex-${n}.git`);
  git(base, ['init', '-q', '--bare', bare]);
  const chunks = ['commit refs/heads/main\ncommitter Bench <b@example.com> 1700000000 +0000\ndata 4\nseed\n'];
  for (let i = 0; i < n; i++) {
    const p = i < 20 ? `shared/doc${i}.md` : `projects/p${Math.floor(i / 100)}/docs/f${i % 100}.md`;
    // one doc in a thousand holds the phrase the MCP search looks for: 100 docs in a codex of 100,000
    const body = `# ${p}\n\nDocument ${i} of the benchmark codex.\n${i % 1000 === 7 ? 'It mentions the Needle Phrase once.\n' : ''}`;
    chunks.push(`M 100644 inline ${p}\ndata ${Buffer.byteLength(body)}\n${body}\n`);
  }
  chunks.push('\n');
  execFileSync('git', ['fast-import', '--quiet'], { cwd: bare, env, input: chunks.join(''), maxBuffer: 1 << 30 });
  git(bare, ['branch', 'test', 'main']);
  git(bare, ['gc', '-q']);
  return bare;
}

/** The project: 100 docs; `version` changes 10 of them. */
function makeProject(codex, config = {}, name = `api-${path.basename(codex)}`) {
  const dir = path.join(base, name);
  fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(dir, `docs/d${i}.md`), `# Doc ${i}\n`);
  fs.writeFileSync(path.join(dir, '.codexrc.json'), JSON.stringify({ codex_url: codex, project_name: 'bench-api', hooks: { post_commit: 'off' }, ...config }));
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'docs']);
  git(dir, ['checkout', '-q', '-b', 'feat']);
  return dir;
}
let versionCounter = 0;
function changeTenDocs(dir) {
  versionCounter++;
  for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(dir, `docs/d${i}.md`), `# Doc ${i}\n\nrevision ${versionCounter}\n`);
  git(dir, ['commit', '-q', '-am', `revision ${versionCounter}`]);
}
const sync = (dir, cache, extra = []) => sh(process.execPath, [BIN, 'sync', '--env', 'test', '--quiet', ...extra], { cwd: dir, env: { CODEX_HOOKS_CACHE_DIR: cache } });

/**
 * git alone: a warm mirror fetches the branch, bringing what others pushed since, as a sync's fetch does
 * (here: the last sync's and the fresh-clone round's commits), and pushes one commit of 10 changed docs,
 * built between the two, untimed. `idle` is the same with a fetch that finds nothing new: the floor this
 * bench used first, kept as a second reference.
 */
function floorRound(mirror, codex) {
  const fetched = time(() => git(mirror, ['fetch', '-q', codex, '+refs/heads/test:refs/heads/test']));
  versionCounter++;
  const stream = ['commit refs/heads/test\ncommitter Bench <b@example.com> 1700000000 +0000\ndata 5\nfloor\nfrom refs/heads/test^0\n'];
  for (let i = 0; i < 10; i++) {
    const body = `# Doc ${i}\n\nfloor ${versionCounter}\n`;
    stream.push(`M 100644 inline projects/bench-api/docs/d${i}.md\ndata ${body.length}\n${body}\n`);
  }
  execFileSync('git', ['fast-import', '--quiet', '--force'], { cwd: mirror, env, input: stream.join('') + '\n' });
  const idleFetch = time(() => git(mirror, ['fetch', '-q', codex, '+refs/heads/test:refs/heads/floor-check']));
  const pushed = time(() => git(mirror, ['push', '-q', codex, 'refs/heads/test:refs/heads/test']));
  return { floor: fetched + pushed, idle: idleFetch + pushed };
}

/** The fresh-clone approach: shallow clone, copy the docs in, git add -A, commit, push. */
function freshCloneRound(dir, codex) {
  const work = path.join(base, `fresh-${Date.now()}`);
  changeTenDocs(dir);
  const ms = time(() => {
    git(base, ['clone', '-q', '--depth', '1', '--single-branch', '-b', 'test', codex, work]);
    const target = path.join(work, 'projects/bench-api');
    fs.rmSync(target, { recursive: true, force: true });
    fs.cpSync(path.join(dir, 'docs'), path.join(target, 'docs'), { recursive: true });
    git(work, ['add', '-A']);
    git(work, ['commit', '-q', '-m', 'sync']);
    git(work, ['push', '-q', 'origin', 'HEAD:test']);
  });
  fs.rmSync(work, { recursive: true, force: true });
  return ms;
}

function hookNoop() {
  const codex = makeCodex(200);
  // to-codex: a push with nothing new needs no network at all
  const dir = makeProject(codex, { sync_direction: 'to-codex' });
  const cache = path.join(base, 'cache-hook');
  sync(dir, cache);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'code only']);
  // a push of code to a branch origin has (its tip there: the commit before); a push that makes the branch
  // on origin always syncs (a teammate may have deleted it, and its layer with it)
  const line = `refs/heads/feat ${git(dir, ['rev-parse', 'HEAD'])} refs/heads/feat ${git(dir, ['rev-parse', 'HEAD~1'])}\n`;
  const hook = [];
  const node = [];
  for (let i = 0; i < Math.max(RUNS * 2, 9); i++) {
    node.push(time(() => sh(process.execPath, ['-e', '0'])));
    hook.push(time(() => sh(process.execPath, [BIN, 'hook', 'pre-push', 'origin', 'x'], { cwd: dir, input: line, env: { CODEX_HOOKS_CACHE_DIR: cache } })));
  }
  row('pre-push hook, no doc changed (to-codex)', stats(hook), stats(node), (r) => r <= 1.5, 'node -e 0');

  // bidirectional: our docs are there, so the push only pulls: one fetch of the codex and the pull
  const both = makeProject(codex, {}, 'api-bidirectional');
  const bothCache = path.join(base, 'cache-hook-both');
  sync(both, bothCache);
  git(both, ['commit', '-q', '--allow-empty', '-m', 'code only']);
  const bothLine = `refs/heads/feat ${git(both, ['rev-parse', 'HEAD'])} refs/heads/feat ${git(both, ['rev-parse', 'HEAD~1'])}\n`;
  const mirror = path.join(base, 'mirror-hook.git');
  git(base, ['clone', '-q', '--bare', '--single-branch', '-b', 'test', codex, mirror]);
  const pullHook = [];
  const fetchRef = [];
  for (let i = 0; i < Math.max(RUNS * 2, 9); i++) {
    fetchRef.push(time(() => sh(process.execPath, ['-e', '0'])) + time(() => git(mirror, ['fetch', '-q', codex, '+refs/heads/test:refs/heads/test'])));
    pullHook.push(time(() => sh(process.execPath, [BIN, 'hook', 'pre-push', 'origin', 'x'], { cwd: both, input: bothLine, env: { CODEX_HOOKS_CACHE_DIR: bothCache } })));
  }
  row('pre-push hook, no doc changed (bidirectional: pulls)', stats(pullHook), stats(fetchRef), (r) => r <= 1.5, 'node -e 0 + git fetch (nothing new)');
}

/**
 * Layered test (design §4): a feature branch's warm sync with 50 live layers on test against the same with
 * none (each project has an origin, as a team's has: one ls-remote per sync in both); and what writing
 * after the push has landed costs: a real `git push` through the installed hooks (written from the
 * reference-transaction hook) against a push to the origin's URL (no remote-tracking ref: written during
 * pre-push), and a commit with the reference-transaction hook in place against one without it.
 */
function layerRows(n) {
  const codex = makeCodex(n);
  const teamProject = (name, config = {}) => {
    const origin = path.join(base, `${name}-origin.git`);
    git(base, ['init', '-q', '--bare', origin]);
    const dir = makeProject(codex, config, name);
    git(dir, ['remote', 'add', 'origin', origin]);
    git(dir, ['push', '-q', 'origin', 'main', 'feat']);
    return { dir, origin, cache: path.join(base, `cache-${name}`) };
  };
  const none = teamProject('layers-none');
  const many = teamProject('layers-50');
  sync(none.dir, none.cache);
  sync(many.dir, many.cache);
  for (let i = 0; i < 50; i++) {
    git(many.dir, ['checkout', '-q', '-b', `layer-${i}`, 'main']);
    fs.writeFileSync(path.join(many.dir, `docs/layer${i}.md`), `# Layer ${i}\n`);
    git(many.dir, ['add', '-A']);
    git(many.dir, ['commit', '-q', '-m', `layer ${i}`]);
    git(many.dir, ['push', '-q', 'origin', `layer-${i}`]);
    sync(many.dir, many.cache);
  }
  git(many.dir, ['checkout', '-q', 'feat']);
  const withNone = [];
  const withMany = [];
  for (let i = 0; i < RUNS; i++) {
    changeTenDocs(none.dir);
    withNone.push(time(() => sync(none.dir, none.cache)));
    changeTenDocs(many.dir);
    withMany.push(time(() => sync(many.dir, many.cache)));
  }
  row(`feature sync with 50 live layers on test, ${n} files`, stats(withMany), stats(withNone), (r) => r <= 1.15, 'the same with no other layer', '≤ 1.15×');

  // publish after landing: the same push, through the remote-tracking ref or to a URL
  const hooked = teamProject('layers-hooked', { sync_direction: 'to-codex' });
  fs.mkdirSync(path.join(hooked.dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(hooked.dir, 'node_modules/codex-hooks'));
  sh(process.execPath, [SHELL_BIN, 'install', '--quiet'], { cwd: hooked.dir, env: { CODEX_HOOKS_CACHE_DIR: hooked.cache } });
  const pushEnv = { env: { CODEX_HOOKS_CACHE_DIR: hooked.cache }, cwd: hooked.dir };
  sh('git', ['push', '-q', 'origin', 'feat'], pushEnv);
  const landed = [];
  const before = [];
  for (let i = 0; i < RUNS; i++) {
    changeTenDocs(hooked.dir);
    landed.push(time(() => sh('git', ['push', '-q', 'origin', 'feat'], pushEnv)));
    changeTenDocs(hooked.dir);
    before.push(time(() => sh('git', ['push', '-q', hooked.origin, 'feat:feat'], pushEnv)));
  }
  row('push of 10 changed docs, written after it landed (reference-transaction)', stats(landed), stats(before), null, 'the same push to the URL (written in pre-push)', '(cost of landing)');
  const withHook = [];
  const withoutHook = [];
  const hookFile = path.join(hooked.dir, '.husky/_/reference-transaction');
  const saved = fs.readFileSync(hookFile);
  for (let i = 0; i < Math.max(RUNS * 2, 9); i++) {
    withHook.push(time(() => sh('git', ['-c', 'core.hooksPath=.husky/_', 'commit', '-q', '--allow-empty', '--no-verify', '-m', 'x'], pushEnv)));
    fs.rmSync(hookFile);
    withoutHook.push(time(() => sh('git', ['-c', 'core.hooksPath=.husky/_', 'commit', '-q', '--allow-empty', '--no-verify', '-m', 'x'], pushEnv)));
    fs.writeFileSync(hookFile, saved, { mode: 0o755 });
  }
  row('git commit with the reference-transaction hook in place (no push kept)', stats(withHook), stats(withoutHook), null, 'git commit without it', '(per ref update)');
}

function bySize(n) {
  log(`codex of ${n} files: building…`);
  const codex = makeCodex(n);
  const dir = makeProject(codex);

  // cold: a fresh cache, against git clone --bare --single-branch of the same branch
  const cold = [];
  const clone = [];
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    const target = path.join(base, `clone-${n}-${i}.git`);
    // --no-local: a real transfer, as from a server (a local clone would only hard-link the object files)
    clone.push(time(() => git(base, ['clone', '-q', '--bare', '--no-local', '--single-branch', '-b', 'test', codex, target])));
    fs.rmSync(target, { recursive: true, force: true });
    changeTenDocs(dir);
    const cache = path.join(base, `cache-cold-${n}-${i}`);
    cold.push(time(() => sync(dir, cache)));
    fs.rmSync(cache, { recursive: true, force: true });
  }

  // warm: side by side with git's floor and the fresh-clone approach
  const cache = path.join(base, `cache-${n}`);
  changeTenDocs(dir);
  sync(dir, cache);
  const mirror = path.join(base, `mirror-${n}.git`);
  git(base, ['clone', '-q', '--bare', '--single-branch', '-b', 'test', codex, mirror]);
  const warm = [];
  const floor = [];
  const idle = [];
  const fresh = [];
  const caRead = [];
  let rss = 0;
  for (let i = 0; i < RUNS; i++) {
    if (CA_BUNDLE) {
      changeTenDocs(dir);
      caRead.push(time(() => sh(process.execPath, [SHELL_BIN, 'sync', '--env', 'test', '--quiet'], { cwd: dir, env: { CODEX_HOOKS_CACHE_DIR: cache, NODE_EXTRA_CA_CERTS: CA_BUNDLE } })));
    }
    changeTenDocs(dir);
    const rssFile = path.join(base, 'rss');
    warm.push(time(() => sh(process.execPath, [path.join(ROOT, 'scripts/bench-rss.cjs'), 'sync', '--env', 'test', '--quiet'], { cwd: dir, env: { CODEX_HOOKS_CACHE_DIR: cache, BENCH_RSS_FILE: rssFile } })));
    rss = Math.max(rss, Number(fs.readFileSync(rssFile, 'utf8')));
    const f = floorRound(mirror, codex);
    floor.push(f.floor);
    idle.push(f.idle);
    fresh.push(freshCloneRound(dir, codex));
  }
  row(`cold first sync, ${n} files`, stats(cold), stats(clone), null, 'git clone --bare --no-local --single-branch');
  // What starting without a cache adds to a sync (making the cache, the first scan of routes), against
  // what a clone of the branch costs: the "cold start should cost no more than a clone".
  const extra = cold.map((c) => c - median(warm));
  row(`  cold start: cold sync minus warm sync, ${n} files`, stats(extra), stats(clone), (r) => r <= 1, 'git clone --bare --no-local --single-branch');
  row(`warm sync (10 of 100 docs), ${n} files`, stats(warm), stats(floor), (r) => r <= 2.2, 'git fetch (same new commits) + push', '≤ 2.2×');
  row(`  the same, against a fetch with nothing new`, stats(warm), stats(idle), null, 'git fetch (nothing new) + push');
  if (CA_BUNDLE) row(`  the same, node reading NODE_EXTRA_CA_CERTS as it starts (a shell's \`codex-hooks sync\`)`, stats(caRead), stats(floor), null, 'git fetch (same new commits) + push');
  row(`warm sync vs fresh shallow clone, ${n} files`, stats(warm), stats(fresh), (r) => r <= 1 / 20, 'clone+copy+add+commit+push');
  rows.push({ measure: `peak memory of the sync process, ${n} files`, memory: rss, holds: rss < 150 * 1024 * 1024 });
  fs.rmSync(codex, { recursive: true, force: true });
  fs.rmSync(mirror, { recursive: true, force: true });
  fs.rmSync(cache, { recursive: true, force: true });
}

/**
 * The MCP server (`codex-hooks mcp`), driven by the SDK's own client over stdio as an agent's client
 * would: a warm document read per call, a search whose phrase is in 100 docs, and the start of the
 * server until it answers `initialize`, against a bare `node -e 0`.
 */
async function mcpRows(n) {
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
  log(`MCP server against a codex of ${n} files: building…`);
  const codex = makeCodex(n);
  const cache = path.join(base, `cache-mcp-${n}`);
  const serverEnv = { ...env, CODEX_HOOKS_CACHE_DIR: cache };
  const connect = async () => {
    const client = new Client({ name: 'bench', version: '1' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [SHELL_BIN, 'mcp', '--codex', codex], cwd: base, env: serverEnv, stderr: 'inherit' }));
    return client;
  };
  const client = await connect();
  const doc = { name: 'codex_fetch', arguments: { uri: `codex://bench/p${Math.floor(n / 200)}/docs/f7.md` } };
  const first = await client.callTool(doc); // the cache's first fetch of the codex
  if (first.isError) throw new Error(`codex_fetch failed: ${JSON.stringify(first)}`);
  const fetches = [];
  for (let i = 0; i < Math.max(RUNS * 10, 50); i++) {
    const t = performance.now();
    await client.callTool(doc);
    fetches.push(performance.now() - t);
  }
  const cat = [];
  const cacheGit = path.join(cache, fs.readdirSync(cache).find((d) => d.endsWith('.git')));
  const blob = git(cacheGit, ['rev-parse', `main:projects/p${Math.floor(n / 200)}/docs/f7.md`]);
  for (let i = 0; i < 9; i++) cat.push(time(() => git(cacheGit, ['cat-file', '-p', blob])));
  row(`MCP codex_fetch of a warm doc, per call, ${n} files`, stats(fetches), stats(cat), (_, o) => o.median <= 10, 'git cat-file -p (one process)', '≤ 10 ms');

  const search = { name: 'codex_search', arguments: { query: 'needle phrase', limit: 200 } };
  const searches = [];
  let hits = 0;
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = await client.callTool(search);
    searches.push(performance.now() - t);
    hits = r.structuredContent?.hits?.length ?? 0;
  }
  if (hits !== Math.floor(n / 1000)) throw new Error(`codex_search found ${hits} lines, expected ${Math.floor(n / 1000)}`);
  const grep = [];
  for (let i = 0; i < RUNS; i++) grep.push(time(() => git(cacheGit, ['grep', '-z', '-n', '-I', '-F', '-i', '-e', 'needle phrase', 'main'])));
  row(`MCP codex_search, phrase in ${hits} docs, ${n} files`, stats(searches), stats(grep), (_, o) => o.median <= 500, 'git grep -F -i (same tree)', '≤ 500 ms');
  await client.close();

  // start → the answer to `initialize`, as a client times it (the V8 code cache is warm after the first)
  const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } }) + '\n';
  const startOnce = () =>
    new Promise((resolve, reject) => {
      const t = performance.now();
      const child = spawn(process.execPath, [SHELL_BIN, 'mcp', '--codex', codex], { cwd: base, env: serverEnv, stdio: ['pipe', 'pipe', 'inherit'] });
      child.on('error', reject);
      child.stdout.once('data', () => {
        const ms = performance.now() - t;
        child.on('close', () => resolve(ms));
        child.stdin.end();
      });
      child.stdin.write(init);
    });
  await startOnce();
  const starts = [];
  const node = [];
  for (let i = 0; i < Math.max(RUNS * 2, 9); i++) {
    node.push(time(() => sh(process.execPath, ['-e', '0'])));
    starts.push(await startOnce());
  }
  row('MCP server start to first answer (initialize)', stats(starts), stats(node), (r) => r <= 2, 'node -e 0', '≤ 2×');
  fs.rmSync(cache, { recursive: true, force: true });
  fs.rmSync(codex, { recursive: true, force: true });
}

/** A small project under `root` (5 docs), synced by sync-org; `touch` changes one doc and commits. */
function orgProject(root, codex, i) {
  const dir = path.join(root, `svc${i}`);
  fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  for (let d = 0; d < 5; d++) fs.writeFileSync(path.join(dir, `docs/d${d}.md`), `# svc${i} doc ${d}\n`);
  fs.writeFileSync(path.join(dir, '.codexrc.json'), JSON.stringify({ codex_url: codex, hooks: { post_commit: 'off' } }));
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'docs']);
  git(dir, ['checkout', '-q', '-b', 'feat']);
  return dir;
}
function changeOneDoc(dir) {
  versionCounter++;
  fs.writeFileSync(path.join(dir, 'docs/d0.md'), `# Doc 0\n\nrevision ${versionCounter}\n`);
  git(dir, ['commit', '-q', '-am', `revision ${versionCounter}`]);
}

/**
 * sync-org of `counts` projects, one changed doc each, into a codex of `n` files (warm cache, every project
 * synced once before), against one project's warm sync of one changed doc into the same codex.
 */
function organisation(n, counts) {
  log(`organisation: codex of ${n} files, ${counts.join(' and ')} projects: building…`);
  const codex = makeCodex(n);
  const cache = path.join(base, 'cache-org');
  const single = makeProject(codex);
  sync(single, cache);
  const orgs = counts.map((count) => {
    const root = path.join(base, `org-${count}`);
    const dirs = Array.from({ length: count }, (_, i) => orgProject(root, codex, i + 1));
    const run = () => sh(process.execPath, [BIN, 'sync-org', '--root', root, '--env', 'test', '--quiet'], { env: { CODEX_HOOKS_CACHE_DIR: cache } });
    run(); // every project synced once: the rounds below are warm
    return { count, root, dirs, run, times: [] };
  });
  // Side by side, round after round, so the machine's load weighs on both alike.
  const one = [];
  for (let i = 0; i < RUNS; i++) {
    changeOneDoc(single);
    one.push(time(() => sync(single, cache)));
    for (const o of orgs) {
      if (o.count > 100 && i >= 3) continue;
      for (const d of o.dirs) changeOneDoc(d);
      const before = Number(git(codex, ['rev-list', '--count', 'test']));
      o.times.push(time(o.run));
      if (process.env.BENCH_VERBOSE) log(`  sync-org ${o.count}: ${o.times[o.times.length - 1].toFixed(0)} ms, one project: ${one[one.length - 1].toFixed(0)} ms`);
      const landed = Number(git(codex, ['rev-list', '--count', 'test'])) - before;
      if (landed !== o.count) throw new Error(`sync-org of ${o.count} projects made ${landed} codex commits`);
    }
  }
  for (const o of orgs) {
    row(`sync-org, ${o.count} projects (1 changed doc each), ${n} files`, stats(o.times), stats(one), o.count <= 50 ? (r) => r <= 3 : null, "one project's sync of 1 changed doc");
    fs.rmSync(o.root, { recursive: true, force: true });
  }
  fs.rmSync(codex, { recursive: true, force: true });
  fs.rmSync(cache, { recursive: true, force: true });
}

/** codex_search's index on a codex of BENCH_SEARCH_SIZE docs (100000): scripts/bench-search.mjs, in its own processes. */
function searchRows() {
  log(`codex_search index: building…`);
  const r = sh(process.execPath, [path.join(ROOT, 'scripts/bench-search.mjs'), '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const s = JSON.parse(r.stdout.trim().split('\n').pop());
  const add = (measure, text, target, holds) => rows.push({ measure, text, target, holds });
  add(`codex_search first index build, ${s.docs} docs`, `${(s.buildMs / 1000).toFixed(1)} s, peak RSS ${s.buildRssMb.toFixed(0)} MB (saved: ${s.indexMb.toFixed(0)} MB)`, '≤ 60 s, ≤ 300 MB', s.buildMs <= 60_000 && s.buildRssMb <= 300);
  add(`  the saved index loaded by another server`, `${(s.loadMs / 1000).toFixed(1)} s`, '(reference)', null);
  add(`codex_search warm query (2 words, 10 hits, snippets), ${s.docs} docs`, `p50 ${s.queryP50.toFixed(1)} ms, p95 ${s.queryP95.toFixed(1)} ms`, 'p50 ≤ 30 ms, p95 ≤ 100 ms', s.queryP50 <= 30 && s.queryP95 <= 100);
  add(`codex_search index update after a 10-doc release`, `${s.updateMs.toFixed(0)} ms (${s.updateDocs} docs read)`, '≤ 1 s', s.updateMs <= 1000 && s.updateKind === 'update');
  add(`codex_fetch beside the index, ${s.docs} docs`, `p50 ${s.fetchP50.toFixed(2)} ms`, '≤ 10 ms', s.fetchP50 <= 10);
}

try {
  log(`codex-hooks bench: ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, ${git(base, ['--version'])}${CA_BUNDLE ? ', NODE_EXTRA_CA_CERTS set (node started without reading it, as hooks do, but in the row that says so)' : ''}`);
  if (ONLY.has('hook')) hookNoop();
  if (ONLY.has('size')) for (const n of SIZES) bySize(n);
  if (ONLY.has('org')) organisation(ORG_CODEX, ORG);
  if (ONLY.has('layers')) layerRows(1000);
  if (ONLY.has('mcp')) await mcpRows(Number(process.env.BENCH_MCP_SIZE || 100000));
  if (ONLY.has('search')) searchRows();
} finally {
  fs.rmSync(base, { recursive: true, force: true });
}

const ms = (x) => `${x.toFixed(0)} ms`;
const lines = [
  `| measure | ours (median, min–max) | against (median) | ratio | target | holds |`,
  `|---|---|---|---|---|---|`,
];
for (const r of rows) {
  if ('text' in r) {
    lines.push(`| ${r.measure} | ${r.text} | | | ${r.target} | ${r.holds === null ? '' : r.holds ? 'yes' : 'NO'} |`);
    continue;
  }
  if ('memory' in r) {
    lines.push(`| ${r.measure} | ${(r.memory / 2 ** 20).toFixed(0)} MB | | | < 150 MB | ${r.holds ? 'yes' : 'NO'} |`);
    continue;
  }
  const target = r.targetText ?? (r.holds === null ? (r.label.startsWith('one project') ? '(growth)' : '(reference)') : r.label === 'clone+copy+add+commit+push' ? '≥ 20× faster' : r.label.startsWith('node -e 0') ? '≤ 1.5×' : r.label.startsWith('git fetch') ? '≤ 3×' : r.label.startsWith('git clone') ? '≤ 1×' : r.label.startsWith('one project') ? '≤ 3×' : '≤ 1.5×');
  const ratio = r.label === 'clone+copy+add+commit+push' ? `${(1 / r.ratio).toFixed(1)}× faster` : `${r.ratio.toFixed(2)}×`;
  lines.push(`| ${r.measure} | ${ms(r.ours.median)} (${ms(r.ours.min)}–${ms(r.ours.max)}) | ${r.label}: ${ms(r.ref.median)} | ${ratio} | ${target} | ${r.holds === null ? '' : r.holds ? 'yes' : 'NO'} |`);
}
console.log(lines.join('\n'));
