#!/usr/bin/env node
// CommonJS on purpose: a hook starts here, and the ES module loader would add to every git push.
const { main } = require('../dist/codex-hooks.cjs');

// `codex-hooks status | head`: once the reader has gone, the rest of the output is dropped and the
// command still finishes (a sync is never cut short by a closed pipe).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  if (process.env.CODEX_HOOKS_TRACE) process.stderr.write(`codex-hooks trace: at ${performance.now().toFixed(0)} ms  main returned\n`);
});
