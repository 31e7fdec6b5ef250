// sync-org as a user meets it: input checked once, unconfigured checkouts skipped, rows in their real state,
// natural order, failures shown under --quiet, a live display that fits the terminal, colour on a terminal only.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, codexFiles, git, isolatedEnv, makeCodex, refOf, run, tmpdir, writeConfig } from './helpers.js';
import { naturalCompare, renderFrame, orgTable } from '../dist/ui/org-table.js';
import { makeStyle } from '../dist/ui/logger.js';

const t = suite('org-cli');
t.after.each(cleanup);

/** A checkout under `root` on branch `feat` with one doc; `config` null leaves it without a codex-hooks config. */
function checkout(root, name, env, config) {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
  git(dir, ['init', '-q', '-b', 'main'], env);
  fs.writeFileSync(path.join(dir, 'docs/index.md'), `# ${name}\n`);
  if (config) writeConfig(dir, config);
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'docs'], env);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  return dir;
}

t('--env with a name no project knows: exit 2 before any work, one message listing the known names', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const root = tmpdir('org-');
  for (const n of ['a', 'b', 'c']) checkout(root, n, env, { codex_url: codex });
  const before = refOf(codex, 'main', env);
  const r = await cli(['sync-org', '--root', root, '--env', 'prd'], { cwd: root, env });
  assert.is(r.code, 2, r.stderr);
  assert.is(r.stderr.match(/Unknown environment "prd"/g)?.length, 1, r.stderr);
  assert.match(r.stderr, /Did you mean "prod"\?/);
  assert.match(r.stderr, /Known environments: dev, test, staging, prod/);
  assert.is(r.stdout, '');
  assert.is(refOf(codex, 'main', env), before);
  assert.not.ok(fs.existsSync(env.CODEX_HOOKS_CACHE_DIR), 'no cache was made: nothing was fetched');
  const j = await cli(['sync-org', '--root', root, '--env', 'prd', '--json'], { cwd: root, env });
  assert.is(j.code, 2);
  assert.match(JSON.parse(j.stdout).error.message, /Unknown environment "prd"/);
});

t('--env that only some projects know: those sync, the others fail their row (exit 1)', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const root = tmpdir('org-');
  checkout(root, 'with-qa', env, { codex_url: codex, environments: { qa: { branch: 'test' } } });
  checkout(root, 'without', env, { codex_url: codex });
  const r = await cli(['sync-org', '--root', root, '--env', 'qa', '--json'], { cwd: root, env });
  assert.is(r.code, 1, r.stderr);
  const rows = JSON.parse(r.stdout).projects;
  assert.is(rows.find((p) => p.project === 'with-qa').status, 'synced');
  const other = rows.find((p) => p.project === 'without');
  assert.is(other.status, 'failed');
  assert.match(other.message, /Unknown environment "qa" \(from --env\)/);
});

t('two checkouts of one project_name into one codex branch: the first syncs, the second fails saying why', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const root = tmpdir('org-');
  checkout(root, 'api', env, { codex_url: codex, project_name: 'api' });
  checkout(root, 'api-fork', env, { codex_url: codex, project_name: 'api' });
  const r = await cli(['sync-org', '--root', root, '--env', 'test', '--json'], { cwd: root, env });
  assert.is(r.code, 1, r.stderr);
  const [first, second] = JSON.parse(r.stdout).projects;
  assert.equal([first.status, second.status], ['synced', 'failed']);
  assert.match(second.message, new RegExp(`project_name "api" is also synced from ${first.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} to codex branch test`));
  assert.is(codexFiles(codex, 'test', env)['projects/api/docs/index.md'], '# api');
});

t('a checkout without a codex-hooks config is skipped (no config), not failed: exit 0', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const root = tmpdir('org-');
  checkout(root, 'configured', env, { codex_url: codex });
  checkout(root, 'plain', env, null);
  const r = await cli(['sync-org', '--root', root, '--env', 'test', '--json'], { cwd: root, env });
  assert.is(r.code, 0, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.summary, { total: 2, synced: 1, upToDate: 0, skipped: 1, failed: 0 });
  const plain = out.projects.find((p) => p.dir.endsWith('plain'));
  assert.is(plain.status, 'skipped');
  assert.is(plain.message, 'no config');
  assert.is(codexFiles(codex, 'test', env)['projects/configured/docs/index.md'], '# configured');
  const human = await cli(['sync-org', '--root', root, '--env', 'test'], { cwd: root, env });
  assert.is(human.code, 0);
  assert.match(human.stdout, /plain\s+-\s+-\s+skipped\s+0\s+no config/);
});

t('--root on a folder with no repositories: exit 2 naming the folder', async () => {
  const env = isolatedEnv();
  const root = tmpdir('org-empty-');
  fs.mkdirSync(path.join(root, 'just-a-folder'));
  const r = await cli(['sync-org', '--root', root, '--env', 'test'], { cwd: root, env });
  assert.is(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`No repositories under ${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(r.stderr, /git checkouts directly under it/);
});

t('--quiet with a failure still prints the failed row; natural order svc1, svc2, svc10', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const root = tmpdir('org-');
  for (const n of ['svc10', 'svc2', 'svc1']) checkout(root, n, env, n === 'svc2' ? { codex_url: codex, sync_patern: ['docs/**'] } : { codex_url: codex });
  const q = await cli(['sync-org', '--root', root, '--env', 'test', '--quiet'], { cwd: root, env });
  assert.is(q.code, 1);
  assert.is(q.stdout, '');
  assert.match(q.stderr, /svc2: .*sync_patern: unknown key/);
  assert.not.match(q.stderr, /svc1:|svc10:/);
  const j = await cli(['sync-org', '--root', root, '--env', 'test', '--json'], { cwd: root, env });
  assert.equal(JSON.parse(j.stdout).projects.map((p) => path.basename(p.dir)), ['svc1', 'svc2', 'svc10']);
});

t('the frame shows each row in its real state and keeps the counter, active and failed rows within the height', () => {
  const rows = [];
  for (let i = 1; i <= 30; i++) rows.push({ dir: `/r/svc${i}`, project: `svc${i}`, env: 'test', codexBranch: 'test', status: 'waiting', changed: 0, message: '' });
  rows[0].status = 'synced';
  rows[1].status = 'up-to-date';
  rows[2].status = 'skipped';
  rows[25].status = 'failed';
  rows[25].message = 'broken config';
  for (const i of [20, 21, 29]) rows[i].status = 'syncing';
  const frame = renderFrame(rows, { height: 10, width: 80, style: makeStyle(false) });
  const lines = frame.split('\n');
  assert.ok(lines.length <= 9, `${lines.length} lines for a height of 10:\n${frame}`);
  assert.match(lines[0], /4\/30 projects/);
  for (const name of ['svc21', 'svc22', 'svc30', 'svc26']) assert.match(frame, new RegExp(`\\b${name}\\b`), frame);
  assert.match(frame, /svc21\s+test\s+test\s+syncing/);
  assert.match(frame, /svc26\s+test\s+test\s+failed\s+0\s+broken config/);
  assert.match(frame, /… 25 more \(\d+ waiting, \d+ done\)/);
  const busy = rows.map((r) => ({ ...r, status: r.status === 'waiting' ? 'syncing' : r.status }));
  assert.match(renderFrame(busy, { height: 10, width: 80, style: makeStyle(false) }), /… 25 more \(\d+ syncing, \d+ done\)/);
  for (const l of lines) assert.ok(l.length <= 80, l);
  // tall enough: every row, each in its own state
  const all = renderFrame(rows, { height: 60, width: 120, style: makeStyle(false) });
  assert.match(all, /svc5\s+test\s+test\s+waiting/);
  assert.match(all, /svc2\s+test\s+test\s+up to date/);
  assert.not.match(all, /more/);
  assert.equal(['svc10', 'svc2', 'Svc1', 'svc1b', 'svc1', 'a-9', 'a-10', 'a-09x'].sort(naturalCompare), ['a-9', 'a-09x', 'a-10', 'Svc1', 'svc1', 'svc1b', 'svc2', 'svc10']);
  // the final table: colour only when asked for
  assert.not.match(orgTable(rows, makeStyle(false)), /\u001b\[/);
  assert.match(orgTable(rows, makeStyle(true)), /\u001b\[31mfailed/);
});

t('on a real terminal 8 rows high the live display keeps its counter on screen; the final table is coloured', async () => {
  const env = isolatedEnv();
  delete env.NO_COLOR;
  const codex = makeCodex(env);
  const root = tmpdir('org-');
  for (let i = 1; i <= 12; i++) checkout(root, `svc${i}`, env, { codex_url: codex });
  const cmd = `stty rows 8 cols 100; '${process.execPath}' '${path.resolve('bin/codex-hooks.cjs')}' sync-org --root '${root}' --env test --parallel 2`;
  const r = await run('script', ['-qefc', cmd, '/dev/null'], { cwd: root, env, timeoutMs: 60_000 });
  assert.is(r.code, 0, r.stdout);
  // log-update erases the previous frame before drawing the next: what lies between two erasures is a frame
  const chunks = r.stdout.split(/(?:\u001b\[2K\u001b\[1A)*\u001b\[2K\u001b\[G/);
  const frames = chunks.slice(0, -1).map((c) => c.replace(/\u001b\[\?25[lh]/g, '')).filter((c) => c.trim());
  assert.ok(frames.length >= 2, r.stdout);
  for (const f of frames) {
    assert.match(f, /\d+\/12 projects/, JSON.stringify(f));
    assert.ok(f.replace(/\r/g, '').trimEnd().split('\n').length <= 7, JSON.stringify(f));
  }
  assert.match(frames[0], /waiting/);
  const final = chunks[chunks.length - 1];
  assert.match(final, /\u001b\[32msynced/);
  assert.match(final, /12 synced, 0 up to date, 0 skipped, 0 failed \(of 12\)/);
  assert.is(Object.keys(codexFiles(codex, 'test', env)).filter((p) => p.endsWith('/docs/index.md')).length, 12);
});

t.run();
