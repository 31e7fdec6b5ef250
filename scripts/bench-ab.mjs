// Interleaved A/B of a warm sync (10 of 100 docs changed): two builds alternate every round on the same codex,
// each with its own cache, so machine load falls on both alike. `node scripts/bench-ab.mjs OLD_BIN NEW_BIN`, N=files.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
const [A, B] = process.argv.slice(2).map((p) => path.resolve(p));
if (!A || !B) {
  console.error('usage: node scripts/bench-ab.mjs <old bin/codex-hooks.cjs> <new bin/codex-hooks.cjs>   (N=files RUNS=rounds)');
  process.exit(2);
}
const N = Number(process.env.N || 1000), RUNS = Number(process.env.RUNS || 9);
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ab-'));
const env = { ...process.env, HOME: base, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'B', GIT_AUTHOR_EMAIL: 'b@e', GIT_COMMITTER_NAME: 'B', GIT_COMMITTER_EMAIL: 'b@e' };
for (const k of Object.keys(env)) if (k.startsWith('CODEX_')) delete env[k];
const git = (cwd, args, input) => execFileSync('git', args, { cwd, env, input, encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
const codex = path.join(base, 'codex.git');
git(base, ['init', '-q', '--bare', codex]);
let fi = 'commit refs/heads/test\ncommitter B <b@e> 1700000000 +0000\ndata 4\nseed\n';
for (let i = 0; i < N; i++) { const body = `# doc ${i}\n`; fi += `M 100644 inline projects/p${i % 50}/docs/f${i}.md\ndata ${body.length}\n${body}\n`; }
git(codex, ['fast-import', '--quiet'], fi);
git(codex, ['repack', '-adq']);
const proj = path.join(base, 'proj');
git(base, ['init', '-q', '-b', 'main', proj]);
for (let i = 0; i < 100; i++) { fs.mkdirSync(path.join(proj, 'docs'), { recursive: true }); fs.writeFileSync(path.join(proj, `docs/d${i}.md`), `doc ${i}\n`); }
fs.writeFileSync(path.join(proj, '.codexrc.json'), JSON.stringify({ codex_url: codex, project_name: 'api', sync_direction: 'to-codex' }));
git(proj, ['add', '-A']); git(proj, ['commit', '-qm', 'init']); git(proj, ['checkout', '-qb', 'feat']);
const run = (bin, cache) => {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, 'sync', '--quiet'], { cwd: proj, env: { ...env, CODEX_HOOKS_CACHE_DIR: cache } });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return Number(process.hrtime.bigint() - t) / 1e6;
};
let round = 0;
const change = () => { round++; for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(proj, `docs/d${(round * 10 + i) % 100}.md`), `doc v${round} ${i}\n`); git(proj, ['commit', '-qam', `r${round}`]); };
const ta = [], tb = [];
for (const [bin, cache] of [[A, path.join(base, 'ca')], [B, path.join(base, 'cb')]]) { change(); run(bin, cache); change(); run(bin, cache); } // warm both
for (let i = 0; i < RUNS; i++) {
  const order = i % 2 ? [[A, 'ca', ta], [B, 'cb', tb]] : [[B, 'cb', tb], [A, 'ca', ta]];
  for (const [bin, c, list] of order) { change(); list.push(run(bin, path.join(base, c))); }
}
const med = (x) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)];
console.log(`N=${N} runs=${RUNS}: A median ${med(ta).toFixed(0)} ms, B median ${med(tb).toFixed(0)} ms, B/A ${(med(tb) / med(ta)).toFixed(3)}; load ${os.loadavg()[0].toFixed(1)}`);
fs.rmSync(base, { recursive: true, force: true });
