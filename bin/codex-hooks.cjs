#!/usr/bin/env node
// CommonJS on purpose: a hook starts here, and the ES module loader would add to every git push.
const { main } = require('../dist/codex-hooks.cjs');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
