import fs from 'node:fs';
import zlib from 'node:zlib';

/**
 * Objects read straight from a pack (`objects/pack/*.pack` with its version-2 `.idx`), so a sync reads
 * the codex's trees without a git process. Formats: gitformat-pack(5). Anything unexpected (another idx
 * version, a damaged entry) returns null, and the caller asks git instead.
 */
const TYPES = ['', 'commit', 'tree', 'blob', 'tag'] as const;
const OFS_DELTA = 6;
const REF_DELTA = 7;

export interface PackObject {
  type: string;
  body: Buffer;
}

export class Pack {
  /** An index up to this size is read whole; a larger one (a very large repository) is read in place. */
  static wholeIndexBytes = 8 * 1024 * 1024;

  /** Objects read lately (small ones only): the deltas of a chain share their bases. */
  private bases = new Map<number, PackObject>();
  private cachedBytes = 0;

  private constructor(
    private head: Buffer,
    private idx: Buffer | null,
    private idxFd: number | null,
    private fd: number,
    private count: number,
  ) {}

  /** Opens `<name>.idx` and `<name>.pack`; null when the index is not version 2 or the files are gone. */
  static open(base: string): Pack | null {
    let idxFd: number | null = null;
    try {
      idxFd = fs.openSync(`${base}.idx`, 'r');
      const whole = fs.fstatSync(idxFd).size <= Pack.wholeIndexBytes;
      const head = whole ? fs.readFileSync(idxFd) : Buffer.alloc(8 + 256 * 4);
      if (!whole) fs.readSync(idxFd, head, 0, head.length, 0);
      if (head.readUInt32BE(0) !== 0xff744f63 || head.readUInt32BE(4) !== 2) throw new Error('not a version 2 index');
      const pack = new Pack(head, whole ? head : null, whole ? null : idxFd, fs.openSync(`${base}.pack`, 'r'), head.readUInt32BE(8 + 255 * 4));
      if (whole) fs.closeSync(idxFd);
      return pack;
    } catch {
      if (idxFd !== null) fs.closeSync(idxFd);
      return null;
    }
  }

  close(): void {
    fs.closeSync(this.fd);
    if (this.idxFd !== null) fs.closeSync(this.idxFd);
  }

  private idxAt(pos: number, length: number): Buffer {
    if (this.idx) return this.idx.subarray(pos, pos + length);
    const b = Buffer.alloc(length);
    fs.readSync(this.idxFd!, b, 0, length, pos);
    return b;
  }

  /** The offset of an object in the pack, by binary search within its first byte's fan-out slot. */
  offsetOf(oid: string): number | null {
    const want = Buffer.from(oid, 'hex');
    const first = want[0];
    let lo = first === 0 ? 0 : this.head.readUInt32BE(8 + (first - 1) * 4);
    let hi = this.head.readUInt32BE(8 + first * 4);
    const shas = 8 + 256 * 4;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const cmp = this.idxAt(shas + mid * 20, 20).compare(want);
      if (cmp === 0) {
        const offsets = shas + this.count * 24;
        const small = this.idxAt(offsets + mid * 4, 4).readUInt32BE(0);
        if (!(small & 0x80000000)) return small;
        return Number(this.idxAt(offsets + this.count * 4 + (small & 0x7fffffff) * 8, 8).readBigUInt64BE(0));
      }
      if (cmp > 0) hi = mid;
      else lo = mid + 1;
    }
    return null;
  }

  /** An entry's header: its type, its size (the delta's, for a delta), its base, where its data starts. */
  private header(offset: number): { type: number; size: number; base: number | string | null; data: number } | null {
    const head = Buffer.alloc(64);
    const got = fs.readSync(this.fd, head, 0, 64, offset);
    let pos = 0;
    let c = head[pos++];
    const type = (c >> 4) & 7;
    let size = c & 15;
    for (let shift = 4; c & 0x80; shift += 7) {
      c = head[pos++];
      size += (c & 0x7f) * 2 ** shift;
    }
    let base: number | string | null = null;
    if (type === OFS_DELTA) {
      c = head[pos++];
      let back = c & 0x7f;
      while (c & 0x80) {
        c = head[pos++];
        back = (back + 1) * 128 + (c & 0x7f);
      }
      base = offset - back;
    } else if (type === REF_DELTA) {
      base = head.toString('hex', pos, pos + 20);
      pos += 20;
    } else if (!TYPES[type]) {
      return null;
    }
    return pos <= got ? { type, size, base, data: offset + pos } : null;
  }

  /** An object's size without inflating it (for a delta, from the first bytes of the delta). */
  sizeAt(offset: number): number | null {
    const h = this.header(offset);
    if (!h || h.base === null) return h?.size ?? null;
    const start = Buffer.alloc(64);
    fs.readSync(this.fd, start, 0, 64, h.data);
    try {
      const delta = zlib.inflateSync(start, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
      const [, next] = varint(delta, 0); // the base's size, then the object's
      return next < delta.length ? varint(delta, next)[0] : null;
    } catch {
      return null;
    }
  }

  /** The object at `offset`, deltas applied; `lookup` finds a REF_DELTA's base anywhere in the store. */
  read(offset: number, lookup: (oid: string) => PackObject | null): PackObject | null {
    const cached = this.bases.get(offset);
    if (cached) return cached;
    const h = this.header(offset);
    if (!h) return null;
    const base = typeof h.base === 'number' ? this.read(h.base, lookup) : typeof h.base === 'string' ? lookup(h.base) : null;
    if (h.base !== null && !base) return null;
    const data = this.inflate(h.data, h.size);
    if (!data) return null;
    const body = base ? applyDelta(base.body, data) : data;
    if (!body) return null;
    const object = { type: base ? base.type : TYPES[h.type], body };
    if (body.length <= 256 * 1024) {
      if (this.cachedBytes > 16 * 1024 * 1024) {
        this.bases.clear();
        this.cachedBytes = 0;
      }
      this.bases.set(offset, object);
      this.cachedBytes += body.length;
    }
    return object;
  }

  /** `size` bytes inflated from `at`: the compressed length is not stored, so read more until it fits. */
  private inflate(at: number, size: number): Buffer | null {
    for (let window = size + 256; ; window *= 4) {
      const buf = Buffer.alloc(window);
      const got = fs.readSync(this.fd, buf, 0, window, at);
      try {
        const out = zlib.inflateSync(buf.subarray(0, got), { chunkSize: Math.max(64, size + 1) });
        return out.length === size ? out : null;
      } catch {
        if (got < window) return null; // the whole rest of the file did not inflate: damaged
      }
    }
  }
}

/** A delta (gitformat-pack(5), "Deltified representation") applied to its base. */
export function applyDelta(base: Buffer, delta: Buffer): Buffer | null {
  const [baseSize, afterBase] = varint(delta, 0);
  if (baseSize !== base.length) return null;
  const [size, start] = varint(delta, afterBase);
  let pos = start;
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  while (pos < delta.length) {
    const op = delta[pos++];
    if (op & 0x80) {
      let from = 0;
      let n = 0;
      for (let i = 0; i < 4; i++) if (op & (1 << i)) from += delta[pos++] * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (op & (0x10 << i)) n += delta[pos++] * 2 ** (8 * i);
      if (n === 0) n = 0x10000;
      if (from + n > base.length || o + n > out.length) return null;
      base.copy(out, o, from, from + n);
      o += n;
    } else if (op) {
      if (o + op > out.length) return null;
      delta.copy(out, o, pos, pos + op);
      o += op;
      pos += op;
    } else {
      return null;
    }
  }
  return o === out.length ? out : null;
}

/** A delta's size field: 7 bits a byte, least significant first. Returns the value and the next position. */
function varint(buf: Buffer, at: number): [number, number] {
  let value = 0;
  let c;
  let shift = 0;
  do {
    c = buf[at++];
    value += (c & 0x7f) * 2 ** shift;
    shift += 7;
  } while (c & 0x80 && at < buf.length);
  return [value, at];
}
