// Fails when src/ has an import cycle or an import from a higher layer (type-only imports count: layers
// point one way, cli → commands → hooks/sync/mcp → config/env/git/ui). Run by `npm test` (pretest), so by CI.
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

// The layers (cli → commands → hooks/sync → config/env/git/ui): nothing imports from a layer above it.
const LAYERS = { 'cli.ts': 0, commands: 1, hooks: 2, sync: 2, mcp: 2, reader: 2, install: 2, config: 3, env: 3, git: 3, ui: 3 };
const layerOf = (file) => {
  const top = path.relative(src, file).split(path.sep)[0];
  return LAYERS[top] ?? 3; // src/errors.ts, json-file.ts, hash.ts, paths.ts: utilities at the bottom
};
const upward = [];
for (const [from, tos] of edges) for (const to of tos) if (layerOf(to) < layerOf(from)) upward.push(`${path.relative(path.dirname(src), from)} → ${path.relative(path.dirname(src), to)}`);
if (upward.length) {
  process.stderr.write(`Imports from a higher layer (cli → commands → hooks/sync/mcp → config/env/git/ui):\n${upward.map((u) => `  ${u}`).join('\n')}\n`);
  process.exitCode = 1;
}

// commands/ never calls git (design §5: a command parses its arguments, calls the layer below, prints): it
// imports from git/ only the pure rules (url.ts, names.ts) and types; git's processes, objects and
// questions are reached through named functions of sync/, install/ and reader/.
const GIT = path.join(src, 'git');
const PURE_GIT = new Set(['url.ts', 'names.ts']);
const callsGit = [];
for (const f of files.filter((x) => path.relative(src, x).split(path.sep)[0] === 'commands')) {
  for (const m of fs.readFileSync(f, 'utf8').matchAll(/(import|export)(\s+type)?\s[^;]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
    const target = path.join(path.dirname(f), (m[3] ?? m[4]).replace(/\.js$/, '.ts'));
    if (path.dirname(target) !== GIT && !target.startsWith(GIT + path.sep)) continue;
    if (m[2] || PURE_GIT.has(path.relative(GIT, target))) continue;
    callsGit.push(`${path.relative(path.dirname(src), f)} → ${path.relative(path.dirname(src), target)}`);
  }
}
if (callsGit.length) {
  process.stderr.write(`commands/ imports git (call a named function of sync/, install/ or reader/ instead):\n${callsGit.map((u) => `  ${u}`).join('\n')}\n`);
  process.exitCode = 1;
}

if (cycles.length) {
  process.stderr.write(`Import cycles in src/ (make the lower layer not import the higher one):\n${cycles.map((c) => `  ${c.join(' ↔ ')}`).join('\n')}\n`);
  process.exit(1);
}
if (!upward.length && !callsGit.length) process.stdout.write(`no import cycles, no upward imports and no git in commands/ among ${files.length} files in src/\n`);
