import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/**
 * The installed package's folder. The code runs both as tsc's dist/**.js (tests) and as the one-file
 * bundle the bin loads (hooks), at different depths, so it is found by walking up to our package.json.
 */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url)); // the bundle defines import.meta.url (bundle.mjs)
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && /"name":\s*"codex-hooks"/.test(fs.readFileSync(pkg, 'utf8'))) return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('codex-hooks: cannot find its own package.json');
    dir = up;
  }
}
