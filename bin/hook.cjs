#!/usr/bin/env node
// The hooks' entry (hooks/pre-push, hooks/post-commit, the reference-transaction script): they start node
// with NODE_EXTRA_CA_CERTS empty, since node 20 reads the CA bundle it names as it starts (~30 ms) for TLS
// codex-hooks never does itself, and its value in CODEX_HOOKS_EXTRA_CA_CERTS — only when this file is
// there, so a hook script newer than the codex-hooks in node_modules never loses the value. Given back
// here, before anything runs: git, ssh and credential helpers get it as set. Parsable by any node, like
// codex-hooks.cjs.
'use strict';
var kept = process.env.CODEX_HOOKS_EXTRA_CA_CERTS;
if (kept !== undefined) {
  if (kept) process.env.NODE_EXTRA_CA_CERTS = kept;
  else delete process.env.NODE_EXTRA_CA_CERTS;
  delete process.env.CODEX_HOOKS_EXTRA_CA_CERTS;
}
require('./codex-hooks.cjs');
