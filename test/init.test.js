// `codex-hooks init` as a first step that never dead-ends (design §5): it fills in what an existing config
// lacks without changing what is set, guesses the organisation and a codex URL of origin's kind, and on
// a terminal asks again until an answer is valid. Real repositories; the terminal is a real pty (script).
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, cleanup, cli, git, isolatedEnv, makeCodex, makeRepo } from './helpers.js';
import { shellQuote, terminal } from './e2e-helpers.js';
import { ConfigError } from '../dist/core/errors.js';
import { loadConfigFresh } from '../dist/config/load.js';
import { openProject } from '../dist/git/project.js';

const t = suite('init');
t.after.each(cleanup);

const read = (dir) => JSON.parse(fs.readFileSync(path.join(dir, '.codexrc.json'), 'utf8'));

for (const [origin, codex] of [
  ['git@github.com:acme/api.git', 'git@github.com:acme/codex.git'],
  ['https://github.com/acme/api.git', 'https://github.com/acme/codex.git'],
  ['https://bot:s3cret@github.com/acme/api', 'https://github.com/acme/codex.git'],
  ['ssh://git@git.acme.com:2222/acme/api.git', 'ssh://git@git.acme.com:2222/acme/codex.git'],
]) {
  t(`init guesses the organisation and a codex URL of origin's kind: ${origin}`, async () => {
    const env = isolatedEnv();
    const dir = makeRepo(env);
    git(dir, ['remote', 'add', 'origin', origin], env);
    const r = await cli(['init', '--yes'], { cwd: dir, env });
    assert.is(r.code, 0, r.stderr);
    const c = read(dir);
    assert.is(c.organization, 'acme');
    assert.is(c.codex_url, codex);
    assert.is(c.project_name, 'api');
    assert.not.match(JSON.stringify(c), /s3cret/);
  });
}

t('init is no dead end: the codex_url it could not guess is filled in by the command it names', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  const r = await cli(['init', '--yes'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.is(read(dir).codex_url, undefined);
  const next = /run `codex-hooks (init --codex) <git URL or path>`/.exec(r.stderr);
  assert.ok(next, r.stderr);
  // the user edits a key meanwhile: init keeps it
  const edited = { ...read(dir), sync_patterns: ['docs/**'], hooks: { post_commit: 'off' } };
  fs.writeFileSync(path.join(dir, '.codexrc.json'), JSON.stringify(edited, null, 2) + '\n');
  const codex = makeCodex(env);
  const again = await cli([...next[1].split(' '), codex], { cwd: dir, env });
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stdout, /filled in codex_url, hooks\.pre_push, hooks\.on_failure/);
  const c = read(dir);
  assert.is(c.codex_url, codex);
  assert.equal(c.sync_patterns, ['docs/**']);
  assert.equal(c.hooks, { post_commit: 'off', pre_push: 'on', on_failure: 'warn' });
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const sync = await cli(['sync'], { cwd: dir, env });
  assert.is(sync.code, 0, sync.stderr);
});

t('init on a terminal asks, and asks again after an invalid answer', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  const codex = makeCodex(env);
  const term = terminal(shellQuote([process.execPath, BIN, 'init']), { cwd: dir, env });
  await term.waitFor(/Organisation/);
  term.type('acme corp\r');
  let from = term.output.length;
  await term.waitFor(/use letters, digits/, from);
  term.type('\x7f'.repeat(9) + 'acme\r');
  await term.waitFor(/Codex repository URL or path/);
  term.type(`${codex}\r`);
  await term.waitFor(/Project name in the codex/);
  term.type('\r');
  const r = await term.done;
  assert.is(r.code, 0, r.stdout);
  const c = read(dir);
  assert.is(c.organization, 'acme');
  assert.is(c.codex_url, codex);
  assert.is(c.project_name, 'project');
});

t('a ConfigError carries its file and what is wrong with it: init fills in an invalid config wherever it lies (a space in the path too)', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env, undefined, 'my project');
  const file = path.join(dir, '.codexrc.json');
  fs.writeFileSync(file, JSON.stringify({ codex_url: 'https://git.acme.com/acme/codex.git', max_file_size: 'big' }, null, 2) + '\n');
  const error = await loadConfigFresh(await openProject(dir, env)).then(() => null, (e) => e);
  assert.instance(error, ConfigError);
  assert.is(error.file, file);
  assert.is(error.problem, 'keys');
  const r = await cli(['init', '--yes'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /filled in .*sync_patterns/);
  const c = read(dir);
  assert.is(c.max_file_size, 'big'); // never changed: the user fixes it
  assert.is(c.codex_url, 'https://git.acme.com/acme/codex.git');
  // a file that does not parse is not filled in: its syntax error is shown, with the file
  fs.writeFileSync(file, '{ "codex_url": ');
  const broken = await loadConfigFresh(await openProject(dir, env)).then(() => null, (e) => e);
  assert.instance(broken, ConfigError);
  assert.is(broken.problem, 'syntax');
  assert.is(broken.file, file);
  const again = await cli(['init', '--yes'], { cwd: dir, env });
  assert.is(again.code, 2, again.stderr);
  assert.match(again.stderr, /Cannot parse .*\.codexrc\.json/);
  assert.is(fs.readFileSync(file, 'utf8'), '{ "codex_url": ');
});

t.run();
