import path from 'node:path';
import picomatch from 'picomatch';

/**
 * The fixed path a glob can only match under, in one place for every reader of patterns: `docs/**` →
 * `docs`, `README.md` → `README.md`, `./docs/*.md` → `docs`. Null when the pattern can match anywhere
 * (it starts with a glob: `**\/*.md`), is a negation, or leaves the tree (`../x`, `/x`).
 */
export function fixedBase(pattern: string): string | null {
  const scan = picomatch.scan(pattern);
  if (scan.negated) return null;
  const base = path.posix.normalize(scan.isGlob ? scan.base : pattern).replace(/\/+$/, '');
  if (!base || base === '.' || base === '..' || base.startsWith('../') || base.startsWith('/') || base.includes('\\')) return null;
  return base;
}
