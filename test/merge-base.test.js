// The remembered merge base (git/project.ts rememberedMergeBase) against git's own `merge-base --all`: a model-
// based property over random histories (lanes of commits, merges either way, repacks), queried in random
// order as pushes would, and the named case the rule's one condition is for. CODEX_HOOKS_MB_RUNS sets how many
// histories (the reliability suite runs more).
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { openProject, projectObjects, rememberedMergeBase } from '../dist/git/project.js';
import { cleanup, git, isolatedEnv, tmpdir } from './helpers.js';

const t = suite('merge-base');
t.after.each(cleanup);

const SEED = Number(process.env.CODEX_HOOKS_MB_SEED) || 2026_12_06;
const RUNS = Number(process.env.CODEX_HOOKS_MB_RUNS) || 40;

/** A repository whose commits are loose objects (commit-tree writes them loose, as a developer's commits are). */
function history(env) {
  const dir = path.join(tmpdir('merge-base-'), 'repo');
  fs.mkdirSync(dir);
  git(dir, ['init', '-q', '-b', 'main'], env);
  const empty = git(dir, ['hash-object', '-t', 'tree', '-w', '--stdin'], env, '');
  let n = 0;
  const make = (parents) => git(dir, ['commit-tree', ...parents.flatMap((p) => ['-p', p]), '-m', `c${n++}`, empty], env);
  return { dir, make };
}

/** What git says: every best common ancestor. */
const gitBases = (dir, env, a, b) => {
  try {
    return git(dir, ['merge-base', '--all', a, b], env).split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

const step = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('commit'), lane: fc.nat(3), from: fc.nat(40) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('merge'), into: fc.nat(3), from: fc.nat(3) }) },
  // a push: a lane's tip against main's; else any commit against any
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('query'), lane: fc.nat(3), tip: fc.option(fc.nat(40), { nil: null, freq: 2 }), base: fc.option(fc.nat(40), { nil: null, freq: 2 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'repack' }) },
);

t("the remembered merge base is always one of git's best common ancestors (the only one when there is one)", async () => {
  const env = isolatedEnv();
  let checks = 0;
  let walked = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), async (steps) => {
      const { dir, make } = history(env);
      const commits = [make([])];
      const lanes = [commits[0]]; // lane 0 is main
      const project = await openProject(dir, env);
      const objects = projectObjects(project);
      try {
        for (const s of steps) {
          if (s.kind === 'commit') {
            // a lane not there yet starts from any commit made so far
            const lane = Math.min(s.lane, lanes.length);
            const parent = lane < lanes.length ? lanes[lane] : commits[s.from % commits.length];
            lanes[lane] = make([parent]);
            commits.push(lanes[lane]);
          } else if (s.kind === 'merge') {
            const into = s.into % lanes.length;
            const from = s.from % lanes.length;
            if (into === from) continue;
            lanes[into] = make([lanes[into], lanes[from]]);
            commits.push(lanes[into]);
          } else if (s.kind === 'repack') {
            git(dir, ['repack', '-adq'], env); // packed: read by git, never here
          } else {
            const tip = s.tip === null ? lanes[s.lane % lanes.length] : commits[s.tip % commits.length];
            const base = s.base === null ? lanes[0] : commits[s.base % commits.length];
            const memory = path.join(project.commonDir, 'codex-hooks/merge-bases.json');
            const exact = fs.existsSync(memory) && fs.readFileSync(memory, 'utf8').includes(`"tip":"${tip}","base":"${base}"`);
            // asked first with git out of reach: an answer then came from what was remembered
            let answer;
            try {
              answer = await rememberedMergeBase({ ...project, env: { ...env, PATH: '/nonexistent' } }, objects, tip, base);
              if (!exact) walked++;
            } catch {
              answer = await rememberedMergeBase(project, objects, tip, base);
            }
            const all = gitBases(dir, env, tip, base);
            checks++;
            if (all.length === 0) assert.is(answer, null);
            else if (all.length === 1) assert.is(answer, all[0], `merge base of ${tip} and ${base}`);
            else assert.ok(all.includes(answer), `${answer} is none of git's ${all.join(' ')}`);
          }
        }
      } finally {
        objects.close();
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
  console.log(`  merge-base: ${RUNS} histories (seed ${SEED}), ${checks} answers checked against git, ${walked} of them from a remembered tip`);
  assert.ok(checks > RUNS, 'queries were made');
  assert.ok(walked > 0, 'some answers came from a remembered tip the new commits lead to');
});

/** A fresh history, its project and object store (closed after `fn`). */
async function inHistory(fn) {
  const env = isolatedEnv();
  const { dir, make } = history(env);
  const project = await openProject(dir, env);
  const objects = projectObjects(project);
  try {
    await fn({ env, dir, make, project, objects });
  } finally {
    objects.close();
  }
}

t('a branch pushed again: its new commits lead to the remembered tip, and git is not asked; unless that tip was in the base', () =>
  inHistory(async ({ env, make, project, objects }) => {
    const root = make([]);
    const main = make([root]);
    const t0 = make([root]);
    const t1 = make([t0]);
    assert.is(await rememberedMergeBase(project, objects, t0, main), root);
    // git is out of reach: the answer for t1 can only come from what was remembered for t0
    const noGit = { ...project, env: { ...env, PATH: '/nonexistent' } };
    assert.is(await rememberedMergeBase(noGit, objects, t1, main), root);
    // the branch merged into main at t0 (the remembered tip is in the base), and a later commit c of the
    // branch merged too: from t0's answer (t0 itself) nothing follows for t2 — git is asked, and says c
    const c = make([t1]);
    const t2 = make([c]);
    const merged = make([main, t0]);
    assert.is(await rememberedMergeBase(project, objects, t0, merged), t0);
    const both = make([merged, c]);
    assert.is(await rememberedMergeBase(project, objects, t0, both), t0);
    assert.is(await rememberedMergeBase(project, objects, t2, both), c);
    assert.is(await rememberedMergeBase(project, objects, t2, both), c, 'remembered');
  }));

t('a shallow clone (or grafts, or replace refs) neither uses nor keeps a remembered merge base: unshallowed, git answers', () =>
  inHistory(async ({ env, dir, make, project, objects }) => {
    const r = make([]);
    const x = make([r]);
    const y = make([x]);
    const main = make([y]);
    const t = make([make([x]), make([y])]); // the branch merged main's y in
    const g2 = git(dir, ['rev-parse', `${t}^2`], env);
    // shallow at y's child on the branch: y is cut off, and git's answer is x
    fs.writeFileSync(path.join(dir, '.git/shallow'), g2 + '\n');
    assert.is(await rememberedMergeBase(project, objects, t, main), x);
    fs.rmSync(path.join(dir, '.git/shallow')); // git fetch --unshallow
    const t2 = make([t]);
    assert.is(await rememberedMergeBase(project, objects, t2, main), y);
    assert.is(await rememberedMergeBase(project, objects, t, main), y);
    // with a graft, or a replace ref, the history is not what the commits say: git alone answers
    for (const rewrite of [() => fs.writeFileSync(path.join(dir, '.git/info/grafts'), `${t} ${make([r])}\n`), () => git(dir, ['replace', t, make([r])], env)]) {
      const before = fs.readFileSync(path.join(project.commonDir, 'codex-hooks/merge-bases.json'), 'utf8');
      rewrite();
      assert.is(await rememberedMergeBase(project, objects, t, main), r);
      assert.is(fs.readFileSync(path.join(project.commonDir, 'codex-hooks/merge-bases.json'), 'utf8'), before, 'nothing remembered');
      fs.rmSync(path.join(dir, '.git/info/grafts'), { force: true });
      if (git(dir, ['replace', '-l'], env)) git(dir, ['replace', '-d', t], env);
    }
  }));

t.run();
