// Runs the codex-hooks CLI and writes this process's peak resident memory (bytes) to $BENCH_RSS_FILE.
const fs = require('node:fs');
const { main } = require('../dist/codex-hooks.cjs');
main(process.argv.slice(2)).then((code) => {
  fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024));
  process.exitCode = code;
});
