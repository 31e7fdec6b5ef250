// End to end over a real transport: the packed package, husky's hooks and a real `git push`, with the
// codex behind git's Smart HTTP (http-backend behind Basic auth on 127.0.0.1) and CODEX_TOKEN.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, codexFiles, commit, git, isolatedEnv, refOf, run, writeConfig } from './helpers.js';
import { e2eProject, pushWithoutTerminal } from './e2e-helpers.js';
import { startHttpCodex } from './servers.js';

const t = suite('e2e over Smart HTTP');
let server;
t.after.each(async () => {
  await server?.stop();
  server = null;
  cleanup();
});

const TOKEN = 'e2e-T0ken@with-an-at';

t('git push: the hook syncs through the HTTP codex with CODEX_TOKEN; a refused push is named, the push goes on', async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  server = await startHttpCodex({ root: path.dirname(p.codex), user: 'x-access-token', password: TOKEN });
  writeConfig(p.dir, { codex_url: server.url('codex.git'), project_name: 'api', hooks: { post_commit: 'off' } });
  git(p.dir, ['commit', '-q', '-am', 'codex over http'], env);
  assert.is((await run(p.bin, ['install'], { cwd: p.dir, env })).code, 0);
  const pushEnv = { ...env, CODEX_TOKEN: TOKEN };

  git(p.dir, ['checkout', '-q', '-b', 'feat/http'], env);
  const r = await pushWithoutTerminal(p.dir, pushEnv, ['-u', 'origin', 'feat/http']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /codex-hooks: api \[test\] \d+ files? → codex test/, r.stdout + r.stderr);
  assert.ok('projects/api/docs/intro.md' in codexFiles(p.codex, 'test', env));
  assert.not.match(r.stdout + r.stderr, 'T0ken');

  // the codex protects test now: the push of the project goes on, the refusal is named with the server's words
  fs.writeFileSync(path.join(p.codex, 'hooks', 'pre-receive'), '#!/bin/sh\necho "GH006: Protected branch update failed for refs/heads/test." >&2\nexit 1\n', { mode: 0o755 });
  const before = refOf(p.codex, 'test', env);
  commit(p.dir, env, { 'docs/intro.md': '# Intro, again\n' });
  const refused = await pushWithoutTerminal(p.dir, pushEnv, []);
  assert.is(refused.code, 0, refused.stderr);
  assert.match(refused.stderr, /THE CODEX REFUSED THE PUSH/);
  assert.match(refused.stderr, /remote: GH006: Protected branch update failed for refs\/heads\/test\./);
  assert.match(refused.stderr, /environments\.test\.branch/);
  assert.not.match(refused.stderr, /--retry/);
  assert.is(refOf(p.codex, 'test', env), before);
  assert.is(refOf(p.origin, 'feat/http', env), git(p.dir, ['rev-parse', 'HEAD'], env));
});

t.run();
