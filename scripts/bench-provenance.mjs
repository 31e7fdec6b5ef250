// `codex-hooks status`'s last sync per environment (src/reader/provenance.ts lastSyncs: git's --grep finds
// the candidate, the trailer parser confirms it) against the one `git log --grep` with git's own trailer
// format it replaced, on a codex of N commits (packed, as a fetched cache is) whose project of interest
// synced last at the tip (usual) or only at the root (the whole history walked).
// Usage: npm run build && node scripts/bench-provenance.mjs [N=5000] [runs=5]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lastSyncs } from '../dist/reader/provenance.js';

const N = Number(process.argv[2] ?? 5000);
const RUNS = Number(process.argv[3] ?? 5);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-provenance-'));
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir };
const git = (args, input) => execFileSync('git', args, { cwd: dir, env, input, maxBuffer: 1 << 28 }).toString();
git(['init', '-q', '--bare', '.']);
let stream = '';
for (let i = 0; i < N; i++) {
  const project = i === 0 ? 'deep' : i === N - 1 ? 'top' : `p${i % 50}`;
  const message = `docs(${project}): sync 1 files\n\nCodex-Project: ${project}\nCodex-Source-Commit: ${'a'.repeat(40)}\nCodex-Source-Branch: main\nCodex-Env: test\n`;
  stream += `commit refs/heads/test\nmark :${i + 1}\ncommitter C <c@x> ${1700000000 + i} +0000\ndata ${Buffer.byteLength(message)}\n${message}${i ? `from :${i}\n` : ''}M 644 inline projects/${project}/a.md\ndata 2\n${i % 10}\n\n`;
}
git(['fast-import', '--quiet'], stream);
git(['gc', '-q']);
const environments = { test: { branch: 'test' } };
const time = async (fn) => {
  const t = [];
  for (let i = 0; i < RUNS; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(RUNS / 2)].toFixed(1);
};
const viaGit = (project) => git(['log', '-1', '-E', '--all-match', `--grep=^Codex-Project: ${project}$`, '--grep=^Codex-Env: test$', '--format=%H%x1f%cI%x1f%(trailers:key=Codex-Source-Commit,valueonly,separator=)%x1f%(trailers:key=Codex-Source-Branch,valueonly,separator=)%x1f%an', 'refs/heads/test', '--']);
for (const project of ['top', 'deep']) {
  const before = await time(() => viaGit(project));
  const after = await time(() => lastSyncs(dir, env, project, environments));
  const found = (await lastSyncs(dir, env, project, environments)).test;
  console.log(`${N} commits, last sync of "${project}" ${project === 'top' ? 'at the tip' : 'at the root'}: before (git log) ${before} ms, after (lastSyncs) ${after} ms (median of ${RUNS}; found ${found?.codexCommit?.slice(0, 7)})`);
}
fs.rmSync(dir, { recursive: true, force: true });
