import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, cliProcess, codexFiles, commit, git, isolatedEnv, makeCodex, makeRepo, run, BIN, tmpdir, writeConfig } from './helpers.js';

const t = suite('org');
t.after.each(cleanup);

t('sync-org over 12 projects with one broken config: 11 synced, 1 reported, exit 1, the JSON summary parses', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const root = tmpdir('org-');
  for (let i = 0; i < 12; i++) {
    const dir = path.join(root, `svc-${String(i).padStart(2, '0')}`);
    fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
    git(dir, ['init', '-q', '-b', 'main'], env);
    fs.writeFileSync(path.join(dir, 'docs/index.md'), `# service ${i}\n`);
    writeConfig(dir, i === 7 ? { codex_url: codex, sync_patern: ['docs/**'] } : { codex_url: codex });
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '-m', 'docs'], env);
    git(dir, ['checkout', '-q', '-b', 'feat'], env);
  }
  fs.mkdirSync(path.join(root, 'not-a-checkout'));
  const r = await cli(['sync-org', '--root', root, '--parallel', '3', '--json'], { cwd: root, env });
  assert.is(r.code, 1, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.summary, { total: 12, synced: 11, upToDate: 0, skipped: 0, failed: 1 });
  const broken = out.projects.find((p) => p.status === 'failed');
  assert.ok(broken.dir.endsWith('svc-07'));
  assert.match(broken.message, /sync_patern: unknown key/);
  const files = codexFiles(codex, 'test', env);
  for (let i = 0; i < 12; i++) assert.is(files[`projects/svc-${String(i).padStart(2, '0')}/docs/index.md`], i === 7 ? undefined : `# service ${i}`);
  // human form: plain lines without a terminal, then the table and the counts
  const human = await cli(['sync-org', '--root', root], { cwd: root, env });
  assert.is(human.code, 1);
  assert.match(human.stdout, /project\s+env\s+codex branch\s+status/);
  assert.match(human.stdout, /0 synced, 11 up to date, 0 skipped, 1 failed \(of 12\)/);
});

t('sync-org never assumes production: main needs --env prod', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const a = makeRepo(env, { 'docs/a.md': 'a\n' }, 'alpha');
  writeConfig(a, { codex_url: codex });
  git(a, ['add', '-A'], env);
  git(a, ['commit', '-q', '-m', 'c'], env);
  const mainTip = git(codex, ['rev-parse', 'main'], env);
  const r = await cli(['sync-org', a, '--json'], { env });
  assert.is(r.code, 0);
  assert.is(JSON.parse(r.stdout).projects[0].status, 'skipped');
  assert.is(git(codex, ['rev-parse', 'main'], env), mainTip);
  const p = await cli(['sync-org', a, '--env', 'prod', '--json'], { env });
  assert.is(JSON.parse(p.stdout).projects[0].status, 'synced');
  assert.ok('projects/alpha/docs/a.md' in codexFiles(codex, 'main', env));
});

t('fetch reads production unless --env; a test-only doc without --env fails clearly', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const dir = makeRepo(env, { 'docs/api.md': 'v1\n' }, 'api');
  writeConfig(dir, { codex_url: codex, organization: 'acme', project_name: 'api' });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'c'], env);
  assert.is((await cli(['sync', '--env', 'prod'], { cwd: dir, env })).code, 0);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  commit(dir, env, { 'docs/api.md': 'v2 (unreleased)\n', 'docs/new.md': 'new\n' });
  assert.is((await cli(['sync'], { cwd: dir, env })).code, 0);
  const prod = await cli(['fetch', 'codex://acme/api/docs/api.md'], { cwd: dir, env });
  assert.is(prod.code, 0, prod.stderr);
  assert.is(prod.stdout, 'v1\n');
  const test = await cli(['fetch', 'codex://acme/api/docs/api.md', '--env', 'test'], { cwd: dir, env });
  assert.is(test.stdout, 'v2 (unreleased)\n');
  const missing = await cli(['fetch', 'codex://acme/api/docs/new.md'], { cwd: dir, env });
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /No document "docs\/new\.md" in project "api" on codex branch main \(environment prod\)/);
  assert.match(missing.stderr, /not be released yet: read the unreleased one with `codex-hooks fetch codex:\/\/acme\/api\/docs\/new\.md --env test`/);
  const list = await cli(['fetch', 'codex://acme/api/', '--json'], { cwd: dir, env });
  assert.equal(JSON.parse(list.stdout).files, ['docs/api.md']);
  const wrongOrg = await cli(['fetch', 'codex://other/api/docs/api.md'], { cwd: dir, env });
  assert.is(wrongOrg.code, 2);
  assert.match(wrongOrg.stderr, /organisation "acme"/);
  // cached by blob id: the file is named by the blob's id, and a second fetch reads it instead of git
  const oid = git(codex, ['rev-parse', 'main:projects/api/docs/api.md'], env);
  const cached = path.join(env.CODEX_HOOKS_CACHE_DIR, 'blobs', oid.slice(0, 2), oid.slice(2));
  assert.is(fs.readFileSync(cached, 'utf8'), 'v1\n');
  const again = await cliProcess(['fetch', 'codex://acme/api/docs/api.md'], { cwd: dir, env: { ...env, CODEX_HOOKS_TRACE: '1' } });
  assert.is(again.stdout, 'v1\n');
  assert.not.match(again.stderr, /git cat-file blob/, 'served from the blob cache, not read out of git again');
});

t('every command with CI=true and stdin closed finishes without waiting', async () => {
  const env = isolatedEnv({ CI: 'true' });
  const codex = makeCodex(env);
  const dir = makeRepo(env, { 'docs/a.md': 'a\n' }, 'ci-project');
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"ci-project"}\n');
  const commands = [
    [['init'], 0],
    [['install'], 0],
    [['status', '--offline'], 0],
    [['sync'], 3], // main: production needs a yes, and there is nobody to ask
    [['sync', '--env', 'test'], 0],
    [['sync', '--yes'], 0],
    [['create-branch', 'staging'], 0],
    [['fetch', 'codex://acme/ci-project/docs/a.md'], 0],
    [['sync-org', dir, '--env', 'test'], 0],
    [['hook', 'pre-push', 'origin', 'x'], 0],
    [['hook', 'post-commit'], 0],
    [['uninstall'], 0],
  ];
  for (const [args, code] of commands) {
    if (args[0] === 'status') {
      const rc = JSON.parse(fs.readFileSync(path.join(dir, '.codexrc.json'), 'utf8'));
      fs.writeFileSync(path.join(dir, '.codexrc.json'), JSON.stringify({ ...rc, codex_url: codex }));
    }
    const started = Date.now();
    const r = await run('setsid', ['-w', process.execPath, BIN, ...args], { cwd: dir, env, timeoutMs: 30_000 });
    assert.is(r.code, code, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
    assert.ok(Date.now() - started < 20_000, `${args.join(' ')} took too long`);
    assert.not.match(r.stdout + r.stderr, /\u001b\[/, `${args.join(' ')} printed colour codes`);
  }
});

t.run();
