// The in-process object store (git/objects/store.ts, git/pack.ts) and writer (git/objects/objects.ts, git/objects/loose.ts)
// against git itself: every object read here must be byte for byte what `git cat-file` gives, and every
// object written here must be what git would write.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ObjectStore } from '../dist/git/objects/store.js';
import { writeLooseObject } from '../dist/git/objects/loose.js';
import { encodeTree, hashObject, MalformedTree, parseTree } from '../dist/git/objects/objects.js';
import { buildTree, diffTrees, listFiles, replaceAt, pathChain, rootTree } from '../dist/sync/tree/codex-tree.js';
import { branchTip, commitPeople, listCommit, openProject, projectObjects, readRefFile } from '../dist/git/project.js';
import { listForSync, patternBases } from '../dist/sync/to-codex/listing.js';
import { selectFiles } from '../dist/sync/to-codex/select.js';
import { cleanup, git, isolatedEnv, makeRepo, readObjects, tmpdir, writeFiles } from './helpers.js';

test.after.each(cleanup);

/** Every object of a repository, as git reads it: id → { type, body }. */
function allObjects(dir, env) {
  const ids = git(dir, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)'], env).split('\n').filter(Boolean);
  return readObjects(dir, env, ids);
}

/** A history whose objects delta against each other: one growing doc, edited in the middle, many times. */
function historyRepo(env) {
  const lines = Array.from({ length: 400 }, (_, i) => `line ${i} of a document that changes a little each time`);
  const dir = makeRepo(env, { 'docs/big.md': lines.join('\n') + '\n' });
  for (let round = 0; round < 25; round++) {
    lines[(round * 37) % lines.length] = `edited in round ${round}`;
    lines.push(`appended ${round}`);
    writeFiles(dir, { 'docs/big.md': lines.join('\n') + '\n', [`docs/r${round}/n${round}.md`]: `# ${round}\n`, [`bin${round}.dat`]: Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * round) & 255)) });
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '-m', `round ${round}`], env);
  }
  return dir;
}

/** Every object reads as git reads it: loose ones in this process (`here`), packed ones through git. */
async function readAll(dir, objects, { here }) {
  const store = ObjectStore.open(path.join(dir, '.git'), { cwd: dir, env: isolatedEnv() });
  try {
    const ids = [...objects.keys()];
    const got = await store.readMany(ids);
    ids.forEach((oid, i) => {
      const want = objects.get(oid);
      assert.ok(got[i], `object ${oid} (${want.type}) not read`);
      assert.is(got[i].type, want.type, oid);
      assert.ok(got[i].body.equals(want.body), `object ${oid} (${want.type}) differs from git's`);
      assert.is(store.readHere(oid) !== null, here, `object ${oid} ${here ? 'not read' : 'read'} in-process`);
    });
    const sizes = await store.sizes(ids);
    for (const oid of ids) assert.is(sizes.get(oid), objects.get(oid).body.length, `size of ${oid}`);
  } finally {
    store.close();
  }
}

test('loose objects are read in-process and packed ones (delta chains) by git, exactly as git reads them', async () => {
  const env = isolatedEnv();
  const dir = historyRepo(env);
  await readAll(dir, allObjects(dir, env), { here: true }); // all loose
  git(dir, ['gc', '-q', '--aggressive', '--prune=now'], env);
  assert.ok(fs.readdirSync(path.join(dir, '.git/objects/pack')).some((f) => f.endsWith('.pack')));
  const objects = allObjects(dir, env);
  const verify = git(dir, ['verify-pack', '-v', ...fs.readdirSync(path.join(dir, '.git/objects/pack')).filter((f) => f.endsWith('.idx')).map((f) => `.git/objects/pack/${f}`)], env);
  assert.match(verify, /chain length = [2-9]/, 'the pack has delta chains to follow');
  await readAll(dir, objects, { here: false });
});

test('a reference-delta chain over a thousand deep reads through git, as git reads it', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env, { 'docs/grow.md': 'start\n' });
  // 2,400 versions of one file, each one line away from the last: packed with reference deltas (no
  // delta-base-offset) and no depth limit, git chains them over a thousand deep.
  let seed = 1;
  const rnd = (n) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
  const fi = [];
  for (let i = 1; i <= 2400; i++) {
    lines[rnd(300)] = `edit ${i} ${Array.from({ length: 40 }, () => 'abcdefghij'[rnd(10)]).join('')}`;
    const body = lines.join('\n') + '\n';
    fi.push(`commit refs/heads/main\ncommitter T <t@e> ${1700000000 + i} +0000\ndata 2\nv\nM 100644 inline docs/grow.md\ndata ${Buffer.byteLength(body)}\n${body}\n`);
  }
  execFileSync('git', ['fast-import', '--quiet', '--force'], { cwd: dir, env, input: fi.join('') });
  git(dir, ['-c', 'repack.useDeltaBaseOffset=false', 'repack', '-a', '-d', '-f', '-q', '--window=250', '--depth=4095'], env);
  git(dir, ['prune-packed'], env);
  const packDir = path.join(dir, '.git/objects/pack');
  const idx = fs.readdirSync(packDir).find((f) => f.endsWith('.idx'));
  const depths = [...git(dir, ['verify-pack', '-v', `.git/objects/pack/${idx}`], env).matchAll(/chain length = (\d+)/g)].map((m) => Number(m[1]));
  assert.ok(Math.max(...depths) > 1000, `a deep chain (deepest ${Math.max(...depths)})`);
  await readAll(dir, allObjects(dir, env), { here: false });
});

test('a pack of reference deltas (no delta-base-offset) reads the same', async () => {
  const env = isolatedEnv();
  const dir = historyRepo(env);
  const objects = allObjects(dir, env);
  const packDir = path.join(dir, '.git/objects/pack');
  const ids = [...objects.keys()].join('\n') + '\n';
  execFileSync('git', ['pack-objects', '-q', '--window=50', '--depth=20', path.join(packDir, 'pack')], { cwd: dir, env, input: ids });
  git(dir, ['prune-packed'], env);
  const idx = fs.readdirSync(packDir).find((f) => f.endsWith('.idx'));
  assert.match(git(dir, ['verify-pack', '-v', `.git/objects/pack/${idx}`], env), /chain length = 1/);
  await readAll(dir, objects, { here: false });
});

test('a pack written after the store opened is found; what only git can read comes from git', async () => {
  const env = isolatedEnv();
  const source = historyRepo(env);
  const bare = path.join(tmpdir(), 'cache.git');
  git(path.dirname(bare), ['init', '-q', '--bare', bare], env);
  const store = ObjectStore.open(bare, { cwd: bare, env });
  try {
    const head = git(source, ['rev-parse', 'HEAD'], env);
    assert.is(await store.read(head), null);
    git(bare, ['fetch', '-q', source, 'main:main'], env);
    const got = await store.read(head);
    assert.is(got.type, 'commit');
    assert.ok((await store.sizes([head])).has(head));
  } finally {
    store.close();
  }
  // objects reachable only through an alternate: the in-process reader says nothing, git answers
  const borrower = path.join(tmpdir(), 'borrower.git');
  git(path.dirname(borrower), ['clone', '-q', '--bare', '--shared', source, borrower], env);
  const borrowed = ObjectStore.open(borrower, { cwd: borrower, env });
  try {
    const head = git(source, ['rev-parse', 'HEAD'], env);
    assert.is(borrowed.readHere(head), null);
    const [commit, missing] = await borrowed.readMany([head, 'f'.repeat(40)]);
    assert.is(commit.type, 'commit');
    assert.is(missing, null);
  } finally {
    borrowed.close();
  }
});

test('replace refs leave reading to git', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env, { 'a.md': 'one\n' });
  const blob = git(dir, ['rev-parse', 'HEAD:a.md'], env);
  const other = git(dir, ['hash-object', '-w', '--stdin'], env, 'replaced\n');
  git(dir, ['replace', blob, other], env);
  const store = ObjectStore.open(path.join(dir, '.git'), { cwd: dir, env });
  try {
    assert.is(store.readHere(blob), null);
    assert.is((await store.read(blob)).body.toString(), 'replaced\n');
  } finally {
    store.close();
  }
});

test('trees and loose objects written here are the ones git writes (order, modes, odd names)', () => {
  const env = isolatedEnv();
  const dir = tmpdir();
  git(dir, ['init', '-q', '--bare', 'r.git'], env);
  const repo = path.join(dir, 'r.git');
  const write = (type, body) => writeLooseObject(path.join(repo, 'objects'), type, body);
  const blob = (s) => git(repo, ['hash-object', '-w', '--stdin'], env, s);
  const [x, y] = [blob('x\n'), blob('y\n')];
  // names that sort differently as files and as folders: "a", "a.b", "a/…", "a-"; a link; an executable
  const files = [
    { path: 'a.b', mode: '100644', oid: x },
    { path: 'a/z.md', mode: '100644', oid: y },
    { path: 'a-', mode: '100755', oid: x },
    { path: 'link', mode: '120000', oid: y },
    { path: 'sp ace/ü n\ti.md', mode: '100644', oid: x },
    { path: 'a/b/c/d.md', mode: '100644', oid: x },
  ];
  const tree = buildTree(files, write);
  const listed = git(repo, ['ls-tree', '-r', '-z', tree], env).split('\0').filter(Boolean);
  assert.is(listed.length, files.length);
  // git builds the same tree from the same entries
  const viaGit = git(repo, ['mktree', '-z', '--missing'], env, git(repo, ['ls-tree', '-z', tree], env));
  assert.is(tree, viaGit);
  assert.is(git(repo, ['fsck', '--strict', '--no-dangling', '--connectivity-only'], env), '');
  assert.is(git(repo, ['fsck', '--strict', '--no-dangling'], env), '');
  assert.is(hashObject('blob', Buffer.from('x\n')), x);
  assert.is(write('blob', Buffer.from('x\n')), x, 'writing an object that exists is harmless');
  assert.is(buildTree([], write), null);
  assert.is(encodeTree([]).length, 0);
});

test('replaceAt swaps one folder and keeps every other entry; diffTrees sees only what changed', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env, { 'shared/a.md': 'a\n', 'projects/api/docs/x.md': 'x\n', 'projects/web/y.md': 'y\n', 'README.md': 'r\n' });
  const gitDir = path.join(dir, '.git');
  const store = ObjectStore.open(gitDir, { cwd: dir, env });
  const write = (type, body) => writeLooseObject(path.join(gitDir, 'objects'), type, body);
  try {
    const head = git(dir, ['rev-parse', 'HEAD'], env);
    const root = await rootTree(store, head);
    const { levels, target } = await pathChain(store, root, ['projects', 'api']);
    assert.is(target.oid, git(dir, ['rev-parse', 'HEAD:projects/api'], env));
    const z = git(dir, ['hash-object', '-w', '--stdin'], env, 'z\n');
    const folder = buildTree([{ path: 'docs/z.md', mode: '100644', oid: z }], write);
    const newRoot = replaceAt(levels, ['projects', 'api'], folder, write);
    const paths = git(dir, ['ls-tree', '-r', '--name-only', newRoot], env).split('\n');
    assert.equal(paths, ['README.md', 'projects/api/docs/z.md', 'projects/web/y.md', 'shared/a.md']);
    assert.is(git(dir, ['rev-parse', `${newRoot}:shared`], env), git(dir, ['rev-parse', 'HEAD:shared'], env));
    const changes = await diffTrees(store, root, newRoot);
    assert.equal(changes.map((c) => [c.status, c.path]), [['D', 'projects/api/docs/x.md'], ['A', 'projects/api/docs/z.md']]);
    // removing the only project drops the empty folder, as git has no empty folders
    const { levels: l2 } = await pathChain(store, newRoot, ['projects', 'web']);
    const rootWithoutWeb = replaceAt(l2, ['projects', 'web'], null, write);
    assert.equal(git(dir, ['ls-tree', '-r', '--name-only', rootWithoutWeb], env).split('\n'), ['README.md', 'projects/api/docs/z.md', 'shared/a.md']);
    const { levels: l3 } = await pathChain(store, rootWithoutWeb, ['projects', 'api']);
    assert.equal(git(dir, ['ls-tree', '--name-only', replaceAt(l3, ['projects', 'api'], null, write)], env).split('\n'), ['README.md', 'shared']);
    assert.equal((await listFiles(store, root, '')).files.map((f) => f.path).sort(), ['README.md', 'projects/api/docs/x.md', 'projects/web/y.md', 'shared/a.md']);
  } finally {
    store.close();
  }
});

test('the in-process listing selects what git ls-tree selects, loose and packed, size limit included', async () => {
  const env = isolatedEnv();
  const random = Buffer.alloc(300_000);
  for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
  const dir = makeRepo(env, {
    'README.md': '# r\n',
    'docs/a.md': 'a\n',
    'docs/deep/er/b.md': 'b\n',
    'docs/big.bin': random, // over the limit, does not compress
    'docs/zeros.md': Buffer.alloc(400_000), // over the limit, compresses to almost nothing
    'src/x.md': 'not synced\n',
  });
  fs.symlinkSync('a.md', path.join(dir, 'docs/link.md'));
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'link'], env);
  const config = { sync_patterns: ['docs/**', 'README.md', 'guides/*.md'], exclude_patterns: [], deny_patterns: ['**/.env'], max_file_size: 200_000 };
  const project = await openProject(dir, env);
  const head = git(dir, ['rev-parse', 'HEAD'], env);
  const viaGit = selectFiles(await listCommit(project, head), config);
  const check = async () => {
    const objects = projectObjects(project);
    const here = selectFiles(await listForSync(project, objects, head, config), config);
    objects.close();
    assert.equal(here.files.map((f) => [f.path, f.mode, f.oid]).sort(), viaGit.files.map((f) => [f.path, f.mode, f.oid]).sort());
    assert.equal(here.skipped.sort((a, b) => a.path.localeCompare(b.path)), viaGit.skipped.sort((a, b) => a.path.localeCompare(b.path)));
  };
  assert.equal(viaGit.skipped.map((s) => s.path).sort(), ['docs/big.bin', 'docs/zeros.md']);
  await check();
  git(dir, ['gc', '-q', '--prune=now'], env);
  await check();
  assert.equal(patternBases(['**/*.md']), null);
  assert.equal(patternBases(['docs/**', 'docs/api/*.md', 'README.md']), ['docs', 'README.md']);
});

test("a codex commit carries the source commit's author and committer", async () => {
  const env = isolatedEnv({ GIT_AUTHOR_NAME: 'Ada Writer', GIT_AUTHOR_EMAIL: 'ada@example.com' });
  const dir = makeRepo(env, { 'docs/a.md': 'a\n' });
  const project = await openProject(dir, env);
  const objects = projectObjects(project);
  const people = await commitPeople(project, objects, git(dir, ['rev-parse', 'HEAD'], env));
  objects.close();
  assert.equal(people, { author: { name: 'Ada Writer', email: 'ada@example.com' }, committer: { name: 'Test User', email: 'test@example.com' } });
  // A clone that borrows its objects (git clone --shared): the commit is read by git, never replaced
  // by the identity of whoever runs the sync.
  const borrower = path.join(tmpdir(), 'borrower');
  git(path.dirname(borrower), ['clone', '-q', '--shared', dir, borrower], { ...env, GIT_AUTHOR_NAME: 'Someone Else' });
  const other = await openProject(borrower, { ...env, GIT_COMMITTER_NAME: 'Runner', GIT_COMMITTER_EMAIL: 'runner@ci' });
  const borrowed = projectObjects(other);
  const theirs = await commitPeople(other, borrowed, git(borrower, ['rev-parse', 'HEAD'], env));
  borrowed.close();
  assert.equal(theirs.author, { name: 'Ada Writer', email: 'ada@example.com' });
});

test('a malformed or foreign tree fails at once instead of looping (a SHA-256 tree has 32-byte ids)', () => {
  const sha256Entry = Buffer.concat([Buffer.from('100644 a.md\0'), Buffer.alloc(32, 7)]);
  assert.throws(() => parseTree(Buffer.concat([sha256Entry, sha256Entry])), /malformed/);
  assert.throws(() => parseTree(Buffer.from('100644 no-nul-here')), /malformed/);
  assert.throws(() => parseTree(Buffer.from('garbage')), /malformed/);
  assert.throws(() => parseTree(Buffer.concat([Buffer.from('1x0644 a\0'), Buffer.alloc(20)])), /malformed/);
  assert.equal(parseTree(Buffer.concat([Buffer.from('100644 a.md\0'), Buffer.alloc(20, 1)])).map((e) => e.name.toString()), ['a.md']);
});

test('a branch\'s tip from the ref files (loose, packed) as git says it; a name git would refuse is never a path to read', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  const project = await openProject(dir, env);
  const head = git(dir, ['rev-parse', 'HEAD'], env);
  git(dir, ['branch', 'packed'], env);
  git(dir, ['pack-refs', '--all'], env);
  git(dir, ['branch', 'loose'], env);
  assert.is(readRefFile(project, 'refs/heads/packed'), head);
  assert.is(readRefFile(project, 'refs/heads/loose'), head);
  assert.is(await branchTip(project, 'refs/heads/packed'), head);
  assert.is(await branchTip(project, 'refs/heads/none'), null);
  // ORIG_HEAD-like files hold an id too: reached through `..` they would pass for a branch
  fs.writeFileSync(path.join(dir, '.git', 'NOT_A_REF'), head + '\n');
  assert.is(readRefFile(project, 'refs/heads/../../NOT_A_REF'), null);
  assert.is(await branchTip(project, 'refs/heads/../../NOT_A_REF'), null, 'git refuses the name');
});

test.run();
