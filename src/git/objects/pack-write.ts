import zlib from 'node:zlib';
import { crypto } from '../../core/builtin.js';
import { runGit, type RunOptions } from '../exec.js';
import { hashObject } from './objects.js';
import type { ObjectSource } from './store.js';
import type { GitObject } from './batch.js';

/**
 * Objects held in memory and handed to git in one go, instead of one loose file each: a batch of many
 * commits writes hundreds of small objects, and on a busy disk a new file costs more than the object's
 * work. What is ours is only the stream git reads (gitformat-pack(5): a version-2 pack of whole objects,
 * no deltas); `git index-pack --stdin` checks every object, stores the pack and writes its index (design §7:
 * packs are git's). Reads go to the objects held here first (until git has stored them), then to `below`.
 */
export class PackWriter implements ObjectSource {
  private held = new Map<string, { type: string; body: Buffer }>();
  /** Held objects not yet handed to git, and their size. */
  private unsent: string[] = [];
  private bytes = 0;
  private sending: Promise<void>[] = [];

  constructor(
    /** The repository git stores the objects in. */
    private git: RunOptions,
    private below: ObjectSource,
    /** Past this many bytes not yet handed over, they are handed to git (memory stays bounded on a first sync). */
    private limit = 32 * 1024 * 1024,
  ) {}

  /** Holds an object; returns its id. */
  write = (type: 'blob' | 'tree' | 'commit', body: Buffer): string => {
    const oid = hashObject(type, body);
    if (!this.held.has(oid)) {
      this.held.set(oid, { type, body });
      this.unsent.push(oid);
      this.bytes += body.length;
      if (this.bytes > this.limit) {
        const sent = this.send();
        sent.catch(() => {}); // reported by flush()
        this.sending.push(sent);
      }
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

  /** Resolves once git has stored every object written so far; rejects when it could not. */
  async flush(): Promise<void> {
    const sending = [...this.sending, this.send()];
    this.sending = [];
    await Promise.all(sending);
  }

  private async send(): Promise<void> {
    const oids = this.unsent;
    this.unsent = [];
    this.bytes = 0;
    if (oids.length === 0) return;
    await runGit(['index-pack', '--stdin'], { ...this.git, input: packStream(oids.map((oid) => this.held.get(oid)!)) });
    for (const oid of oids) this.held.delete(oid); // git has them now
  }
}

const TYPE_CODE: Record<string, number> = { commit: 1, tree: 2, blob: 3, tag: 4 };

/** An object's entry header: its type and its size, 4 bits then 7 bits a byte, least significant first. */
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

/** The pack stream of `objects`: header, each object whole and deflated, the SHA-1 of all that. */
export function packStream(objects: Array<{ type: string; body: Buffer }>): Buffer {
  const head = Buffer.alloc(12);
  head.write('PACK', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(objects.length, 8);
  const parts: Buffer[] = [head];
  for (const o of objects) {
    // as for a loose object: a small window for a small object, whose setup would cost more than it saves
    parts.push(entryHeader(o.type, o.body.length), zlib.deflateSync(o.body, o.body.length < 1024 ? { level: 1, windowBits: 9, memLevel: 1 } : { level: 1 }));
  }
  const sum = crypto().createHash('sha1');
  for (const p of parts) sum.update(p);
  parts.push(sum.digest());
  return Buffer.concat(parts);
}
