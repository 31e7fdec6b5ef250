/**
 * A short stable name for a string (FNV-1a, 64 bits, as 16 hex digits): tells cache folders apart, not a
 * security measure. Kept (rather than a slice of sha256) so that existing cache folders keep their names.
 */
export function shortId(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(text)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}
