import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/**
 * Reads one loose object straight from the object store, or null when it is not loose (packed, or in an
 * alternate). A commit made a moment before `git push` is loose, and so is its root tree: the hook can see
 * what changed at the top of the tree without starting a git process.
 */
export function readLooseObject(commonDir: string, oid: string): { type: string; body: Buffer } | null {
  if (!/^[0-9a-f]{40}$/.test(oid)) return null;
  let raw: Buffer;
  try {
    raw = zlib.inflateSync(fs.readFileSync(path.join(commonDir, 'objects', oid.slice(0, 2), oid.slice(2))));
  } catch {
    return null;
  }
  const nul = raw.indexOf(0);
  const [type] = raw.subarray(0, nul).toString('latin1').split(' ');
  return { type, body: raw.subarray(nul + 1) };
}

/** The file of a branch's loose ref (`refs/heads/a/b`), whether or not it exists. */
export const looseRefFile = (gitDir: string, branch: string) => path.join(gitDir, 'refs', 'heads', ...branch.split('/'));

/** A branch's commit read from its loose ref file, or undefined (packed, missing, or not a sha). */
export function readLooseRef(gitDir: string, branch: string): string | undefined {
  try {
    const sha = fs.readFileSync(looseRefFile(gitDir, branch), 'utf8').trim();
    return /^[0-9a-f]{40}$/.test(sha) ? sha : undefined;
  } catch {
    return undefined;
  }
}

/** The root tree of a commit object's body. */
export const commitTree = (body: Buffer): string | null => /^tree ([0-9a-f]{40})/.exec(body.toString('latin1'))?.[1] ?? null;

/** Entries of a tree object's body: `<mode> <name>\0<20-byte oid>` repeated. */
export function treeEntries(body: Buffer): Array<{ mode: string; name: string; oid: string }> {
  const entries = [];
  let pos = 0;
  while (pos < body.length) {
    const space = body.indexOf(0x20, pos);
    const nul = body.indexOf(0, space);
    entries.push({
      mode: body.subarray(pos, space).toString('latin1'),
      name: body.subarray(space + 1, nul).toString('utf8'),
      oid: body.subarray(nul + 1, nul + 21).toString('hex'),
    });
    pos = nul + 21;
  }
  return entries;
}
