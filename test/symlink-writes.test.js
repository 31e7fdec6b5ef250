// install and init write files in the repository; a repository's own files may be symbolic links that
// point anywhere (`.husky/post-commit` -> ~/.bashrc): they are never written through (issue 19 item 8).
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, git, isolatedEnv, makeCodex, makeRepo, tmpdir, writeConfig } from './helpers.js';
import { snapshot } from './hostile-helpers.js';

const t = suite('symlink-writes');
t.after.each(cleanup);

/** A folder outside the repository with a file in it: what a planted link points at. */
function victim() {
  const dir = tmpdir('victim-');
  fs.writeFileSync(path.join(dir, 'file'), '{"name":"victim"}\n');
  return { dir, file: path.join(dir, 'file') };
}

/** A repository with a config and `link` committed as a symbolic link to `target`. */
function planted(env, link, target) {
  const codex = makeCodex(env);
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: codex, project_name: 'api' });
  fs.mkdirSync(path.dirname(path.join(dir, link)), { recursive: true });
  fs.symlinkSync(target, path.join(dir, link));
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'planted link'], env);
  return dir;
}

for (const [link, kind] of [
  ['.husky/post-commit', 'file'],
  ['.husky/pre-push', 'file'],
  ['.husky', 'dir'],
  ['.husky/_', 'dir'],
  ['.husky/codex-hooks', 'dir'],
  ['.husky/codex-hooks/pre-push', 'file'],
  ['package.json', 'file'],
]) {
  t(`install refuses a committed symlink at ${link} (exit 2, naming it), writing nothing through it`, async () => {
    const env = isolatedEnv();
    const v = victim();
    const dir = planted(env, link, kind === 'file' ? v.file : v.dir);
    const before = snapshot(v.dir);
    const r = await cli(['install'], { cwd: dir, env });
    assert.is(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${link.replace(/[._/]/g, (c) => `\\${c}`)} is a symbolic link`));
    assert.equal(snapshot(v.dir), before, 'the link target was written');
    assert.not.match(r.stderr, /unexpected error/);
  });
}

for (const link of ['.gitignore', '.codexrc.json']) {
  t(`init refuses a committed symlink at ${link} (exit 2, naming it), writing nothing through it`, async () => {
    const env = isolatedEnv();
    const v = victim();
    if (link === '.codexrc.json') fs.writeFileSync(v.file, JSON.stringify({ codex_url: 'https://example.com/acme/codex.git' }) + '\n');
    const dir = makeRepo(env);
    fs.symlinkSync(v.file, path.join(dir, link));
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '-m', 'planted link'], env);
    const before = snapshot(v.dir);
    const r = await cli(['init', '--yes', '--codex', 'https://example.com/acme/codex.git', '--project', 'api'], { cwd: dir, env });
    assert.is(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`${link.replace(/\./g, '\\.')} is a symbolic link`));
    assert.equal(snapshot(v.dir), before, 'the link target was written');
  });
}

t.run();
