// Fails when src/ has an import cycle (type-only imports count: layers point one way, cli → commands →
// hooks/sync → config/env/git/ui). Run by `npm test` (pretest) and so by CI.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const src = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');
const files = [];
(function walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith('.ts')) files.push(p);
  }
})(src);

const edges = new Map();
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  const to = [];
  for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const target = path.join(path.dirname(f), (m[1] ?? m[2]).replace(/\.js$/, '.ts'));
    if (fs.existsSync(target)) to.push(target);
  }
  edges.set(f, to);
}

// Tarjan's strongly connected components: each component of more than one file is a cycle.
let index = 0;
const stack = [];
const on = new Set();
const idx = new Map();
const low = new Map();
const cycles = [];
function connect(v) {
  idx.set(v, index);
  low.set(v, index++);
  stack.push(v);
  on.add(v);
  for (const w of edges.get(v)) {
    if (!idx.has(w)) {
      connect(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
  }
  if (low.get(v) === idx.get(v)) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      on.delete(w);
      component.push(path.relative(path.dirname(src), w));
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  }
}
for (const f of files) if (!idx.has(f)) connect(f);

if (cycles.length) {
  process.stderr.write(`Import cycles in src/ (make the lower layer not import the higher one):\n${cycles.map((c) => `  ${c.join(' ↔ ')}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`no import cycles among ${files.length} files in src/\n`);
