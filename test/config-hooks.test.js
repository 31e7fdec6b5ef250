// Configuration as the hooks and commands meet it: the earlier plugin's file read as it is (design §2),
// a broken config that does not block a push unless CODEX_ENV asked for a sync, and no config at all
// (design §6). Real repositories, the packed package, real `git push` through husky.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, cleanup, cli, codexFiles, commit, git, isolatedEnv, makeCodex, makeRepo, refOf, run, writeConfig } from './helpers.js';
import { e2eProject, pushWithoutTerminal, installedProject } from './e2e-helpers.js';

const t = suite('config-hooks');
t.after.each(cleanup);

// The earlier plugin's config file as that plugin writes it (test/fixtures/README.md); copied, never edited.
const LEGACY = path.join(ROOT, 'test', 'fixtures', 'legacy-plugin-config.json');
const LEGACY_FILE = '.fractary/plugins/codex/config.json';

function legacyProject(env, edit = (c) => c) {
  const codex = makeCodex(env);
  const dir = makeRepo(env, {
    'docs/intro.md': '# Intro\n',
    'docs/drafts/wip.md': 'draft\n',
    'guides/setup.md': '# Setup\n',
    'README.md': '# Project\n',
    'CLAUDE.md': 'agents\n',
    'app.log': 'log\n',
  }, 'legacy-app');
  const config = edit({ ...JSON.parse(fs.readFileSync(LEGACY, 'utf8')), codex_url: codex });
  fs.mkdirSync(path.join(dir, path.dirname(LEGACY_FILE)), { recursive: true });
  fs.writeFileSync(path.join(dir, LEGACY_FILE), JSON.stringify(config, null, 2));
  return { dir, codex };
}

t('the earlier plugin\'s config (fixture) is read as it is: plugin-only keys ignored with one note', async () => {
  const env = isolatedEnv();
  const { dir } = legacyProject(env);
  const r = await cli(['status', '--offline'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stderr, /unknown key/);
  const notes = (r.stdout + r.stderr).split('\n').filter((l) => /only the earlier plugin used/.test(l));
  assert.is(notes.length, 1, r.stdout + r.stderr);
  for (const key of ['version', 'auto_sync', 'handlers', 'logging', 'notifications', 'cache']) assert.match(notes[0], key);
  const s = JSON.parse((await cli(['status', '--offline', '--json'], { cwd: dir, env })).stdout);
  assert.ok(s.configFile.endsWith(LEGACY_FILE));
  assert.is(s.ok, true);
});

t('legacy: sync_patterns/exclude_patterns set in the file win over the plugin defaults', async () => {
  const env = isolatedEnv();
  const { dir, codex } = legacyProject(env);
  const r = await cli(['sync', '--env', 'test'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  const files = Object.keys(codexFiles(codex, 'test', env)).filter((f) => f.startsWith('projects/legacy-app/')).sort();
  assert.equal(files, ['projects/legacy-app/README.md', 'projects/legacy-app/docs/intro.md']);
});

t('legacy: default_sync_patterns / default_exclude_patterns apply when the project sets none', async () => {
  const env = isolatedEnv();
  const { dir, codex } = legacyProject(env, (c) => {
    delete c.sync_patterns;
    delete c.exclude_patterns;
    c.default_exclude_patterns = [...c.default_exclude_patterns, 'docs/drafts/**'];
    return c;
  });
  const r = await cli(['sync', '--env', 'test'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  const files = Object.keys(codexFiles(codex, 'test', env)).filter((f) => f.startsWith('projects/legacy-app/')).sort();
  assert.equal(files, ['projects/legacy-app/CLAUDE.md', 'projects/legacy-app/README.md', 'projects/legacy-app/docs/intro.md', 'projects/legacy-app/guides/setup.md']);
});

t('legacy keys are still unknown keys in a codex-hooks config file', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: 'x', auto_sync: true, default_sync_patterns: ['x/**'] });
  const r = await cli(['status', '--offline'], { cwd: dir, env });
  assert.is(r.code, 2);
  assert.match(r.stderr, /auto_sync: unknown key/);
  assert.match(r.stderr, /default_sync_patterns: unknown key/);
});

const installed = installedProject;

t('a config typo does not block a push: the message names the file, the key and CODEX_HOOKS=0', async () => {
  const { env, dir, origin, codex } = await installed();
  const cfg = JSON.parse(fs.readFileSync(path.join(dir, '.codexrc.json'), 'utf8'));
  fs.writeFileSync(path.join(dir, '.codexrc.json'), JSON.stringify({ ...cfg, sync_patern: ['docs/**'] }));
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  commit(dir, env, { 'docs/more.md': 'more\n' });
  const testBefore = refOf(codex, 'test', env);
  const r = await pushWithoutTerminal(dir, env, ['origin', 'feat']);
  assert.is(r.code, 0, r.stderr);
  assert.not.match(r.stderr, /husky - pre-push script failed/);
  assert.match(r.stderr, /\.codexrc\.json/);
  assert.match(r.stderr, /sync_patern: unknown key \(did you mean "sync_patterns"\?\)/);
  assert.match(r.stderr, /CODEX_HOOKS=0 git push/);
  assert.match(r.stderr, /push goes on/);
  assert.is(refOf(origin, 'feat', env), git(dir, ['rev-parse', 'HEAD'], env));
  assert.is(refOf(codex, 'test', env), testBefore);
});

t('a config typo with CODEX_ENV set stops the push (a sync was asked for), naming the fix and CODEX_HOOKS=0', async () => {
  const { env, dir, origin } = await installed();
  fs.writeFileSync(path.join(dir, '.codexrc.json'), '{ "codex_url": "x", "hooks": { "pre_push": "sometimes" } }');
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const r = await pushWithoutTerminal(dir, { ...env, CODEX_ENV: 'test' }, ['origin', 'feat']);
  assert.is.not(r.code, 0);
  assert.match(r.stderr, /hooks\.pre_push: expected one of "on", "off"/);
  assert.match(r.stderr, /CODEX_HOOKS=0 git push/);
  assert.is(refOf(origin, 'feat', env), null);
  const skip = await pushWithoutTerminal(dir, { ...env, CODEX_ENV: 'test', CODEX_HOOKS: '0' }, ['origin', 'feat']);
  assert.is(skip.code, 0, skip.stderr);
});

t('a config that does not parse does not block a commit or a push either', async () => {
  const { env, dir, origin } = await installed({ config: { hooks: { post_commit: 'foreground' } } });
  fs.writeFileSync(path.join(dir, '.codexrc.json'), '{ "codex_url": "x", oops }');
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const c = await run('git', ['commit', '-q', '--allow-empty', '-m', 'x'], { cwd: dir, env });
  assert.is(c.code, 0, c.stderr);
  assert.not.match(c.stderr, /husky - post-commit script failed/);
  const r = await pushWithoutTerminal(dir, env, ['origin', 'feat']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /Cannot parse .*\.codexrc\.json at line 1/);
  assert.is(refOf(origin, 'feat', env), git(dir, ['rev-parse', 'HEAD'], env));
});

t('no config at all: the push says, in one line, to run codex-hooks init', async () => {
  const { env, dir } = await installed();
  git(dir, ['rm', '-q', '.codexrc.json'], env);
  git(dir, ['commit', '-q', '-m', 'no config'], env);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const r = await pushWithoutTerminal(dir, env, ['origin', 'feat']);
  assert.is(r.code, 0, r.stderr);
  const ours = (r.stdout + r.stderr).split('\n').filter((l) => /codex-hooks:/.test(l));
  assert.is(ours.length, 1, r.stdout + r.stderr);
  assert.match(ours[0], /codex-hooks init/);
});

t.run();
