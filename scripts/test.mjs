// `npm test`: the type check (tsc --noEmit; `pretest` has compiled src/ with esbuild) and each test file
// in its own node process (uvu runs a file's tests one after another), several at once. Most of a test's time is git and child processes waiting on each other, so a 2-core
// machine runs three or four files at once well. Files that install the packed package share one
// `npm pack` made here first (packing edits package.json, so two at once would trip over each other).
//
//   node scripts/test.mjs [pattern]        CODEX_HOOKS_TEST_JOBS=N sets how many files run at once
//
// A file's output is printed whole when it fails, as one line when it passes; the slowest files start
// first, ordered by the times of the last run (kept in node_modules/.cache).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pLimit from 'p-limit';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIMES = path.join(ROOT, 'node_modules/.cache/codex-hooks-test-times.json');
const filter = new RegExp(process.argv[2] ?? '\\.test\\.js$');
const jobs = Number(process.env.CODEX_HOOKS_TEST_JOBS) || Math.max(2, os.availableParallelism() * 2);

const files = fs.readdirSync(path.join(ROOT, 'test')).filter((f) => f.endsWith('.test.js') && filter.test(f));
let lastTimes = {};
try {
  lastTimes = JSON.parse(fs.readFileSync(TIMES, 'utf8'));
} catch {
  // first run: alphabetical order
}
files.sort((a, b) => (lastTimes[b] ?? 0) - (lastTimes[a] ?? 0) || a.localeCompare(b));

// Files that use the packed package wait for it; a file that packs by itself waits too, so that two
// `npm pack` never edit package.json at once.
const needsPack = (file) => /packedInstall|packedTarball|installedProject|e2eProject|'pack'/.test(fs.readFileSync(path.join(ROOT, 'test', file), 'utf8'));
let packed;
const pack = () =>
  (packed ??= import('../test/e2e-helpers.js').then(({ packedInstall }) => packedInstall()));

function runFile(file, env) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join('test', file)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code, signal) => {
      const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
      const count = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? 0);
      resolve({ file, code, signal, output, seconds: (performance.now() - started) / 1000, total: count('Total'), passed: count('Passed'), skipped: count('Skipped') });
    });
  });
}

/** tsc over src/, as one more job: a type error fails the run like a failing test. */
function typeCheck() {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.', '--noEmit'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) process.stdout.write(`✔ ${'types (tsc --noEmit)'.padEnd(28)}             ${seconds.toFixed(1)} s\n`);
      else process.stdout.write(`\n✖ types (tsc --noEmit, exit ${code})\n${output}\n`);
      resolve(code === 0);
    });
  });
}

const started = performance.now();
const limit = pLimit(jobs);
const typesOk = limit(typeCheck);
const results = await Promise.all(
  files.map((file) =>
    limit(async () => {
      const env = { ...process.env };
      if (needsPack(file)) env.CODEX_HOOKS_TEST_PACKED = await pack();
      const r = await runFile(file, env);
      const ok = r.code === 0 && r.total > 0 && r.passed + r.skipped === r.total;
      if (ok) process.stdout.write(`✔ ${file.padEnd(28)} ${String(r.passed).padStart(3)} passed${r.skipped ? `, ${r.skipped} skipped` : ''}  ${r.seconds.toFixed(1)} s\n`);
      else process.stdout.write(`\n✖ ${file} (exit ${r.code ?? r.signal})\n${r.output}\n`);
      return { ...r, ok };
    }),
  ),
);

fs.mkdirSync(path.dirname(TIMES), { recursive: true });
fs.writeFileSync(TIMES, JSON.stringify({ ...lastTimes, ...Object.fromEntries(results.map((r) => [r.file, r.seconds])) }));

const failed = results.filter((r) => !r.ok).map((r) => r.file);
if (!(await typesOk)) failed.push('the type check');
const sum = (k) => results.reduce((n, r) => n + r[k], 0);
process.stdout.write(
  `\n${results.length} files, ${sum('total')} tests: ${sum('passed')} passed, ${sum('skipped')} skipped, ${sum('total') - sum('passed') - sum('skipped')} failed` +
    ` — ${((performance.now() - started) / 1000).toFixed(1)} s, ${jobs} at once\n${failed.length ? `✖ failed: ${failed.join(', ')}\n` : ''}`,
);
process.exitCode = failed.length ? 1 : 0;
