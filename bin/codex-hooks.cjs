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

// The rest is in a file of its own, so that this one stays parsable by any node.
require('./run.cjs');
