// The core loop as a team lives it (issue 11): the packed package, real husky hooks, real `git push`.
// Shared docs arrive on push, warnings of the background run are shown, held syncs can be released.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, codexFiles, commit, commitToCodex, git, isolatedEnv, refOf, run, tmpdir, writeConfig, writeFiles } from './helpers.js';
import { e2eProject, packedCli, pushWithoutTerminal, installedProject } from './e2e-helpers.js';
import { msg } from '../dist/core/messages.js';

const t = suite('push-loop');
t.after.each(cleanup);

async function installed(config = {}) {
  const p = await installedProject({ config });
  const { env } = p;
  // install changed package.json and .husky: commit them so later commits hold only what a test adds
  // (set-up, on main: the hooks would have nothing to do, so git is not asked to run them)
  git(p.dir, ['add', '-A'], env);
  git(p.dir, ['-c', 'core.hooksPath=/dev/null', 'commit', '-q', '-m', 'hooks'], env);
  return p;
}

/** A command of the packed package, as the project's developer runs it (in-process: see cli()). */
const cliIn = (p, args, env = p.env) => cli(args, { cwd: p.dir, env, from: packedCli() });

/** A codex path that would leave pull_dir (`shared/../evil.md`): git's tools refuse it, the object format does not. */
function plantEscapingPath(codex, env) {
  const blob = git(codex, ['hash-object', '-w', '--stdin'], env, 'escaped\n');
  const hex = Buffer.from(blob, 'hex');
  const inner = git(codex, ['hash-object', '-w', '-t', 'tree', '--literally', '--stdin'], env, Buffer.concat([Buffer.from('100644 evil.md\0'), hex]));
  const shared = git(codex, ['hash-object', '-w', '-t', 'tree', '--literally', '--stdin'], env, Buffer.concat([Buffer.from('40000 ..\0'), Buffer.from(inner, 'hex'), Buffer.from('100644 ok.md\0'), hex]));
  const root = git(codex, ['hash-object', '-w', '-t', 'tree', '--literally', '--stdin'], env, Buffer.concat([Buffer.from('40000 shared\0'), Buffer.from(shared, 'hex')]));
  git(codex, ['update-ref', 'refs/heads/test', git(codex, ['commit-tree', root, '-p', 'test', '-m', 'evil'], env)], env);
}

/** Waits for the background post-commit run to record its outcome (it writes background.json last). */
async function backgroundDone(dir) {
  const file = path.join(dir, '.git/codex-hooks/background.json');
  const deadline = Date.now() + 60_000;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline) throw new Error('the background run never finished');
    await new Promise((r) => setTimeout(r, 100));
  }
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

t('default config: the background run and the push that follows leave .codex matching the codex branch', async () => {
  const p = await installed({ hooks: undefined }); // the defaults: post_commit background, bidirectional
  git(p.dir, ['checkout', '-q', '-b', 'feat/docs'], p.env);
  commit(p.dir, p.env, { 'docs/new.md': 'new\n' });
  const bg = await backgroundDone(p.dir);
  assert.ok(bg.ok, bg.message);
  assert.is(codexFiles(p.codex, 'test', p.env)['projects/api/docs/new.md'], undefined, 'a commit is not published');
  assert.is(fs.readFileSync(path.join(p.dir, '.codex/shared/guide.md'), 'utf8'), '# Shared guide\n', 'the background run pulls');
  // Another project shares a doc meanwhile: the push publishes ours and pulls theirs.
  commitToCodex(p.codex, p.env, { 'shared/new.md': 'shared later\n' });
  const r = await pushWithoutTerminal(p.dir, p.env, ['-u', 'origin', 'feat/docs']);
  assert.is(r.code, 0, r.stderr);
  assert.is(fs.readFileSync(path.join(p.dir, '.codex/shared/new.md'), 'utf8'), 'shared later\n');
  assert.is(codexFiles(p.codex, 'test', p.env)['projects/api/docs/new.md'], 'new');
  assert.match(r.stdout + r.stderr, /codex-hooks: api \[test\] \d+ files? → codex test \([0-9a-f]+\), 1 pulled/, r.stdout + r.stderr);
});

t('two feature branches pushed one after the other are both on test (layer); production mirrors', async () => {
  const p = await installed({ sync_direction: 'to-codex' });
  git(p.dir, ['checkout', '-q', '-b', 'feat/one'], p.env);
  commit(p.dir, p.env, { 'docs/one.md': 'one\n' });
  assert.is((await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat/one'])).code, 0);
  git(p.dir, ['checkout', '-q', '-b', 'feat/two', 'main'], p.env);
  commit(p.dir, p.env, { 'docs/two.md': 'two\n' });
  const r = await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat/two']);
  assert.is(r.code, 0, r.stderr);
  const test = codexFiles(p.codex, 'test', p.env);
  assert.is(test['projects/api/docs/one.md'], 'one');
  assert.is(test['projects/api/docs/two.md'], 'two');
  const prod = await pushWithoutTerminal(p.dir, { ...p.env, CODEX_ENV: 'prod' }, ['origin', 'feat/two:main']);
  assert.is(prod.code, 0, prod.stderr);
  const main = codexFiles(p.codex, 'main', p.env);
  assert.ok('projects/api/docs/two.md' in main);
  assert.not.ok('projects/api/docs/one.md' in main);
});

t('up to date and the codex unreachable: the pull warns and the push goes on, even with on_failure block', async () => {
  const p = await installed({ hooks: { post_commit: 'off', on_failure: 'block' } });
  git(p.dir, ['checkout', '-q', '-b', 'feat'], p.env);
  assert.is((await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat'])).code, 0);
  commit(p.dir, p.env, { 'src/code.js': 'x\n' });
  fs.renameSync(p.codex, `${p.codex}.away`);
  const r = await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /shared docs not pulled from codex test/);
  assert.is(refOf(p.origin, 'feat', p.env), git(p.dir, ['rev-parse', 'HEAD'], p.env));
});

t('sync_direction from-codex on main: the push pulls production docs and asks nothing', async () => {
  const p = await installed({ sync_direction: 'from-codex' });
  const mainTip = refOf(p.codex, 'main', p.env);
  const r = await pushWithoutTerminal(p.dir, p.env, ['origin', 'main']);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stdout + r.stderr, /PRODUCTION|no terminal|confirm/i);
  assert.ok(fs.existsSync(path.join(p.dir, '.codex/shared/guide.md')));
  assert.is(refOf(p.codex, 'main', p.env), mainTip);
  const s = await cliIn(p, ['sync'], { ...p.env, CI: 'true' });
  assert.is(s.code, 0, s.stderr);
  assert.match((await cliIn(p, ['status', '--offline'])).stdout, msg.statusRow('confirmation', msg.statusConfirmation(true, true)));
});

t('patterns that match no file say so, naming sync_patterns', async () => {
  const p = await installed({ sync_patterns: ['doc/**'] });
  git(p.dir, ['checkout', '-q', '-b', 'feat'], p.env);
  const r = await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /sync_patterns \(doc\/\*\*\) matched no file/);
  commit(p.dir, p.env, { 'src/a.js': 'x\n' });
  const again = await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat']);
  assert.match(again.stderr, /sync_patterns \(doc\/\*\*\) matched no file/, 'also when nothing changed since');
  const s = await cliIn(p, ['sync']);
  assert.is(s.code, 0, s.stderr);
  assert.match(s.stderr, /sync_patterns \(doc\/\*\*\) matched no file/);
});

t("the background run's warnings are shown by the next hook run, once, and by status", async () => {
  const p = await installed({ hooks: { post_commit: 'background' }, max_file_size: 100, sync_patterns: ['docs/**', 'README.md', 'secrets/**'] });
  plantEscapingPath(p.codex, p.env);
  git(p.dir, ['checkout', '-q', '-b', 'feat'], p.env);
  commit(p.dir, p.env, { 'docs/big.md': 'x'.repeat(500), 'docs/.env': 'TOKEN=1\n' });
  const bg = await backgroundDone(p.dir);
  assert.ok(bg.ok, bg.message);
  const status = await cliIn(p, ['status', '--offline']);
  assert.match(status.stdout + status.stderr, /Refused codex path that would leave \.codex.*"shared\/\.\.\/evil\.md"/);
  const r = await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /background docs sync.*warned/);
  assert.match(r.stderr, /skipped docs\/big\.md \(over max_file_size\)/);
  assert.match(r.stderr, /skipped docs\/\.env \(deny_patterns\/exclude_patterns\)/);
  assert.match(r.stderr, /Refused codex path/);
  commit(p.dir, p.env, { 'src/x.js': 'x\n' }); // a hook run (post-commit) after the warnings were shown
  const again = await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat']);
  assert.not.match(again.stderr, /background docs sync.*warned/);
});

t('a sync held by the deletion guard: the hook names --allow-deletions, --retry --allow-deletions releases it', async () => {
  const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`docs/d${i}.md`, `${i}\n`]));
  const p = await installed({ sync_direction: 'to-codex' });
  git(p.dir, ['checkout', '-q', '-b', 'feat'], p.env);
  commit(p.dir, p.env, many);
  assert.is((await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat'])).code, 0);
  commit(p.dir, p.env, Object.fromEntries(Object.keys(many).map((k) => [k, null])));
  const held = await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat']);
  assert.is(held.code, 0, held.stderr);
  assert.match(held.stderr, /would delete 12 of 13 files/);
  assert.match(held.stderr, /codex-hooks sync --retry --allow-deletions/);
  const held2 = await cliIn(p, ['status', '--offline']);
  // a pending request is a problem: status prints it as a warning (stderr), which --quiet keeps
  assert.match(held2.stdout + held2.stderr, /pending: .*`(npx )?codex-hooks sync --retry --allow-deletions`/);
  const plain = await cliIn(p, ['sync', '--retry']);
  assert.is(plain.code, 1);
  assert.match(plain.stdout + plain.stderr, /--allow-deletions/);
  const r = await cliIn(p, ['sync', '--retry', '--allow-deletions']);
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.not.ok('projects/api/docs/d0.md' in codexFiles(p.codex, 'test', p.env));
  const status = JSON.parse((await cliIn(p, ['status', '--offline', '--json'])).stdout);
  assert.is(status.pending.length, 0);
});

t('a successful sync of the same environment clears the kept request', async () => {
  const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`docs/d${i}.md`, `${i}\n`]));
  const p = await installed({ sync_direction: 'to-codex' });
  git(p.dir, ['checkout', '-q', '-b', 'feat'], p.env);
  commit(p.dir, p.env, many);
  await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat']);
  commit(p.dir, p.env, Object.fromEntries(Object.keys(many).map((k) => [k, null])));
  await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat']);
  assert.is(JSON.parse((await cliIn(p, ['status', '--offline', '--json'])).stdout).pending.length, 1);
  const r = await cliIn(p, ['sync', '--allow-deletions']);
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse((await cliIn(p, ['status', '--offline', '--json'])).stdout).pending.length, 0);
});

t('a request kept for an environment the config no longer has says how to drop it', async () => {
  const p = await installed({ sync_direction: 'to-codex', environments: { qa: { branch: 'test' } }, branch_environments: { 'qa/*': 'qa' } });
  fs.renameSync(p.codex, `${p.codex}.away`);
  git(p.dir, ['checkout', '-q', '-b', 'qa/x'], p.env);
  await pushWithoutTerminal(p.dir, p.env, ['origin', 'qa/x']);
  fs.renameSync(`${p.codex}.away`, p.codex);
  const cfg = JSON.parse(fs.readFileSync(path.join(p.dir, '.codexrc.json'), 'utf8'));
  delete cfg.environments;
  delete cfg.branch_environments;
  writeConfig(p.dir, cfg);
  const r = await cliIn(p, ['sync', '--retry']);
  assert.is(r.code, 1);
  assert.match(r.stderr, /environment qa is no longer in .*\.codexrc\.json: a retry cannot deliver it; add environments\.qa again, or drop the request by removing .*pending\/qa\.json/);
  fs.rmSync(path.join(p.dir, '.git/codex-hooks/pending/qa.json'));
  assert.match((await cliIn(p, ['sync', '--retry'])).stdout, msg.noKeptSyncs);
});

t('a request kept from an assumed environment never becomes a production sync without a yes', async () => {
  const p = await installed({ sync_direction: 'to-codex' });
  const away = `${p.codex}.away`;
  fs.renameSync(p.codex, away);
  git(p.dir, ['checkout', '-q', '-b', 'feat'], p.env);
  const failed = await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat']);
  assert.match(failed.stderr, /kept/);
  fs.renameSync(away, p.codex);
  // Meanwhile the config sends test to the production branch.
  const cfg = JSON.parse(fs.readFileSync(path.join(p.dir, '.codexrc.json'), 'utf8'));
  writeConfig(p.dir, { ...cfg, environments: { test: { branch: 'main' } } });
  const mainTip = refOf(p.codex, 'main', p.env);
  const r = await run('setsid', ['-w', p.bin, 'sync', '--retry'], { cwd: p.dir, env: p.env });
  assert.is(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /--yes/);
  assert.is(refOf(p.codex, 'main', p.env), mainTip);
  // the next push of another environment delivers kept requests too: still not without a yes
  commit(p.dir, p.env, { 'src/y.js': 'y\n' });
  await pushWithoutTerminal(p.dir, p.env, ['origin', 'feat:other']);
  assert.is(refOf(p.codex, 'main', p.env), mainTip);
  const yes = await cliIn(p, ['sync', '--retry', '--yes']);
  assert.is(yes.code, 0, yes.stdout + yes.stderr);
  assert.ok('projects/api/docs/intro.md' in codexFiles(p.codex, 'main', p.env));
});

t.run();
