// `npm pack`/`npm publish` ship package.json as it is on disk. The repository needs `"prepare": "husky"`
// for its own hooks, but a published prepare script only makes npm warn every installer. prepack runs
// `strip` (the exact file is kept aside, pinst-like), postpack runs `restore`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = path.join(ROOT, 'package.json');
const kept = path.join(ROOT, '.package.json.prepack');

const [action] = process.argv.slice(2);
if (action === 'strip') {
  // A leftover from a pack that failed before postpack is the true file: restore it first.
  if (fs.existsSync(kept)) fs.renameSync(kept, file);
  const raw = fs.readFileSync(file, 'utf8');
  const pkg = JSON.parse(raw);
  if (pkg.scripts?.prepare) {
    fs.writeFileSync(kept, raw);
    delete pkg.scripts.prepare;
    // written aside, then renamed: a reader (a test running meanwhile) sees the whole old or new file
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(pkg, null, 2) + '\n');
    fs.renameSync(`${file}.tmp`, file);
  }
} else if (action === 'restore') {
  if (fs.existsSync(kept)) fs.renameSync(kept, file);
} else {
  console.error('usage: node scripts/pack-manifest.mjs strip|restore');
  process.exit(2);
}
