// sync-org batches the projects that sync to one codex branch (design §9): one fetch, one commit per project
// as if synced alone, one push. Real repositories, a real bare codex whose server hooks count the pushes.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, codexFiles, commit, git, isolatedEnv, makeCodex, refOf, tmpdir, writeConfig } from './helpers.js';

const t = suite('org-batch');
t.after.each(cleanup);

/** Server hooks that append a line per push (post-receive: accepted) and per attempt (pre-receive). */
function countPushes(codex) {
  for (const [hook, file] of [['post-receive', 'pushes'], ['pre-receive', 'attempts']]) {
    fs.writeFileSync(path.join(codex, 'hooks', hook), `#!/bin/sh\ncat >/dev/null\necho push >> "${path.join(codex, file)}"\n`, { mode: 0o755 });
  }
  return (file = 'pushes') => {
    const f = path.join(codex, file);
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0;
  };
}

/** `n` projects svc1..svcN on branch feat under `root`, each with its own author; plus one unconfigured checkout. */
function organisation(env, codex, n, configOf = () => ({})) {
  const root = tmpdir('org-');
  const heads = {};
  for (let i = 1; i <= n; i++) {
    const name = `svc${i}`;
    const dir = path.join(root, name);
    fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
    git(dir, ['init', '-q', '-b', 'main'], env);
    fs.writeFileSync(path.join(dir, 'docs/index.md'), `# ${name}\n`);
    writeConfig(dir, { codex_url: codex, ...configOf(i) });
    git(dir, ['add', '-A'], env);
    git(dir, ['-c', `user.name=Dev ${i}`, '-c', `user.email=dev${i}@example.com`, 'commit', '-q', '-m', 'docs'], env);
    git(dir, ['checkout', '-q', '-b', 'feat'], env);
    heads[name] = git(dir, ['rev-parse', 'HEAD'], env);
  }
  const plain = path.join(root, 'unconfigured');
  fs.mkdirSync(plain);
  git(plain, ['init', '-q', '-b', 'main'], env);
  fs.writeFileSync(path.join(plain, 'README.md'), '# no codex here\n');
  git(plain, ['add', '-A'], env);
  git(plain, ['commit', '-q', '-m', 'x'], env);
  return { root, heads };
}

/** The commits on the codex branch after `since`, newest first: message, author and trailers. */
function codexCommits(codex, branch, since, env) {
  const out = git(codex, ['log', '--format=%H%x00%an <%ae>%x00%B%x01', `${since}..${branch}`], env);
  return out
    .split('\x01')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((rec) => {
      const [sha, author, body] = rec.split('\0');
      const trailers = Object.fromEntries([...body.matchAll(/^(Codex-[A-Za-z-]+): (.*)$/gm)].map((m) => [m[1], m[2]]));
      return { sha, author, subject: body.split('\n')[0], trailers };
    });
}

t('30 projects and an unconfigured checkout: all 30 land in at most 3 pushes, one commit each with its trailers, exit 0', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const pushes = countPushes(codex);
  const { root, heads } = organisation(env, codex, 30);
  const before = refOf(codex, 'test', env);
  const r = await cli(['sync-org', '--root', root, '--env', 'test', '--json'], { cwd: root, env });
  assert.is(r.code, 0, r.stdout + r.stderr);
  assert.not.match(r.stderr, /Warning/);
  const out = JSON.parse(r.stdout);
  assert.equal(out.summary, { total: 31, synced: 30, upToDate: 0, skipped: 1, failed: 0 });
  assert.equal(out.projects.find((p) => p.dir.endsWith('unconfigured')), { dir: path.join(root, 'unconfigured'), project: null, env: null, codexBranch: null, status: 'skipped', changed: 0, message: 'no config', codexCommit: null });
  assert.ok(pushes() >= 1 && pushes() <= 3, `${pushes()} pushes`);
  const commits = codexCommits(codex, 'test', before, env);
  assert.is(commits.length, 30);
  const byProject = new Map(commits.map((c) => [c.trailers['Codex-Project'], c]));
  for (let i = 1; i <= 30; i++) {
    const name = `svc${i}`;
    const c = byProject.get(name);
    assert.ok(c, `no commit for ${name}`);
    assert.equal(c.trailers, { 'Codex-Project': name, 'Codex-Source-Commit': heads[name], 'Codex-Source-Branch': 'feat', 'Codex-Env': 'test' });
    assert.is(c.subject, `docs(${name}): sync 1 file from feat@${heads[name].slice(0, 7)} [test]`);
    assert.is(c.author, `Dev ${i} <dev${i}@example.com>`);
    // each commit changes its own project's folder only, as if synced alone
    const touched = git(codex, ['diff-tree', '--no-commit-id', '--name-only', '-r', c.sha], env).split('\n');
    assert.equal(touched, [`projects/${name}/docs/index.md`]);
    const project = out.projects.find((p) => p.project === name);
    assert.equal([project.status, project.changed, project.message, project.codexCommit], ['synced', 1, `→ ${c.sha.slice(0, 7)}`, c.sha]);
  }
  const files = codexFiles(codex, 'test', env);
  for (let i = 1; i <= 30; i++) assert.is(files[`projects/svc${i}/docs/index.md`], `# svc${i}`);
  assert.is(files['shared/guide.md'], '# Shared guide');
  // the batch's objects went into the cache as one pack (not hundreds of loose files) that git stored and
  // indexed (index-pack), and that git reads whole
  const cache = fs.readdirSync(env.CODEX_HOOKS_CACHE_DIR).map((n) => path.join(env.CODEX_HOOKS_CACHE_DIR, n)).find((p) => p.endsWith('.git'));
  git(cache, ['fsck', '--strict', '--no-dangling'], env);
  for (const idx of fs.readdirSync(path.join(cache, 'objects/pack')).filter((f) => f.endsWith('.idx'))) git(cache, ['verify-pack', path.join('objects/pack', idx)], env);
  assert.ok(git(cache, ['count-objects', '-v'], env).match(/^count: (\d+)$/m)[1] < 30, 'loose objects in the cache');
  // the pull after the push, per project (bidirectional by default: shared/** into .codex)
  assert.is(fs.readFileSync(path.join(root, 'svc17/.codex/shared/guide.md'), 'utf8'), '# Shared guide\n');
  // a second run: nothing to change, no push
  const again = await cli(['sync-org', '--root', root, '--env', 'test', '--json'], { cwd: root, env });
  assert.is(again.code, 0);
  assert.equal(JSON.parse(again.stdout).summary, { total: 31, synced: 0, upToDate: 30, skipped: 1, failed: 0 });
  assert.ok(pushes() <= 3);
  // and the hooks' record: the next push of an unchanged project skips the codex (synced.json written per project)
  assert.ok(fs.existsSync(path.join(root, 'svc3/.git/codex-hooks/synced.json')));
});

t('the same with one config broken: 29 land, the broken one is reported, exit 1', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const pushes = countPushes(codex);
  const { root } = organisation(env, codex, 30, (i) => (i === 13 ? { sync_patern: ['docs/**'] } : {}));
  const before = refOf(codex, 'test', env);
  const r = await cli(['sync-org', '--root', root, '--env', 'test', '--json'], { cwd: root, env });
  assert.is(r.code, 1, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.summary, { total: 31, synced: 29, upToDate: 0, skipped: 1, failed: 1 });
  const broken = out.projects.find((p) => p.status === 'failed');
  assert.ok(broken.dir.endsWith('svc13'));
  assert.match(broken.message, /sync_patern: unknown key/);
  assert.ok(pushes() <= 3, `${pushes()} pushes`);
  const commits = codexCommits(codex, 'test', before, env);
  assert.is(commits.length, 29);
  assert.not.ok(commits.some((c) => c.trailers['Codex-Project'] === 'svc13'));
});

t('a project held by its deletion guard fails alone; a push rejected because the branch moved rebuilds the chain on the new tip', async () => {
  const env = isolatedEnv();
  const docs = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`docs/d${i}.md`, `doc ${i}\n`]));
  const codex = makeCodex(env);
  const { root } = organisation(env, codex, 4);
  const big = path.join(root, 'svc2');
  commit(big, env, docs);
  assert.is((await cli(['sync-org', '--root', root, '--env', 'test'], { cwd: root, env })).code, 0);
  // svc2 now deletes 12 of its 13 docs; the others change a doc
  commit(big, env, Object.fromEntries(Object.keys(docs).map((p) => [p, null])));
  for (const n of [1, 3, 4]) commit(path.join(root, `svc${n}`), env, { 'docs/index.md': `# svc${n} v2\n` });
  // the first push finds the branch moved by someone else (a commit made while it is received)
  const seed = git(codex, ['rev-parse', 'test'], env);
  fs.writeFileSync(
    path.join(codex, 'hooks', 'pre-receive'),
    // (outside git's quarantine, as another client's push would be)
    `#!/bin/sh\ncat >/dev/null\n[ -e "$GIT_DIR/raced" ] && exit 0\ntouch "$GIT_DIR/raced"\nunset GIT_QUARANTINE_PATH GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES\n` +
      `blob=$(printf 'racer\\n' | git hash-object -w --stdin)\n` +
      `tree=$( (git ls-tree test; printf '100644 blob %s\\tracer.md\\n' "$blob") | git mktree)\n` +
      `c=$(echo racer | GIT_AUTHOR_NAME=R GIT_AUTHOR_EMAIL=r@x GIT_COMMITTER_NAME=R GIT_COMMITTER_EMAIL=r@x git commit-tree "$tree" -p test)\n` +
      `git update-ref refs/heads/test "$c"\n`,
    { mode: 0o755 },
  );
  const before = refOf(codex, 'test', env);
  const r = await cli(['sync-org', '--root', root, '--env', 'test', '--json'], { cwd: root, env });
  assert.is(r.code, 1, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout);
  const row = (n) => out.projects.find((p) => p.project === `svc${n}`);
  assert.is(row(2).status, 'failed');
  assert.match(row(2).message, /would delete 12 of 13 files/);
  for (const n of [1, 3, 4]) assert.is(row(n).status, 'synced', JSON.stringify(row(n)));
  const files = codexFiles(codex, 'test', env);
  assert.is(files['racer.md'], 'racer');
  for (const n of [1, 3, 4]) assert.is(files[`projects/svc${n}/docs/index.md`], `# svc${n} v2`);
  assert.is(files['projects/svc2/docs/d5.md'], 'doc 5');
  // the three commits sit on top of the racer's, which sits on the tip the batch first fetched
  const commits = codexCommits(codex, 'test', before, env);
  assert.equal(commits.map((c) => c.trailers['Codex-Project'] ?? c.subject), ['svc4', 'svc3', 'svc1', 'racer']);
  assert.ok(seed === before);
});

t('--dry-run plans every project and writes nothing; a from-codex project only pulls, after the others land', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const pushes = countPushes(codex);
  const { root } = organisation(env, codex, 3, (i) => (i === 3 ? { sync_direction: 'from-codex' } : {}));
  const before = refOf(codex, 'test', env);
  const dry = await cli(['sync-org', '--root', root, '--env', 'test', '--dry-run', '--json'], { cwd: root, env });
  assert.is(dry.code, 0, dry.stderr);
  const planned = JSON.parse(dry.stdout).projects;
  assert.equal(planned.map((p) => [p.project ?? 'unconfigured', p.status, p.changed, p.message]), [
    ['svc1', 'up-to-date', 1, 'dry run: 1 would change'],
    ['svc2', 'up-to-date', 1, 'dry run: 1 would change'],
    ['svc3', 'up-to-date', 0, 'dry run: nothing to change'],
    ['unconfigured', 'skipped', 0, 'no config'],
  ]);
  assert.is(refOf(codex, 'test', env), before);
  assert.is(pushes(), 0);
  assert.not.ok(fs.existsSync(path.join(root, 'svc1/.codex')));
  const r = await cli(['sync-org', '--root', root, '--env', 'test', '--json'], { cwd: root, env });
  assert.is(r.code, 0, r.stderr);
  assert.is(pushes(), 1);
  const files = codexFiles(codex, 'test', env);
  assert.ok(files['projects/svc1/docs/index.md'] && files['projects/svc2/docs/index.md']);
  assert.not.ok('projects/svc3/docs/index.md' in files);
  // the pull comes from the codex after the push: svc3 gets shared docs
  assert.is(fs.readFileSync(path.join(root, 'svc3/.codex/shared/guide.md'), 'utf8'), '# Shared guide\n');
});

t('a batch ends within CODEX_HOOKS_TIMEOUT: a codex that hangs fails every row of it, saying so', async () => {
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '2' });
  const codex = makeCodex(env);
  const { root } = organisation(env, codex, 3);
  // the server holds the push until the client has gone (or a minute has passed)
  fs.writeFileSync(path.join(codex, 'hooks', 'pre-receive'), '#!/bin/sh\ncat >/dev/null\ni=0\nwhile [ $i -lt 600 ] && kill -0 $PPID 2>/dev/null; do sleep 0.1; i=$((i+1)); done\nexit 1\n', { mode: 0o755 });
  const before = refOf(codex, 'test', env);
  const r = await cli(['sync-org', '--root', root, '--env', 'test', '--json'], { cwd: root, env });
  assert.is(r.code, 1, r.stderr);
  const rows = JSON.parse(r.stdout).projects.filter((p) => p.project);
  assert.is(rows.length, 3);
  for (const row of rows) {
    assert.is(row.status, 'failed');
    assert.match(row.message, /did not finish within 2 s \(CODEX_HOOKS_TIMEOUT\)/);
  }
  assert.is(refOf(codex, 'test', env), before);
});

t('layer mode in a batch (test environment): a second feature branch adds to the folder, never erases the first', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const { root } = organisation(env, codex, 2);
  const dir = path.join(root, 'svc1');
  commit(dir, env, { 'docs/one.md': 'one\n' });
  assert.is((await cli(['sync-org', '--root', root, '--env', 'test'], { cwd: root, env })).code, 0);
  git(dir, ['checkout', '-q', '-b', 'feat-two', 'main'], env);
  commit(dir, env, { 'docs/two.md': 'two\n' });
  const r = await cli(['sync-org', '--root', root, '--env', 'test', '--json'], { cwd: root, env });
  assert.is(r.code, 0, r.stderr);
  const files = codexFiles(codex, 'test', env);
  assert.is(files['projects/svc1/docs/one.md'], 'one');
  assert.is(files['projects/svc1/docs/two.md'], 'two');
  const row = JSON.parse(r.stdout).projects.find((p) => p.project === 'svc1');
  assert.equal([row.status, row.changed], ['synced', 1]);
});

t.run();
