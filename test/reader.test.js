// The reader wing's provenance (src/reader/provenance.ts): the one parser of the sync trailers, the commit
// facts read in-process where `codex-hooks status` once had `git log` format them (compared with git's own
// answer on real commits, seeded and bounded), and the last sync per environment.
import path from 'node:path';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, git, isolatedEnv, tmpdir } from './helpers.js';
import { committerTime, lastSyncs, parseCommit, syncTrailers, utcTime } from '../dist/reader/provenance.js';
import { trailerLines } from '../dist/sync/tree/layout.js';
import { ObjectStore } from '../dist/git/objects/store.js';

const t = suite('reader');
t.after.each(cleanup);
const runs = { seed: 20261206, numRuns: 25 };

function bareRepo() {
  const env = isolatedEnv();
  const dir = path.join(tmpdir(), 'r.git');
  git(tmpdir(), ['init', '-q', '--bare', dir], env);
  const tree = git(dir, ['hash-object', '-t', 'tree', '-w', '--stdin'], env, '');
  const commit = (message, { parents = [], date = '1700000000 +0000', author = 'A U Thor' } = {}) =>
    git(dir, ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p])], { ...env, GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: 'a@example.com', GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: 'C', GIT_COMMITTER_EMAIL: 'c@example.com', GIT_COMMITTER_DATE: date }, message);
  const store = ObjectStore.open(dir, { cwd: dir, env });
  const read = async (oid) => parseCommit(oid, (await store.read(oid)).body);
  return { dir, env, commit, store, read };
}

t('syncTrailers: the four trailers a sync writes, null for one it lacks, keys in any case, values trimmed', () => {
  const written = `docs(api): sync 2 files from feat/x@1234567 [test]\n\n${trailerLines({ project: 'api', sourceCommit: 'a'.repeat(40), sourceBranch: 'feat/x', env: 'test' }).join('\n')}\n`;
  assert.equal(syncTrailers(written), { project: 'api', sourceCommit: 'a'.repeat(40), sourceBranch: 'feat/x', env: 'test' });
  assert.equal(syncTrailers('by hand\n\nCodex-Project: web\n'), { project: 'web', sourceCommit: null, sourceBranch: null, env: null });
  assert.equal(syncTrailers('x\n\ncodex-env:   prod  \r\n'), { project: null, sourceCommit: null, sourceBranch: null, env: 'prod' });
  assert.equal(syncTrailers('Codex-Project:\n'), { project: null, sourceCommit: null, sourceBranch: null, env: null });
});

t('parseCommit reads what git log shows: %an, %cI (any zone), its UTC time, parents and the trailers', async () => {
  const r = bareRepo();
  const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 ._-]{0,20}[A-Za-z0-9]$/);
  const value = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,30}$/);
  const seconds = fc.integer({ min: 100_000_000, max: 2 ** 31 - 1 }); // git reads a smaller number as no date
  const zone = fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 14 }), fc.constantFrom(0, 30, 45)).map(([s, h, m]) => `${s}${String(h).padStart(2, '0')}${String(m).padStart(2, '0')}`);
  try {
    await fc.assert(
      fc.asyncProperty(name, value, value, seconds, zone, async (author, project, branch, seconds, tz) => {
        const message = `docs: sync\n\n${trailerLines({ project, sourceCommit: 'b'.repeat(40), sourceBranch: branch, env: 'test' }).join('\n')}\n`;
        const oid = r.commit(message, { date: `${seconds} ${tz}`, author });
        const [an, cI, sb] = git(r.dir, ['log', '-1', '--format=%an%x1f%cI%x1f%(trailers:key=Codex-Source-Branch,valueonly,separator=)', oid], r.env).split('\x1f');
        const c = await r.read(oid);
        assert.is(c.author, an.trim());
        assert.is(committerTime(c), cI);
        assert.is(utcTime(c), new Date(seconds * 1000).toISOString());
        assert.is(c.trailers.sourceBranch, sb.trim());
        assert.is(c.trailers.project, project);
      }),
      runs,
    );
  } finally {
    r.store.close();
  }
});

t('lastSyncs: the newest sync of the project to each environment, confirmed by the trailer parser; never and unknown apart', async () => {
  const r = bareRepo();
  const sync = (project, env, extra = '') => `docs(${project}): sync\n\n${extra}${trailerLines({ project, sourceCommit: 'c'.repeat(40), sourceBranch: `feat/${project}`, env }).join('\n')}\n`;
  const c1 = r.commit(sync('api', 'test'), { date: '1700000000 +0100', author: 'Ann' });
  const c2 = r.commit(sync('web', 'test'), { parents: [c1], date: '1700000100 +0100' });
  // a line `Codex-Project: api` that git's --grep finds, in a message whose own first Codex-Project is web
  const c3 = r.commit(`by hand\n\ncodex-project: web\nCodex-Project: api\nCodex-Env: test\n`, { parents: [c2], date: '1700000200 +0100' });
  git(r.dir, ['update-ref', 'refs/heads/test', c3], r.env);
  try {
    const environments = { test: { branch: 'test' }, prod: { branch: 'main' } };
    const api = await lastSyncs(r.dir, r.env, 'api', environments);
    assert.equal(api, {
      test: { codexBranch: 'test', codexCommit: c1, time: git(r.dir, ['log', '-1', '--format=%cI', c1], r.env), sourceCommit: 'c'.repeat(40), sourceBranch: 'feat/api', author: 'Ann' },
      prod: { unknown: true, codexBranch: 'main' },
    });
    assert.is((await lastSyncs(r.dir, r.env, 'web', environments)).test.codexCommit, c3);
    assert.is((await lastSyncs(r.dir, r.env, 'docs', environments)).test, null);
    assert.equal(await lastSyncs(path.join(r.dir, 'none'), r.env, 'api', environments), {});
  } finally {
    r.store.close();
  }
});

t.run();
