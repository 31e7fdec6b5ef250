// A codex cache on a full or read-only disk (design §4): a clear error naming the folder and the way out,
// never "unexpected error", and no temporary object files left behind to keep the disk full.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cli, cleanup, git, isolatedEnv, makeCodex, makeRepo, writeConfig } from './helpers.js';

const t = suite('cache on a full disk');
t.after.each(cleanup);

function setup() {
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '30' });
  const files = { 'shared/guide.md': '# Guide\n' };
  for (let i = 0; i < 50; i++) files[`shared/d${i}.md`] = `${'x'.repeat(3000)}${i}\n`;
  const codex = makeCodex(env, files);
  const dir = makeRepo(env, { 'docs/intro.md': '# Intro\n' }, 'api');
  writeConfig(dir, { codex_url: codex, project_name: 'api' });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'config'], env);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  fs.mkdirSync(env.CODEX_HOOKS_CACHE_DIR, { recursive: true });
  return { env, dir, cache: env.CODEX_HOOKS_CACHE_DIR };
}

const mounted = (cache, size) => {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', cache], { stdio: 'ignore' });
    return true;
  } catch {
    console.log('  (skipped: mounting a small tmpfs needs root)');
    return false;
  }
};
const leftovers = (cache) => execFileSync('find', [cache, '-name', 'tmp_*']).toString().trim();

t('a full disk under the cache: exit 1 naming the cache folder and what to do; no tmp_obj_* left', async () => {
  const { env, dir, cache } = setup();
  if (!mounted(cache, '100k')) return;
  try {
    const r = await cli(['sync'], { cwd: dir, env });
    assert.is(r.code, 1, r.stderr);
    assert.not.match(r.stderr, /unexpected/i);
    assert.match(r.stderr, /Cannot write the codex cache in .*cache\/codex-[0-9a-f]+\.git: no space left on the device/);
    assert.match(r.stderr, /CODEX_HOOKS_CACHE_DIR/);
    assert.is(leftovers(cache), '', 'temporary object files were left');
  } finally {
    execFileSync('umount', [cache]);
  }
});

t('a read-only cache: exit 1 naming the folder, not a bug report', async () => {
  const { env, dir, cache } = setup();
  if (!mounted(cache, '4m')) return;
  try {
    assert.is((await cli(['sync'], { cwd: dir, env })).code, 0);
    execFileSync('mount', ['-o', 'remount,ro', cache]);
    const r = await cli(['sync'], { cwd: dir, env });
    assert.is(r.code, 1, r.stderr);
    assert.not.match(r.stderr, /unexpected/i);
    assert.match(r.stderr, /Cannot write the codex cache in .*: the file system is read-only/);
  } finally {
    execFileSync('umount', [cache]);
  }
});

t.run();
