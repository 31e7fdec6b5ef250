// Interleaved A/B of a warm sync (10 of 100 docs changed): two builds alternate every round on the same codex,
// each with its own cache and project, so machine load falls on both alike. `node scripts/bench-ab.mjs OLD_BIN NEW_BIN`,
// N=files RUNS=rounds, B_ARGS="--mirror" for arguments of the second build's sync only.
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
// Each build syncs a project of its own (same files, its own name and state): builds that read each
// other's records (the already-synced record, layer bases) would time that mismatch, not themselves.
const makeProject = (name) => {
  const proj = path.join(base, name);
  git(base, ['init', '-q', '-b', 'main', proj]);
  fs.mkdirSync(path.join(proj, 'docs'), { recursive: true });
  for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(proj, `docs/d${i}.md`), `doc ${i}\n`);
  fs.writeFileSync(path.join(proj, '.codexrc.json'), JSON.stringify({ codex_url: codex, project_name: name, sync_direction: 'to-codex' }));
  git(proj, ['add', '-A']); git(proj, ['commit', '-qm', 'init']); git(proj, ['checkout', '-qb', 'feat']);
  return proj;
};
// B_ARGS: more arguments for B's sync only (`--mirror`: a build with layer mode against one without it)
const bArgs = process.env.B_ARGS ? process.env.B_ARGS.split(' ') : [];
const side = { a: { bin: A, args: [], proj: makeProject('api-a'), cache: path.join(base, 'ca'), times: [], round: 0 }, b: { bin: B, args: bArgs, proj: makeProject('api-b'), cache: path.join(base, 'cb'), times: [], round: 0 } };
const run = (s) => {
  s.round++; // 10 of the 100 docs changed, committed
  for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(s.proj, `docs/d${(s.round * 10 + i) % 100}.md`), `doc v${s.round} ${i}\n`);
  git(s.proj, ['commit', '-qam', `r${s.round}`]);
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [s.bin, 'sync', '--quiet', ...s.args], { cwd: s.proj, env: { ...env, CODEX_HOOKS_CACHE_DIR: s.cache } });
  if (r.status !== 0) throw new Error(r.stderr.toString());
  return Number(process.hrtime.bigint() - t) / 1e6;
};
for (const s of [side.a, side.b]) { run(s); run(s); } // warm both
for (let i = 0; i < RUNS; i++) for (const s of i % 2 ? [side.a, side.b] : [side.b, side.a]) s.times.push(run(s));
const ta = side.a.times, tb = side.b.times;
const med = (x) => [...x].sort((a, b) => a - b)[Math.floor(x.length / 2)];
console.log(`N=${N} runs=${RUNS}: A median ${med(ta).toFixed(0)} ms, B median ${med(tb).toFixed(0)} ms, B/A ${(med(tb) / med(ta)).toFixed(3)}; load ${os.loadavg()[0].toFixed(1)}`);
fs.rmSync(base, { recursive: true, force: true });
