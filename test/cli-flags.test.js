// The command line as people type it (design §5): global flags on either side of the command, help for
// typos, --json documents, --quiet, bad input that fails before any git work (exit 2), and
// create-branch's "nothing to do". Real repositories and bare codex remotes.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, codexFiles, git, isolatedEnv, makeCodex, makeRepo, refOf, writeConfig } from './helpers.js';
import { msg } from '../dist/core/messages.js';

const t = suite('cli-flags');
t.after.each(cleanup);

function project(env, config = {}, codexBranches) {
  const codex = makeCodex(env, undefined, codexBranches);
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: codex, project_name: 'api', ...config });
  return { dir, codex };
}

t('global flags work before the command name', async () => {
  const env = isolatedEnv();
  const { dir } = project(env);
  const r = await cli(['--cwd', dir, '--json', 'status', '--offline'], { env });
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).project, 'api');
  const eq = await cli([`--cwd=${dir}`, '-q', 'status', '--offline', '--json'], { env });
  assert.is(eq.code, 0, eq.stderr);
  assert.is(JSON.parse(eq.stdout).project, 'api');
});

t('a mistyped command suggests the nearest one', async () => {
  const env = isolatedEnv();
  const r = await cli(['stauts'], { env });
  assert.is(r.code, 2);
  assert.match(r.stderr, msg.unknownCommand('stauts', 'status'));
  const far = await cli(['frobnicate'], { env });
  assert.is(far.code, 2);
  assert.not.match(far.stderr, /did you mean/i);
});

t('an unknown option: a clean message with balanced quotes and the nearest option', async () => {
  const env = isolatedEnv();
  const r = await cli(['sync', '--dryrun'], { env });
  assert.is(r.code, 2);
  const first = r.stderr.split('\n')[0];
  assert.match(first, /Unknown option --dryrun/);
  assert.is((r.stderr.match(/'/g) ?? []).length % 2, 0, r.stderr);
  assert.is((r.stderr.match(/"/g) ?? []).length % 2, 0, r.stderr);
  assert.match(r.stderr, /did you mean --dry-run\?/);
});

t('--json success documents carry "ok": true', async () => {
  const env = isolatedEnv();
  const { dir } = project(env);
  for (const args of [['status', '--offline', '--json'], ['sync', '--env', 'test', '--json'], ['sync', '--retry', '--json']]) {
    const r = await cli(args, { cwd: dir, env });
    assert.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.is(JSON.parse(r.stdout).ok, true, args.join(' '));
  }
});

t('status --quiet still prints problems', async () => {
  const env = isolatedEnv();
  const { dir } = project(env);
  const r = await cli(['status', '--offline', '--quiet'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /hooks.*not installed.*codex-hooks install/);
  const none = makeRepo(env, undefined, 'bare-project');
  const n = await cli(['status', '--offline', '--quiet'], { cwd: none, env });
  assert.match(n.stdout + n.stderr, /codex-hooks init/);
});

t('codex commit messages say "1 file" and "N files"', async () => {
  const env = isolatedEnv();
  const { dir, codex } = project(env, { sync_patterns: ['docs/**'] });
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  assert.is((await cli(['sync'], { cwd: dir, env })).code, 0);
  assert.match(git(codex, ['log', '-1', '--format=%s', 'test'], env), /^docs\(api\): sync 1 file from feat@/);
  fs.writeFileSync(path.join(dir, 'docs/a.md'), 'a\n');
  fs.writeFileSync(path.join(dir, 'docs/b.md'), 'b\n');
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'two'], env);
  assert.is((await cli(['sync'], { cwd: dir, env })).code, 0);
  assert.match(git(codex, ['log', '-1', '--format=%s', 'test'], env), /^docs\(api\): sync 2 files from feat@/);
});

t('CODEX_HOOKS_TIMEOUT=abc is bad input: exit 2 before any git work', async () => {
  const env = isolatedEnv();
  const { dir, codex } = project(env);
  const before = git(codex, ['for-each-ref'], env);
  for (const value of ['abc', '0', '-5']) {
    const r = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, CODEX_HOOKS_TIMEOUT: value } });
    assert.is(r.code, 2, `${value}: ${r.stderr}`);
    assert.match(r.stderr, /CODEX_HOOKS_TIMEOUT/);
    assert.match(r.stderr, /→ /);
  }
  assert.is(git(codex, ['for-each-ref'], env), before);
  assert.not.ok(fs.existsSync(env.CODEX_HOOKS_CACHE_DIR), 'no codex cache made');
  const ok = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, CODEX_HOOKS_TIMEOUT: '30' } });
  assert.is(ok.code, 0, ok.stderr);
});

t('create-branch of an existing branch is nothing to do (exit 0); a bad --from is bad input (exit 2)', async () => {
  const env = isolatedEnv();
  const { dir, codex } = project(env);
  const before = git(codex, ['for-each-ref'], env);
  const same = await cli(['create-branch', 'test'], { cwd: dir, env });
  assert.is(same.code, 0, same.stderr);
  assert.match(same.stdout, /already has a branch 'test': nothing to do/);
  const bad = await cli(['create-branch', 'staging', '--from', 'nope'], { cwd: dir, env });
  assert.is(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /no branch 'nope'/);
  assert.match(bad.stderr, /→ .*--from main|→ .*--from test/);
  assert.is(git(codex, ['for-each-ref'], env), before);
  const good = await cli(['create-branch', 'staging', '--from', 'test'], { cwd: dir, env });
  assert.is(good.code, 0, good.stderr);
  assert.is(refOf(codex, 'staging', env), refOf(codex, 'test', env));
});

t('an empty codex: the missing-branch hint names no main that does not exist, and it works', async () => {
  const env = isolatedEnv();
  const { dir, codex } = project(env, {}, []);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const r = await cli(['sync'], { cwd: dir, env });
  assert.is(r.code, 1);
  assert.match(r.stderr, /TARGET BRANCH NOT FOUND/);
  assert.not.match(r.stderr, /main/);
  const create = /Create it:\s+codex-hooks (create-branch[^\n]*)/.exec(r.stderr)?.[1]?.trim().split(/\s+/);
  assert.ok(create, r.stderr);
  const c = await cli(create, { cwd: dir, env });
  assert.is(c.code, 0, c.stderr);
  assert.is((await cli(['sync'], { cwd: dir, env })).code, 0);
  assert.ok(refOf(codex, 'test', env));
});

t('a codex with main only: the missing-branch hint names --from main', async () => {
  const env = isolatedEnv();
  const { dir } = project(env, {}, ['main']);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const r = await cli(['sync'], { cwd: dir, env });
  assert.is(r.code, 1);
  assert.match(r.stderr, /Create it:\s+codex-hooks create-branch test --from main/);
});

t('a codex with test only: the hint for the missing production branch starts it empty, never from test\'s drafts', async () => {
  const env = isolatedEnv();
  const { dir, codex } = project(env, {}, ['test']);
  const r = await cli(['sync', '--env', 'prod'], { cwd: dir, env });
  assert.is(r.code, 1);
  assert.match(r.stderr, /TARGET BRANCH NOT FOUND/);
  assert.not.match(r.stderr, /--from test/);
  const create = /Create it:\s+codex-hooks (create-branch[^\n]*)/.exec(r.stderr)?.[1]?.trim().split(/\s+/);
  assert.equal(create, ['create-branch', 'main', '--empty']);
  // create-branch main with no --from: main is not there to start from; the hint is --empty too
  const bare = await cli(['create-branch', 'main'], { cwd: dir, env });
  assert.is(bare.code, 2);
  assert.not.match(bare.stderr, /--from test/);
  assert.match(bare.stderr, /create-branch main --empty/);
  const c = await cli(create, { cwd: dir, env });
  assert.is(c.code, 0, c.stderr);
  assert.equal(codexFiles(codex, 'main', env), {}, 'production starts with nothing released');
  assert.is(git(codex, ['rev-list', '--count', 'main'], env), '1');
  assert.is((await cli(['sync', '--env', 'prod'], { cwd: dir, env })).code, 0);
  assert.equal(Object.keys(codexFiles(codex, 'main', env)).sort(), ['projects/api/README.md', 'projects/api/docs/intro.md']);
  // --empty and --from together are bad input
  const both = await cli(['create-branch', 'x', '--empty', '--from', 'test'], { cwd: dir, env });
  assert.is(both.code, 2, both.stderr);
});

t.run();
