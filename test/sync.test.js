import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, codexFiles, commit, commitToCodex, git, isolatedEnv, makeCodex, makeRepo, refOf, tmpdir, writeConfig, writeFiles } from './helpers.js';

const t = suite('sync');
t.after.each(cleanup);

function setup(files, config = {}, codexSeed) {
  const env = isolatedEnv();
  const codex = makeCodex(env, codexSeed);
  const dir = makeRepo(env, { 'docs/intro.md': '# Intro\n', 'docs/guide/setup.md': '# Setup\n', 'README.md': '# API\n', 'src/index.js': 'code\n', ...files });
  writeConfig(dir, { codex_url: codex, project_name: 'api', ...config });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'config'], env);
  git(dir, ['checkout', '-q', '-b', 'feat/docs'], env);
  return { env, codex, dir };
}

const sync = (dir, env, args = []) => cli(['sync', ...args], { cwd: dir, env });

t('a feature branch lands on test and not on main, with the message and trailers', async () => {
  const { env, codex, dir } = setup();
  const mainBefore = refOf(codex, 'main', env);
  const r = await sync(dir, env);
  assert.is(r.code, 0, r.stderr);
  assert.is(refOf(codex, 'main', env), mainBefore);
  const files = codexFiles(codex, 'test', env);
  assert.is(files['projects/api/docs/intro.md'], '# Intro');
  assert.is(files['projects/api/docs/guide/setup.md'], '# Setup');
  assert.is(files['projects/api/README.md'], '# API');
  assert.not.ok('projects/api/src/index.js' in files);
  const head = git(dir, ['rev-parse', 'HEAD'], env);
  const message = git(codex, ['log', '-1', '--format=%B', 'test'], env);
  assert.match(message, `docs(api): sync 3 files from feat/docs@${head.slice(0, 7)} [test]`);
  assert.match(message, `Codex-Project: api\nCodex-Source-Commit: ${head}\nCodex-Source-Branch: feat/docs\nCodex-Env: test`);
  assert.is(git(codex, ['rev-list', '--count', 'test'], env), '2', 'one codex commit per sync, on top of the tip (no project history)');
});

t('explicit prod lands on main without asking; the sync works through GIT_DIR set by a hook elsewhere', async () => {
  const { env, codex, dir } = setup();
  const other = makeRepo(env, { 'x.md': 'x' }, 'unrelated');
  // A hook exports GIT_DIR/GIT_INDEX_FILE; they must not leak into work on the codex cache.
  const r = await sync(dir, { ...env, GIT_DIR: path.join(other, '.git'), GIT_INDEX_FILE: path.join(other, '.git/index'), GIT_WORK_TREE: other }, ['--env', 'prod', '--cwd', dir]);
  assert.is(r.code, 0, r.stderr);
  assert.is(codexFiles(codex, 'main', env)['projects/api/docs/intro.md'], '# Intro');
  assert.not.ok('projects/api/docs/intro.md' in codexFiles(codex, 'test', env));
});

t('a second identical sync makes no commit; a removed doc is removed from the codex', async () => {
  const { env, codex, dir } = setup();
  await sync(dir, env);
  const tip = refOf(codex, 'test', env);
  const again = await sync(dir, env, ['--json']);
  assert.is(again.code, 0);
  assert.is(JSON.parse(again.stdout).toCodex.codexCommit, null);
  assert.is(refOf(codex, 'test', env), tip);
  commit(dir, env, { 'docs/guide/setup.md': null });
  const r = await sync(dir, env, ['--json']);
  assert.equal(JSON.parse(r.stdout).toCodex.removed, ['docs/guide/setup.md']);
  const files = codexFiles(codex, 'test', env);
  assert.not.ok('projects/api/docs/guide/setup.md' in files);
  assert.ok('projects/api/docs/intro.md' in files);
});

t('a SHA-256 project syncs into a SHA-1 codex; a second identical sync makes no commit', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const dir = path.join(path.dirname(codex), 'sha256-project');
  fs.mkdirSync(dir);
  git(dir, ['init', '-q', '--object-format=sha256', '-b', 'main'], env);
  writeFiles(dir, { 'docs/a.md': '# A\n', 'docs/deep/b.md': '# B\n' });
  writeConfig(dir, { codex_url: codex, project_name: 'api' });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'docs'], env);
  const first = await sync(dir, env, ['--env', 'test']);
  assert.is(first.code, 0, first.stderr);
  const files = codexFiles(codex, 'test', env);
  assert.is(files['projects/api/docs/a.md'], '# A');
  assert.is(files['projects/api/docs/deep/b.md'], '# B');
  git(codex, ['fsck', '--strict', '--no-progress'], env);
  const tip = refOf(codex, 'test', env);
  const again = await sync(dir, env, ['--env', 'test']);
  assert.is(again.code, 0, again.stderr);
  assert.is(refOf(codex, 'test', env), tip);
});

t("another project's folder and shared/ are untouched byte for byte", async () => {
  const { env, codex, dir } = setup();
  const treeOf = (p) => git(codex, ['rev-parse', `test:${p}`], env);
  const before = [treeOf('shared'), treeOf('projects/other')];
  await sync(dir, env);
  commit(dir, env, { 'docs/new.md': 'new\n', 'docs/intro.md': null });
  await sync(dir, env);
  assert.equal([treeOf('shared'), treeOf('projects/other')], before);
  const changed = git(codex, ['diff', '--name-only', `${refOf(codex, 'main', env)}`, 'test'], env).split('\n');
  assert.ok(changed.every((p) => p.startsWith('projects/api/')), changed.join(','));
});

t('uncommitted edits in the working tree are not synced; --ref syncs another commit', async () => {
  const { env, codex, dir } = setup();
  const first = git(dir, ['rev-parse', 'HEAD'], env);
  commit(dir, env, { 'docs/intro.md': '# Intro v2\n' });
  writeFiles(dir, { 'docs/intro.md': '# DIRTY\n', 'docs/untracked.md': 'u\n' });
  await sync(dir, env);
  let files = codexFiles(codex, 'test', env);
  assert.is(files['projects/api/docs/intro.md'], '# Intro v2');
  assert.not.ok('projects/api/docs/untracked.md' in files);
  await sync(dir, env, ['--ref', first]);
  files = codexFiles(codex, 'test', env);
  assert.is(files['projects/api/docs/intro.md'], '# Intro');
});

t('secrets matched by sync_patterns never reach the codex; big files and submodules are skipped', async () => {
  const { env, codex, dir } = setup({
    'docs/.env': 'TOKEN=abc\n',
    'docs/.env.production': 'TOKEN=abc\n',
    'docs/keys/id_rsa': 'PRIVATE\n',
    'docs/server.pem': 'PEM\n',
    'docs/db-password.txt': 'hunter2\n',
    'docs/.secrets/notes.md': 'x\n',
    'docs/big.bin': 'x'.repeat(2000),
  }, { max_file_size: 1000, deny_patterns: ['**/.env', '**/.env.*', '**/id_rsa*', '**/*.pem', '**/*password*', '**/.secrets'] });
  const sub = makeRepo(env, { 'a.md': 'a' }, 'sub');
  git(dir, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'docs/vendor'], env);
  git(dir, ['commit', '-q', '-m', 'submodule'], env);
  const r = await sync(dir, env, ['--json']);
  assert.is(r.code, 0, r.stderr);
  const skipped = JSON.parse(r.stdout).toCodex.skipped;
  const files = Object.keys(codexFiles(codex, 'test', env)).filter((p) => p.startsWith('projects/api/'));
  assert.equal(files.sort(), ['projects/api/README.md', 'projects/api/docs/guide/setup.md', 'projects/api/docs/intro.md']);
  const reasons = Object.fromEntries(skipped.map((s) => [s.path, s.reason]));
  assert.is(reasons['docs/big.bin'], 'too-large');
  assert.is(reasons['docs/vendor'], 'submodule');
  assert.is(reasons['docs/.env'], 'denied');
  assert.is(reasons['docs/.secrets/notes.md'], 'denied');
});

t('a symlink to /etc/passwd arrives as a link; odd file names survive', async () => {
  const { env, codex, dir } = setup();
  fs.symlinkSync('/etc/passwd', path.join(dir, 'docs/passwd.md'));
  const odd = ['docs/with space.md', 'docs/ünïcödé — 文档.md', 'docs/new\nline.md', 'docs/quote"back\\slash.md', 'docs/tab\there.md'];
  writeFiles(dir, Object.fromEntries(odd.map((p, i) => [p, `odd ${i}\n`])));
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'odd'], env);
  const r = await sync(dir, env);
  assert.is(r.code, 0, r.stderr);
  const files = codexFiles(codex, 'test', env);
  assert.is(files['projects/api/docs/passwd.md'], '-> /etc/passwd');
  odd.forEach((p, i) => assert.is(files[`projects/api/${p}`], `odd ${i}`, JSON.stringify(p)));
});

t('the missing branch message, exit 1', async () => {
  const { env, dir } = setup({}, {}, undefined);
  const env2 = env;
  const codex = makeCodex(env2, undefined, ['main']);
  writeConfig(dir, { codex_url: codex, project_name: 'api' });
  git(dir, ['commit', '-q', '-am', 'point to a codex without test'], env);
  const r = await sync(dir, env);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, "✖ TARGET BRANCH NOT FOUND\nThe codex has no branch 'test' (environment test).\nCreate it:   codex-hooks create-branch test --from main\nOr send test to production: set environments.test.branch = \"main\" in ");
  const c = await cli(['create-branch', 'test', '--from', 'main'], { cwd: dir, env });
  assert.is(c.code, 0, c.stderr);
  assert.is(refOf(codex, 'test', env), refOf(codex, 'main', env));
  assert.is((await sync(dir, env)).code, 0);
});

t('create-branch on an empty codex starts the branch', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env, {}, []);
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: codex, project_name: 'api' });
  for (const b of ['main', 'test']) assert.is((await cli(['create-branch', b], { cwd: dir, env })).code, 0);
  const r = await cli(['sync', '--env', 'prod'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.ok('projects/api/docs/intro.md' in codexFiles(codex, 'main', env));
  const dup = await cli(['create-branch', 'test'], { cwd: dir, env });
  assert.is(dup.code, 0, 'an existing branch is nothing to do (issue 11 item 15)');
  assert.match(dup.stdout, /nothing to do/);
});

t('unreachable codex and its message (exit 1), credentials never shown', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: '/nonexistent/codex.git', project_name: 'api' });
  const r = await cli(['sync', '--env', 'test'], { cwd: dir, env });
  assert.is(r.code, 1);
  assert.match(r.stderr, /CODEX UNREACHABLE/);
  writeConfig(dir, { codex_url: 'http://user:tok3n-s3cret@127.0.0.1:9/codex.git', project_name: 'api' });
  const h = await cli(['sync', '--env', 'test', '--json'], { cwd: dir, env: { ...env, GITHUB_TOKEN: 'ghp_planted' } });
  assert.is(h.code, 1);
  assert.match(h.stderr, /CODEX UNREACHABLE/);
  assert.not.match(h.stdout + h.stderr, /tok3n-s3cret|ghp_planted/);
  assert.match(h.stderr, /http:\/\/127\.0\.0\.1:9\/codex\.git/);
});

t('--dry-run fetches, prints the plan, and writes nothing anywhere', async () => {
  const { env, codex, dir } = setup();
  const refs = git(codex, ['for-each-ref'], env);
  const status = git(dir, ['status', '--porcelain', '--ignored'], env);
  // the records of syncs and what they remember (not the loaded config's cache, which any command keeps)
  const state = () => (fs.existsSync(path.join(dir, '.git/codex-hooks')) ? fs.readdirSync(path.join(dir, '.git/codex-hooks')).filter((f) => f !== 'config-cache.json').sort() : []);
  const before = state();
  const r = await sync(dir, env, ['--dry-run', '--json']);
  assert.is(r.code, 0, r.stderr);
  const plan = JSON.parse(r.stdout);
  assert.equal(plan.toCodex.added.sort(), ['README.md', 'docs/guide/setup.md', 'docs/intro.md']);
  assert.equal(plan.fromCodex.added, ['shared/guide.md']);
  assert.is(git(codex, ['for-each-ref'], env), refs);
  assert.is(git(dir, ['status', '--porcelain', '--ignored'], env), status);
  assert.equal(state(), before, 'nothing in .git/codex-hooks either');
  const human = await sync(dir, env, ['--dry-run', '--env', 'prod']);
  assert.match(human.stdout, /dry run, nothing written/);
  assert.match(human.stdout, /add \(3\):/);
});

t('the pulled tree mirrors the codex: routed docs arrive, stale files go, own folder never', async () => {
  const seed = {
    'shared/guide.md': '# Shared\n',
    'shared/old.md': 'old\n',
    'teams/routed.md': '---\ncodex_sync_include: ["api", "web"]\n---\nfor api\n',
    'teams/all.md': '---\ncodex_sync_include: "*"\ncodex_sync_exclude: ["api"]\n---\nnot for api\n',
    'teams/glob.md': '---\ncodex_sync_include: ["ap*"]\n---\nglob\n',
    'teams/plain.md': 'no front matter\n',
    'teams/evil.md': "---js\n{ codex_sync_include: (require('fs').writeFileSync('/tmp/codex-hooks-pwned', 'x'), ['api']) }\n---\n",
    'projects/api/docs/stale.md': 'own folder\n',
  };
  const { env, codex, dir } = setup({}, {}, seed);
  const r = await sync(dir, env);
  assert.is(r.code, 0, r.stderr);
  const pulled = (rel) => fs.readFileSync(path.join(dir, '.codex', rel), 'utf8');
  assert.is(pulled('shared/guide.md'), '# Shared\n');
  assert.is(pulled('teams/routed.md'), seed['teams/routed.md']);
  assert.is(pulled('teams/glob.md'), seed['teams/glob.md']);
  assert.not.ok(fs.existsSync(path.join(dir, '.codex/teams/all.md')));
  assert.not.ok(fs.existsSync(path.join(dir, '.codex/teams/plain.md')));
  assert.not.ok(fs.existsSync(path.join(dir, '.codex/teams/evil.md')));
  assert.not.ok(fs.existsSync('/tmp/codex-hooks-pwned'), 'front matter never runs code');
  assert.not.ok(fs.existsSync(path.join(dir, '.codex/projects')));
  // the codex changes: a shared doc removed, one routed away; a stray local file appears
  commitToCodex(codex, env, { 'shared/old.md': null, 'teams/glob.md': 'no longer routed\n', 'shared/new.md': 'new\n' });
  writeFiles(dir, { '.codex/stray.md': 'not from the codex\n' });
  const again = await sync(dir, env);
  assert.is(again.code, 0, again.stderr);
  const list = [];
  const walk = (d, rel = '') => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name), rel + e.name + '/') : list.push(rel + e.name)));
  walk(path.join(dir, '.codex'));
  // stray.md was not written by codex-hooks: it is the user's, kept as it is (design §4 from-codex).
  assert.equal(list.sort(), ['.gitignore', 'shared/guide.md', 'shared/new.md', 'stray.md', 'teams/routed.md']);
  assert.is(fs.readFileSync(path.join(dir, '.codex/stray.md'), 'utf8'), 'not from the codex\n');
});

t("the pull keeps each shared folder's listing by its tree id: used while the folder is unchanged, never when damaged", async () => {
  const { env, codex, dir } = setup({}, {}, { 'shared/a.md': 'a\n', 'shared/deep/b.md': 'b\n' });
  assert.is((await sync(dir, env)).code, 0);
  const cacheDir = fs.readdirSync(env.CODEX_HOOKS_CACHE_DIR).find((d) => d.startsWith('codex-'));
  const kept = path.join(env.CODEX_HOOKS_CACHE_DIR, cacheDir, `codex-hooks-listed-${Buffer.from('test').toString('hex')}.json`);
  const saved = JSON.parse(fs.readFileSync(kept, 'utf8'));
  assert.equal(saved.bases.shared.files.map((f) => f.path).sort(), ['shared/a.md', 'shared/deep/b.md']);
  const pulled = () => fs.readdirSync(path.join(dir, '.codex/shared'), { recursive: true }).filter((f) => f.endsWith('.md')).sort();
  // the codex changes elsewhere: shared/ keeps its tree id, and its docs stay pulled
  commitToCodex(codex, env, { 'teams/other.md': 'x\n' }, 'test');
  commit(dir, env, { 'docs/one.md': '1\n' });
  assert.is((await sync(dir, env)).code, 0);
  assert.equal(pulled(), ['a.md', 'deep/b.md']);
  // shared/ changes: listed again
  commitToCodex(codex, env, { 'shared/c.md': 'c\n', 'shared/a.md': null }, 'test');
  commit(dir, env, { 'docs/two.md': '2\n' });
  assert.is((await sync(dir, env)).code, 0);
  assert.equal(pulled(), ['c.md', 'deep/b.md']);
  // a kept file of the wrong shape (cut short, edited by hand) is not used: the folder is listed again
  const now = JSON.parse(fs.readFileSync(kept, 'utf8'));
  fs.writeFileSync(kept, JSON.stringify({ version: 1, bases: { shared: { tree: now.bases.shared.tree, files: 'none', skipped: [] } } }));
  commitToCodex(codex, env, { 'teams/more.md': 'y\n' }, 'test');
  commit(dir, env, { 'docs/three.md': '3\n' });
  assert.is((await sync(dir, env)).code, 0);
  assert.equal(pulled(), ['c.md', 'deep/b.md']);
  assert.equal(JSON.parse(fs.readFileSync(kept, 'utf8')).bases.shared.files.length, 2);
  // entries that are no listing git could give (hand-edited, another version's): not used, listed again
  const good = JSON.parse(fs.readFileSync(kept, 'utf8'));
  const damages = [null, { ...good.bases.shared.files[0], path: 42 }, { ...good.bases.shared.files[0], path: 'shared/bad.md', oid: 'zz' }, { ...good.bases.shared.files[0], path: 'teams/other.md' }, { ...good.bases.shared.files[0], path: 'shared/x.md', mode: '777' }];
  for (const [i, damage] of damages.entries()) {
    fs.writeFileSync(kept, JSON.stringify({ ...good, bases: { shared: { ...good.bases.shared, files: [...good.bases.shared.files, damage] } } }));
    commit(dir, env, { [`docs/d${i}.md`]: `${i}\n` });
    const r = await sync(dir, env);
    assert.is(r.code, 0, `${JSON.stringify(damage)}: ${r.stderr}`);
    assert.equal(pulled(), ['c.md', 'deep/b.md']);
    assert.not.ok(fs.existsSync(path.join(dir, '.codex/teams')));
    assert.equal(JSON.parse(fs.readFileSync(kept, 'utf8')).bases.shared.files, good.bases.shared.files, 'the listing is made again');
  }
  // reused unchanged, the kept file is not written again
  const mtime = fs.statSync(kept).mtimeMs;
  commitToCodex(codex, env, { 'teams/last.md': 'z\n' }, 'test');
  commit(dir, env, { 'docs/four.md': '4\n' });
  assert.is((await sync(dir, env)).code, 0);
  assert.is(fs.statSync(kept).mtimeMs, mtime);
  // the same codex commit pulled again (a sync that writes nothing, after one that wrote) reads nothing of
  // it: the record of what each prefix was there is taken as it is; a damaged one is not used
  assert.is((await sync(dir, env)).code, 0);
  const last = JSON.parse(fs.readFileSync(`${kept}.last`, 'utf8'));
  assert.equal(Object.keys(last.at), ['shared']);
  fs.writeFileSync(`${kept}.last`, JSON.stringify({ ...last, at: { shared: { file: { path: 'shared', oid: 'zz', mode: '100644', type: 'blob', size: 1 } } } }));
  assert.is((await sync(dir, env)).code, 0);
  assert.equal(pulled(), ['c.md', 'deep/b.md']);
  fs.writeFileSync(`${kept}.last`, JSON.stringify({ ...last, at: { shared: null } }));
  assert.is((await sync(dir, env)).code, 0);
  assert.not.ok(fs.existsSync(path.join(dir, '.codex/shared/c.md')), 'taken as it is: shared/ held nothing there');
});

t('a codex path that would escape pull_dir is refused', async () => {
  const { env, codex, dir } = setup();
  // Craft a tree entry named ".." under shared/ (git's own tools refuse to; the object format does not).
  const blob = git(codex, ['hash-object', '-w', '--stdin'], env, 'escaped\n');
  const hex = Buffer.from(blob, 'hex');
  const inner = Buffer.concat([Buffer.from('100644 evil.md\0'), hex]);
  const innerTree = git(codex, ['hash-object', '-w', '-t', 'tree', '--literally', '--stdin'], env, inner);
  const shared = Buffer.concat([Buffer.from('40000 ..\0'), Buffer.from(innerTree, 'hex'), Buffer.from('100644 ok.md\0'), hex]);
  const sharedTree = git(codex, ['hash-object', '-w', '-t', 'tree', '--literally', '--stdin'], env, shared);
  const root = Buffer.concat([Buffer.from('40000 shared\0'), Buffer.from(sharedTree, 'hex')]);
  const rootTree = git(codex, ['hash-object', '-w', '-t', 'tree', '--literally', '--stdin'], env, root);
  const c = git(codex, ['commit-tree', rootTree, '-p', 'test', '-m', 'evil'], env);
  git(codex, ['update-ref', 'refs/heads/test', c], env);
  const r = await sync(dir, env);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /Refused codex path/);
  assert.ok(fs.existsSync(path.join(dir, '.codex/shared/ok.md')));
  assert.not.ok(fs.existsSync(path.join(dir, '.codex/evil.md')));
  assert.not.ok(fs.existsSync(path.join(dir, 'evil.md')));
});

t('the deletion guard holds back a sync that would delete most docs', async () => {
  const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`docs/d${i}.md`, `${i}\n`]));
  const { env, codex, dir } = setup(many);
  await sync(dir, env);
  commit(dir, env, Object.fromEntries(Object.keys(many).map((k) => [k, null])));
  const tip = refOf(codex, 'test', env);
  const r = await sync(dir, env);
  assert.is(r.code, 1);
  assert.match(r.stderr, /would delete 12 of 15 files/);
  assert.match(r.stderr, /--allow-deletions/);
  assert.is(refOf(codex, 'test', env), tip);
  assert.is((await sync(dir, env, ['--allow-deletions'])).code, 0);
  assert.is(Object.keys(codexFiles(codex, 'test', env)).filter((p) => p.startsWith('projects/api/')).length, 3);
});

t('an assumed production sync asks; with no terminal it fails with exit 3 and says --env', async () => {
  const { env, codex, dir } = setup();
  git(dir, ['checkout', '-q', 'main'], env);
  const tip = refOf(codex, 'main', env);
  const r = await cli(['sync'], { cwd: dir, env: { ...env, CI: 'true' } });
  assert.is(r.code, 3);
  assert.match(r.stderr, /--env prod/);
  assert.is(refOf(codex, 'main', env), tip);
  const yes = await cli(['sync', '--yes'], { cwd: dir, env: { ...env, CI: 'true' } });
  assert.is(yes.code, 0, yes.stderr);
  assert.ok('projects/api/docs/intro.md' in codexFiles(codex, 'main', env));
});

t('detached HEAD (CI): sync asks for --env, and a layer needs its branch named (--branch, GITHUB_HEAD_REF, the one origin branch)', async () => {
  const { env, codex, dir } = setup();
  commit(dir, env, { 'docs/ci.md': 'built in CI\n' });
  git(dir, ['checkout', '-q', '--detach'], env);
  const r = await cli(['sync'], { cwd: dir, env });
  assert.is(r.code, 2);
  assert.match(r.stderr, /detached/);
  assert.match(r.stderr, /--env/);
  // no branch: no layer is written under a made-up name ("HEAD" layers used to delete each other's docs)
  const tip = refOf(codex, 'test', env);
  const unnamed = await cli(['sync', '--env', 'test'], { cwd: dir, env });
  assert.is(unnamed.code, 2, unnamed.stderr);
  assert.match(unnamed.stderr, /--branch/);
  assert.is(refOf(codex, 'test', env), tip);
  const named = await cli(['sync', '--env', 'test', '--branch', 'feat/ci', '--json'], { cwd: dir, env });
  assert.is(named.code, 0, named.stderr);
  assert.equal(JSON.parse(named.stdout).toCodex.layers.live.map((l) => l.branch), ['feat/ci']);
  const pr = await cli(['sync', '--env', 'test', '--json'], { cwd: dir, env: { ...env, GITHUB_HEAD_REF: 'feat/pr', GITHUB_REF_NAME: '7/merge', GITHUB_REF: 'refs/pull/7/merge' } });
  assert.is(pr.code, 0, pr.stderr);
  assert.equal(JSON.parse(pr.stdout).toCodex.layers.live.map((l) => l.branch), ['feat/ci', 'feat/pr']);
  assert.is((await cli(['sync', '--env', 'test', '--branch', 'a b'], { cwd: dir, env })).code, 2, 'a branch name git refuses is bad input');
});

t('a shallow clone without the merge base fails saying fetch-depth: 0, never a wrong result', async () => {
  const { env, codex, dir } = setup();
  commit(dir, env, { 'docs/new.md': 'new\n' });
  commit(dir, env, { 'docs/newer.md': 'newer\n' });
  const origin = path.join(tmpdir(), 'origin.git');
  git(path.dirname(origin), ['clone', '-q', '--bare', dir, origin], env);
  const ci = path.join(tmpdir(), 'ci');
  git(path.dirname(ci), ['clone', '-q', '--depth', '1', '--branch', 'feat/docs', `file://${origin}`, ci], env);
  const tip = refOf(codex, 'test', env);
  const r = await cli(['sync', '--env', 'test'], { cwd: ci, env });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /shallow/);
  assert.match(r.stderr, /fetch-depth: 0/);
  assert.is(refOf(codex, 'test', env), tip);
  git(ci, ['fetch', '-q', '--unshallow', 'origin', '+refs/heads/*:refs/remotes/origin/*'], env);
  const full = await cli(['sync', '--env', 'test', '--json'], { cwd: ci, env });
  assert.is(full.code, 0, full.stderr);
  const ours = Object.keys(codexFiles(codex, 'test', env)).filter((p) => p.startsWith('projects/api/')).sort();
  assert.equal(ours, ['projects/api/README.md', 'projects/api/docs/guide/setup.md', 'projects/api/docs/intro.md', 'projects/api/docs/new.md', 'projects/api/docs/newer.md']);
});

t('20 projects syncing one branch at once all land (separate caches: real push races)', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const projects = Array.from({ length: 20 }, (_, i) => {
    const dir = makeRepo(env, { [`docs/p${i}.md`]: `project ${i}\n`, 'docs/common.md': `common ${i}\n` }, `p${i}`);
    writeConfig(dir, { codex_url: codex, project_name: `p${i}`, sync_direction: 'to-codex' });
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '-m', 'cfg'], env);
    git(dir, ['checkout', '-q', '-b', 'feat'], env);
    return dir;
  });
  const results = await Promise.all(projects.map((dir, i) => cli(['sync'], { cwd: dir, env: { ...env, CODEX_HOOKS_CACHE_DIR: `${env.CODEX_HOOKS_CACHE_DIR}-${i}` } })));
  results.forEach((r, i) => assert.is(r.code, 0, `p${i}: ${r.stderr}`));
  const files = codexFiles(codex, 'test', env);
  for (let i = 0; i < 20; i++) {
    assert.is(files[`projects/p${i}/docs/p${i}.md`], `project ${i}`);
    assert.is(files[`projects/p${i}/docs/common.md`], `common ${i}`);
  }
  assert.is(files['shared/guide.md'], '# Shared guide');
  assert.is(git(codex, ['rev-list', '--count', 'test'], env), '21');
  git(codex, ['fsck', '--strict', '--no-progress'], env);
});

t.run();
