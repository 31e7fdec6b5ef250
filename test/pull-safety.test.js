// The pull under pressure (design §4): many paths sharing one blob and mass removals stay linear, the
// deadline stops the writes, a pull cut short leaves no truncated doc and nothing later taken for the
// user's own, links leading out of pull_dir are never made.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPull, planPull } from '../dist/sync/from-codex/from-codex.js';
import { ObjectStore } from '../dist/git/objects/store.js';
import { cleanup, cli, commitToCodex, git, isolatedEnv, makeCodex, makeRepo, tmpdir, writeConfig } from './helpers.js';

const t = suite('pull safety');
t.after.each(cleanup);

/** A bare repository holding `count` paths that share one blob; the pull's inputs for them. */
function sameBlob(count) {
  const env = isolatedEnv();
  const bare = path.join(tmpdir(), 'objects.git');
  git(path.dirname(bare), ['init', '-q', '--bare', bare], env);
  const oid = git(bare, ['hash-object', '-w', '--stdin'], env, '# the same doc\n');
  const wanted = new Map(Array.from({ length: count }, (_, i) => [`shared/d${i % 20}/f${i}.md`, { oid, mode: '100644' }]));
  return { env, bare, wanted, store: ObjectStore.open(bare, { cwd: bare, env }) };
}

const filesUnder = (root) => (fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).filter((p) => fs.statSync(path.join(root, p)).isFile()) : []);

t('the deadline stops the writes: a timer that fires mid-pull is heard, and nothing is written after it', async () => {
  const { wanted, store } = sameBlob(3000);
  const root = tmpdir('pull-');
  const plan = planPull(root, wanted, { files: {} }, []);
  const deadline = new AbortController();
  // Every blob is here already (no process to wait for): only a pull that yields lets this timer run.
  setTimeout(() => deadline.abort(new Error('deadline')), 0);
  let recorded = null;
  try {
    await applyPull(store, root, plan, { files: {} }, 1 << 20, { signal: deadline.signal, record: (s) => (recorded = s) });
    assert.unreachable('the pull ran to its end past the deadline');
  } catch (error) {
    assert.is(error.message, 'deadline');
  } finally {
    store.close();
  }
  const written = filesUnder(root).length;
  assert.ok(written < 3000, `${written} files written`);
  await new Promise((r) => setTimeout(r, 50));
  assert.is(filesUnder(root).length, written, 'files were written after the deadline');
  // What was about to be written was recorded first: the next pull knows these files as its own.
  assert.is(Object.keys(recorded.files).length, 3000);
});

t('3,000 paths of one blob are pulled, then removed at once, folders and all', async () => {
  const { wanted, store } = sameBlob(3000);
  const root = tmpdir('pull-');
  try {
    const first = await applyPull(store, root, planPull(root, wanted, { files: {} }, []), { files: {} }, 1 << 20);
    assert.is(first.added.length, 3000);
    assert.is(filesUnder(root).length, 3000);
    const plan = planPull(root, new Map(), first.state, []);
    assert.is(plan.removed.length, 3000);
    const second = await applyPull(store, root, plan, first.state, 1 << 20);
    assert.equal(second.state.files, {});
    assert.equal(fs.readdirSync(root), [], 'emptied folders are removed');
  } finally {
    store.close();
  }
});

t('a full disk mid-pull: no truncated doc, no temp file, and the next pull brings the rest with no "Kept"', async () => {
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '30' });
  const doc = (c) => `# ${c}\n${c.repeat(20_000)}\n`;
  const codex = makeCodex(env, { 'shared/a.md': doc('a'), 'shared/b.md': doc('b'), 'shared/c.md': doc('c'), 'shared/d.md': doc('d') });
  const dir = makeRepo(env, { 'docs/intro.md': '# Intro\n' }, 'api');
  writeConfig(dir, { codex_url: codex, project_name: 'api', sync_direction: 'from-codex' });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'config'], env);
  const pulled = path.join(dir, '.codex');
  fs.mkdirSync(pulled);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', pulled], { stdio: 'ignore' });
  } catch {
    console.log('  (skipped: mounting a small tmpfs needs root)');
    return;
  }
  try {
    fs.writeFileSync(path.join(pulled, 'filler'), Buffer.alloc(12 * 1024)); // the user's: leaves room for two docs and a half
    const r = await cli(['sync'], { cwd: dir, env });
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, /ENOSPC/);
    for (const p of filesUnder(pulled).filter((f) => f !== 'filler' && f !== '.gitignore')) {
      assert.is(fs.readFileSync(path.join(pulled, p), 'utf8'), doc(path.basename(p, '.md')), `${p} is truncated`);
    }
    assert.equal(filesUnder(pulled).filter((f) => f.includes('.tmp')), [], 'a temp file was left');
    fs.rmSync(path.join(pulled, 'filler'));
    commitToCodex(codex, env, { 'shared/a.md': null, 'shared/b.md': null }, 'main'); // room for the rest
    const again = await cli(['sync'], { cwd: dir, env });
    assert.is(again.code, 0, again.stderr);
    assert.not.match(again.stderr, /Kept/);
    assert.equal(filesUnder(pulled).filter((f) => f !== '.gitignore').sort(), ['shared/c.md', 'shared/d.md']);
    for (const c of ['c', 'd']) assert.is(fs.readFileSync(path.join(pulled, `shared/${c}.md`), 'utf8'), doc(c));
  } finally {
    execFileSync('umount', [pulled]);
  }
});

t.run();
