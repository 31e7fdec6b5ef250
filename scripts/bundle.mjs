// Bundles the runner into one CommonJS file (dist/codex-hooks.cjs) for the bin. A hook is timed against
// a bare `node -e 0`: resolving ~40 ES modules one by one, and the ES loader's facades over node's
// built-ins, cost more than the hook's own work. The heavy libraries stay outside, loaded with import()
// only by the commands that need them.
import { createRequire } from 'node:module';
import { build } from 'esbuild';

// `import fs from 'node:fs'` in each module would become its own interop copy of the whole module
// object (~0.3 ms for fs, and 20 modules import it). Each built-in is instead one ES module made here,
// required once, whose default and named exports every importer shares.
const require = createRequire(import.meta.url);
const builtinsOnce = {
  name: 'builtins-once',
  setup(b) {
    b.onResolve({ filter: /^node:[a-z_]+$/ }, (args) => (args.namespace === 'builtin-once' ? undefined : { path: args.path, namespace: 'builtin-once' }));
    b.onLoad({ filter: /.*/, namespace: 'builtin-once' }, (args) => {
      // An accessor (fs.promises, util.parseArgs) loads what it guards when read: a function behind one
      // is exported as a wrapper that reads it at the call, anything else behind one is left out.
      const builtin = require(args.path);
      const lines = [`const m = require(${JSON.stringify(args.path)});`, 'export default m;'];
      for (const k of Object.keys(builtin)) {
        if (!/^[A-Za-z_$][\w$]*$/.test(k) || k === 'default') continue;
        if ('value' in Object.getOwnPropertyDescriptor(builtin, k)) lines.push(`export const ${k} = m.${k};`);
        else if (typeof builtin[k] === 'function') lines.push(`export const ${k} = (...a) => m.${k}(...a);`);
      }
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

await build({
  entryPoints: ['src/cli.ts'],
  outfile: 'dist/codex-hooks.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  external: ['zod', 'cosmiconfig', 'enquirer', 'gray-matter', 'js-yaml', 'log-update', 'p-limit', 'husky'],
  define: { 'import.meta.url': '__codexHooksUrl' },
  banner: { js: "const __codexHooksUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [builtinsOnce],
  logLevel: 'warning',
});
