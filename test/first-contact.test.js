// First contact (issue 21): what a new user meets in a repository that already has its own ways — the
// project's .gitignore, its own pre-push checks, a GUI client's PATH, npm/pnpm installs. The packed package,
// real `git commit` / `git push` through husky.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, codexFiles, commit, git, isolatedEnv, run, writeConfig } from './helpers.js';
import { e2eProject, installedProject, pushWithoutTerminal } from './e2e-helpers.js';

const t = suite('first-contact');
t.after.each(cleanup);

t('the pull folder ignores itself: pulled docs are never committed, also when .gitignore lacks the line', async () => {
  const { env, dir } = await installedProject();
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n');
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'hooks, and a .gitignore without .codex/'], env);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  const p = await pushWithoutTerminal(dir, env, ['origin', 'feat']);
  assert.is(p.code, 0, p.stderr);
  assert.is(fs.readFileSync(path.join(dir, '.codex/shared/guide.md'), 'utf8'), '# Shared guide\n');
  assert.is(fs.readFileSync(path.join(dir, '.codex/.gitignore'), 'utf8'), '*\n');
  assert.is(git(dir, ['status', '--porcelain', '--untracked-files=all'], env), '');
  git(dir, ['add', '-A'], env);
  assert.is(git(dir, ['diff', '--cached', '--name-only'], env), '');
  // the pull's own file is the pull's: a second sync keeps it and warns about nothing
  commit(dir, env, { 'docs/more.md': 'more\n' });
  const again = await pushWithoutTerminal(dir, env, ['origin', 'feat']);
  assert.is(again.code, 0, again.stderr);
  assert.not.match(again.stderr, /\.gitignore/);
  assert.is(fs.readFileSync(path.join(dir, '.codex/.gitignore'), 'utf8'), '*\n');
});

t.run();
