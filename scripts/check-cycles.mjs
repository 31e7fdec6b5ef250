// Fails when src/ has an import cycle, an import that does not point down the order of its folders, or a
// command that reaches git (design §7). Run by `npm test` (pretest), so by CI.
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
/** `from\0to` pairs with an import of values (not `import type` alone). */
const values = new Set();
// `import … from`, `export … from`, `import('…')` and a bare `import '…'` (for its side effects)
const IMPORT = /\b(import|export)(\s+type)?\s[^;]*?from\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)|\bimport\s+['"](\.[^'"]+)['"]/g;
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  const to = [];
  for (const m of text.matchAll(IMPORT)) {
    const target = path.join(path.dirname(f), (m[3] ?? m[4] ?? m[5]).replace(/\.js$/, '.ts'));
    if (!fs.existsSync(target)) continue;
    to.push(target);
    if (!m[2]) values.add(`${f}\0${target}`);
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

// The order of the folders (design §7), top to bottom: a file imports from its own folder or from a level
// below its own, never from above and never across (two folders of one level know nothing of each other).
// `core/` is the ground floor: the message catalog, the URL and branch-name rules, the edge's interfaces
// (edge.ts), errors, settings. Type-only imports count.
const ORDER = [['cli.ts'], ['commands'], ['hooks', 'mcp'], ['install', 'reader'], ['sync'], ['ui'], ['environment'], ['config'], ['git'], ['core']];
// Inside two wings, the same rule one level down. In sync/: what runs syncs (kept requests, the layers'
// overview), the syncs' orchestrators, the layers, what goes to
// the codex and what comes back, the shared records, the codex cache and tree (options.ts may import the
// layers' types, nothing else up). In git/: the questions to a project, the objects, the process gateway, the
// environment of its children.
const WINGS = {
  sync: [['pending.ts', 'layers-overview.ts'], ['engine.ts', 'org-batch.ts', 'create-branch.ts', 'source.ts'], ['layers'], ['to-codex', 'from-codex'], ['options.ts', 'state.ts', 'deadline.ts'], ['cache', 'tree']],
  git: [['project.ts', 'ssh.ts'], ['objects'], ['exec.ts'], ['env.ts']],
};
// The one file allowed to name a higher wing's types (not its values): the sync's options name the layers' events.
const TYPES_UP = new Set(['sync/options.ts']);
const place = (order, parts) => {
  const level = order.findIndex((names) => names.includes(parts[0]));
  return { level, name: parts[0] };
};
const rel = (f) => path.relative(path.dirname(src), f);
const misplaced = [];
const unknown = new Set();
for (const f of files) {
  const parts = path.relative(src, f).split(path.sep);
  if (place(ORDER, parts).level < 0) unknown.add(parts[0]);
  else if (WINGS[parts[0]] && place(WINGS[parts[0]], parts.slice(1)).level < 0) unknown.add(`${parts[0]}/${parts[1]}`);
}
for (const [from, tos] of edges) {
  const a = path.relative(src, from).split(path.sep);
  for (const to of tos) {
    const b = path.relative(src, to).split(path.sep);
    const pa = place(ORDER, a);
    const pb = place(ORDER, b);
    if (pa.level < 0) unknown.add(a[0]);
    if (pb.level < 0) unknown.add(b[0]);
    if (pa.name === pb.name) {
      const wing = WINGS[a[0]];
      if (!wing || (!values.has(`${from}\0${to}`) && TYPES_UP.has(path.relative(src, from)))) continue;
      const wa = place(wing, a.slice(1));
      const wb = place(wing, b.slice(1));
      if (wa.level < 0) unknown.add(`${a[0]}/${a[1]}`);
      if (wb.level < 0) unknown.add(`${b[0]}/${b[1]}`);
      if (wa.name !== wb.name && wb.level <= wa.level) misplaced.push(`${rel(from)} → ${rel(to)} (in ${a[0]}/: ${wa.level === wb.level ? 'across one level' : 'upward'})`);
      continue;
    }
    if (pb.level <= pa.level) misplaced.push(`${rel(from)} → ${rel(to)} (${pa.level === pb.level ? 'across one level' : 'upward'})`);
  }
}
if (unknown.size) {
  process.stderr.write(`Folders or files the order does not place (add them to ORDER or WINGS in scripts/check-cycles.mjs): ${[...unknown].join(', ')}\n`);
  process.exitCode = 1;
}
if (misplaced.length) {
  const shown = ORDER.map((l) => l.join(' ')).join(' → ');
  process.stderr.write(`Imports against the order of the folders (${shown}):\n${misplaced.map((u) => `  ${u}`).join('\n')}\n`);
  process.exitCode = 1;
}

// commands/ never calls git (design §5: a command parses its arguments, calls the layer below, prints): it
// imports only types from git/ (the pure rules, URLs and branch names, are core/'s); git's processes,
// objects and questions are reached through named functions of sync/, install/ and reader/.
const GIT = path.join(src, 'git');
const callsGit = [];
for (const [f, tos] of edges) {
  if (path.relative(src, f).split(path.sep)[0] !== 'commands') continue;
  for (const target of tos) if (target.startsWith(GIT + path.sep) && values.has(`${f}\0${target}`)) callsGit.push(`${path.relative(path.dirname(src), f)} → ${path.relative(path.dirname(src), target)}`);
}
if (callsGit.length) {
  process.stderr.write(`commands/ imports git (call a named function of sync/, install/ or reader/ instead):\n${callsGit.map((u) => `  ${u}`).join('\n')}\n`);
  process.exitCode = 1;
}

if (cycles.length) {
  process.stderr.write(`Import cycles in src/ (make the lower layer not import the higher one):\n${cycles.map((c) => `  ${c.join(' ↔ ')}`).join('\n')}\n`);
  process.exit(1);
}
if (!process.exitCode) process.stdout.write(`no import cycles, every import down the order of the folders, no git in commands/: ${files.length} files in src/\n`);
