import fs from 'node:fs';
import { runGit } from '../../git/exec.js';
import { local, type CodexCache } from './cache.js';

/**
 * Each sync leaves loose objects (its commit, and small fetches unpack loose) and now and then a pack;
 * roll them up now and then so object look-ups stay fast. Loose objects are counted as `git gc --auto`
 * does, from one of the 256 folders.
 */
export async function maintain(cache: CodexCache): Promise<void> {
  const packs = fs.readdirSync(`${cache.dir}/objects/pack`).filter((f) => f.endsWith('.pack')).length;
  const loose = fs.existsSync(`${cache.dir}/objects/17`) ? fs.readdirSync(`${cache.dir}/objects/17`).length : 0;
  if (packs > 50 || loose > 27) await cache.locked(() => runGit(['repack', '-d', '-q', '--geometric=2'], local(cache, { okCodes: [128] })));
}
