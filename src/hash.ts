import { createRequire } from 'node:module';
import type { Hash } from 'node:crypto';

/** node:crypto takes ~6 ms to load on a small machine: only work that hashes pays for it, when it does. */
let crypto: typeof import('node:crypto') | undefined;

export function createHash(algorithm: 'sha1' | 'sha256'): Hash {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto.createHash(algorithm);
}

/**
 * A short stable name for a string (FNV-1a, 64 bits, as 16 hex digits): tells folders apart, not a
 * security measure, and needs no crypto module before a sync's first git process starts.
 */
export function shortId(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}
