// Runs the runner (dist/codex-hooks.cjs) for bin/codex-hooks.cjs, once the node is known to be new enough.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { available, readChecked, writeChecked } = require('./code-cache.cjs');

const file = path.join(__dirname, '../dist/codex-hooks.cjs');
const compiled = loadCompiled(file);
const { main } = compiled.exports;

// `codex-hooks status | head`: the command's output is dropped once its reader has gone (src/ui/output.ts).

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  if (process.env.CODEX_HOOKS_TRACE) process.stderr.write(`codex-hooks trace: at ${performance.now().toFixed(0)} ms  main returned\n`);
  // what a command that failed, or only printed its help, compiled is no guide to the next run
  const helpOnly = process.argv.length <= 2 || process.argv.some((a) => a === '--help' || a === '-h' || a === '--version' || a === '-v');
  if (code === 0 && !helpOnly) compiled.save();
});

/**
 * The runner, with V8's code cache: compiling the bundle, and then each function a command calls, costs a
 * hook more than its own work between git's fetch and push (a warm sync measured 185 -> 161 ms, median of
 * 15 alternating runs). The cache is made after a command has run, so it holds the functions that command
 * compiled: one file per command and runner (`compiled/` in the cache folder), named by the runner's
 * content hash (its first line, written by scripts/bundle.mjs) and node's version, each checked by its
 * CRC-32 before V8 sees it (code-cache.cjs). Anything amiss (no home folder, an unreadable cache, a node without
 * zlib.crc32) runs the runner as it is; CODEX_HOOKS_NO_CODE_CACHE=1 always does.
 */
function loadCompiled(runner) {
  const plain = () => ({ exports: require(runner), save() {} });
  let source;
  let cacheFile;
  let cached;
  let cachedAt = 0;
  try {
    if (process.env.CODEX_HOOKS_NO_CODE_CACHE || !available) return plain();
    source = fs.readFileSync(runner, 'utf8');
    const build = /^\/\/ codex-hooks build ([0-9a-f]{16})\n/.exec(source);
    if (!build) return plain();
    const env = process.env;
    const root = env.CODEX_HOOKS_CACHE_DIR ? path.resolve(env.CODEX_HOOKS_CACHE_DIR) : path.join(env.XDG_CACHE_HOME || path.join(env.HOME || require('node:os').homedir(), '.cache'), 'codex-hooks');
    const [first, second] = process.argv.slice(2, 4);
    const command = /^[a-z][a-z-]{0,30}$/.test(first || '') ? first + (first === 'hook' && /^[a-z-]{1,30}$/.test(second || '') ? `-${second}` : '') : 'other';
    cacheFile = path.join(root, 'compiled', `runner-${command}-${build[1]}-${process.version}-${process.arch}.v8`);
    cached = readChecked(cacheFile);
    if (cached) cachedAt = fs.statSync(cacheFile).mtimeMs;
  } catch {
    return plain(); // e.g. no home folder to find the cache in: run without it
  }
  // the runner's import() of a library it loads lazily (scripts/bundle.mjs), run from this module: inside
  // node:vm an import() needs node's experimental loader
  globalThis.__codexHooksImport = (name) => import(name);
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) { ${source}\n})`, { filename: runner, cachedData: cached });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, require('node:module').createRequire(runner), module, runner, path.dirname(runner));
  return {
    exports: module.exports,
    save() {
      // An hour old, it is made again with what this run compiled besides what it held: a cache made by one
      // path of a command (a pre-push that only decided) then grows to hold the others (one that pulled),
      // which would otherwise compile their functions on every run; at most one write an hour per command.
      if (cached && !script.cachedDataRejected && Date.now() - cachedAt < REMADE_AFTER_MS) return;
      try {
        writeChecked(cacheFile, script.createCachedData());
        prune(path.dirname(cacheFile));
      } catch {
        // a read-only cache folder: the next run compiles again
      }
    },
  };
}

const REMADE_AFTER_MS = 60 * 60 * 1000;

/** Caches not written for 30 days go (older runners and nodes); several projects on different versions keep theirs. */
function prune(dir) {
  const old = Date.now() - 30 * 24 * 3600 * 1000;
  for (const name of fs.readdirSync(dir)) {
    if (!/^runner-.*\.v8(\.\d+\.tmp)?$/.test(name)) continue;
    const full = path.join(dir, name);
    if (fs.statSync(full).mtimeMs < old) fs.rmSync(full, { force: true });
  }
}
