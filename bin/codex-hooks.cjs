#!/usr/bin/env node
// CommonJS on purpose: a hook starts here, and the ES module loader would add to every git push.
const { main } = require('../dist/codex-hooks.cjs');

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  if (process.env.CODEX_HOOKS_TRACE) process.stderr.write(`codex-hooks trace: at ${performance.now().toFixed(0)} ms  main returned\n`);
  process.on('exit', () => { if (process.env.CODEX_HOOKS_TRACE) process.stderr.write(`codex-hooks trace: at ${performance.now().toFixed(0)} ms  exit\n`); });
});
