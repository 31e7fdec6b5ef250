// A team's life through real hooks (issue 20, design §4 `layer`, §6): developers in clones of their own
// (each its own HOME and codex cache), `codex-hooks install` of the packed package, real `git push`, merges
// done "on the server" by a clone with no hooks. After each step the codex `test` branch's folder
// `projects/api/` must be what the design says: the selection of origin's main, then each live branch's
// changes since its merge base with main, in the order of each branch's first push.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, codexFiles, commit, git, isolatedEnv, refOf, run, tmpdir } from './helpers.js';
import { e2eProject, packedCli, packedInstall, pushWithoutTerminal } from './e2e-helpers.js';

const t = suite('team');
t.after.each(cleanup);

// ---- helpers -------------------------------------------------------------------------------------

const PROJECT = 'projects/api/';
// What main holds when the team starts (contents without their final newline, as codexFiles reads them).
const START = { 'docs/intro.md': '# Intro', 'docs/faq.md': 'faq v1', 'docs/api.md': 'api v1', 'docs/guide.md': 'guide v1' };

/** `files` with a newline added to each content (null still removes a file), for commit(). */
const lines = (files) => Object.fromEntries(Object.entries(files).map(([p, c]) => [p, c === null ? null : c + '\n']));

/** The project's folder on a codex branch: path under projects/api/ → content. */
function folder(codex, branch, env) {
  const all = codexFiles(codex, branch, env) ?? {};
  return Object.fromEntries(Object.entries(all).filter(([p]) => p.startsWith(PROJECT)).map(([p, c]) => [p.slice(PROJECT.length), c]));
}

/** A commit's selection under the default sync_patterns (docs/**, README.md, CLAUDE.md): path → content. */
function selection(dir, ref, env) {
  const names = git(dir, ['ls-tree', '-r', '--name-only', '-z', ref], env).split('\0').filter((p) => /^(docs\/.+|README\.md|CLAUDE\.md)$/.test(p));
  return Object.fromEntries(names.map((p) => [p, git(dir, ['show', `${ref}:${p}`], env)]));
}

/** Every ref of a bare repository with its commit: the codex "as it was". */
const refs = (bare, env) => git(bare, ['for-each-ref', '--format=%(refname) %(objectname)'], env);

/**
 * A team: alice's clone (the project made by e2eProject, START committed, `codex-hooks install` run and
 * committed, main on origin without a hook), `developer(name)` for more clones and `server()` for a clone
 * with no hooks that stands for what GitHub does (merges, web edits).
 */
async function team({ config } = {}) {
  const env = isolatedEnv();
  const p = e2eProject(env, { config });
  commit(p.dir, env, lines(START), 'docs');
  const r = await cli(['install'], { cwd: p.dir, env, from: packedCli() });
  assert.is(r.code, 0, r.stderr);
  git(p.dir, ['config', 'user.name', 'alice'], env);
  git(p.dir, ['add', '-A'], env);
  git(p.dir, ['commit', '-q', '-m', 'codex-hooks install'], env);
  git(p.dir, ['push', '-q', '--no-verify', '-u', 'origin', 'main'], env);
  const alice = { name: 'alice', dir: p.dir, env, bin: p.bin };
  const developer = async (name) => {
    const denv = isolatedEnv();
    const dir = path.join(tmpdir(`codex-hooks-${name}-`), 'api');
    git(path.dirname(dir), ['clone', '-q', p.origin, dir], denv);
    git(dir, ['config', 'user.name', name], denv);
    fs.symlinkSync(packedInstall(), path.join(dir, 'node_modules'));
    const i = await cli(['install'], { cwd: dir, env: denv, from: packedCli() });
    assert.is(i.code, 0, i.stderr);
    return { name, dir, env: denv, bin: path.join(dir, 'node_modules/.bin/codex-hooks') };
  };
  const server = () => {
    const senv = isolatedEnv();
    const dir = path.join(tmpdir('codex-hooks-server-'), 'api');
    git(path.dirname(dir), ['clone', '-q', p.origin, dir], senv);
    git(dir, ['config', 'user.name', 'github'], senv);
    return { dir, env: senv, sh: (...args) => git(dir, args, senv) };
  };
  return { alice, developer, server, codex: p.codex, origin: p.origin, env };
}

/** `git push ...` by a developer, with no terminal (the hooks run); extra env such as CODEX_ENV. */
async function push(dev, args, extra = {}) {
  const r = await pushWithoutTerminal(dev.dir, { ...dev.env, ...extra }, args);
  return { ...r, output: r.stdout + r.stderr };
}

async function pushOk(dev, args, extra) {
  const r = await push(dev, args, extra);
  assert.is(r.code, 0, `git push ${args.join(' ')} by ${dev.name} failed:\n${r.output}`);
  return r;
}

const sh = (dev, ...args) => git(dev.dir, args, dev.env);
const change = (dev, files, message = 'change') => commit(dev.dir, dev.env, lines(files), message);
const branch = (dev, name, from) => sh(dev, 'checkout', '-q', '-b', name, ...(from ? [from] : []));

function expectTest(tm, expected, message) {
  assert.equal(folder(tm.codex, 'test', tm.env), expected, message);
}

// ---- deletions and renames hold ------------------------------------------------------------------

t('feat/a deletes docs/faq.md; feat/b\'s next unrelated push does not bring it back', async () => {
  const tm = await team();
  const bob = await tm.developer('bob');
  const mainBefore = refOf(tm.codex, 'main', tm.env);
  branch(tm.alice, 'feat/a');
  change(tm.alice, { 'docs/faq.md': null }, 'drop the faq');
  await pushOk(tm.alice, ['-u', 'origin', 'feat/a']);
  const { 'docs/faq.md': _faq, ...withoutFaq } = START;
  expectTest(tm, withoutFaq, 'after feat/a: the faq is gone');
  branch(bob, 'feat/b');
  change(bob, { 'docs/api.md': 'api b' });
  await pushOk(bob, ['-u', 'origin', 'feat/b']);
  expectTest(tm, { ...withoutFaq, 'docs/api.md': 'api b' }, 'feat/b\'s first push does not bring the faq back');
  change(bob, { 'src/b.js': 'code' }, 'unrelated');
  await pushOk(bob, []);
  expectTest(tm, { ...withoutFaq, 'docs/api.md': 'api b' }, 'feat/b\'s next unrelated push does not bring the faq back');
  assert.is(refOf(tm.codex, 'main', tm.env), mainBefore, 'production untouched by feature pushes');
});

t('a rename on a branch leaves only the new name', async () => {
  const tm = await team();
  branch(tm.alice, 'feat/r');
  change(tm.alice, { 'docs/intro.md': 'intro r' });
  await pushOk(tm.alice, ['-u', 'origin', 'feat/r']);
  expectTest(tm, { ...START, 'docs/intro.md': 'intro r' });
  sh(tm.alice, 'mv', 'docs/faq.md', 'docs/questions.md');
  sh(tm.alice, 'commit', '-q', '-m', 'rename the faq');
  await pushOk(tm.alice, []);
  const { 'docs/faq.md': faq, ...rest } = START;
  expectTest(tm, { ...rest, 'docs/intro.md': 'intro r', 'docs/questions.md': faq });
  // another developer's push of an unrelated branch does not bring the old name back
  const bob = await tm.developer('bob');
  branch(bob, 'feat/b');
  change(bob, { 'docs/api.md': 'api b' });
  await pushOk(bob, ['-u', 'origin', 'feat/b']);
  expectTest(tm, { ...rest, 'docs/intro.md': 'intro r', 'docs/questions.md': faq, 'docs/api.md': 'api b' }, 'feat/b\'s push keeps the rename');
});

// ---- test follows main ---------------------------------------------------------------------------

t('a hotfix pushed to main reaches test; a deletion on main reaches test; a web edit on main too', async () => {
  const tm = await team();
  const bob = await tm.developer('bob');
  const mainBefore = refOf(tm.codex, 'main', tm.env);
  branch(tm.alice, 'feat/a');
  change(tm.alice, { 'docs/api.md': 'api a' });
  await pushOk(tm.alice, ['-u', 'origin', 'feat/a']);
  expectTest(tm, { ...START, 'docs/api.md': 'api a' });
  change(bob, { 'docs/intro.md': 'intro hotfix' }, 'hotfix');
  await pushOk(bob, ['origin', 'main']); // no terminal: production is not released, test's base moves
  expectTest(tm, { ...START, 'docs/intro.md': 'intro hotfix', 'docs/api.md': 'api a' }, 'the hotfix on main reaches test');
  assert.is(refOf(tm.codex, 'main', tm.env), mainBefore, 'production is released only with a yes or CODEX_ENV=prod');
  change(bob, { 'docs/guide.md': null }, 'guide goes');
  await pushOk(bob, ['origin', 'main']);
  const { 'docs/guide.md': _g, ...noGuide } = START;
  expectTest(tm, { ...noGuide, 'docs/intro.md': 'intro hotfix', 'docs/api.md': 'api a' }, 'the deletion on main reaches test');
  // an edit made on the server (GitHub's web editor), then alice's next push of her branch after a fetch
  const gh = tm.server();
  commit(gh.dir, gh.env, lines({ 'docs/faq.md': 'faq web' }), 'web edit');
  gh.sh('push', '-q', 'origin', 'main');
  sh(tm.alice, 'fetch', '-q', 'origin');
  change(tm.alice, { 'src/a.js': 'code' }, 'unrelated');
  await pushOk(tm.alice, []);
  expectTest(tm, { ...noGuide, 'docs/intro.md': 'intro hotfix', 'docs/api.md': 'api a', 'docs/faq.md': 'faq web' }, 'the web edit on main reaches test');
});

// ---- branches end ---------------------------------------------------------------------------------

t('a branch deleted with git push --delete leaves test; one deleted on the server leaves at the next push', async () => {
  const tm = await team();
  const bob = await tm.developer('bob');
  branch(tm.alice, 'feat/a');
  change(tm.alice, { 'docs/a.md': 'a', 'docs/api.md': 'api a' });
  await pushOk(tm.alice, ['-u', 'origin', 'feat/a']);
  branch(bob, 'feat/b');
  change(bob, { 'docs/guide.md': 'guide b' });
  await pushOk(bob, ['-u', 'origin', 'feat/b']);
  expectTest(tm, { ...START, 'docs/a.md': 'a', 'docs/api.md': 'api a', 'docs/guide.md': 'guide b' });
  await pushOk(tm.alice, ['origin', '--delete', 'feat/a']);
  expectTest(tm, { ...START, 'docs/guide.md': 'guide b' }, 'feat/a\'s docs left test with its branch');
  // feat/b deleted on the server (GitHub's delete button): noticed by the next push of any branch
  git(tm.origin, ['branch', '-D', 'feat/b'], tm.env);
  branch(tm.alice, 'feat/c', 'main');
  change(tm.alice, { 'src/c.js': 'code' }, 'no doc');
  await pushOk(tm.alice, ['-u', 'origin', 'feat/c']);
  expectTest(tm, START, 'feat/b, gone from origin, left test; feat/c changes no doc and shows nothing');
});

// bob's feat/b is pushed first, alice's feat/a later (so feat/a's version of docs/api.md shows while it is
// live); then the server brings main forward and merges feat/a one of three ways; bob fetches and pushes
// feat/b again: feat/a's layer is gone (merged or absorbed), so feat/b's docs/api.md shows over main's.
for (const how of ['merge commit', 'squash', 'rebase']) {
  t(`a branch merged on the server by ${how}: its layer is gone, test = main + the live branches`, async () => {
    const tm = await team();
    const bob = await tm.developer('bob');
    branch(bob, 'feat/b');
    change(bob, { 'docs/api.md': 'api b', 'docs/intro.md': 'intro b' });
    await pushOk(bob, ['-u', 'origin', 'feat/b']);
    branch(tm.alice, 'feat/a');
    change(tm.alice, { 'docs/api.md': 'api a', 'docs/a.md': 'a', 'docs/faq.md': null });
    await pushOk(tm.alice, ['-u', 'origin', 'feat/a']);
    const { 'docs/faq.md': _f, ...noFaq } = START;
    expectTest(tm, { ...noFaq, 'docs/intro.md': 'intro b', 'docs/api.md': 'api a', 'docs/a.md': 'a' }, 'before the merge: feat/a, first pushed later, shows over feat/b');

    const gh = tm.server();
    commit(gh.dir, gh.env, lines({ 'docs/guide.md': 'guide v2' }), 'main moves on');
    if (how === 'merge commit') {
      gh.sh('merge', '-q', '--no-ff', '-m', 'Merge pull request #1 from feat/a', 'origin/feat/a');
    } else if (how === 'squash') {
      gh.sh('merge', '-q', '--squash', 'origin/feat/a');
      gh.sh('commit', '-q', '-m', 'feat/a (#1)');
    } else {
      gh.sh('checkout', '-q', '-b', 'rebased', 'origin/feat/a');
      gh.sh('rebase', '-q', 'main');
      gh.sh('checkout', '-q', 'main');
      gh.sh('merge', '-q', '--ff-only', 'rebased');
    }
    gh.sh('push', '-q', 'origin', 'main');
    const main = selection(gh.dir, 'main', gh.env);
    assert.equal(main, { ...noFaq, 'docs/api.md': 'api a', 'docs/a.md': 'a', 'docs/guide.md': 'guide v2' }, 'the merge (a check of the test itself)');

    sh(bob, 'fetch', '-q', 'origin');
    change(bob, { 'src/b.js': 'code' }, 'unrelated');
    await pushOk(bob, []);
    expectTest(tm, { ...main, 'docs/api.md': 'api b', 'docs/intro.md': 'intro b' }, `after the ${how}: main's selection, then feat/b`);
  });
}

t('a branch pushed again after the server merged it: its new change shows on test (found by team-model, seed 20261206)', async () => {
  const tm = await team();
  branch(tm.alice, 'feat/a');
  change(tm.alice, { 'docs/api.md': 'api 1' });
  await pushOk(tm.alice, ['-u', 'origin', 'feat/a']);
  const gh = tm.server();
  gh.sh('merge', '-q', '--no-ff', '-m', 'Merge pull request #1 from feat/a', 'origin/feat/a');
  gh.sh('push', '-q', 'origin', 'main');
  sh(tm.alice, 'fetch', '-q', 'origin');
  change(tm.alice, { 'docs/api.md': 'api 2' });
  await pushOk(tm.alice, []);
  expectTest(tm, { ...START, 'docs/api.md': 'api 2' }, 'the merged branch lives on with its new change');
});

t('a branch a teammate deleted, pushed again unchanged by its author, is back on test (found by team-model, seed 20261206, the reliability suite\'s long run)', async () => {
  const tm = await team();
  const bob = await tm.developer('bob');
  branch(tm.alice, 'feat/a');
  change(tm.alice, { 'docs/api.md': 'api a' });
  await pushOk(tm.alice, ['-u', 'origin', 'feat/a']);
  await pushOk(bob, ['origin', '--delete', 'feat/a']);
  expectTest(tm, START, 'deleted by bob: its layer left test');
  // alice's clone still says it synced this very commit; origin does not have the branch any more
  await pushOk(tm.alice, ['origin', 'feat/a']);
  expectTest(tm, { ...START, 'docs/api.md': 'api a' }, 'pushed again: the layer is back');
});

t('a hotfix on main reaches test with the next push even from a clone that has not fetched; a branch pushed from elsewhere too', async () => {
  const tm = await team();
  const bob = await tm.developer('bob');
  branch(tm.alice, 'feat/a');
  change(tm.alice, { 'docs/api.md': 'api a' });
  await pushOk(tm.alice, ['-u', 'origin', 'feat/a']);
  const gh = tm.server();
  commit(gh.dir, gh.env, lines({ 'docs/guide.md': 'guide hotfix' }), 'hotfix');
  gh.sh('push', '-q', 'origin', 'main');
  // a commit on feat/a made elsewhere (the server's web editor), not by a hook
  gh.sh('checkout', '-q', '-b', 'feat/a', 'origin/feat/a');
  commit(gh.dir, gh.env, lines({ 'docs/faq.md': 'faq by web' }), 'web edit on feat/a');
  gh.sh('push', '-q', 'origin', 'feat/a');
  branch(bob, 'feat/b'); // bob fetched nothing since he cloned
  change(bob, { 'docs/intro.md': 'intro b' });
  await pushOk(bob, ['-u', 'origin', 'feat/b']);
  expectTest(tm, { ...START, 'docs/guide.md': 'guide hotfix', 'docs/api.md': 'api a', 'docs/faq.md': 'faq by web', 'docs/intro.md': 'intro b' });
});

t('a release refused by origin is never written later by a fetch of the same commit', async () => {
  const tm = await team();
  const hook = path.join(tm.origin, 'hooks/pre-receive');
  fs.writeFileSync(hook, '#!/bin/sh\necho "protected branch" >&2\nexit 1\n', { mode: 0o755 });
  change(tm.alice, { 'docs/api.md': 'api release' });
  const mainBefore = refOf(tm.codex, 'main', tm.env);
  const r = await push(tm.alice, ['origin', 'main'], { CODEX_ENV: 'prod' });
  assert.is.not(r.code, 0, r.output);
  assert.is(refOf(tm.codex, 'main', tm.env), mainBefore);
  // that very commit lands later by another git process (here a push without hooks, as a maintainer's would
  // be; a fetch moving origin/main to it is the same): alice's origin/main moves to the refused release's commit
  fs.rmSync(hook);
  const later = await run('git', ['push', '-q', '--no-verify', 'origin', 'main'], { cwd: tm.alice.dir, env: tm.alice.env });
  assert.is(later.code, 0, later.stderr);
  assert.is(refOf(tm.codex, 'main', tm.env), mainBefore, 'only the push that asked releases: ' + later.stdout + later.stderr);
});

t('a kept request delivered after its branch was deleted on the server brings no layer back', async () => {
  const tm = await team();
  const away = `${tm.codex}.away`;
  fs.renameSync(tm.codex, away);
  branch(tm.alice, 'feat/z');
  change(tm.alice, { 'docs/z.md': 'z' });
  const r = await pushOk(tm.alice, ['-u', 'origin', 'feat/z']);
  assert.match(r.output, /CODEX UNREACHABLE/);
  fs.renameSync(away, tm.codex);
  git(tm.origin, ['branch', '-D', 'feat/z'], tm.env);
  const retry = await run(tm.alice.bin, ['sync', '--retry'], { cwd: tm.alice.dir, env: tm.alice.env });
  assert.is(retry.code, 0, retry.stdout + retry.stderr);
  assert.not.ok('docs/z.md' in folder(tm.codex, 'test', tm.env), 'the deleted branch is not layered');
});

// ---- overlaps -------------------------------------------------------------------------------------

t('two branches changing one doc: the later-first-pushed branch\'s version shows; the push names the overlap', async () => {
  const tm = await team();
  const bob = await tm.developer('bob');
  branch(tm.alice, 'feat/a');
  change(tm.alice, { 'docs/api.md': 'api a' });
  await pushOk(tm.alice, ['-u', 'origin', 'feat/a']);
  branch(bob, 'feat/b');
  change(bob, { 'docs/api.md': 'api b' });
  const b = await pushOk(bob, ['-u', 'origin', 'feat/b']);
  expectTest(tm, { ...START, 'docs/api.md': 'api b' });
  const overlap = b.output.split('\n').filter((l) => l.includes('docs/api.md') && l.includes('feat/a'));
  assert.ok(overlap.length > 0, `feat/b's push names the overlap (docs/api.md, feat/a):\n${b.output}`);
  // feat/a pushes again: feat/b was first pushed later, so its version still shows
  change(tm.alice, { 'docs/api.md': 'api a2' });
  await pushOk(tm.alice, []);
  expectTest(tm, { ...START, 'docs/api.md': 'api b' }, 'the later-first-pushed branch keeps the doc');
});

// ---- one push, several branches --------------------------------------------------------------------

t('CODEX_ENV=prod git push origin main feat/wip releases main\'s docs only', async () => {
  const tm = await team();
  // feat/wip is already on origin (so git lists it, by name, before main in the hook's ref lines)
  branch(tm.alice, 'feat/wip');
  change(tm.alice, { 'docs/wip.md': 'wip', 'docs/guide.md': null }, 'wip');
  await pushOk(tm.alice, ['-u', 'origin', 'feat/wip']);
  change(tm.alice, { 'docs/faq.md': 'faq wip' }, 'more wip');
  sh(tm.alice, 'checkout', '-q', 'main');
  change(tm.alice, { 'docs/intro.md': 'intro 2' }, 'on main');
  await pushOk(tm.alice, ['origin', 'main', 'feat/wip'], { CODEX_ENV: 'prod' });
  assert.equal(folder(tm.codex, 'main', tm.env), selection(tm.alice.dir, 'main', tm.env), 'production mirrors main\'s selection, nothing of feat/wip');
  assert.equal(folder(tm.codex, 'main', tm.env), { ...START, 'docs/intro.md': 'intro 2' });
  // feat/wip is handled as any pushed branch: its layer on test, over main's new selection
  const { 'docs/guide.md': _g, ...noGuide } = START;
  expectTest(tm, { ...noGuide, 'docs/intro.md': 'intro 2', 'docs/faq.md': 'faq wip', 'docs/wip.md': 'wip' }, 'test = main + feat/wip');
});

t('git push origin feat/one feat/two syncs both to test', async () => {
  const tm = await team();
  branch(tm.alice, 'feat/one');
  change(tm.alice, { 'docs/one.md': 'one' });
  branch(tm.alice, 'feat/two', 'main');
  change(tm.alice, { 'docs/api.md': 'api two', 'docs/faq.md': null });
  const r = await pushOk(tm.alice, ['origin', 'feat/one', 'feat/two']);
  const { 'docs/faq.md': _f, ...noFaq } = START;
  expectTest(tm, { ...noFaq, 'docs/one.md': 'one', 'docs/api.md': 'api two' }, `both branches on test:\n${r.output}`);
  assert.is(refOf(tm.origin, 'feat/one', tm.env), sh(tm.alice, 'rev-parse', 'feat/one'));
});

// ---- only what lands is published ------------------------------------------------------------------

t('a push refused by origin (pre-receive) writes nothing to the codex, production included', async () => {
  const tm = await team();
  fs.writeFileSync(path.join(tm.origin, 'hooks/pre-receive'), '#!/bin/sh\necho "protected branch" >&2\nexit 1\n', { mode: 0o755 });
  const before = refs(tm.codex, tm.env);
  branch(tm.alice, 'feat/x');
  change(tm.alice, { 'docs/x.md': 'x', 'docs/faq.md': null });
  const r = await push(tm.alice, ['-u', 'origin', 'feat/x']);
  assert.is.not(r.code, 0, r.output);
  assert.is(refs(tm.codex, tm.env), before, `the codex is as it was:\n${r.output}`);
  sh(tm.alice, 'checkout', '-q', 'main');
  change(tm.alice, { 'docs/intro.md': 'intro refused' });
  const p = await push(tm.alice, ['origin', 'main'], { CODEX_ENV: 'prod' });
  assert.is.not(p.code, 0, p.output);
  assert.is(refs(tm.codex, tm.env), before, `production is as it was:\n${p.output}`);
});

const failingCheck = (marker) => `echo "project check failed" >&2\ntouch '${marker}'\nexit 1`;

t('a push stopped by the project\'s own pre-push check (there before install) writes nothing', async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  const marker = path.join(path.dirname(p.dir), 'check-ran');
  fs.mkdirSync(path.join(p.dir, '.husky'));
  fs.writeFileSync(path.join(p.dir, '.husky/pre-push'), failingCheck(marker) + '\n', { mode: 0o755 });
  const i = await cli(['install'], { cwd: p.dir, env, from: packedCli() });
  assert.is(i.code, 0, i.stderr);
  const before = refs(p.codex, env);
  git(p.dir, ['checkout', '-q', '-b', 'feat/x'], env);
  commit(p.dir, env, { 'docs/x.md': 'x\n' });
  const dev = { name: 'alice', dir: p.dir, env };
  const r = await push(dev, ['origin', 'feat/x']);
  assert.is.not(r.code, 0, r.output);
  assert.ok(fs.existsSync(marker), 'the project\'s check ran');
  assert.is(refOf(p.origin, 'feat/x', env), null);
  assert.is(refs(p.codex, env), before, `the codex is as it was:\n${r.output}`);
  const prod = await push(dev, ['origin', 'feat/x:main'], { CODEX_ENV: 'prod' });
  assert.is.not(prod.code, 0, prod.output);
  assert.is(refs(p.codex, env), before, `production is as it was:\n${prod.output}`);
});

for (const where of ['before', 'after']) {
  t(`a push stopped by an 'exit 1' ${where} codex-hooks' line in .husky/pre-push writes nothing`, async () => {
    const tm = await team();
    const marker = path.join(path.dirname(tm.alice.dir), 'check-ran');
    const file = path.join(tm.alice.dir, '.husky/pre-push');
    const hook = fs.readFileSync(file, 'utf8').split('\n');
    const ours = hook.findIndex((l) => l.includes('# codex-hooks'));
    assert.ok(ours >= 0, hook.join('\n'));
    hook.splice(where === 'before' ? ours : ours + 1, 0, failingCheck(marker));
    fs.writeFileSync(file, hook.join('\n'));
    sh(tm.alice, 'commit', '-q', '-am', 'the project\'s own pre-push check'); // on main, every branch has it
    const before = refs(tm.codex, tm.env);
    branch(tm.alice, 'feat/x');
    change(tm.alice, { 'docs/x.md': 'x', 'docs/api.md': 'api x' });
    const r = await push(tm.alice, ['-u', 'origin', 'feat/x']);
    assert.is.not(r.code, 0, r.output);
    assert.ok(fs.existsSync(marker), 'the check ran');
    assert.is(refOf(tm.origin, 'feat/x', tm.env), null, 'the push was stopped');
    assert.is(refs(tm.codex, tm.env), before, `the codex is as it was:\n${r.output}`);
    sh(tm.alice, 'checkout', '-q', 'main');
    change(tm.alice, { 'docs/intro.md': 'intro stopped' });
    const p = await push(tm.alice, ['origin', 'main'], { CODEX_ENV: 'prod' });
    assert.is.not(p.code, 0, p.output);
    assert.is(refs(tm.codex, tm.env), before, `production is as it was:\n${p.output}`);
  });
}

t('a commit that is never pushed writes nothing to the codex (post-commit foreground)', async () => {
  const tm = await team({ config: { hooks: { post_commit: 'foreground' } } });
  const before = refs(tm.codex, tm.env);
  branch(tm.alice, 'feat/wip');
  change(tm.alice, { 'docs/wip.md': 'wip', 'docs/faq.md': null }, 'wip');
  change(tm.alice, { 'docs/api.md': 'api wip' }, 'more wip');
  sh(tm.alice, 'checkout', '-q', 'main');
  change(tm.alice, { 'docs/intro.md': 'intro local' }, 'local on main');
  const r = await run('git', ['commit', '-q', '--allow-empty', '-m', 'release?'], { cwd: tm.alice.dir, env: { ...tm.alice.env, CODEX_ENV: 'prod' } });
  assert.is(r.code, 0, r.stderr);
  assert.is(refs(tm.codex, tm.env), before, 'no commit was published');
});

// ---- after everything merged and released, test = production ---------------------------------------

for (const release of ['codex-hooks sync --env prod', 'CODEX_ENV=prod git push origin main']) {
  t(`every branch merged, then released (${release}): test's folder equals main's exactly`, async () => {
    const tm = await team();
    const bob = await tm.developer('bob');
    branch(tm.alice, 'feat/a');
    change(tm.alice, { 'docs/faq.md': null, 'docs/a.md': 'a' });
    await pushOk(tm.alice, ['-u', 'origin', 'feat/a']);
    branch(bob, 'feat/b');
    change(bob, { 'docs/api.md': 'api b' });
    sh(bob, 'mv', 'docs/guide.md', 'docs/handbook.md');
    sh(bob, 'commit', '-q', '-m', 'rename the guide');
    await pushOk(bob, ['-u', 'origin', 'feat/b']);
    const gh = tm.server();
    gh.sh('merge', '-q', '--no-ff', '-m', 'Merge feat/b', 'origin/feat/b');
    gh.sh('merge', '-q', '--squash', 'origin/feat/a');
    gh.sh('commit', '-q', '-m', 'feat/a (#2)');
    gh.sh('push', '-q', 'origin', 'main');
    sh(tm.alice, 'checkout', '-q', 'main');
    sh(tm.alice, 'pull', '-q', '--ff-only');
    if (release.startsWith('codex-hooks')) {
      const r = await run(tm.alice.bin, ['sync', '--env', 'prod'], { cwd: tm.alice.dir, env: tm.alice.env });
      assert.is(r.code, 0, r.stdout + r.stderr);
    } else {
      change(tm.alice, { 'docs/intro.md': 'intro released' }, 'release notes');
      await pushOk(tm.alice, ['origin', 'main'], { CODEX_ENV: 'prod' });
    }
    const main = selection(tm.alice.dir, 'main', tm.env);
    assert.equal(folder(tm.codex, 'main', tm.env), main, 'production mirrors main');
    assert.equal(folder(tm.codex, 'test', tm.env), main, 'test equals production exactly');
  });
}

t.run();
