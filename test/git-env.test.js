import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LOCAL_ENV_VARS, gitEnv, configEnv } from '../dist/git/env.js';
import { parseLsTree } from '../dist/git/objects/parse.js';

test('LOCAL_ENV_VARS covers `git rev-parse --local-env-vars` of the installed git', () => {
  const fromGit = execFileSync('git', ['rev-parse', '--local-env-vars'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const v of fromGit) assert.ok(LOCAL_ENV_VARS.includes(v), `${v} would leak into work on the codex cache`);
});

test('gitEnv drops repository-local variables and never lets git prompt', () => {
  const env = gitEnv({ GIT_DIR: '/x', GIT_INDEX_FILE: '/i', GIT_CONFIG_KEY_0: 'k', GIT_CONFIG_VALUE_0: 'v', HOME: '/h', GIT_AUTHOR_NAME: 'a' }, configEnv([['http.extraheader', 'x']]));
  assert.is(env.GIT_DIR, undefined);
  assert.is(env.GIT_INDEX_FILE, undefined);
  assert.is(env.HOME, '/h');
  assert.is(env.GIT_AUTHOR_NAME, 'a');
  assert.is(env.GIT_TERMINAL_PROMPT, '0');
  assert.equal([env.GIT_CONFIG_COUNT, env.GIT_CONFIG_KEY_0, env.GIT_CONFIG_VALUE_0], ['1', 'http.extraheader', 'x']);
});

test('parsers for -z output', () => {
  const ls = parseLsTree('100644 blob aaaa     12\tdocs/a b.md\x00160000 commit bbbb       -\tvendor\x00120000 blob cccc 11\tnew\nline\x00');
  assert.equal(ls.map((e) => [e.mode, e.type, e.size, e.path]), [['100644', 'blob', 12, 'docs/a b.md'], ['160000', 'commit', -1, 'vendor'], ['120000', 'blob', 11, 'new\nline']]);
});

test.run();
