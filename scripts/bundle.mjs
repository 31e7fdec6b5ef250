// Bundles the runner into one CommonJS file (dist/codex-hooks.cjs) for the bin. A hook is timed against
// a bare `node -e 0`: resolving ~40 ES modules one by one, and the ES loader's facades over node's
// built-ins, cost more than the hook's own work. The heavy libraries stay outside, loaded with import()
// only by the commands that need them.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/codex-hooks.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  external: ['zod', 'cosmiconfig', 'enquirer', 'gray-matter', 'log-update', 'p-limit', 'husky'],
  define: { 'import.meta.url': '__codexHooksUrl' },
  banner: { js: "const __codexHooksUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
