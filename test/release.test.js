// The production question and the release advice, end to end: the packed package, real `git push`
// through husky, a real pseudo-terminal (script) whose output is awaited before each key is typed, and
// no terminal at all (setsid, no stdin).
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, codexFiles, commit, git, isolatedEnv, makeCodex, makeRepo, refOf, run, writeConfig } from './helpers.js';
import { e2eProject, pushInTerminal, pushWithoutTerminal, shellQuote, terminal, installedProject } from './e2e-helpers.js';

const t = suite('release');
t.after.each(cleanup);

const DOC = 'projects/api/docs/intro.md';
const released = (codex, env) => DOC in (codexFiles(codex, 'main', env) ?? {});

const installed = installedProject;

/** Runs a hint's command as the user would type it, in the project (codex-hooks from node_modules/.bin). */
/** The hint as the user types it: `npx codex-hooks …` from the project's node_modules (npx never goes to the registry here). */
function runHint(command, dir, env) {
  return run('setsid', ['-w', 'sh', '-c', command], { cwd: dir, env: { ...env, npm_config_offline: 'true' } });
}

const releaseHint = (text) => /Release these docs now:\s+((?:npx )?codex-hooks [^\n\r]+)/.exec(text)?.[1]?.trim();

t('no terminal: the hint names a command that releases the pushed commit right after the push', async () => {
  const { env, dir, codex } = await installed();
  const r = await pushWithoutTerminal(dir, env, ['origin', 'main']);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(released(codex, env));
  const hint = releaseHint(r.stderr);
  assert.is(hint, 'npx codex-hooks sync --env prod', r.stderr);
  // What the old hint said does nothing now: git has nothing to push and never runs the hook.
  const again = await pushWithoutTerminal(dir, { ...env, CODEX_ENV: 'prod' }, ['origin', 'main']);
  assert.match(again.stderr, /Everything up-to-date/);
  assert.not.ok(released(codex, env));
  assert.match(r.stderr, /Next time.*CODEX_ENV=prod git push/);
  const h = await runHint(hint, dir, env);
  assert.is(h.code, 0, h.stderr);
  assert.ok(released(codex, env));
});

t('no terminal, pushing a branch that is not checked out: the hint names it with --ref', async () => {
  const { env, dir, codex } = await installed();
  git(dir, ['checkout', '-q', '-b', 'feat/other'], env);
  git(dir, ['commit', '-q', '--allow-empty', '-m', 'elsewhere'], env);
  const r = await pushWithoutTerminal(dir, env, ['origin', 'main']);
  assert.is(r.code, 0, r.stderr);
  const hint = releaseHint(r.stderr);
  assert.is(hint, 'npx codex-hooks sync --env prod --ref main', r.stderr);
  const h = await runHint(hint, dir, env);
  assert.is(h.code, 0, h.stderr);
  assert.ok(released(codex, env));
});

t('declined with n: push goes on, not shown with a green tick, the hint releases later', async () => {
  const { env, dir, codex, origin } = await installed();
  const r = await pushInTerminal(dir, env, ['origin', 'main'], 'n\r');
  assert.is(r.code, 0, r.stdout);
  assert.is(refOf(origin, 'main', env), git(dir, ['rev-parse', 'HEAD'], env));
  assert.not.ok(released(codex, env));
  const after = r.stdout.slice(r.stdout.indexOf('Sync to production?'));
  assert.not.match(after, /✔/, 'a declined question is not a success');
  assert.match(after, /skipped \(declined\)/);
  const hint = releaseHint(r.stdout);
  assert.is(hint, 'npx codex-hooks sync --env prod');
  const h = await runHint(hint, dir, env);
  assert.is(h.code, 0, h.stderr);
  assert.ok(released(codex, env));
});

t('Ctrl-C at the production question stops the push', async () => {
  const { env, dir, codex, origin } = await installed();
  const codexBefore = refOf(codex, 'main', env);
  const r = await pushInTerminal(dir, env, ['origin', 'main'], '\x03');
  assert.is.not(r.code, 0, r.stdout);
  assert.match(r.stdout, /Push stopped at the production question \(Ctrl-C\)/);
  assert.is(refOf(origin, 'main', env), null, 'nothing pushed');
  assert.is(refOf(codex, 'main', env), codexBefore, 'nothing synced');
});

t('typing y then Enter: the Enter is the answer\'s, never left for the shell', async () => {
  const { env, dir, codex } = await installed();
  // After the push the shell reads one line from the terminal: a leaked Enter would be that line.
  const term = terminal(`git push ${shellQuote(['origin', 'main'])}; echo PUSH-DONE; read line; echo "GOT[$line]"`, { cwd: dir, env });
  await term.waitFor(/Sync to production\?/);
  let from = term.output.length;
  term.type('y');
  // The y is shown as the pending answer (or, before the fix, the prompt took it and the push went on).
  await term.waitFor(/\byes\b|codex-hooks: api \[prod\]/, from);
  term.type('\r');
  from = term.output.length;
  await term.waitFor(/PUSH-DONE/, from);
  term.type('z\r');
  const r = await term.done;
  assert.is(r.code, 0, r.stdout);
  assert.match(r.stdout, /GOT\[z\]/);
  assert.ok(released(codex, env));
});

t('codex-hooks sync on main says "syncing"; n declines with exit 3 and writes nothing', async () => {
  const { env, dir, codex, bin } = await installed();
  const before = refOf(codex, 'main', env);
  const term = terminal(`${shellQuote([bin, 'sync'])}`, { cwd: dir, env });
  await term.waitFor(/Sync to production\?/);
  term.type('n\r');
  const r = await term.done;
  assert.match(r.stdout, /You are syncing main\. This will sync documentation to PRODUCTION\./);
  assert.not.match(r.stdout, /You are pushing/);
  assert.is(r.code, 3, r.stdout);
  assert.is(refOf(codex, 'main', env), before);
});

t('codex-hooks sync: Ctrl-C at the question stops it (exit 130), nothing written', async () => {
  const { env, dir, codex, bin } = await installed();
  const before = refOf(codex, 'main', env);
  const term = terminal(`${shellQuote([bin, 'sync'])}`, { cwd: dir, env });
  await term.waitFor(/Sync to production\?/);
  term.type('\x03');
  const r = await term.done;
  assert.is(r.code, 130, r.stdout);
  assert.match(r.stdout, /Stopped at the production question \(Ctrl-C\); nothing was written/);
  assert.is(refOf(codex, 'main', env), before);
});

t('CI set on a terminal: no question, the reason says CI', async () => {
  const { env, dir, codex, origin, bin } = await installed();
  const term = terminal(`git push ${shellQuote(['origin', 'main'])}`, { cwd: dir, env: { ...env, CI: 'true' } });
  const r = await term.done;
  assert.is(r.code, 0, r.stdout);
  assert.not.match(r.stdout, /Sync to production\?/);
  assert.match(r.stdout, /skipped for main: CI is set/);
  assert.not.match(r.stdout, /no terminal/);
  assert.is(refOf(origin, 'main', env), git(dir, ['rev-parse', 'HEAD'], env));
  assert.not.ok(released(codex, env));
  const s = await terminal(`${shellQuote([bin, 'sync'])}`, { cwd: dir, env: { ...env, CI: 'true' } }).done;
  assert.is(s.code, 3, s.stdout);
  assert.match(s.stdout, /CI is set/);
});

t('fetch of a doc only on test: the hint releases it with a command that works', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: codex, project_name: 'api', organization: 'acme' });
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  commit(dir, env, { 'docs/new.md': '# New\n' });
  assert.is((await cli(['sync'], { cwd: dir, env })).code, 0);
  const r = await cli(['fetch', 'codex://acme/api/docs/new.md'], { cwd: dir, env });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /not be released yet/);
  assert.not.match(r.stderr, /CODEX_ENV=prod git push/);
  const hint = /`(codex-hooks sync --env prod)`/.exec(r.stderr)?.[1];
  assert.ok(hint, r.stderr);
  const h = await cli(hint.split(' ').slice(1), { cwd: dir, env });
  assert.is(h.code, 0, h.stderr);
  const again = await cli(['fetch', 'codex://acme/api/docs/new.md'], { cwd: dir, env });
  assert.is(again.code, 0, again.stderr);
  assert.is(again.stdout, '# New\n');
});

t.run();
