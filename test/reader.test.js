// The reader wing's provenance (src/reader/provenance.ts): the one parser of the sync trailers, and the
// commit facts and history walk `codex-hooks status` read in-process where it once asked `git log` — each
// compared with git's own answer on real commits (seeded, bounded).
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, git, isolatedEnv, tmpdir } from './helpers.js';
import { committerTime, historyByDate, parseCommit, syncTrailers, utcTime } from '../dist/reader/provenance.js';
import { trailerLines } from '../dist/sync/layout.js';
import { ObjectStore } from '../dist/git/store.js';

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

t('historyByDate walks every commit a tip reaches in the order git log does (merges, clock skew)', async () => {
  const r = bareRepo();
  // a history: each commit has one or two earlier commits as parents, at any date (skew included)
  const history = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean(), fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 12 });
  try {
    await fc.assert(
      fc.asyncProperty(history, async (steps) => {
        const made = [];
        steps.forEach(([a, b, merge, when], i) => {
          const parents = i === 0 ? [] : [...new Set([made[a % i], ...(merge ? [made[b % i]] : [])])];
          made.push(r.commit(`c${i} ${Math.random()}`, { parents, date: `${1700000000 + when * 60} +0000` }));
        });
        const tip = made.at(-1);
        const walked = [];
        for await (const c of historyByDate((oid) => r.store.read(oid), tip)) walked.push(c.oid);
        assert.equal(walked, git(r.dir, ['log', '--format=%H', tip], r.env).split('\n'));
      }),
      runs,
    );
  } finally {
    r.store.close();
  }
});

t.run();
