import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, cleanup, cli, git, isolatedEnv, makeCodex, makeRepo, tmpdir, writeConfig, refOf } from './helpers.js';
import { COMMANDS } from '../dist/commands/registry.js';
import { msg } from '../dist/core/messages.js';

const t = suite('cli');
t.after.each(cleanup);

t('--version prints the package version; --help lists every command', async () => {
  const env = isolatedEnv();
  const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const v = await cli(['--version'], { env });
  assert.is(v.code, 0);
  assert.is(v.stdout.trim(), pkg.version);
  const h = await cli(['--help'], { env });
  assert.is(h.code, 0);
  for (const name of Object.keys(COMMANDS)) assert.ok(h.stdout.includes(`  ${name}`), name);
});

t('a reader that goes away (`codex-hooks status | head -1`) ends the output, not the command', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: makeCodex(env), project_name: 'api' });
  const child = spawn(process.execPath, [BIN, 'status'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.destroy(); // every write the command makes now fails with EPIPE
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  assert.not.match(stderr, /EPIPE|Error|unexpected/); // problems (hooks not installed) are warnings on stderr
  assert.is(code, 0);
  // with its trace on and stderr's reader gone too
  const traced = spawn(process.execPath, [BIN, 'status'], { cwd: dir, env: { ...env, CODEX_HOOKS_TRACE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  traced.stdout.destroy();
  traced.stderr.destroy();
  assert.is(await new Promise((resolve) => traced.on('close', resolve)), 0);
});

t('the edge writes lines without making node streams until something else is asked of them; all output in order', async () => {
  const output = path.resolve('dist/ui/output.js');
  const script = `
    import { lazyOutput } from ${JSON.stringify(output)};
    const out = lazyOutput(1, () => process.stdout);
    out.write('one\\n');
    out.write(Buffer.from('two\\n'));
    const made = process.moduleLoadList.some((m) => m === 'NativeModule net');
    out.write(String(made) + '\\n');
    out.write('tty: ' + Boolean(out.isTTY) + '\\n'); // asking makes the stream: later writes go through it
    out.write('x'.repeat(300000) + '\\n', () => out.write('last\\n'));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  assert.is(await new Promise((resolve) => child.on('close', resolve)), 0, stderr);
  assert.equal(stdout.split('\n').map((l) => (l.length > 20 ? `x*${l.length}` : l)), ['one', 'two', 'false', 'tty: false', 'x*300000', 'last', '']);
});

t('every command has --help with its usage and the common options', async () => {
  const env = isolatedEnv();
  for (const name of Object.keys(COMMANDS)) {
    const r = await cli([name, '--help'], { env });
    assert.is(r.code, 0, name);
    assert.ok(r.stdout.includes(`Usage: codex-hooks ${name}`), name);
    for (const o of ['--cwd', '--json', '--quiet']) assert.ok(r.stdout.includes(o), `${name} ${o}`);
  }
});

/** Bad input: a clear message naming the fix, exit 2, and nothing written anywhere. */
async function badInput(args, { cwd, env }, pattern) {
  const codexBefore = env.__codex ? git(env.__codex, ['for-each-ref'], env) : null;
  const r = await cli(args, { cwd, env });
  assert.is(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.match(r.stderr, /→ /, 'a hint that says what fixes it');
  if (env.__codex) assert.is(git(env.__codex, ['for-each-ref'], env), codexBefore, 'codex refs unchanged');
  assert.not.ok(fs.existsSync(env.CODEX_HOOKS_CACHE_DIR), 'no codex cache made');
  return r;
}

t('not a git repository', async () => {
  const env = isolatedEnv();
  await badInput(['status'], { cwd: tmpdir(), env }, /Not a git repository/);
  await badInput(['sync', '--cwd', tmpdir()], { env }, /Not a git repository/);
});

t('unknown command and unknown option', async () => {
  const env = isolatedEnv();
  await badInput(['synk'], { env }, /Unknown command "synk"/);
  await badInput(['sync', '--force'], { env }, /Unknown option --force/);
});

t('config that does not parse names the line and column', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  fs.writeFileSync(path.join(dir, '.codexrc.json'), '{\n  "codex_url": "x",\n  oops\n}\n');
  const r = await badInput(['status'], { cwd: dir, env }, /\.codexrc\.json/);
  assert.match(r.stderr, /line 3|3:3|\(3:/i);
  fs.rmSync(path.join(dir, '.codexrc.json'));
  fs.writeFileSync(path.join(dir, '.codexrc.yaml'), 'codex_url: x\nsync_patterns: [a\n');
  const y = await badInput(['sync', '--env', 'test'], { cwd: dir, env }, /\.codexrc\.yaml/);
  assert.match(y.stderr, /at line 3, column 1: unexpected end of the stream within a flow collection/);
});

t('invalid values in the config, each with its key path', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  const cases = [
    [{ codex_url: 'x', max_file_size: 'big' }, /max_file_size: expected a number/],
    [{ codex_url: 'x', sync_patern: [] }, /sync_patern: unknown key \(did you mean "sync_patterns"\?\)/],
    [{ codex_url: 'x', project_name: 'a/b' }, /project_name/],
    [{ codex_url: 'x', project_name: '..' }, /project_name/],
    [{ codex_url: 'x', pull_dir: '../outside' }, /pull_dir/],
    [{ codex_url: 'x', environments: { 'Bad Name': { branch: 'x' } } }, /environments\.Bad Name: environment names must match/],
  ];
  for (const [config, pattern] of cases) {
    writeConfig(dir, config);
    await badInput(['status', '--offline'], { cwd: dir, env }, pattern);
  }
});

t('the earlier plugin config file is read as is', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  fs.mkdirSync(path.join(dir, '.fractary/plugins/codex'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.fractary/plugins/codex/config.json'), JSON.stringify({ organization: 'acme', codex_repo: 'codex.acme.com', project_name: 'legacy' }));
  const r = await cli(['status', '--offline', '--json'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.ok(s.configFile.endsWith('.fractary/plugins/codex/config.json'));
  assert.is(s.codexUrl, 'https://github.com/acme/codex.acme.com.git');
  assert.is(s.project, 'legacy');
});

t('CODEX_ENV=prd, --env twice, --env empty: exit 2 before any git work', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: codex });
  const e = { ...env, __codex: codex };
  const r = await badInput(['sync'], { cwd: dir, env: { ...e, CODEX_ENV: 'prd' } }, /Unknown environment "prd"/);
  assert.match(r.stderr, /Known environments: dev, test, staging, prod/);
  await badInput(['sync', '--env', 'test', '--env', 'prod'], { cwd: dir, env: e }, msg.optionRepeated('env', 2));
  await badInput(['sync', '--env='], { cwd: dir, env: e }, msg.envNeedsName);
  await badInput(['sync', '--direction', 'sideways'], { cwd: dir, env: e }, /Unknown direction/);
  assert.is(refOf(codex, 'main', env), git(codex, ['rev-parse', 'main'], env));
});

t('init writes .codexrc.json with $schema and the defaults, and never overwrites a key', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  const r = await cli(['init', '--org', 'acme', '--codex', '../codex.git', '--project', 'api', '--yes'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  const config = JSON.parse(fs.readFileSync(path.join(dir, '.codexrc.json'), 'utf8'));
  assert.is(config.$schema, './node_modules/codex-hooks/schema.json');
  assert.is(config.project_name, 'api');
  assert.equal(config.environments.dev, { branch: 'test' });
  assert.match(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8'), /^\/\.codex\/$/m);
  const before = fs.readFileSync(path.join(dir, '.codexrc.json'), 'utf8');
  const again = await cli(['init', '--yes', '--project', 'other'], { cwd: dir, env });
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, /project_name is already set/);
  assert.is(fs.readFileSync(path.join(dir, '.codexrc.json'), 'utf8'), before, 'a config with every key is left as it is');
});

t('init with no terminal and no --yes does not wait', async () => {
  const env = isolatedEnv({ CI: 'true' });
  const dir = makeRepo(env);
  const r = await cli(['init', '--codex', '/srv/codex.git'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.ok(fs.existsSync(path.join(dir, '.codexrc.json')));
});

t('a project without project_name is named after origin\'s repository, else its folder; project_name wins', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const dir = makeRepo(env, undefined, 'folder-name');
  const name = async () => JSON.parse((await cli(['status', '--offline', '--json'], { cwd: dir, env })).stdout).project;
  writeConfig(dir, { codex_url: codex });
  assert.is(await name(), 'folder-name');
  git(dir, ['remote', 'add', 'origin', 'https://example.com/acme/payments-api.git'], env);
  assert.is(await name(), 'payments-api');
  writeConfig(dir, { codex_url: codex, project_name: 'billing' });
  assert.is(await name(), 'billing');
});

t('status prints the decision for the current branch; --json parses', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: 'https://user:s3cret@example.com/acme/codex.git', project_name: 'api' });
  const human = await cli(['status', '--offline'], { cwd: dir, env });
  assert.is(human.code, 0, human.stderr);
  assert.match(human.stdout, /main → prod \(assumed, from prod_branches\) → codex main/);
  assert.match(human.stdout, /confirmation:\s+needed/);
  assert.not.match(human.stdout + human.stderr, /s3cret/);
  git(dir, ['checkout', '-q', '-b', 'feat/x'], env);
  const json = await cli(['status', '--offline', '--json'], { cwd: dir, env });
  const s = JSON.parse(json.stdout);
  assert.is(s.codexUrl, 'https://example.com/acme/codex.git');
  assert.equal(s.environment, { name: 'test', codexBranch: 'test', explicit: false, source: 'default_environment', needsConfirmation: false, warning: null, mode: 'layer' });
  assert.is(s.hooksInstalled, false);
  const prod = JSON.parse((await cli(['status', '--offline', '--json'], { cwd: dir, env: { ...env, CODEX_ENV: 'prod' } })).stdout);
  assert.equal([prod.environment.name, prod.environment.explicit, prod.environment.needsConfirmation], ['prod', true, false]);
});

t('--json errors are one JSON document on stdout', async () => {
  const env = isolatedEnv();
  const r = await cli(['status', '--json'], { cwd: tmpdir(), env });
  assert.is(r.code, 2);
  const doc = JSON.parse(r.stdout);
  assert.is(doc.ok, false);
  assert.is(doc.error.type, 'UsageError');
});

t.run();
