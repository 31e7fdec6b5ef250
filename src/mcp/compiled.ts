import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

/**
 * `require(file)` of a large bundled CommonJS file (dist/mcp.cjs: the MCP SDK and zod, ~1 MB), with
 * V8's code cache kept in `cacheDir`: compiling the file costs more than node's own start, and an MCP
 * client times a server's start. The cache is named by the bundle's content hash and carries a CRC-32 of its
 * data; one that V8 rejects or that fails its check is made again; one that cannot be written only costs the
 * next start that time.
 */
export function requireCached(file: string, cacheDir: string): unknown {
  const source = fs.readFileSync(file, 'utf8');
  // named by the bundle's content (its first line, scripts/bundle.mjs): a size and a time are no proof
  const build = /^\/\/ codex-hooks build ([0-9a-f]{16})\n/.exec(source)?.[1];
  if (!build || typeof zlib.crc32 !== 'function') return createRequire(file)(file);
  const cacheFile = path.join(cacheDir, `${path.basename(file)}-${build}-${process.version}-${process.arch}.v8`);
  const cachedData = readChecked(cacheFile);
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
      const data = script.createCachedData();
      const head = Buffer.alloc(8);
      head.write('CHC1', 0, 'latin1');
      head.writeUInt32LE(zlib.crc32(data), 4);
      fs.writeFileSync(tmp, Buffer.concat([head, data]));
      fs.renameSync(tmp, cacheFile);
    } catch {
      // a read-only cache folder: the next start compiles again
    }
  }
  return module.exports;
}

/** A cache file's data when its header and CRC-32 hold (V8 checks only the source's length; damaged bytes can crash it). */
function readChecked(cacheFile: string): Buffer | undefined {
  let buffer: Buffer;
  try {
    buffer = fs.readFileSync(cacheFile);
  } catch {
    return undefined; // first start with this bundle and this node
  }
  if (buffer.length < 8 || buffer.toString('latin1', 0, 4) !== 'CHC1') return undefined;
  const data = buffer.subarray(8);
  return zlib.crc32(data) === buffer.readUInt32LE(4) ? data : undefined;
}
