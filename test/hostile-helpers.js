// Codex content no well-behaved client would write, built object by object with git's plumbing (so a
// test can plant names a work tree cannot hold: over 255 bytes, a file and a folder of one name).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { git } from './helpers.js';

/**
 * Writes `spec` (name → string | Buffer | nested spec | { link: target }) as a tree in `bare`; an array
 * of [name, value] pairs keeps duplicate names. Returns the tree id.
 */
export function writeTree(bare, env, spec) {
  const pairs = Array.isArray(spec) ? spec : Object.entries(spec);
  const lines = pairs.map(([name, value]) => {
    if (typeof value === 'string' || Buffer.isBuffer(value)) return `100644 blob ${blob(bare, env, value)}\t${name}`;
    if (value && typeof value === 'object' && 'link' in value) return `120000 blob ${blob(bare, env, value.link)}\t${name}`;
    return `040000 tree ${writeTree(bare, env, value)}\t${name}`;
  });
  return git(bare, ['mktree', '-z'], env, lines.map((l) => l + '\0').join(''));
}

function blob(bare, env, content) {
  return git(bare, ['hash-object', '-w', '--stdin'], env, content);
}

/** A commit of `spec` on top of `branch` (its whole tree replaced), with `message`; moves the branch. */
export function commitTree(bare, env, branch, spec, message = 'hostile content') {
  const tree = writeTree(bare, env, spec);
  const parent = git(bare, ['rev-parse', `refs/heads/${branch}`], env);
  const commit = git(bare, ['commit-tree', tree, '-p', parent, '-m', message], env);
  git(bare, ['update-ref', `refs/heads/${branch}`, commit], env);
  return commit;
}

/** path → sha256 of every file and link under `dir` (links by target), `.git` included: a snapshot. */
export function snapshot(dir, { skip = [] } = {}) {
  const out = {};
  const walk = (abs, rel) => {
    for (const e of fs.readdirSync(abs, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (skip.some((s) => r === s || r.startsWith(s + '/'))) continue;
      const p = path.join(abs, e.name);
      if (e.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(p)}`;
      else if (e.isDirectory()) walk(p, r);
      else out[r] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir, '');
  return out;
}

/** 595 bytes of YAML whose aliases expand to billions of strings when walked (the "billion laughs"). */
export function aliasBomb() {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const name = String.fromCharCode(97 + i);
    lines.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return `---\n${lines.join('\n')}\ncodex_sync_include: *i\n---\n# bomb\n`;
}

/** Routing globs that make a backtracking matcher take minutes per project name. */
export function globBomb() {
  return `---\ncodex_sync_include: ["${'+(*)'.repeat(12)}z", "${'*a'.repeat(40)}*b"]\n---\n# glob bomb\n`;
}

/**
 * A tree bomb: `fanout` entries all naming one subtree, nested `depth` deep, over `fanout` files of one
 * blob: fanout^(depth+1) paths from depth + 2 objects (64, 4: 64⁵ ≈ 1.07 billion paths in 6 objects).
 * Returns the tree id, written in `bare` with git's plumbing.
 */
export function treeBomb(bare, env, { fanout = 64, depth = 4, content = '# boom\n' } = {}) {
  const leaf = blob(bare, env, content);
  let tree = git(bare, ['mktree', '-z'], env, Array.from({ length: fanout }, (_, i) => `100644 blob ${leaf}\tf${i}.md\0`).join(''));
  for (let d = 0; d < depth; d++) tree = git(bare, ['mktree', '-z'], env, Array.from({ length: fanout }, (_, i) => `040000 tree ${tree}\td${i}\0`).join(''));
  return tree;
}

/** A commit on `branch` whose root is the branch's tree with `entries` (name → tree id) added or replaced. */
export function commitWithTrees(bare, env, branch, entries, message = 'hostile tree') {
  const parent = git(bare, ['rev-parse', `refs/heads/${branch}`], env);
  const lines = git(bare, ['ls-tree', '-z', parent], env).split('\0').filter(Boolean).filter((l) => !(l.slice(l.indexOf('\t') + 1) in entries));
  for (const [name, tree] of Object.entries(entries)) lines.push(`040000 tree ${tree}\t${name}`);
  const root = git(bare, ['mktree', '-z'], env, lines.map((l) => l + '\0').join(''));
  const commit = git(bare, ['commit-tree', root, '-p', parent, '-m', message], env);
  git(bare, ['update-ref', `refs/heads/${branch}`, commit], env);
  return commit;
}
