// `npm test`: compiles src/ (esbuild, scripts/bundle.mjs), then runs the type check (tsc --noEmit) and
// each test file in its own node process (uvu runs a file's tests one after another), several at once:
// twice the cores, 2 to 8. Much of a test's time is git and child processes waiting on each other. Files
// that use the packed package share one `npm pack`, made by a child process while other files run (its
// prepack rewrites only what changed, each file whole, so a test never reads half a file).
//
//   node scripts/test.mjs [pattern] [--save-durations]    CODEX_HOOKS_TEST_JOBS=N: how many files at once
//
// A file's output is printed whole when it fails, as one line when it passes; the slowest files start
// first, ordered by the times of the last run (node_modules/.cache), else test/durations.json, else size.
// Ctrl-C (or SIGTERM, SIGHUP) ends every file still running and removes the temp folders.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIMES = path.join(ROOT, 'node_modules/.cache/codex-hooks-test-times.json');
const args = process.argv.slice(2);
const saveDurations = args.includes('--save-durations');
const filter = new RegExp(args.find((a) => !a.startsWith('--')) ?? '\\.test\\.js$');
const jobs = Number(process.env.CODEX_HOOKS_TEST_JOBS) || Math.min(8, Math.max(2, os.availableParallelism() * 2));

const files = fs.readdirSync(path.join(ROOT, 'test')).filter((f) => f.endsWith('.test.js') && filter.test(f));
if (files.length === 0) {
  console.error(`No test file matches ${filter} (the files are test/*.test.js).`);
  process.exit(2);
}
// The tests run the compiled code (dist/): compile what changed, a third of a second.
if (spawnSync(process.execPath, [path.join(ROOT, 'scripts/bundle.mjs')], { cwd: ROOT, stdio: 'inherit' }).status !== 0) process.exit(1);
// How long each file took: this checkout's last run, else the times kept in the repository (a fresh clone,
// CI: test/durations.json, written by `node scripts/test.mjs --save-durations`), else the file's size.
const DURATIONS = path.join(ROOT, 'test/durations.json');
const readTimes = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
};
const lastTimes = readTimes(TIMES) ?? readTimes(DURATIONS) ?? {};
const guess = (f) => lastTimes[f] ?? fs.statSync(path.join(ROOT, 'test', f)).size / 1000;
files.sort((a, b) => guess(b) - guess(a) || a.localeCompare(b));

// Files that use the packed package (through test/e2e-helpers.js) wait for the one pack.
const packUsers = new Set(files.filter((f) => /\b(packedInstall|packedTarball|packedCli|installedProject|e2eProject)\b/.test(fs.readFileSync(path.join(ROOT, 'test', f), 'utf8'))));
const needsPack = (file) => packUsers.has(file);
/**
 * The tests' temp repositories go to a RAM file system when the machine has one with room (/dev/shm, at
 * least 2 GiB free) and TMPDIR is not set: they are scratch, and on a disk each mkdir and unlink of
 * thousands of small files costs the kernel (measured here on ext4: 39 s for the suite → 31 s).
 */
function scratch() {
  if (process.env.TMPDIR) return null;
  try {
    const { bavail, bsize } = fs.statfsSync('/dev/shm');
    if (bavail * bsize < 2 ** 31) return null;
    const dir = fs.mkdtempSync('/dev/shm/codex-hooks-tests-');
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    return dir;
  } catch {
    return null; // no /dev/shm (macOS), or not writable
  }
}
const tmp = scratch();
if (tmp) process.env.TMPDIR = tmp;

const children = new Set();
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.on(signal, () => {
    for (const child of children) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    process.exit(code); // the 'exit' handlers remove the temp folders
  });
}

/**
 * A node child of this run, in a process group of its own (an interrupted run ends it with the git
 * processes it started): its exit, its output (stdout and stderr as they came) and how long it took.
 */
function runNode(args, env = process.env) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code, signal, output, seconds: (performance.now() - started) / 1000 });
    });
  });
}

async function runFile(file, env) {
  const r = await runNode([path.join('test', file)], env);
  const plain = r.output.replace(/\u001b\[[0-9;]*m/g, '');
  const count = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? 0);
  return { file, ...r, total: count('Total'), passed: count('Passed'), skipped: count('Skipped') };
}

/** tsc over src/, as one more job: a type error fails the run like a failing test. */
async function typeCheck() {
  const { code, output, seconds } = await runNode([path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.', '--noEmit']);
  if (code === 0) process.stdout.write(`✔ ${'types (tsc --noEmit)'.padEnd(28)}             ${seconds.toFixed(1)} s\n`);
  else process.stdout.write(`\n✖ types (tsc --noEmit, exit ${code})\n${output}\n`);
  return code === 0;
}

/**
 * Runs `jobs` things at once: the pack, the type check, then the files slowest first; a file that needs
 * the packed package is passed over until the pack is done (other files take its turn meanwhile).
 */
const started = performance.now();
const results = [];
let running = 0;
let packedDir = null;
let packFailed = false;
let finish;
const allDone = new Promise((resolve) => (finish = resolve));
const queue = [...files];
const report = (r) => {
  const ok = r.code === 0 && r.total > 0 && r.passed + r.skipped === r.total;
  if (ok) process.stdout.write(`✔ ${r.file.padEnd(28)} ${String(r.passed).padStart(3)} passed${r.skipped ? `, ${r.skipped} skipped` : ''}  ${r.seconds.toFixed(1)} s\n`);
  else process.stdout.write(`\n✖ ${r.file} (exit ${r.code ?? r.signal})\n${r.output}\n`);
  results.push({ ...r, ok });
};
function next() {
  if (packFailed) for (const file of queue.filter(needsPack)) {
    queue.splice(queue.indexOf(file), 1);
    report({ file, code: null, signal: 'no packed package', output: 'not run: the pack failed', seconds: 0, total: 0, passed: 0, skipped: 0 });
  }
  while (running < jobs) {
    const at = queue.findIndex((f) => packedDir || !needsPack(f));
    if (at < 0) break;
    const file = queue.splice(at, 1)[0];
    running++;
    runFile(file, needsPack(file) ? { ...process.env, CODEX_HOOKS_TEST_PACKED: packedDir } : process.env).then((r) => {
      running--;
      report(r);
      next();
    });
  }
  if (running === 0 && queue.length === 0) finish();
}
const job = (work) => {
  running++;
  return work().finally(() => {
    running--;
    next();
  });
};
/** The packed package, made by a child process (packing takes seconds: this one keeps reading the others' output). */
function packOnce() {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'codex-hooks-packed-')));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const script = "const { packInto } = await import('./test/e2e-helpers.js'); packInto(process.argv[1]);";
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code) => {
      if (code === 0) packedDir = path.join(dir, 'node_modules');
      else {
        // the files that needed it fail, the others run on
        process.stdout.write(`\n✖ npm pack / npm install of the tarball failed (exit ${code}): see above\n`);
        packFailed = true;
      }
      resolve();
    });
  });
}
const packing = files.some(needsPack) ? job(packOnce) : Promise.resolve();
const typesOk = job(typeCheck);
next();
await packing;
await allDone;

fs.mkdirSync(path.dirname(TIMES), { recursive: true });
const times = { ...lastTimes, ...Object.fromEntries(results.filter((r) => r.total > 0).map((r) => [r.file, Math.round(r.seconds * 10) / 10])) };
fs.writeFileSync(TIMES, JSON.stringify(times));
if (saveDurations) fs.writeFileSync(DURATIONS, JSON.stringify(Object.fromEntries(Object.entries(times).sort(([a], [b]) => a.localeCompare(b))), null, 2) + '\n');

const failed = results.filter((r) => !r.ok).map((r) => r.file);
if (!(await typesOk)) failed.push('the type check');
const sum = (k) => results.reduce((n, r) => n + r[k], 0);
process.stdout.write(
  `\n${results.length} files, ${sum('total')} tests: ${sum('passed')} passed, ${sum('skipped')} skipped, ${sum('total') - sum('passed') - sum('skipped')} failed` +
    ` — ${((performance.now() - started) / 1000).toFixed(1)} s, ${jobs} at once\n${failed.length ? `✖ failed: ${failed.join(', ')}\n` : ''}`,
);
process.exitCode = failed.length || packFailed ? 1 : 0;
