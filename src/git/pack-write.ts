import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { hashObject } from './objects.js';
import type { ObjectSource } from './store.js';
import type { GitObject } from './batch.js';

/**
 * Objects written in memory and then into the repository as one pack (gitformat-pack(5): a version-2 pack
 * of whole objects and its version-2 index), instead of one loose file each: a batch of many commits
 * writes hundreds of small objects, and on a busy disk a new file costs more than the object's work.
 * Reads go to the objects held here first, then to `below`.
 */
export class PackWriter implements ObjectSource {
  private held = new Map<string, { type: string; body: Buffer }>();
  private bytes = 0;

  constructor(
    private objectsDir: string,
    private below: ObjectSource,
    /** Past this many bytes held, the objects are written out (memory stays bounded on a first sync). */
    private limit = 32 * 1024 * 1024,
  ) {}

  /** Holds an object; returns its id. */
  write = (type: 'blob' | 'tree' | 'commit', body: Buffer): string => {
    const oid = hashObject(type, body);
    if (!this.held.has(oid)) {
      this.held.set(oid, { type, body });
      this.bytes += body.length;
      if (this.bytes > this.limit) this.flush();
    }
    return oid;
  };

  async read(oid: string): Promise<GitObject | null> {
    return (await this.readMany([oid]))[0];
  }

  async readMany(oids: string[]): Promise<Array<GitObject | null>> {
    const here = oids.map((oid) => {
      const o = this.held.get(oid);
      return o ? { oid, type: o.type, body: o.body } : null;
    });
    const missing = oids.filter((_, i) => !here[i]);
    if (missing.length === 0) return here;
    const answers = await this.below.readMany(missing);
    let next = 0;
    return here.map((o) => o ?? answers[next++]);
  }

  async sizes(oids: string[]): Promise<Map<string, number>> {
    const missing = oids.filter((oid) => !this.held.has(oid));
    const out = missing.length ? await this.below.sizes(missing) : new Map<string, number>();
    for (const oid of oids) {
      const o = this.held.get(oid);
      if (o) out.set(oid, o.body.length);
    }
    return out;
  }

  close(): void {}

  /** Writes what is held as one pack and its index (pack first: an index names a complete pack). */
  flush(): void {
    if (this.held.size === 0) return;
    const entries = [...this.held].map(([oid, o]) => ({ oid, ...o }));
    this.held = new Map();
    this.bytes = 0;
    writePack(path.join(this.objectsDir, 'pack'), entries);
  }
}

const TYPE_CODE: Record<string, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

function entryHeader(type: string, size: number): Buffer {
  const bytes = [(TYPE_CODE[type] << 4) | (size & 0x0f)];
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes[bytes.length - 1] |= 0x80;
    bytes.push(rest & 0x7f);
    rest = Math.floor(rest / 128);
  }
  return Buffer.from(bytes);
}

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(parts: Buffer[]): number {
  let c = -1;
  for (const b of parts) for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** Writes `pack-<checksum>.pack` and `.idx` into `packDir`, each through a temporary file and a rename. */
export function writePack(packDir: string, objects: Array<{ oid: string; type: string; body: Buffer }>): string {
  const parts: Buffer[] = [];
  const head = Buffer.alloc(12);
  head.write('PACK', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(objects.length, 8);
  parts.push(head);
  let offset = 12;
  const index: Array<{ oid: Buffer; offset: number; crc: number }> = [];
  for (const o of objects) {
    const h = entryHeader(o.type, o.body.length);
    // as for a loose object: a small window for a small object, whose setup would cost more than it saves
    const z = zlib.deflateSync(o.body, o.body.length < 1024 ? { level: 1, windowBits: 9, memLevel: 1 } : { level: 1 });
    index.push({ oid: Buffer.from(o.oid, 'hex'), offset, crc: crc32([h, z]) });
    parts.push(h, z);
    offset += h.length + z.length;
  }
  const packSum = crypto.createHash('sha1');
  for (const p of parts) packSum.update(p);
  const checksum = packSum.digest();
  parts.push(checksum);
  if (offset >= 2 ** 31) throw new Error('pack too large for small offsets'); // never: the writer flushes at 32 MiB

  index.sort((a, b) => a.oid.compare(b.oid));
  const idx = Buffer.alloc(8 + 256 * 4 + index.length * (20 + 4 + 4) + 40);
  idx.writeUInt32BE(0xff744f63, 0);
  idx.writeUInt32BE(2, 4);
  let at = 8;
  for (let b = 0, n = 0; b < 256; b++) {
    while (n < index.length && index[n].oid[0] <= b) n++;
    idx.writeUInt32BE(n, at);
    at += 4;
  }
  for (const e of index) at += e.oid.copy(idx, at);
  for (const e of index) at = idx.writeUInt32BE(e.crc, at);
  for (const e of index) at = idx.writeUInt32BE(e.offset, at);
  at += checksum.copy(idx, at);
  crypto.createHash('sha1').update(idx.subarray(0, at)).digest().copy(idx, at);

  fs.mkdirSync(packDir, { recursive: true });
  const name = `pack-${checksum.toString('hex')}`;
  for (const [ext, data] of [['pack', parts], ['idx', [idx]]] as const) {
    const tmp = path.join(packDir, `tmp_${ext}_codex_${process.pid}`);
    fs.rmSync(tmp, { force: true }); // left read-only by a killed process that had our pid
    fs.writeFileSync(tmp, Buffer.concat(data as Buffer[]), { mode: 0o444 });
    fs.renameSync(tmp, path.join(packDir, `${name}.${ext}`));
  }
  return name;
}
