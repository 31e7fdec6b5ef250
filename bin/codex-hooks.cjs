#!/usr/bin/env node
// CommonJS on purpose: a hook starts here, and the ES module loader would add to every git push.
// Written so that any node parses it: an old node (a GUI client's PATH, node 12 say) gets one line
// here instead of a SyntaxError from the bundle. A hook then lets git go on, unless CODEX_ENV asked for
// a sync (design §6); the check costs no process of its own.
'use strict';
// The hooks start node with NODE_EXTRA_CA_CERTS empty, since node reads the file it names as it starts
// (~30 ms) for TLS codex-hooks never does, and its value in CODEX_HOOKS_EXTRA_CA_CERTS: given back here, so
// git, ssh and credential helpers get it as set (src/core/settings.ts).
var kept = process.env.CODEX_HOOKS_EXTRA_CA_CERTS;
if (kept !== undefined) {
  if (kept) process.env.NODE_EXTRA_CA_CERTS = kept;
  else delete process.env.NODE_EXTRA_CA_CERTS;
  delete process.env.CODEX_HOOKS_EXTRA_CA_CERTS;
}
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
