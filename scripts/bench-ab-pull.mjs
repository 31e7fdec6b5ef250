// Interleaved A/B of a warm bidirectional sync that pulls (the from-codex half: pull-plan.ts, from-codex.ts): a codex
// of N shared files (1000), 10 of them changed before each run, and 10 of 100 docs pushed. Two builds alternate every
// round, each with its own project and cache. `node scripts/bench-ab-pull.mjs OLD_BIN NEW_BIN`, N=files RUNS=rounds.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
const [A, B] = process.argv.slice(2).map((p) => path.resolve(p));
if (!A || !B) {
  console.error('usage: node scripts/bench-ab-pull.mjs <old bin/codex-hooks.cjs> <new bin/codex-hooks.cjs>   (N=files RUNS=rounds)');
  process.exit(2);
}
const N = Number(process.env.N || 1000), RUNS = Number(process.env.RUNS || 11);
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'abpull-'));
const env = { ...process.env, HOME: base, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'B', GIT_AUTHOR_EMAIL: 'b@e', GIT_COMMITTER_NAME: 'B', GIT_COMMITTER_EMAIL: 'b@e' };
for (const k of Object.keys(env)) if (k.startsWith('CODEX_') || k === 'CI') delete env[k];
const git = (cwd, args, input) => execFileSync('git', args, { cwd, env, input, encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
const codex = path.join(base, 'codex.git');
git(base, ['init', '-q', '--bare', codex]);
let fi = 'commit refs/heads/test\ncommitter B <b@e> 1700000000 +0000\ndata 4\nseed\n';
for (let i = 0; i < N; i++) { const body = `# shared ${i}\n`; fi += `M 100644 inline shared/s${i % 20}/f${i}.md\ndata ${body.length}\n${body}\n`; }
git(codex, ['fast-import', '--quiet'], fi);
let change = 0;
const changeCodex = () => {
  change++;
  let f = `commit refs/heads/test\ncommitter B <b@e> ${1700000000 + change} +0000\ndata 3\nch\nfrom refs/heads/test^0\n`;
  for (let i = 0; i < 10; i++) { const n = (change * 10 + i) % N; const body = `# shared ${n} v${change}\n`; f += `M 100644 inline shared/s${n % 20}/f${n}.md\ndata ${body.length}\n${body}\n`; }
  git(codex, ['fast-import', '--quiet'], f);
};
const makeProject = (name) => {
  const proj = path.join(base, name);
  git(base, ['init', '-q', '-b', 'main', proj]);
  fs.mkdirSync(path.join(proj, 'docs'), { recursive: true });
  for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(proj, `docs/d${i}.md`), `doc ${i}\n`);
  fs.writeFileSync(path.join(proj, '.codexrc.json'), JSON.stringify({ codex_url: codex, project_name: name, sync_direction: 'bidirectional', from_codex_patterns: ['shared/**'] }));
  git(proj, ['add', '-A']); git(proj, ['commit', '-qm', 'init']); git(proj, ['checkout', '-qb', 'feat']);
  return proj;
};
const side = { a: { bin: A, proj: makeProject('api-a'), cache: path.join(base, 'ca'), times: [], round: 0 }, b: { bin: B, proj: makeProject('api-b'), cache: path.join(base, 'cb'), times: [], round: 0 } };
const run = (s) => {
  s.round++;
  for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(s.proj, `docs/d${(s.round * 10 + i) % 100}.md`), `doc v${s.round} ${i}\n`);
  git(s.proj, ['commit', '-qam', `r${s.round}`]);
  changeCodex();
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [s.bin, 'sync', '--quiet'], { cwd: s.proj, env: { ...env, CODEX_HOOKS_CACHE_DIR: s.cache } });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return Number(process.hrtime.bigint() - t) / 1e6;
};
for (const s of [side.a, side.b]) { run(s); run(s); }
const count = fs.readdirSync(path.join(side.b.proj, '.codex'), { recursive: true }).length;
for (let i = 0; i < RUNS; i++) for (const s of i % 2 ? [side.a, side.b] : [side.b, side.a]) s.times.push(run(s));
const med = (x) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)];
console.log(`N=${N} runs=${RUNS} (pull_dir of B holds ${count} entries): A median ${med(side.a.times).toFixed(0)} ms, B median ${med(side.b.times).toFixed(0)} ms, B/A ${(med(side.b.times) / med(side.a.times)).toFixed(3)}; load ${os.loadavg()[0].toFixed(1)}`);
fs.rmSync(base, { recursive: true, force: true });
