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
