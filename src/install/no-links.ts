import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { msg } from '../core/messages.js';

/**
 * Refuses to write `rel` (a path in the repository, `/`-separated) when it, or a folder on the way to it,
 * is a symbolic link: the repository's files are anyone's commit, and a committed `.husky/post-commit` or
 * `.gitignore` may point at `~/.bashrc` (issue 19). Bad input (exit 2), checked before anything is written.
 */
export function refuseLinks(root: string, rel: string): void {
  let at = root;
  const parts = rel.split('/').filter(Boolean);
  for (let i = 0; i < parts.length; i++) {
    at = path.join(at, parts[i]);
    const st = fs.lstatSync(at, { throwIfNoEntry: false });
    if (!st) return;
    if (st.isSymbolicLink()) {
      const shown = parts.slice(0, i + 1).join('/');
      throw new UsageError(msg.linkRefused(shown, fs.readlinkSync(at)), msg.linkRefusedHint(shown));
    }
  }
}

/** refuseLinks for a folder and every entry directly in it (husky's `.husky/_`, which it rewrites whole). */
export function refuseLinksIn(root: string, rel: string): void {
  refuseLinks(root, rel);
  const dir = path.join(root, rel);
  const entries = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  for (const name of entries) refuseLinks(root, `${rel}/${name}`);
}
