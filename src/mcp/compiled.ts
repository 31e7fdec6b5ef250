import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

interface CodeCache {
  available: boolean;
  readChecked: (file: string) => Buffer | undefined;
  writeChecked: (file: string, data: Buffer) => void;
}

/**
 * `require(file)` of a large bundled CommonJS file (dist/mcp.cjs: the MCP SDK and zod, ~1 MB), with
 * V8's code cache kept in `cacheDir`: compiling the file costs more than node's own start, and an MCP
 * client times a server's start. The cache is named by the bundle's content hash and checked by its CRC-32
 * (bin/code-cache.cjs); one that V8 rejects or that fails its check is made again; one that cannot be written only costs the
 * next start that time.
 */
export function requireCached(file: string, cacheDir: string): unknown {
  const require = createRequire(file);
  // the caches' format, shared with the bin's runner (the bundle sits in dist/, the bin beside it)
  const { available, readChecked, writeChecked } = require('../bin/code-cache.cjs') as CodeCache;
  const source = fs.readFileSync(file, 'utf8');
  // named by the bundle's content (its first line, scripts/bundle.mjs): a size and a time are no proof
  const build = /^\/\/ codex-hooks build ([0-9a-f]{16})\n/.exec(source)?.[1];
  if (!build || !available) return require(file);
  const cacheFile = path.join(cacheDir, `${path.basename(file)}-${build}-${process.version}-${process.arch}.v8`);
  const cachedData = readChecked(cacheFile);
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`; // node's own CommonJS wrapper
  // Builtins are bundled as require()s; should anything still import(), node's own loader answers it.
  const importModuleDynamically = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script(wrapped, { filename: file, cachedData, ...(importModuleDynamically ? { importModuleDynamically: importModuleDynamically as never } : {}) });
  const module = { exports: {} as unknown };
  script.runInThisContext()(module.exports, require, module, file, path.dirname(file));
  if (!cachedData || script.cachedDataRejected) {
    try {
      writeChecked(cacheFile, script.createCachedData());
    } catch {
      // a read-only cache folder: the next start compiles again
    }
  }
  return module.exports;
}

