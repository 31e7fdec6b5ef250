// Model-based property (issue 20, design §4 `layer`, §6): random team histories over two developers' clones
// and a "server" (what GitHub does: merges by merge commit, squash or rebase, branch deletions), driven
// through the real hooks (`codex-hooks install`, CODEX_HOOKS_BIN = this checkout's bin) and real `git push`.
// After every write the hooks make (a push that landed, a deletion push, a push of main, a release), the
// codex `test` folder projects/api/ must equal a model computed independently from origin's state:
//
//   selection(origin main), then each live layer in the order it entered, its changes applied
//   (changes = diff selection(merge-base(tip, main)) → selection(tip): deleted paths removed, the others written)
//   live = the branch exists on origin, its tip is not an ancestor of main, and at least one change it carries
//          differs from main's version
//
// and the codex `main` folder must equal the selection of the last release. A push refused by origin must
// leave the codex as it was.
//
// Two readings of "first-push order" are possible when a layer stops being live and later becomes live
// again (a branch re-created after its deletion, pushed again after it was merged, or un-absorbed by a later
// change on main): "entry" — a layer leaves at the first write that finds it not live, and a later push puts
// it last — and "first push" — its place is its first push ever and liveness is judged afresh at each write.
// Where the two give different folders the check accepts either (and counts those points); everywhere else
// they agree and the check is exact.
//
//   CODEX_HOOKS_MODEL_RUNS (default 3), CODEX_HOOKS_MODEL_STEPS (default 14), CODEX_HOOKS_MODEL_SEED,
//   CODEX_HOOKS_MODEL_MS (time limit for the whole property, shrinking included; default 50000)
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, cleanup, cli, codexFiles, git, isolatedEnv, makeCodex, readObjects, run, tmpdir, writeConfig } from './helpers.js';

const t = suite('team-model');

const RUNS = Number(process.env.CODEX_HOOKS_MODEL_RUNS) || 3;
const STEPS = Number(process.env.CODEX_HOOKS_MODEL_STEPS) || 14;
const SEED = Number(process.env.CODEX_HOOKS_MODEL_SEED) || 20201;
const TIME_LIMIT = Number(process.env.CODEX_HOOKS_MODEL_MS) || 50_000;

const DOCS = ['docs/d0.md', 'docs/d1.md', 'docs/d2.md', 'docs/d3.md'];
const BRANCHES = ['feat/a', 'feat/b', 'feat/c'];
const PROJECT = 'projects/api/';
const SELECTED = /^(docs\/.+|README\.md|CLAUDE\.md)$/; // the default sync_patterns

// ---- reading repositories -------------------------------------------------------------------------

const tryGit = (cwd, args, env) => {
  try {
    return git(cwd, args, env);
  } catch {
    return null;
  }
};

/** A commit's selection (path → content without its final newline, as codexFiles reads the codex). */
function selection(repo, commit, env) {
  const records = git(repo, ['ls-tree', '-r', '-z', commit], env).split('\0').filter(Boolean).map((rec) => {
    const tab = rec.indexOf('\t');
    return { oid: rec.slice(0, tab).split(' ')[2], path: rec.slice(tab + 1) };
  }).filter((r) => SELECTED.test(r.path));
  const objects = readObjects(repo, env, records.map((r) => r.oid));
  return Object.fromEntries(records.map((r) => [r.path, objects.get(r.oid).body.toString('utf8').replace(/\n$/, '')]));
}

function folder(codex, branch, env) {
  const all = codexFiles(codex, branch, env) ?? {};
  return Object.fromEntries(Object.entries(all).filter(([p]) => p.startsWith(PROJECT)).map(([p, c]) => [p.slice(PROJECT.length), c]));
}

const codexRefs = (codex, env) => git(codex, ['for-each-ref', '--format=%(refname) %(objectname)'], env);

// ---- the model: computed from origin's state only ---------------------------------------------------

/** A branch on origin: its tip, whether it is merged, the changes it carries since its merge base with main. */
function layerOf(origin, env, branch, mainTip, main) {
  const tip = tryGit(origin, ['rev-parse', '--verify', '-q', `refs/heads/${branch}`], env);
  if (!tip) return { live: false, why: 'gone' };
  if (tryGit(origin, ['merge-base', '--is-ancestor', tip, mainTip], env) !== null) return { live: false, why: 'merged' };
  const base = git(origin, ['merge-base', tip, mainTip], env);
  const before = selection(origin, base, env);
  const after = selection(origin, tip, env);
  const changes = {};
  for (const p of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (before[p] !== after[p]) changes[p] = p in after ? after[p] : null;
  }
  const carries = Object.entries(changes).some(([p, c]) => (c === null ? p in main : main[p] !== c));
  return carries ? { live: true, changes } : { live: false, why: 'absorbed' };
}

/** Two folders with the same paths and contents. */
const same = (a, b) => Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([p, c]) => b[p] === c);

function apply(main, layers) {
  const out = { ...main };
  for (const { changes } of layers) {
    for (const [p, c] of Object.entries(changes)) {
      if (c === null) delete out[p];
      else out[p] = c;
    }
  }
  return out;
}

/**
 * The two readings of the order (see the top of the file), updated at each write: `pushed` is the branch
 * whose push landed (null for a deletion, a push of main, a release).
 */
class Model {
  constructor(origin, env) {
    Object.assign(this, { origin, env, entered: [], firstPush: [] });
  }
  write(pushed) {
    const mainTip = git(this.origin, ['rev-parse', 'refs/heads/main'], this.env);
    const main = selection(this.origin, mainTip, this.env);
    const layers = new Map();
    const layer = (b) => layers.get(b) ?? layers.set(b, layerOf(this.origin, this.env, b, mainTip, main)).get(b);
    if (pushed && !this.firstPush.includes(pushed)) this.firstPush.push(pushed);
    if (pushed && !this.entered.includes(pushed) && layer(pushed).live) this.entered.push(pushed);
    this.entered = this.entered.filter((b) => layer(b).live);
    const byEntry = apply(main, this.entered.map(layer));
    const byFirstPush = apply(main, this.firstPush.filter((b) => layer(b).live).map(layer));
    return { main, byEntry, byFirstPush, live: this.entered.slice() };
  }
}

// ---- the team ---------------------------------------------------------------------------------------

let counter = 0;
const content = (label) => `${label} ${++counter}`;

/** A project with origin, a codex, alice's clone (hooks installed, main on origin), bob's clone, a server clone. */
async function makeTeam() {
  const base = tmpdir('codex-hooks-model-');
  const env = isolatedEnv({ CODEX_HOOKS_BIN: BIN });
  const origin = path.join(base, 'origin.git');
  git(base, ['init', '-q', '--bare', origin], env);
  const codex = makeCodex(env);
  const alice = path.join(base, 'alice');
  fs.mkdirSync(path.join(alice, 'docs'), { recursive: true });
  git(alice, ['init', '-q', '-b', 'main'], env);
  git(alice, ['remote', 'add', 'origin', origin], env);
  fs.writeFileSync(path.join(alice, '.gitignore'), 'node_modules\n.codex/\n');
  writeConfig(alice, { codex_url: codex, project_name: 'api', hooks: { post_commit: 'off' } });
  for (const doc of DOCS.slice(0, 3)) fs.writeFileSync(path.join(alice, doc), content('main') + '\n');
  const install = async (dir, denv) => {
    const r = await cli(['install'], { cwd: dir, env: denv });
    if (r.code !== 0) throw new Error(`codex-hooks install failed:\n${r.stderr}`);
  };
  await install(alice, env);
  git(alice, ['add', '-A'], env);
  git(alice, ['commit', '-q', '-m', 'initial, hooks installed'], env);
  git(alice, ['push', '-q', '--no-verify', '-u', 'origin', 'main'], env);
  const clones = [{ name: 'alice', dir: alice, env }];
  const benv = isolatedEnv({ CODEX_HOOKS_BIN: BIN });
  const bob = path.join(base, 'bob');
  git(base, ['clone', '-q', origin, bob], benv);
  await install(bob, benv);
  clones.push({ name: 'bob', dir: bob, env: benv });
  const senv = isolatedEnv();
  const server = path.join(base, 'server');
  git(base, ['clone', '-q', origin, server], senv);
  return { env, origin, codex, clones, server: { dir: server, env: senv } };
}

const sh = (c, ...args) => git(c.dir, args, c.env);
const trySh = (c, ...args) => tryGit(c.dir, args, c.env);
const exists = (c, rel) => fs.existsSync(path.join(c.dir, rel));

/** Edits to the docs in a clone's work tree, committed: write, delete or rename (each falls back to a write). */
function commitEdits(c, edits, label) {
  for (const e of edits) {
    const doc = DOCS[e.doc];
    const to = DOCS[e.to];
    if (e.op === 'delete' && exists(c, doc)) fs.rmSync(path.join(c.dir, doc));
    else if (e.op === 'rename' && exists(c, doc) && !exists(c, to)) fs.renameSync(path.join(c.dir, doc), path.join(c.dir, to));
    else fs.writeFileSync(path.join(c.dir, doc), content(label) + '\n');
  }
  sh(c, 'add', '-A', 'docs');
  sh(c, 'commit', '-q', '--allow-empty', '-m', `${label}: ${edits.map((e) => `${e.op} d${e.doc}`).join(', ')}`);
}

/** Puts the clone on `branch`: the local one (brought up to origin's when it is behind), origin's, or a new one from origin/main. */
function checkout(c, branch) {
  sh(c, 'fetch', '-q', '--prune', 'origin');
  if (trySh(c, 'rev-parse', '--verify', '-q', `refs/heads/${branch}`)) {
    sh(c, 'checkout', '-q', branch);
    if (trySh(c, 'rev-parse', '--verify', '-q', `refs/remotes/origin/${branch}`) && trySh(c, 'merge-base', '--is-ancestor', 'HEAD', `origin/${branch}`) !== null) {
      sh(c, 'merge', '-q', '--ff-only', `origin/${branch}`);
    }
  } else if (trySh(c, 'rev-parse', '--verify', '-q', `refs/remotes/origin/${branch}`)) {
    sh(c, 'checkout', '-q', '-b', branch, '--track', `origin/${branch}`);
  } else {
    sh(c, 'checkout', '-q', '-b', branch, 'origin/main');
  }
}

/** `git push ...` through the hooks with no terminal; whether it landed is read from origin by the caller. */
async function hookPush(c, args) {
  const r = await run('setsid', ['-w', 'git', 'push', ...args], { cwd: c.dir, env: c.env, timeoutMs: 60_000 });
  return { ...r, output: r.stdout + r.stderr };
}

// ---- steps ---------------------------------------------------------------------------------------------

const edit = fc.record({ op: fc.constantFrom('write', 'write', 'delete', 'rename'), doc: fc.integer({ min: 0, max: DOCS.length - 1 }), to: fc.integer({ min: 0, max: DOCS.length - 1 }) });
const edits = fc.array(edit, { minLength: 1, maxLength: 2 });
const who = fc.integer({ min: 0, max: 1 });
// which branch: for a commit, BRANCHES[b]; for the other steps, the b-th (modulo) of the branches the step
// applies to at that point (local ones to push, origin's to merge or delete), so that few steps are void
const branchName = fc.integer({ min: 0, max: BRANCHES.length - 1 });

const step = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('commit'), c: who, b: branchName, edits, push: fc.constantFrom(true, true, true, false) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('push'), c: who, b: branchName }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('force'), c: who, b: branchName, how: fc.constantFrom('rebase', 'amend'), edits }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('delete'), c: who, b: branchName }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('merge'), b: branchName, how: fc.constantFrom('merge', 'squash', 'rebase'), thenDelete: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('gone'), b: branchName }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('hotfix'), c: who, edits }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('release'), c: who }) },
);

const show = (s) => {
  const e = s.edits ? ` [${s.edits.map((x) => (x.op === 'rename' ? `rename d${x.doc}→d${x.to}` : `${x.op} d${x.doc}`)).join(', ')}]` : '';
  return `${s.t}${'c' in s ? ` ${['alice', 'bob'][s.c]}` : ''}${'b' in s ? ` ${s.t === 'commit' ? BRANCHES[s.b] : `#${s.b}`}` : ''}${s.how ? ` by ${s.how}` : ''}${s.thenDelete ? ' then delete' : ''}${s.push ? ' and push' : ''}${e}`;
};

/**
 * Runs one history; returns its log. Throws (with the log) at the first check that fails.
 * `stats.ambiguous` counts the checks where the two readings of the order differed.
 */
async function history(steps, stats) {
  const team = await makeTeam();
  const model = new Model(team.origin, team.env);
  const log = [];
  let released = {};
  class Mismatch extends Error {}
  const fail = (message) => {
    throw new Mismatch(`${message}\nhistory (${log.length} steps run):\n  ${log.join('\n  ')}`);
  };
  const check = (what, pushed) => {
    const m = model.write(pushed);
    const actual = folder(team.codex, 'test', team.env);
    const exact = same(m.byEntry, m.byFirstPush);
    if (!exact) stats.ambiguous++;
    stats.checks++;
    if (!same(actual, m.byEntry) && (exact || !same(actual, m.byFirstPush))) {
      fail(`after ${what}: the codex test folder is not the model's\n  live layers (in entry order): ${m.live.join(', ') || 'none'}\n  expected: ${JSON.stringify(m.byEntry)}${exact ? '' : `\n  or (first-push order): ${JSON.stringify(m.byFirstPush)}`}\n  actual:   ${JSON.stringify(actual)}\n  origin main's selection: ${JSON.stringify(m.main)}`);
    }
    const prod = folder(team.codex, 'main', team.env);
    if (!same(prod, released)) fail(`after ${what}: the codex main folder is not the last release\n  expected: ${JSON.stringify(released)}\n  actual:   ${JSON.stringify(prod)}`);
  };
  const originTip = (b) => tryGit(team.origin, ['rev-parse', '--verify', '-q', `refs/heads/${b}`], team.env);
  /** Pushes `b` from clone c through the hooks; checks the codex when it landed, or that nothing was written. */
  const pushBranch = async (c, b, force) => {
    sh(c, 'fetch', '-q', '--prune', 'origin'); // the developer is up to date with origin, as the design needs for merges on the server
    const local = trySh(c, 'rev-parse', '--verify', '-q', `refs/heads/${b}`);
    if (!local) return 'no such local branch';
    if (originTip(b) === local) return 'nothing to push';
    const before = codexRefs(team.codex, team.env);
    const r = await hookPush(c, [...(force ? ['--force'] : []), '-u', 'origin', b]);
    if (originTip(b) === local) {
      if (r.code !== 0) fail(`git push ${b} landed but exited ${r.code}:\n${r.output}`);
      check(`the push of ${b}`, b);
      return 'pushed';
    }
    if (codexRefs(team.codex, team.env) !== before) fail(`a push of ${b} that origin refused wrote to the codex:\n${r.output}`);
    return 'refused by origin (the codex is unchanged)';
  };
  const onOrigin = () => BRANCHES.filter((b) => originTip(b));
  const local = (c) => BRANCHES.filter((b) => trySh(c, 'rev-parse', '--verify', '-q', `refs/heads/${b}`));
  const pick = (list, i) => (list.length ? list[i % list.length] : null);
  for (const s of steps) {
    log.push(show(s));
    const c = 'c' in s ? team.clones[s.c] : null;
    let outcome = '';
    try {
      if (s.t === 'commit') {
        const b = BRANCHES[s.b];
        checkout(c, b);
        commitEdits(c, s.edits, `${c.name} ${b}`);
        outcome = s.push ? await pushBranch(c, b, false) : 'committed';
      } else if (s.t === 'push') {
        sh(c, 'fetch', '-q', '--prune', 'origin');
        const b = pick(local(c).filter((x) => originTip(x) !== trySh(c, 'rev-parse', `refs/heads/${x}`)), s.b);
        outcome = b ? `${b}: ${await pushBranch(c, b, false)}` : 'nothing to push';
      } else if (s.t === 'force') {
        const b = pick(local(c), s.b);
        if (!b) outcome = 'no local branch';
        else {
          sh(c, 'checkout', '-q', b);
          sh(c, 'fetch', '-q', '--prune', 'origin');
          if (s.how === 'rebase') {
            if (trySh(c, 'rebase', '-q', 'origin/main') === null) {
              sh(c, 'rebase', '--abort');
              sh(c, 'reset', '-q', '--hard', 'origin/main'); // start the branch again from main
            }
            commitEdits(c, s.edits, `${c.name} ${b} rebased`);
          } else if (trySh(c, 'merge-base', '--is-ancestor', 'HEAD', 'origin/main') === null) {
            commitEdits(c, s.edits, `${c.name} ${b} amend`); // then squashed into the commit before: an amend
            sh(c, 'reset', '-q', '--soft', 'HEAD~2');
            sh(c, 'commit', '-q', '--allow-empty', '-m', `${c.name} ${b} amended`);
          } else commitEdits(c, s.edits, `${c.name} ${b}`);
          outcome = `${b}: ${await pushBranch(c, b, true)}`;
        }
      } else if (s.t === 'delete') {
        sh(c, 'fetch', '-q', '--prune', 'origin');
        const b = pick(onOrigin(), s.b);
        if (!b) outcome = 'no branch on origin';
        else {
          const r = await hookPush(c, ['origin', '--delete', b]);
          if (originTip(b)) fail(`git push origin --delete ${b} did not land:\n${r.output}`);
          sh(c, 'checkout', '-q', '--detach');
          trySh(c, 'branch', '-q', '-D', b);
          check(`git push origin --delete ${b}`, null);
          outcome = `${b} deleted`;
        }
      } else if (s.t === 'merge') {
        const server = team.server;
        const b = pick(onOrigin(), s.b);
        if (!b) outcome = 'no branch on origin';
        else {
          sh(server, 'fetch', '-q', '--prune', 'origin');
          sh(server, 'checkout', '-q', '-B', 'main', 'origin/main');
          let merged = false;
          if (s.how === 'merge') {
            merged = trySh(server, 'merge', '-q', '--no-ff', '--no-edit', `origin/${b}`) !== null;
            if (!merged) trySh(server, 'merge', '--abort');
          } else if (s.how === 'squash') {
            merged = trySh(server, 'merge', '-q', '--squash', `origin/${b}`) !== null && trySh(server, 'commit', '-q', '--allow-empty', '-m', `${b} (squashed)`) !== null;
            if (!merged) sh(server, 'reset', '-q', '--hard', 'origin/main');
          } else {
            sh(server, 'checkout', '-q', '-B', 'rebasing', `origin/${b}`);
            merged = trySh(server, 'rebase', '-q', '--force-rebase', 'main') !== null;
            if (!merged) sh(server, 'rebase', '--abort');
            sh(server, 'checkout', '-q', 'main');
            if (merged) sh(server, 'merge', '-q', '--ff-only', 'rebasing');
          }
          if (merged) {
            sh(server, 'push', '-q', 'origin', 'main');
            if (s.thenDelete) sh(server, 'push', '-q', 'origin', '--delete', b);
          }
          outcome = `${b} ${merged ? 'merged on the server' : 'not merged (conflict)'}`;
        }
      } else if (s.t === 'gone') {
        const b = pick(onOrigin(), s.b);
        if (b) git(team.origin, ['update-ref', '-d', `refs/heads/${b}`], team.env);
        outcome = b ? `${b} deleted on the server` : 'no branch on origin';
      } else if (s.t === 'hotfix') {
        sh(c, 'fetch', '-q', '--prune', 'origin');
        sh(c, 'checkout', '-q', '-B', 'main', 'origin/main');
        commitEdits(c, s.edits, `${c.name} hotfix`);
        const r = await hookPush(c, ['origin', 'main']);
        if (originTip('main') !== trySh(c, 'rev-parse', 'HEAD')) fail(`the hotfix push of main did not land:\n${r.output}`);
        check('a hotfix pushed to main', null);
        outcome = 'pushed to main';
      } else if (s.t === 'release') {
        sh(c, 'fetch', '-q', '--prune', 'origin');
        sh(c, 'checkout', '-q', '-B', 'main', 'origin/main');
        const r = await cli(['sync', '--env', 'prod'], { cwd: c.dir, env: c.env });
        if (r.code !== 0) fail(`codex-hooks sync --env prod exited ${r.code}:\n${r.stdout}${r.stderr}`);
        released = selection(team.origin, 'refs/heads/main', team.env);
        check('a release (codex-hooks sync --env prod)', null);
        outcome = 'released';
      }
    } catch (error) {
      if (error instanceof Mismatch) throw error;
      throw new Error(`the test's own git work failed (a bug of this test): ${error.message}\nhistory (${log.length} steps run):\n  ${log.join('\n  ')}`);
    }
    log[log.length - 1] += `  → ${outcome}`;
  }
  return log;
}

t('random team histories: after every write, codex test = the model computed from origin, codex main = the last release', async () => {
  const stats = { checks: 0, ambiguous: 0, runs: 0 };
  const started = Date.now();
  const property = fc.asyncProperty(fc.array(step, { minLength: Math.min(8, STEPS), maxLength: STEPS, size: 'max' }), async (steps) => {
    stats.runs++;
    try {
      await history(steps, stats);
    } finally {
      cleanup();
    }
  });
  const out = await fc.check(property, { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: TIME_LIMIT, markInterruptAsFailure: false });
  if (out.failed) {
    const shrunk = out.counterexample?.[0];
    const error = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.error);
    throw new Error(
      `the model and the codex differ (seed ${out.seed}, path "${out.counterexamplePath}", shrunk ${out.numShrinks} times${out.interrupted ? ', shrinking cut short by CODEX_HOOKS_MODEL_MS' : ''}).\n` +
        `Rerun: CODEX_HOOKS_MODEL_SEED=${out.seed} CODEX_HOOKS_MODEL_RUNS=${RUNS} CODEX_HOOKS_MODEL_STEPS=${STEPS} node scripts/test.mjs team-model\n` +
        `shrunk history (the steps after the failing one were not run):\n  ${(shrunk ?? []).map(show).join('\n  ')}\n\n${error}`,
    );
  }
  assert.ok(stats.checks > 0, 'some writes were checked');
  console.log(`  team-model: ${stats.runs} histories (seed ${SEED}), ${stats.checks} writes checked (${stats.ambiguous} where the two orders differ), ${((Date.now() - started) / 1000).toFixed(1)} s${out.interrupted ? ', cut short by the time limit' : ''}`);
});

t.run();
