// What a sync does while git works (design §4): its own preparation (listing, selecting, copying the docs'
// blobs into the cache) runs while git fetches, and the pull is applied while git pushes. The codex holds
// git back until it sees that work done, so these pass only when the work runs beside git, not after it.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, git, isolatedEnv, makeCodex, makeRepo, writeConfig } from './helpers.js';

const t = suite('overlap');
t.after.each(cleanup);

/** A shell loop that waits (at most 30 s) for a file matching `pattern` and writes `seen` or `unseen` to `marks`. */
const waitScript = (pattern, marks) =>
  `i=0; while [ $i -lt 600 ]; do for f in ${pattern}; do [ -e "$f" ] && { echo seen > '${marks}'; break 2; }; done; sleep 0.05; i=$((i+1)); done; [ -e '${marks}' ] || echo unseen > '${marks}'`;

function project(env, codex) {
  const dir = makeRepo(env, { 'docs/intro.md': `# Intro ${path.basename(codex)} ${process.hrtime.bigint()}\n` });
  writeConfig(dir, { codex_url: codex, project_name: 'api' });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'config'], env);
  return dir;
}

t('the pull is applied while git pushes: the codex holds the push until the shared doc is in pull_dir', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const marks = path.join(path.dirname(codex), 'marks');
  const dir = project(env, codex);
  const pulled = path.join(dir, '.codex/shared/guide.md');
  fs.writeFileSync(path.join(codex, 'hooks/pre-receive'), `#!/bin/sh\ncat >/dev/null\n${waitScript(`'${pulled}'`, marks)}\nexit 0\n`, { mode: 0o755 });
  const r = await cli(['sync', '--env', 'test'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.is(fs.readFileSync(marks, 'utf8').trim(), 'seen', 'the pull waited for the push to end');
  assert.is(fs.readFileSync(pulled, 'utf8'), '# Shared guide\n');
});

t("the sync's preparation runs while git fetches: the codex holds the fetch's pack until the doc's blob is in the cache", async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const marks = path.join(path.dirname(codex), 'marks');
  const dir = project(env, codex);
  const oid = git(dir, ['rev-parse', 'HEAD:docs/intro.md'], env);
  // upload-pack runs this instead of pack-objects (the command is appended); git reads it only from
  // protected configuration, here the global one of the isolated HOME.
  const hook = path.join(path.dirname(codex), 'pack-objects-hook');
  fs.writeFileSync(hook, `#!/bin/sh\n${waitScript(`${env.CODEX_HOOKS_CACHE_DIR}/*.git/objects/${oid.slice(0, 2)}/${oid.slice(2)}`, marks)}\nexec "$@"\n`, { mode: 0o755 });
  fs.appendFileSync(path.join(env.HOME, '.gitconfig'), `[uploadpack]\n\tpackObjectsHook = ${hook}\n`);
  const r = await cli(['sync', '--env', 'test', '--direction', 'to-codex'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.is(fs.readFileSync(marks, 'utf8').trim(), 'seen', "the doc's blob was copied only after the fetch");
  assert.is(git(codex, ['rev-parse', 'test:projects/api/docs/intro.md'], env), oid);
});

t.run();
