// V8 code caches as codex-hooks keeps them (the bin's runner, bin/run.cjs, and the MCP server's bundle,
// src/mcp/compiled.ts): each file carries a CRC-32 of its data, checked before V8 sees it — V8 itself only
// checks the source's length, and damaged bytes can crash it. A node without zlib.crc32 keeps none.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const MAGIC = 'CHC1';

/** Whether this node can check caches (zlib.crc32 came in node 20.15). */
const available = typeof zlib.crc32 === 'function';

/** A cache file's data when its header and CRC-32 hold, else undefined (missing, damaged, another format). */
function readChecked(file) {
  let buffer;
  try {
    buffer = fs.readFileSync(file);
  } catch {
    return undefined; // first run with this bundle and this node
  }
  if (buffer.length < 8 || buffer.toString('latin1', 0, 4) !== MAGIC) return undefined;
  const data = buffer.subarray(8);
  return zlib.crc32(data) === buffer.readUInt32LE(4) ? data : undefined;
}

/** Writes `data` with its header, whole (written aside, renamed); throws when the folder cannot be written. */
function writeChecked(file, data) {
  const head = Buffer.alloc(8);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(zlib.crc32(data), 4);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, Buffer.concat([head, data]));
  fs.renameSync(tmp, file);
}

module.exports = { available, readChecked, writeChecked };
