// The objects a sync-org batch hands to git as one pack stream (src/git/objects/pack-write.ts), stored and
// indexed by `git index-pack`, read back by git itself.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, git, isolatedEnv, tmpdir } from './helpers.js';
import { PackWriter } from '../dist/git/objects/pack-write.js';
import { ObjectStore } from '../dist/git/objects/store.js';

const t = suite('pack-write');
t.after.each(cleanup);

function bareRepo(env) {
  const repo = path.join(tmpdir(), 'r.git');
  git(path.dirname(repo), ['init', '-q', '--bare', repo], env);
  return repo;
}
const packs = (repo) => fs.readdirSync(path.join(repo, 'objects/pack')).filter((f) => f.endsWith('.pack'));

t('objects of every size class reach git as one pack, indexed by git, verified and read back', async () => {
  const env = isolatedEnv();
  const repo = bareRepo(env);
  const store = ObjectStore.open(repo, { cwd: repo, env });
  const writer = new PackWriter({ cwd: repo, env }, store);
  const bodies = [0, 1, 15, 16, 127, 2047, 2048, 70_000, 1 << 20].map((n) => crypto.randomBytes(n));
  const ids = bodies.map((b) => writer.write('blob', b));
  const tree = writer.write('tree', Buffer.concat([Buffer.from('100644 a\0'), Buffer.from(ids[2], 'hex')]));
  assert.is(ids[0], 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391'); // git's empty blob
  // held objects are read before git has them
  assert.equal((await writer.read(ids[4])).body, bodies[4]);
  assert.equal((await writer.sizes([ids[7]])).get(ids[7]), 70_000);
  assert.is(packs(repo).length, 0);
  await writer.flush();
  assert.is(packs(repo).length, 1);
  const idx = fs.readdirSync(path.join(repo, 'objects/pack')).find((f) => f.endsWith('.idx'));
  git(repo, ['verify-pack', path.join('objects/pack', idx)], env);
  // index-pack, verify-pack and fsck recompute every object's id from its content; sizes as git reads them
  for (const [i, id] of ids.entries()) assert.is(git(repo, ['cat-file', '-s', id], env), String(bodies[i].length));
  assert.match(git(repo, ['ls-tree', tree], env), new RegExp(`100644 blob ${ids[2]}\\ta`));
  git(repo, ['fsck', '--strict', '--no-dangling'], env);
  // through the writer (no longer held: from git), and from a fresh store
  assert.equal((await writer.read(ids[8])).body, bodies[8]);
  const fresh = ObjectStore.open(repo, { cwd: repo, env });
  assert.equal((await fresh.read(ids[7])).body, bodies[7]);
  fresh.close();
  store.close();
});

t('past its limit the writer hands what it holds to git while writing goes on; every object stays readable', async () => {
  const env = isolatedEnv();
  const repo = bareRepo(env);
  const store = ObjectStore.open(repo, { cwd: repo, env });
  const writer = new PackWriter({ cwd: repo, env }, store, 4096);
  const bodies = Array.from({ length: 12 }, () => crypto.randomBytes(1500));
  const ids = [];
  for (const b of bodies) {
    ids.push(writer.write('blob', b));
    // readable at every moment: held, on its way to git, or stored by it
    for (const [i, id] of ids.entries()) assert.equal((await writer.read(id)).body, bodies[i]);
  }
  await writer.flush();
  assert.ok(packs(repo).length >= 3, `${packs(repo).length} packs`);
  for (const [i, id] of ids.entries()) assert.is(git(repo, ['cat-file', '-s', id], env), String(bodies[i].length));
  git(repo, ['fsck', '--strict', '--no-dangling'], env);
  store.close();
});

t('git failing to store the pack is reported by flush', async () => {
  const env = isolatedEnv();
  const repo = bareRepo(env);
  const store = ObjectStore.open(repo, { cwd: repo, env });
  const notRepo = tmpdir();
  const writer = new PackWriter({ cwd: notRepo, env: { ...env, GIT_CEILING_DIRECTORIES: path.dirname(notRepo) } }, store);
  writer.write('blob', Buffer.from('x'));
  try {
    await writer.flush();
    assert.unreachable('flush should fail');
  } catch (error) {
    assert.match(error.message, /git index-pack failed/);
  }
  store.close();
});

t.run();
