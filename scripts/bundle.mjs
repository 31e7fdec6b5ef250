// Compiles src/ (types are checked by `tsc --noEmit`, see package.json): each module to dist/ as it is, for
// the tests and scripts that import one module; and the runner bundled into one CommonJS file
// (dist/codex-hooks.cjs) for the bin. A hook is timed against
// a bare `node -e 0`: resolving ~40 ES modules one by one, and the ES loader's facades over node's
// built-ins, cost more than the hook's own work. The heavy libraries stay outside, loaded with import()
// only by the commands that need them.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
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

// `codex-hooks mcp` loads the MCP server, SDK included, from a file of its own (dist/mcp.cjs): the
// runner that every hook loads never holds a byte of it. It is loaded with V8's code cache
// (src/mcp/compiled.ts), kept beside the codex caches: compiling 1 MB would double the server's start.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const mcpApart = {
  name: 'mcp-apart',
  setup(b) {
    b.onResolve({ filter: /\/mcp\/serve\.js$/ }, (args) => (args.namespace === 'mcp-apart' ? undefined : { path: 'serve', namespace: 'mcp-apart' }));
    b.onLoad({ filter: /.*/, namespace: 'mcp-apart' }, () => ({
      resolveDir: ROOT,
      loader: 'ts',
      contents: [
        "import path from 'node:path';",
        "import { requireCached } from './src/mcp/compiled.ts';",
        "import { cacheRoot } from './src/sync/cache/cache.ts';",
        'export const serve = (o: { env?: NodeJS.ProcessEnv }) =>',
        "  (requireCached(path.join(__dirname, 'mcp.cjs'), path.join(cacheRoot(o.env ?? process.env), 'v8')) as { serve: (o: unknown) => Promise<void> }).serve(o);",
      ].join('\n'),
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  define: { 'import.meta.url': '__codexHooksUrl' },
  banner: { js: "const __codexHooksUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};

/**
 * Builds, then writes only the files whose content changed, each whole (written aside, renamed): a pack
 * made while tests run (scripts/test.mjs) rebuilds without touching a file a test is reading.
 */
async function emit(options, transform = (contents) => contents) {
  // A bundle's first line names its content: the V8 code caches of the bin and of the MCP server are keyed by it
  // (a file's size and time are no proof: an unpacked tarball's files all have one date).
  const named = (contents) => {
    const body = transform(contents);
    return Buffer.concat([Buffer.from(`// codex-hooks build ${createHash('sha256').update(body).digest('hex').slice(0, 16)}\n`), body]);
  };
  const { outputFiles } = await build({ ...options, write: false });
  for (const out of outputFiles) {
    const contents = options.format === 'cjs' ? named(out.contents) : out.contents;
    const now = fs.existsSync(out.path) ? fs.readFileSync(out.path) : null;
    if (now && Buffer.compare(now, contents) === 0) continue;
    fs.mkdirSync(path.dirname(out.path), { recursive: true });
    fs.writeFileSync(`${out.path}.tmp-${process.pid}`, contents);
    fs.renameSync(`${out.path}.tmp-${process.pid}`, out.path);
  }
}

// Each module on its own (what tsc would emit: ES modules, imports kept): tests import them one by one.
await emit({
  entryPoints: fs.readdirSync('src', { recursive: true }).filter((f) => f.endsWith('.ts')).map((f) => `src/${f}`),
  outdir: 'dist',
  outbase: 'src',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});

// The bin runs the runner from V8's code cache through node:vm (bin/codex-hooks.cjs), where an import()
// would need node's experimental vm loader (and print its warning): the libraries loaded lazily are
// imported through the function the bin hands over, else (the runner required as it is) by import().
const RUNNER_EXTERNALS = ['zod', 'cosmiconfig', 'enquirer', 'gray-matter', 'js-yaml', 'log-update', 'p-limit', 'husky', 'dotenv'];
const viaBin = (contents) => {
  const text = Buffer.from(contents).toString('utf8').replace(/\bimport\("([^"]+)"\)/g, (all, name) => (RUNNER_EXTERNALS.includes(name) ? `__codexHooksImport(${JSON.stringify(name)})` : all));
  if (/\bimport\(/.test(text.replace('(s) => import(s)', ''))) throw new Error('dist/codex-hooks.cjs: an import() the bin cannot run from its code cache (add it to RUNNER_EXTERNALS)');
  return Buffer.from(text);
};
await emit(
  {
    ...common,
    banner: { js: `${common.banner.js}\nconst __codexHooksImport = globalThis.__codexHooksImport || ((s) => import(s));` },
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/codex-hooks.cjs',
    external: RUNNER_EXTERNALS,
    plugins: [builtinsOnce, mcpApart],
  },
  viaBin,
);

// The MCP server with the SDK bundled in (the SDK is a build-time dependency: an install does not pull
// in its HTTP servers and their dependencies), and the zod it validates tool arguments with: one file
// to compile from V8's code cache instead of a hundred of zod's to resolve and compile at each start.
await emit({
  ...common,
  entryPoints: ['src/mcp/serve.ts'],
  outfile: 'dist/mcp.cjs',
  plugins: [builtinsOnce],
});
