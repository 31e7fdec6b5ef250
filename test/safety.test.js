// Nothing of the user's is lost or leaked, and no codex content stalls, crashes or escapes a sync
// (design §2 pull_dir, §4 "the codex is untrusted input", deny patterns, pull mirroring).
import { execFileSync, spawn } from 'node:child_process';
import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, codexFiles, commit, git, isolatedEnv, makeCodex, makeRepo, refOf, tmpdir, writeConfig, writeFiles } from './helpers.js';
import { aliasBomb, commitTree, globBomb, snapshot } from './hostile-helpers.js';

const t = suite('safety');
t.after.each(cleanup);

const NAME = 'payments-api-service';

function setup({ config = {}, files = {}, codexSeed } = {}) {
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '30' });
  const codex = makeCodex(env, codexSeed ?? { 'shared/guide.md': '# Shared guide\n', 'shared/style.md': '# Style\n', 'projects/other/keep.md': 'other\n' });
  const dir = makeRepo(env, { 'docs/intro.md': '# Intro\n', 'README.md': '# API\n', 'src/index.js': 'code\n', ...files }, NAME);
  writeConfig(dir, { codex_url: codex, project_name: NAME, ...config });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'config'], env);
  git(dir, ['checkout', '-q', '-b', 'feat/docs'], env);
  return { env, codex, dir };
}

const sync = (dir, env, args = []) => cli(['sync', ...args], { cwd: dir, env });
const read = (...p) => fs.readFileSync(path.join(...p), 'utf8');
const exists = (...p) => fs.existsSync(path.join(...p));
/** The codex's own files and every project file outside pull_dir: what a sync may never touch. */
const outside = (dir, pullDir = '.codex') => snapshot(dir, { skip: [pullDir, '.git/codex-hooks', '.git/index', '.git/logs'] });

t('every spelling of the project root, .git in any case, or a folder overlapping sync_patterns is refused (exit 2), nothing touched', async () => {
  const { env, dir } = setup({ files: { 'docs/draft.md': 'draft\n' } });
  const bad = ['./', './/', '.', 'x/../', 'x/..//', '', '/tmp/elsewhere', '../outside', '.git', '.GIT', '.Git/codex', 'sub/.git/x', 'docs', 'docs/codex', './docs/', 'README.md'];
  for (const pullDir of bad) {
    writeConfig(dir, { codex_url: '/nonexistent/codex.git', project_name: NAME, pull_dir: pullDir });
    const before = snapshot(dir, { skip: ['.git/codex-hooks'] });
    const r = await sync(dir, env);
    assert.is(r.code, 2, `pull_dir ${JSON.stringify(pullDir)}: ${r.stderr}`);
    assert.match(r.stderr, 'pull_dir', `pull_dir ${JSON.stringify(pullDir)}`);
    assert.not.match(r.stderr, /unexpected/i);
    assert.equal(snapshot(dir, { skip: ['.git/codex-hooks'] }), before, `pull_dir ${JSON.stringify(pullDir)} touched the project`);
  }
  assert.is(read(dir, 'docs/intro.md'), '# Intro\n');
  assert.is(read(dir, 'docs/draft.md'), 'draft\n');
});

t('the pull never removes or overwrites a file it did not write: the user file is kept and named', async () => {
  const { env, codex, dir } = setup();
  writeFiles(dir, { '.codex/my-notes.md': 'mine\n', '.codex/shared/style.md': 'my own style notes\n' });
  const before = outside(dir);
  const r = await sync(dir, env);
  assert.is(r.code, 0, r.stderr);
  assert.is(read(dir, '.codex/my-notes.md'), 'mine\n');
  assert.is(read(dir, '.codex/shared/style.md'), 'my own style notes\n', 'a file the user wrote is not overwritten');
  assert.is(read(dir, '.codex/shared/guide.md'), '# Shared guide\n');
  assert.match(r.stderr, '.codex/shared/style.md');
  assert.equal(outside(dir), before);
  // The codex drops guide.md: the pulled copy goes, the user's files stay.
  const seed = path.join(tmpdir(), 'seed');
  git(path.dirname(seed), ['clone', '-q', '-b', 'test', codex, seed], env);
  commit(seed, env, { 'shared/guide.md': null, 'shared/new.md': 'new\n' });
  git(seed, ['push', '-q', 'origin', 'test'], env);
  const again = await sync(dir, env);
  assert.is(again.code, 0, again.stderr);
  assert.not.ok(exists(dir, '.codex/shared/guide.md'));
  assert.is(read(dir, '.codex/shared/new.md'), 'new\n');
  assert.is(read(dir, '.codex/my-notes.md'), 'mine\n');
  assert.is(read(dir, '.codex/shared/style.md'), 'my own style notes\n');
  // Once the user's file is gone, the codex's copy arrives.
  fs.rmSync(path.join(dir, '.codex/shared/style.md'));
  assert.is((await sync(dir, env)).code, 0);
  assert.is(read(dir, '.codex/shared/style.md'), '# Style\n');
});

t('each linked worktree keeps its own pull state: a second worktree is brought up to date too', async () => {
  const { env, codex, dir } = setup();
  assert.is((await sync(dir, env)).code, 0);
  const wt = path.join(tmpdir(), 'wt');
  git(dir, ['worktree', 'add', '-q', '-b', 'feat/other', wt], env);
  assert.is((await sync(wt, env)).code, 0);
  assert.is(read(wt, '.codex/shared/guide.md'), '# Shared guide\n');
  const seed = path.join(tmpdir(), 'seed');
  git(path.dirname(seed), ['clone', '-q', '-b', 'test', codex, seed], env);
  commit(seed, env, { 'shared/guide.md': '# Shared guide v2\n' });
  git(seed, ['push', '-q', 'origin', 'test'], env);
  assert.is((await sync(dir, env)).code, 0);
  assert.is((await sync(wt, env)).code, 0);
  assert.is(read(dir, '.codex/shared/guide.md'), '# Shared guide v2\n');
  assert.is(read(wt, '.codex/shared/guide.md'), '# Shared guide v2\n', 'the second worktree saw the first one\'s state and stayed stale');
});

t('two pulls of one project at once both succeed (the project is locked while a pull is applied)', async () => {
  const shared = {};
  for (let i = 0; i < 200; i++) shared[`shared/many/doc-${i}.md`] = `# ${i}\n`;
  const { env, dir } = setup({ codexSeed: shared, config: { sync_direction: 'from-codex' } });
  for (let round = 0; round < 3; round++) {
    fs.rmSync(path.join(dir, '.codex'), { recursive: true, force: true });
    fs.rmSync(path.join(dir, '.git/codex-hooks'), { recursive: true, force: true });
    const [a, b] = await Promise.all([sync(dir, env), sync(dir, env)]);
    assert.is(a.code, 0, a.stderr);
    assert.is(b.code, 0, b.stderr);
    assert.is(fs.readdirSync(path.join(dir, '.codex/shared/many')).length, 200);
  }
});

t('a full disk while writing state is a clear error, and no temp file is left', async () => {
  const { env, dir } = setup();
  const stateDir = path.join(dir, '.git/codex-hooks');
  fs.mkdirSync(stateDir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=16k', 'tmpfs', stateDir], { stdio: 'ignore' });
  } catch {
    console.log('  (skipped: mounting a small tmpfs needs root)');
    return;
  }
  try {
    // Fill the folder: the pull and synced records cannot be written.
    fs.writeFileSync(path.join(stateDir, 'filler'), Buffer.alloc(12 * 1024));
    const r = await sync(dir, env);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /no space|ENOSPC/i);
    assert.match(r.stderr, stateDir);
    assert.not.match(r.stderr, /unexpected/i);
    assert.equal(fs.readdirSync(stateDir).filter((f) => f.includes('.tmp')), []);
  } finally {
    execFileSync('umount', [stateDir]);
  }
});

t('deny patterns match in any letter case: no case variant of a secret reaches the codex', async () => {
  const secrets = {
    '.ENV': 'TOKEN=1\n',
    'config/.Env.Production': 'TOKEN=2\n',
    'Server.PEM': 'key\n',
    'docs/API_SECRET.md': 'secret\n',
    'docs/Passwords.txt': 'hunter2\n',
    'docs/ID_RSA': 'key\n',
    'docs/Id_Ed25519.pub': 'key\n',
    'docs/Credentials.json': '{}\n',
    'docs/.NPMRC': '//registry:_authToken=x\n',
    'docs/cert.P12': 'x\n',
    'docs/TLS.Key': 'x\n',
  };
  const { env, codex, dir } = setup({ files: secrets, config: { sync_patterns: ['**'] } });
  const r = await sync(dir, env, ['--json']);
  assert.is(r.code, 0, r.stderr);
  const files = codexFiles(codex, 'test', env);
  for (const p of Object.keys(secrets)) assert.not.ok(`projects/${NAME}/${p}` in files, `${p} reached the codex`);
  const skipped = JSON.parse(r.stdout).toCodex.skipped.filter((s) => s.reason === 'denied').map((s) => s.path);
  assert.equal(skipped.sort(), Object.keys(secrets).sort());
  assert.is(files[`projects/${NAME}/docs/intro.md`], '# Intro');
});

t('a path component git refuses on checkout never reaches the codex; the codex stays clonable', async () => {
  const { env, codex, dir } = setup();
  // git refuses to add such paths, so the tree is written object by object, as a hostile tool could.
  const head = git(dir, ['rev-parse', 'HEAD'], env);
  const tree = git(dir, ['rev-parse', 'HEAD^{tree}'], env);
  const hook = git(dir, ['hash-object', '-w', '--stdin'], env, '[core]\n\tfsmonitor = touch /tmp/pwned\n');
  const mk = (lines) => git(dir, ['mktree'], env, lines.join('\n') + '\n');
  const dotgit = mk([`100644 blob ${hook}\tconfig`]);
  const docsEntries = git(dir, ['ls-tree', `${tree}:docs`], env).split('\n');
  const docs = mk([...docsEntries, `040000 tree ${dotgit}\t.GIT`, `040000 tree ${dotgit}\tgit~1`, `040000 tree ${dotgit}\t.git. `]);
  const rootEntries = git(dir, ['ls-tree', tree], env).split('\n').filter((l) => !l.endsWith('\tdocs'));
  const root = mk([...rootEntries, `040000 tree ${docs}\tdocs`]);
  const evil = git(dir, ['commit-tree', root, '-p', head, '-m', 'evil'], env);
  git(dir, ['update-ref', 'refs/heads/feat/docs', evil], env);
  const r = await sync(dir, env, ['--json']);
  assert.is(r.code, 0, r.stderr);
  const files = codexFiles(codex, 'test', env);
  assert.equal(Object.keys(files).filter((p) => /git/i.test(p)), []);
  assert.is(files[`projects/${NAME}/docs/intro.md`], '# Intro');
  const refusedPaths = JSON.parse(r.stdout).toCodex.skipped.filter((s) => s.reason === 'refused').map((s) => s.path);
  assert.equal(refusedPaths.sort(), ['docs/.GIT/config', 'docs/.git. /config', 'docs/git~1/config']);
  const clone = path.join(tmpdir(), 'clone');
  git(path.dirname(clone), ['clone', '-q', '-b', 'test', codex, clone], env);
});

t('a hostile codex cannot stall, crash or escape a pull: each bad file is skipped with a warning, the rest arrives', async () => {
  const { env, codex, dir } = setup({ config: { max_file_size: 80_000 } });
  const routed = (body) => `---\ncodex_sync_include: ["${NAME}"]\n---\n${body}`;
  const long = 'n'.repeat(300) + '.md';
  commitTree(codex, env, 'test', {
    shared: {
      'guide.md': '# Shared guide\n',
      [long]: 'a name no file system takes\n',
      dup: [
        ['same', 'a file\n'],
        ['same', { inner: 'a folder of the same name\n' }],
      ],
      'big.md': 'x'.repeat(100_000),
      evil: { HEAD: 'ref: refs/heads/main\n', config: '[core]\n\tpager = touch /tmp/pwned-pager\n', objects: { info: { packs: '\n' } }, refs: { heads: { main: '0'.repeat(40) + '\n' } } },
      'link-out': { link: '../../../../etc/passwd' },
      'link-abs': { link: '/home/user/.ssh/id_ed25519' },
      'link-in': { link: 'guide.md' },
      'link-up': { link: '../notes/routed.md' },
    },
    notes: {
      'bomb.md': aliasBomb(),
      'globs.md': globBomb(),
      'huge-front-matter.md': `---\ncodex_sync_include: ["${NAME}"]\npad: "${'p'.repeat(70 * 1024)}"\n---\n`,
      'too-many.md': `---\ncodex_sync_include: [${Array.from({ length: 150 }, (_, i) => `"p${i}"`).join(',')}, "${NAME}"]\n---\n`,
      'routed.md': routed('# For us\n'),
      'js.md': `---js\n{ codex_sync_include: ["${NAME}"] }\n---\n`,
    },
  });
  const before = outside(dir);
  const r = await sync(dir, env);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stderr, /unexpected/i);
  assert.equal(outside(dir), before, 'nothing outside pull_dir changed');
  assert.is(read(dir, '.codex/shared/guide.md'), '# Shared guide\n');
  assert.is(read(dir, '.codex/notes/routed.md'), routed('# For us\n'));
  for (const p of ['shared/big.md', 'shared/evil', 'notes/bomb.md', 'notes/globs.md', 'notes/huge-front-matter.md', 'notes/too-many.md', 'notes/js.md', `shared/${long}`]) {
    assert.not.ok(exists(dir, '.codex', p), `${p} was pulled`);
  }
  // Links stay links, and only those leading somewhere inside pull_dir are made (design §4: nothing reaches outside it).
  assert.is(fs.readlinkSync(path.join(dir, '.codex/shared/link-in')), 'guide.md');
  assert.is(fs.readlinkSync(path.join(dir, '.codex/shared/link-up')), '../notes/routed.md');
  for (const p of ['shared/link-out', 'shared/link-abs']) assert.not.ok(fs.lstatSync(path.join(dir, '.codex', p), { throwIfNoEntry: false }), `${p} was made`);
  assert.match(r.stderr, /shared\/link-out .*outside pull_dir/);
  assert.match(r.stderr, /shared\/link-abs .*outside pull_dir/);
  assert.match(r.stderr, 'shared/big.md');
  assert.match(r.stderr, 'max_file_size');
  assert.match(r.stderr, 'shared/evil');
  assert.match(r.stderr, 'n'.repeat(300));
  // The state was written: a second sync has nothing to add and warns no more.
  const again = await sync(dir, env, ['--json']);
  assert.is(again.code, 0, again.stderr);
  const from = JSON.parse(again.stdout).fromCodex;
  assert.equal([from.added, from.changed, from.removed], [[], [], []]);
  assert.not.match(again.stderr, 'n'.repeat(300));
  assert.not.match(again.stderr, 'link-out', 'a refused link is named once');
});

t('codex text with control characters is shown escaped by status', async () => {
  const { env, codex, dir } = setup();
  assert.is((await sync(dir, env)).code, 0);
  const tip = refOf(codex, 'test', env);
  const tree = git(codex, ['rev-parse', `${tip}^{tree}`], env);
  const message = `docs(${NAME}): sync 1 file\n\nCodex-Project: ${NAME}\nCodex-Source-Commit: ${'a'.repeat(40)}\nCodex-Source-Branch: \u001b[2J\u001b[Hmain\nCodex-Env: test\n`;
  const spoof = git(codex, ['commit-tree', tree, '-p', tip], env, message);
  git(codex, ['update-ref', 'refs/heads/test', spoof], env);
  assert.is((await sync(dir, env)).code, 0);
  const r = await cli(['status'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(r.stdout.includes('\u001b'), 'a raw escape reached the terminal');
  assert.match(r.stdout, '\\x1b[2J');
});

t('a whole sync ends within CODEX_HOOKS_TIMEOUT, even when every git process is quick (a held project lock)', async () => {
  const { env, dir } = setup();
  // A live process holds the pull lock of this worktree: the sync must give up, not wait for good.
  const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
  const lockDir = path.join(dir, '.git/codex-hooks');
  fs.mkdirSync(lockDir, { recursive: true });
  fs.writeFileSync(path.join(lockDir, 'pull.lock'), JSON.stringify({ pid: holder.pid, host: os.hostname(), time: Date.now() }));
  const r = await sync(dir, { ...env, CODEX_HOOKS_TIMEOUT: '3' });
  holder.kill();
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /CODEX_HOOKS_TIMEOUT|timed out|time/i);
  assert.not.match(r.stderr, /unexpected/i);
});

t.run();
