// Runs the codex-hooks CLI as the hooks start it (bin/hook.cjs) (V8's code cache included) and writes this process's peak
// resident memory (bytes) to $BENCH_RSS_FILE.
const fs = require('node:fs');
process.on('exit', () => fs.writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS * 1024)));
require('../bin/hook.cjs');
