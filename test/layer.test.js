// design §4 `layer` and `mirror`: feature branches in flight at once all stay visible on the codex's test
// branch; production mirrors one commit. Real project repositories, a real bare origin and codex.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planToCodex } from '../dist/sync/to-codex/to-codex.js';
import { cleanup, cli, codexFiles, commit, commitToCodex, git, isolatedEnv, makeCodex, refOf, tmpdir, writeConfig, writeFiles } from './helpers.js';

const t = suite('layer');
t.after.each(cleanup);

/** A project with an `origin` (main pushed there) and a codex with main and test. */
function setup(config = {}, files = {}) {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const base = tmpdir();
  const origin = path.join(base, 'origin.git');
  git(base, ['init', '-q', '--bare', origin], env);
  const dir = path.join(base, 'api');
  fs.mkdirSync(dir);
  git(dir, ['init', '-q', '-b', 'main'], env);
  git(dir, ['remote', 'add', 'origin', origin], env);
  writeFiles(dir, { 'docs/intro.md': '# Intro\n', 'README.md': '# API\n', ...files });
  writeConfig(dir, { codex_url: codex, project_name: 'api', sync_direction: 'to-codex', ...config });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'initial'], env);
  git(dir, ['push', '-q', 'origin', 'main'], env);
  return { env, codex, origin, dir };
}

const sync = (dir, env, args = []) => cli(['sync', ...args], { cwd: dir, env });
const ours = (codex, branch, env) =>
  Object.keys(codexFiles(codex, branch, env) ?? {})
    .filter((p) => p.startsWith('projects/api/'))
    .map((p) => p.slice('projects/api/'.length))
    .sort();

async function branchWith(dir, env, branch, files, from = 'main') {
  git(dir, ['checkout', '-q', '-b', branch, from], env);
  commit(dir, env, files, `docs on ${branch}`);
  const r = await sync(dir, env);
  assert.is(r.code, 0, r.stderr);
  return r;
}

t('two feature branches are both visible on test', async () => {
  const { env, codex, dir } = setup();
  await branchWith(dir, env, 'feat/one', { 'docs/one.md': 'one\n' });
  await branchWith(dir, env, 'feat/two', { 'docs/two.md': 'two\n' });
  assert.equal(ours(codex, 'test', env), ['README.md', 'docs/intro.md', 'docs/one.md', 'docs/two.md']);
});

t("a doc added on one branch and deleted by its next commit leaves test; the other branch's docs stay", async () => {
  const { env, codex, dir } = setup();
  await branchWith(dir, env, 'feat/one', { 'docs/one.md': 'one\n', 'docs/gone.md': 'soon gone\n' });
  await branchWith(dir, env, 'feat/two', { 'docs/two.md': 'two\n', 'docs/intro.md': '# Intro, by two\n' });
  git(dir, ['checkout', '-q', 'feat/one'], env);
  commit(dir, env, { 'docs/gone.md': null, 'docs/one.md': 'one, again\n' });
  const r = await sync(dir, env, ['--json']);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout).toCodex;
  assert.equal(out.removed, ['docs/gone.md']);
  assert.equal(out.changed, ['docs/one.md'], 'docs/intro.md is unchanged on feat/one: feat/two\'s version stays');
  const files = codexFiles(codex, 'test', env);
  assert.not.ok('projects/api/docs/gone.md' in files);
  assert.is(files['projects/api/docs/one.md'], 'one, again');
  assert.is(files['projects/api/docs/two.md'], 'two');
  assert.is(files['projects/api/docs/intro.md'], '# Intro, by two');
});

t("a branch's deletion holds while it lives: another branch's next sync does not bring the doc back", async () => {
  const { env, codex, dir } = setup();
  await branchWith(dir, env, 'feat/one', { 'docs/one.md': 'one\n' });
  // feat/two deletes README.md, which main has: its change against the merge base is a removal
  await branchWith(dir, env, 'feat/two', { 'README.md': null });
  assert.equal(ours(codex, 'test', env), ['docs/intro.md', 'docs/one.md']);
  git(dir, ['checkout', '-q', 'feat/one'], env);
  commit(dir, env, { 'docs/one.md': 'one v2\n' });
  assert.is((await sync(dir, env)).code, 0);
  assert.equal(ours(codex, 'test', env), ['docs/intro.md', 'docs/one.md'], 'README.md stays deleted while feat/two lives');
  // a rename is a deletion and an addition: only the new name shows
  git(dir, ['checkout', '-q', 'feat/one'], env);
  git(dir, ['mv', 'docs/intro.md', 'docs/start.md'], env);
  git(dir, ['commit', '-q', '-m', 'rename'], env);
  assert.is((await sync(dir, env)).code, 0);
  assert.equal(ours(codex, 'test', env), ['docs/one.md', 'docs/start.md']);
});

t('a branch pushed from a second clone (another developer) layers the same way: the layers live in the codex', async () => {
  const { env, codex, origin, dir } = setup();
  await branchWith(dir, env, 'feat/one', { 'docs/one.md': 'one\n', 'docs/old.md': 'old\n' });
  git(dir, ['push', '-q', 'origin', 'feat/one'], env);
  await branchWith(dir, env, 'feat/two', { 'docs/two.md': 'two\n' });
  // Developer B: another machine (own HOME, own codex cache, no codex-hooks state), same codex.
  const envB = isolatedEnv();
  const b = path.join(tmpdir(), 'api-b');
  git(path.dirname(b), ['clone', '-q', origin, b], envB);
  git(b, ['checkout', '-q', 'feat/one'], envB);
  commit(b, envB, { 'docs/old.md': null, 'docs/b.md': 'from B\n' });
  const r = await sync(b, envB, ['--json']);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout).toCodex;
  assert.equal(out.removed, ['docs/old.md']);
  assert.equal(out.layers.live.map((l) => l.branch), ['feat/one', 'feat/two'], 'B never saw feat/two: the codex knows it');
  assert.equal(ours(codex, 'test', env), ['README.md', 'docs/b.md', 'docs/intro.md', 'docs/one.md', 'docs/two.md']);
});

t('a layer is the branch, whichever clone syncs it: its place in the order stays, its content is the newest tip', async () => {
  const { env, codex, origin, dir } = setup();
  await branchWith(dir, env, 'feat/one', { 'docs/one.md': 'one\n', 'docs/shared.md': 'by one\n' });
  await branchWith(dir, env, 'feat/two', { 'docs/two.md': 'two\n', 'docs/shared.md': 'by two\n' });
  const envB = isolatedEnv();
  const b = path.join(tmpdir(), 'api-b');
  git(path.dirname(b), ['clone', '-q', origin, b], envB);
  git(b, ['checkout', '-q', '-b', 'feat/one'], envB);
  commit(b, envB, { 'docs/b.md': 'from B\n', 'docs/shared.md': 'by B on one\n' });
  const r = await sync(b, envB, ['--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(ours(codex, 'test', env), ['README.md', 'docs/b.md', 'docs/intro.md', 'docs/shared.md', 'docs/two.md']);
  // feat/one was pushed first: feat/two, later in the order, shows on the doc both change, and the output says so
  assert.is(codexFiles(codex, 'test', env)['projects/api/docs/shared.md'], 'by two');
  assert.match(r.stderr, /docs\/shared\.md is also changed by feat\/two \(.*\); test shows feat\/two's/);
});

t('a codex test branch from before layers is migrated by its first layered sync without losing a live branch', async () => {
  const { env, codex, origin, dir } = setup();
  // The branches in flight are on origin (and in this clone); test was written by the old, patching model:
  // it has no layer record, and docs of any vintage
  for (const [branch, files] of [['feat/a', { 'docs/a.md': 'a\n' }], ['feat/b', { 'README.md': null, 'docs/b.md': 'b\n' }]]) {
    git(dir, ['checkout', '-q', '-b', branch, 'main'], env);
    commit(dir, env, files, branch);
    git(dir, ['push', '-q', 'origin', branch], env);
  }
  commitToCodex(codex, env, { 'projects/api/docs/stale.md': 'left by a branch long gone\n', 'projects/api/docs/a.md': 'an old a\n' });
  assert.is(git(codex, ['for-each-ref', 'refs/codex-hooks'], env), '');
  const r = await branchWith(dir, env, 'feat/c', { 'docs/c.md': 'c\n' });
  assert.equal(ours(codex, 'test', env), ['docs/a.md', 'docs/b.md', 'docs/c.md', 'docs/intro.md'], r.stdout + r.stderr);
  assert.is(codexFiles(codex, 'test', env)['projects/api/docs/a.md'], 'a');
  const layers = JSON.parse((await cli(['layers', '--json'], { cwd: dir, env })).stdout);
  assert.equal(layers.live.map((l) => l.branch), ['feat/a', 'feat/b', 'feat/c']);
  assert.ok(origin);
});

t('prod stays a mirror: what left the selection leaves production', async () => {
  const { env, codex, dir } = setup({}, { 'docs/old.md': 'old\n' });
  assert.is((await sync(dir, env, ['--env', 'prod'])).code, 0);
  commit(dir, env, { 'docs/old.md': null });
  const r = await sync(dir, env, ['--env', 'prod', '--json']);
  assert.is(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout).toCodex;
  assert.equal(out.removed, ['docs/old.md']);
  assert.is(out.mode, 'mirror');
  assert.equal(ours(codex, 'main', env), ['README.md', 'docs/intro.md']);
});

t('--mirror makes the test folder mirror one commit; environments.test.mode = mirror keeps the old behaviour', async () => {
  const { env, codex, dir } = setup();
  await branchWith(dir, env, 'feat/one', { 'docs/one.md': 'one\n' });
  await branchWith(dir, env, 'feat/two', { 'docs/two.md': 'two\n' });
  const r = await sync(dir, env, ['--mirror', '--json']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).toCodex.removed, ['docs/one.md']);
  assert.equal(ours(codex, 'test', env), ['README.md', 'docs/intro.md', 'docs/two.md']);

  const m = setup({ environments: { test: { branch: 'test', mode: 'mirror' } } });
  await branchWith(m.dir, m.env, 'feat/one', { 'docs/one.md': 'one\n' });
  await branchWith(m.dir, m.env, 'feat/two', { 'docs/two.md': 'two\n' });
  assert.equal(ours(m.codex, 'test', m.env), ['README.md', 'docs/intro.md', 'docs/two.md']);
});

t('environments.<name>.mode is validated', async () => {
  const { env, dir } = setup({ environments: { test: { branch: 'test', mode: 'stack' } } });
  const r = await sync(dir, env);
  assert.is(r.code, 2);
  assert.match(r.stderr, /environments\.test\.mode/);
});

t('the deletion guard still holds in layer mode', async () => {
  const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`docs/d${i}.md`, `${i}\n`]));
  const { env, codex, dir } = setup({}, many);
  git(dir, ['checkout', '-q', '-b', 'feat/prune'], env);
  assert.is((await sync(dir, env)).code, 0);
  commit(dir, env, Object.fromEntries(Object.keys(many).map((k) => [k, null])));
  const tip = refOf(codex, 'test', env);
  const r = await sync(dir, env, ['--env', 'test']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /would delete 12 of 14 files/);
  assert.match(r.stderr, /codex-hooks sync --env test --allow-deletions/, 'the hint repeats the held command');
  assert.is(refOf(codex, 'test', env), tip);
  assert.is((await sync(dir, env, ['--allow-deletions'])).code, 0);
  assert.equal(ours(codex, 'test', env), ['README.md', 'docs/intro.md']);
});

t('a layer record in the codex that is not ours is untrusted input: the next sync starts the record again', async () => {
  const { env, codex, dir } = setup();
  await branchWith(dir, env, 'feat/two', { 'docs/two.md': 'two\n' });
  // A forged record: a layer whose tip is a revision, not an id (it would reach git as one)
  const state = JSON.stringify({ version: 1, base: null, layers: [{ branch: 'x', key: 'aaaaaaaaaaaaaaaa', tip: 'feat/two', mergeBase: null, first: '', time: '', author: '', removed: ['README.md'] }] });
  const blob = git(codex, ['hash-object', '-w', '--stdin'], env, state);
  assert.ok(blob);
  const tree = git(codex, ['mktree'], env, `100644 blob ${blob}\tstate.json\n`);
  const forged = git(codex, ['commit-tree', tree, '-m', 'forged'], env);
  git(codex, ['update-ref', 'refs/codex-hooks/layers/api/test', forged], env);
  const r = await branchWith(dir, env, 'feat/one', { 'docs/one.md': 'one\n' }, 'main');
  assert.is(r.code, 0, r.stderr);
  assert.equal(ours(codex, 'test', env), ['README.md', 'docs/intro.md', 'docs/one.md']);
});

const e = (path, oid, mode = '100644') => ({ path, oid, mode, type: 'blob', size: 1 });
const folder = (...entries) => new Map(entries.map((x) => [x.path, x]));

t('planToCodex (pure): the folder becomes what is given', () => {
  const existing = folder(e('a.md', '1'), e('b.md', '2'), e('other.md', '9'));
  const selection = [e('a.md', '1'), e('b.md', '3'), e('c.md', '4')];
  assert.equal(planToCodex(selection, existing), { added: ['c.md'], changed: ['b.md'], removed: ['other.md'], before: 3 });
});

t.run();
