#!/usr/bin/env node
// CommonJS on purpose: a hook starts here, and the ES module loader would add to every git push.
// Written so that any node parses it: an old node (a GUI client's PATH, node 12 say) gets one line
// here instead of a SyntaxError from the bundle. A hook then lets git go on, unless CODEX_ENV asked for
// a sync (design §6); the check costs no process of its own.
'use strict';
var major = Number(process.versions.node.split('.')[0]);
if (major < 20) {
  var hook = process.argv[2] === 'hook';
  var asked = process.env.CODEX_ENV;
  var why = 'codex-hooks: node ' + process.version + ' is too old (codex-hooks needs node 20 or newer; see the README: node in GUI clients)';
  var what = !hook ? '' : asked ? ', and CODEX_ENV=' + asked + ' asked for a docs sync: push stopped' : process.argv[3] === 'pre-push' ? '; docs not synced, push goes on' : '; docs not synced';
  process.stderr.write(why + what + '\n');
  process.exit(hook && !asked ? 0 : 1);
}

var compiled = loadCompiled(require('path').join(__dirname, '../dist/codex-hooks.cjs'));
var main = compiled.exports.main;

// `codex-hooks status | head`: once the reader has gone, the rest of the output is dropped and the
// command still finishes (a sync is never cut short by a closed pipe).
[process.stdout, process.stderr].forEach(function (stream) {
  stream.on('error', function (error) {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
});

main(process.argv.slice(2)).then(function (code) {
  process.exitCode = code;
  if (process.env.CODEX_HOOKS_TRACE) process.stderr.write('codex-hooks trace: at ' + performance.now().toFixed(0) + ' ms  main returned\n');
  if (code === 0) compiled.save(); // what a command that failed compiled is no guide to the next run
});

/**
 * The runner, with V8's code cache: compiling the bundle, and then each function a command calls, costs a
 * hook more than its own work between git's fetch and push (a warm sync measured 185 -> 161 ms, median of
 * 15 alternating runs). The cache is made after a command has run, so it holds the functions that command
 * compiled, one file per command (`compiled/` in the codex cache folder), keyed by the bundle's size and
 * time and by node's version: V8 checks the rest and rejects a cache that does not fit (then it is made
 * again). Nothing is cached where it cannot be written; CODEX_HOOKS_NO_CODE_CACHE=1 requires it as it is.
 */
function loadCompiled(file) {
  var fs = require('fs');
  var path = require('path');
  var vm = require('vm');
  var plain = { exports: null, save: function () {} };
  if (process.env.CODEX_HOOKS_NO_CODE_CACHE) {
    plain.exports = require(file);
    return plain;
  }
  // the runner's import() of a library it loads lazily (scripts/bundle.mjs), run from this module
  globalThis.__codexHooksImport = function (name) {
    return import(name);
  };
  var env = process.env;
  var root = env.CODEX_HOOKS_CACHE_DIR ? path.resolve(env.CODEX_HOOKS_CACHE_DIR) : path.join(env.XDG_CACHE_HOME || path.join(env.HOME || require('os').homedir(), '.cache'), 'codex-hooks');
  var args = process.argv.slice(2, 4);
  var command = /^[a-z][a-z-]{0,30}$/.test(args[0] || '') ? args[0] + (args[0] === 'hook' && /^[a-z-]{1,30}$/.test(args[1] || '') ? '-' + args[1] : '') : 'other';
  var source = fs.readFileSync(file, 'utf8');
  var st = fs.statSync(file);
  var cacheFile = path.join(root, 'compiled', ['runner', command, st.size, Math.floor(st.mtimeMs), process.version, process.arch].join('-') + '.v8');
  var cached;
  try {
    cached = fs.readFileSync(cacheFile);
  } catch (error) {
    // first run of this command with this bundle and this node
  }
  var script = new vm.Script('(function (exports, require, module, __filename, __dirname) { ' + source + '\n})', { filename: file, cachedData: cached });
  var module = { exports: {} };
  script.runInThisContext()(module.exports, require('module').createRequire(file), module, file, path.dirname(file));
  return {
    exports: module.exports,
    save: function () {
      if (cached && !script.cachedDataRejected) return;
      try {
        fs.mkdirSync(path.dirname(cacheFile), { recursive: true });
        var tmp = cacheFile + '.' + process.pid + '.tmp';
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
        // this command's caches of earlier bundles or nodes go
        var prefix = 'runner-' + command + '-';
        fs.readdirSync(path.dirname(cacheFile)).forEach(function (name) {
          if (name.indexOf(prefix) === 0 && /^\d/.test(name.slice(prefix.length)) && name !== path.basename(cacheFile)) fs.rmSync(path.join(path.dirname(cacheFile), name), { force: true });
        });
      } catch (error) {
        // a read-only cache folder: the next run compiles again
      }
    },
  };
}
