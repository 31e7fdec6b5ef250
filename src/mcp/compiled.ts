import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/**
 * `require(file)` of a large bundled CommonJS file (dist/mcp.cjs: the MCP SDK and zod, ~1 MB), with
 * V8's code cache kept in `cacheDir`: compiling the file costs more than node's own start, and an MCP
 * client times a server's start. A cache that V8 rejects (another node, another file) is made again;
 * one that cannot be written only costs the next start that time.
 */
export function requireCached(file: string, cacheDir: string): unknown {
  const source = fs.readFileSync(file, 'utf8');
  const st = fs.statSync(file);
  const cacheFile = path.join(cacheDir, `${path.basename(file)}-${st.size}-${Math.floor(st.mtimeMs)}-${process.version}-${process.arch}.v8`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    // first start with this file and this node
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n})`; // node's own CommonJS wrapper
  // Builtins are bundled as require()s; should anything still import(), node's own loader answers it.
  const importModuleDynamically = (vm as unknown as { constants?: { USE_MAIN_CONTEXT_DEFAULT_LOADER?: symbol } }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  const script = new vm.Script(wrapped, { filename: file, cachedData, ...(importModuleDynamically ? { importModuleDynamically: importModuleDynamically as never } : {}) });
  const module = { exports: {} as unknown };
  script.runInThisContext()(module.exports, createRequire(file), module, file, path.dirname(file));
  if (!cachedData || script.cachedDataRejected) {
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, cacheFile);
    } catch {
      // a read-only cache folder: the next start compiles again
    }
  }
  return module.exports;
}
