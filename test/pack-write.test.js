// The pack a sync-org batch writes (src/git/pack-write.ts), read back by git itself.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, git, isolatedEnv, tmpdir } from './helpers.js';
import { PackWriter } from '../dist/git/pack-write.js';
import { ObjectStore } from '../dist/git/store.js';

const t = suite('pack-write');
t.after.each(cleanup);

t('objects of every size class land in one pack and index that git verifies and reads back', async () => {
  const env = isolatedEnv();
  const repo = path.join(tmpdir(), 'r.git');
  git(path.dirname(repo), ['init', '-q', '--bare', repo], env);
  const store = ObjectStore.open(repo, { cwd: repo, env });
  const writer = new PackWriter(path.join(repo, 'objects'), store);
  const bodies = [0, 1, 15, 16, 127, 2047, 2048, 70_000, 1 << 20].map((n) => crypto.randomBytes(n));
  const ids = bodies.map((b) => writer.write('blob', b));
  const tree = writer.write('tree', Buffer.concat([Buffer.from('100644 a\0'), Buffer.from(ids[2], 'hex')]));
  assert.is(ids[0], 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'); // git's empty blob
  // held objects are read before they are written
  assert.equal((await writer.read(ids[4])).body, bodies[4]);
  assert.equal((await writer.sizes([ids[7]])).get(ids[7]), 70_000);
  writer.flush();
  const packs = fs.readdirSync(path.join(repo, 'objects/pack'));
  assert.is(packs.filter((f) => f.endsWith('.pack')).length, 1);
  const idx = packs.find((f) => f.endsWith('.idx'));
  git(repo, ['verify-pack', path.join('objects/pack', idx)], env);
  // verify-pack and fsck recompute every object's id from its content; sizes as git reads them
  for (const [i, id] of ids.entries()) assert.is(git(repo, ['cat-file', '-s', id], env), String(bodies[i].length));
  assert.match(git(repo, ['ls-tree', tree], env), new RegExp(`100644 blob ${ids[2]}\\ta`));
  git(repo, ['fsck', '--strict', '--no-dangling'], env);
  // and in-process, from the pack, after the flush
  const fresh = ObjectStore.open(repo, { cwd: repo, env });
  assert.equal((await fresh.read(ids[8])).body, bodies[8]);
  fresh.close();
  store.close();
});

t.run();
