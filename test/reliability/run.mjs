// `npm run test:reliability [-- --quick]`: concurrency, SIGKILL recovery, an unreachable codex, production
// safety over every combination, secrets, and bad input. Real git, real processes, real terminals.
// Last line: `N passed, N failed`. --quick is the bounded form CI runs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, cleanup, cli, codexFiles, commit, commitToCodex, git, isolatedEnv, makeCodex, makeRepo, refOf, run, tmpdir, writeConfig, writeFiles } from '../helpers.js';
import { e2eProject, pushInTerminal, pushWithoutTerminal } from '../e2e-helpers.js';
import { aliasBomb, commitTree, commitWithTrees, globBomb, snapshot, treeBomb } from '../hostile-helpers.js';

const QUICK = process.argv.includes('--quick');
let passed = 0;
let failed = 0;
const failures = [];

// RELIABILITY_ONLY=<regex>: run only the sections whose title matches (while working on one of them).
const ONLY = process.env.RELIABILITY_ONLY ? new RegExp(process.env.RELIABILITY_ONLY, 'i') : null;
let current = '';

async function scenario(name, fn) {
  if (ONLY && !ONLY.test(current)) return;
  const started = Date.now();
  try {
    await fn();
    passed++;
    process.stdout.write(`  ✔ ${name} (${Date.now() - started} ms)\n`);
  } catch (error) {
    failed++;
    failures.push(name);
    process.stdout.write(`  ✘ ${name}\n    ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n    ')}\n`);
  }
}
const check = (cond, message) => {
  if (!cond) throw new Error(message);
};
const section = (s) => {
  current = s;
  if (!ONLY || ONLY.test(s)) process.stdout.write(`\n${s}\n`);
};
// A seeded generator: the same "random" kill moments and combinations on every run.
let seed = 20261123;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

function project(env, codex, name, files, config = {}) {
  const dir = makeRepo(env, files, name);
  writeConfig(dir, { codex_url: codex, project_name: name, sync_direction: 'to-codex', ...config });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'config'], env);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  return dir;
}

// ---------------------------------------------------------------------------------------------------------
section('Concurrency: many projects syncing one codex branch at once');
{
  const count = QUICK ? 8 : 20;
  const rounds = QUICK ? 2 : 3;
  for (const shared of [false, true]) {
    await scenario(`${count} projects × ${rounds} rounds, ${shared ? 'one shared cache' : 'a cache each'}: every file lands, fsck clean`, async () => {
      const env = isolatedEnv();
      const codex = makeCodex(env);
      const dirs = Array.from({ length: count }, (_, i) => project(env, codex, `p${i}`, { [`docs/p${i}.md`]: 'round 0\n' }));
      for (let round = 1; round <= rounds; round++) {
        dirs.forEach((dir, i) => commit(dir, env, { [`docs/p${i}.md`]: `round ${round}\n`, [`docs/r${round}.md`]: `${i}\n` }));
        const results = await Promise.all(dirs.map((dir, i) => cli(['sync'], { cwd: dir, env: shared ? env : { ...env, CODEX_HOOKS_CACHE_DIR: `${env.CODEX_HOOKS_CACHE_DIR}-${i}` } })));
        results.forEach((r, i) => check(r.code === 0, `p${i} round ${round}: ${r.stderr}`));
        const files = codexFiles(codex, 'test', env);
        for (let i = 0; i < count; i++) {
          check(files[`projects/p${i}/docs/p${i}.md`] === `round ${round}`, `p${i} round ${round} missing`);
          for (let r = 1; r <= round; r++) check(files[`projects/p${i}/docs/r${r}.md`] === String(i), `p${i} r${r} missing`);
        }
        check(files['shared/guide.md'] === '# Shared guide', 'shared/ changed');
      }
      git(codex, ['fsck', '--strict', '--no-progress'], env);
      cleanup();
    });
  }
}

// ---------------------------------------------------------------------------------------------------------
section('SIGKILL at random moments: the next sync succeeds, the codex is never partial');
{
  const kills = QUICK ? 10 : 30;
  await scenario(`${kills} SIGKILLs of the sync's whole process group mid-sync, each followed by a sync that succeeds`, async () => {
    const env = isolatedEnv();
    const codex = makeCodex(env);
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`docs/f${i}.md`, `v0 ${i}\n`]));
    const dir = project(env, codex, 'killed', many);
    const expected = (v) => Object.fromEntries(Object.keys(many).map((k, i) => [`projects/killed/${k}`, `v${v} ${i}`]));
    const canonical = (o) => JSON.stringify(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
    const folder = () => canonical(Object.fromEntries(Object.entries(codexFiles(codex, 'test', env)).filter(([p]) => p.startsWith('projects/killed/'))));
    let version = 0;
    let killedMidway = 0;
    for (let k = 0; k < kills; k++) {
      version++;
      commit(dir, env, Object.fromEntries(Object.keys(many).map((f, i) => [f, `v${version} ${i}\n`])));
      // Its own process group, killed whole (as a terminal's job is): node and every git it started.
      const child = spawn(process.execPath, [BIN, 'sync'], { cwd: dir, env, stdio: 'ignore', detached: true });
      const closed = new Promise((r) => child.on('close', r)); // before the wait: a quick sync may be done by then
      const delay = Math.floor(random() * 450);
      await new Promise((r) => setTimeout(r, delay));
      const alive = child.exitCode === null;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone already: the sync finished before the kill
      }
      await closed;
      if (alive) killedMidway++;
      const now = folder();
      const consistent = [version - 1, version].some((v) => now === canonical(v === 0 ? {} : expected(v)));
      check(consistent, `after a kill at ${delay} ms the codex holds a partial folder: ${now.slice(0, 200)}`);
      const r = await cli(['sync'], { cwd: dir, env });
      check(r.code === 0, `sync after kill ${k} (${delay} ms) failed: ${r.stderr}`);
      check(folder() === canonical(expected(version)), `after kill ${k} the next sync did not deliver v${version}`);
    }
    git(codex, ['fsck', '--strict', '--no-progress'], env);
    process.stdout.write(`    (${killedMidway} of ${kills} processes were still running when killed)\n`);
    cleanup();
  });
}

// ---------------------------------------------------------------------------------------------------------
section('git gc and repack on the cache at the same moment (design §4)');
await scenario(`${QUICK ? 10 : 20} syncs while git gc and git repack -ad run on the cache in a loop: every sync succeeds`, async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const dir = project(env, codex, 'repacked', { 'docs/a.md': 'a\n' });
  check((await cli(['sync'], { cwd: dir, env })).code === 0, 'first sync');
  const cacheDir = path.join(env.CODEX_HOOKS_CACHE_DIR, fs.readdirSync(env.CODEX_HOOKS_CACHE_DIR).find((f) => /\.git$/.test(f)));
  let stop = false;
  let rounds = 0;
  // gc with git's default prune expiry, as a user's `git gc` or gc.auto would run it; repack -d prunes packed loose objects
  const loop = (async () => {
    while (!stop) await run('git', rounds++ % 2 ? ['repack', '-a', '-d', '-q'] : ['gc', '-q'], { cwd: cacheDir, env });
  })();
  const count = QUICK ? 10 : 20;
  try {
    for (let k = 0; k < count; k++) {
      commit(dir, env, { 'docs/a.md': `v${k}\n`, [`docs/n${k}.md`]: `${k}\n` });
      const r = await cli(['sync'], { cwd: dir, env });
      check(r.code === 0, `sync ${k} beside a repack failed: ${r.stderr}`);
    }
  } finally {
    stop = true;
    await loop;
  }
  check(codexFiles(codex, 'test', env)['projects/repacked/docs/a.md'] === `v${count - 1}`, 'the last sync is not in the codex');
  git(codex, ['fsck', '--strict', '--no-progress'], env);
  process.stdout.write(`    (${rounds} gc/repack runs beside the syncs)\n`);
  cleanup();
});

// ---------------------------------------------------------------------------------------------------------
section('Codex unreachable, then back');
await scenario('a hanging codex: the hook gives up at CODEX_HOOKS_TIMEOUT, the push goes on, the request is kept and later delivered', async () => {
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '2' });
  fs.appendFileSync(path.join(env.HOME, '.gitconfig'), '[protocol "ext"]\n\tallow = always\n');
  const p = e2eProject(env, { config: { codex_url: 'ext::sleep 60' } });
  check((await run(p.bin, ['install'], { cwd: p.dir, env })).code === 0, 'install');
  git(p.dir, ['checkout', '-q', '-b', 'feat'], env);
  const started = Date.now();
  const r = await pushWithoutTerminal(p.dir, env, ['origin', 'feat']);
  const took = Date.now() - started;
  check(r.code === 0, `push failed: ${r.stderr}`);
  check(took < 15_000, `the hook took ${took} ms`);
  check(/timed out|did not finish within 2 s/.test(r.stderr) && /kept/.test(r.stderr), `no timeout/kept message: ${r.stderr}`);
  writeConfig(p.dir, { codex_url: p.codex, project_name: 'api', hooks: { post_commit: 'off' } });
  const retry = await run(p.bin, ['sync', '--retry'], { cwd: p.dir, env });
  check(retry.code === 0, `retry failed: ${retry.stderr}`);
  check('projects/api/docs/intro.md' in codexFiles(p.codex, 'test', env), 'kept request not delivered');
  process.stdout.write(`    (push with a hanging codex returned in ${took} ms)\n`);
  cleanup();
});
await scenario('a missing codex: three pushes go on; the next push after it is back delivers, nothing lost', async () => {
  const env = isolatedEnv();
  const p = e2eProject(env);
  check((await run(p.bin, ['install'], { cwd: p.dir, env })).code === 0, 'install');
  fs.renameSync(p.codex, `${p.codex}.away`);
  git(p.dir, ['checkout', '-q', '-b', 'feat'], env);
  for (let i = 0; i < 3; i++) {
    commit(p.dir, env, { [`docs/n${i}.md`]: `${i}\n` });
    const r = await pushWithoutTerminal(p.dir, env, ['-u', 'origin', 'feat']);
    check(r.code === 0, `push ${i} failed`);
  }
  fs.renameSync(`${p.codex}.away`, p.codex);
  commit(p.dir, env, { 'src/code.js': 'x\n' });
  check((await pushWithoutTerminal(p.dir, env, [])).code === 0, 'push after return');
  const files = codexFiles(p.codex, 'test', env);
  for (let i = 0; i < 3; i++) check(files[`projects/api/docs/n${i}.md`] === String(i), `n${i} lost`);
  cleanup();
});

// ---------------------------------------------------------------------------------------------------------
section('Production safety: production is written iff the environment was explicit or the answer was yes');
{
  const env = isolatedEnv();
  const p = e2eProject(env);
  check((await run(p.bin, ['install'], { cwd: p.dir, env })).code === 0, 'install');
  const initial = { main: refOf(p.codex, 'main', env), test: refOf(p.codex, 'test', env) };
  const kinds = { main: ['HEAD:main'], master: ['HEAD:master'], feature: ['HEAD:feat/x'], 'feat:main': ['feat:main'] };
  const envs = { unset: undefined, test: 'test', prod: 'prod', invalid: 'prd' };
  const terminals = ['none', 'y', 'n', 'Enter'];
  let combos = [];
  for (const kind of Object.keys(kinds)) for (const ce of Object.keys(envs)) for (const term of terminals) combos.push([kind, ce, term]);
  // --quick: every production-branch push with CODEX_ENV unset (y, n, Enter, no terminal) — the cells where a
  // question decides — plus a seeded 30% of the rest.
  const matters = ([kind, ce]) => kind !== 'feature' && ce === 'unset';
  if (QUICK) combos = combos.filter((c) => matters(c) || random() < 0.3);
  let n = 0;
  for (const [kind, ce, term] of combos) {
    await scenario(`push ${kind}, CODEX_ENV ${ce}, terminal ${term}`, async () => {
      n++;
      git(p.codex, ['update-ref', 'refs/heads/main', initial.main], env);
      git(p.codex, ['update-ref', 'refs/heads/test', initial.test], env);
      fs.rmSync(path.join(p.dir, '.git/codex-hooks'), { recursive: true, force: true });
      git(p.dir, ['checkout', '-q', '-B', 'feat'], env);
      commit(p.dir, env, { 'docs/intro.md': `# Intro ${n}\n` });
      const e = envs[ce] ? { ...env, CODEX_ENV: envs[ce] } : env;
      const args = ['origin', ...kinds[kind]];
      const r = term === 'none' ? await pushWithoutTerminal(p.dir, e, args) : await pushInTerminal(p.dir, e, args, term === 'Enter' ? '\r' : `${term}\r`);
      const wroteProd = refOf(p.codex, 'main', env) !== initial.main;
      const prodBranch = kind !== 'feature';
      const explicitProd = ce === 'prod';
      // CODEX_ENV=prod releases the production branch of the push, never another (design §6): a push with none is refused
      const refused = explicitProd && !prodBranch;
      const shouldProd = ce !== 'invalid' && prodBranch && (explicitProd || (ce === 'unset' && term === 'y'));
      check(wroteProd === shouldProd, `production ${wroteProd ? 'written' : 'not written'}, expected ${shouldProd ? 'written' : 'not'}\n${r.stdout}${r.stderr}`);
      if (ce === 'invalid') check(r.code !== 0 && /Unknown environment "prd"/.test(r.stdout + r.stderr), 'invalid CODEX_ENV must refuse the push');
      else if (refused) check(r.code !== 0 && /this push has none/.test(r.stdout + r.stderr), `CODEX_ENV=prod on a feature push must refuse it: ${r.stdout}${r.stderr}`);
      else check(r.code === 0, `push failed: ${r.stdout}${r.stderr}`);
      const asked = /Sync to production\?/.test(r.stdout);
      check(asked === (ce === 'unset' && prodBranch && term !== 'none'), `prompt ${asked ? 'shown' : 'not shown'} wrongly`);
    });
  }
  await scenario('codex-hooks sync: --env × CODEX_ENV × terminal on main', async () => {
    for (const flag of [undefined, 'test', 'prod']) {
      for (const ce of [undefined, 'test', 'prod']) {
        for (const term of ['none', 'yes']) {
          git(p.codex, ['update-ref', 'refs/heads/main', initial.main], env);
          git(p.dir, ['checkout', '-q', 'main'], env);
          commit(p.dir, env, { 'docs/intro.md': `# sync ${flag} ${ce} ${term}\n` });
          const args = ['sync', ...(flag ? ['--env', flag] : []), ...(term === 'yes' ? ['--yes'] : [])];
          const r = await run('setsid', ['-w', p.bin, ...args], { cwd: p.dir, env: ce ? { ...env, CODEX_ENV: ce } : env });
          const chosen = flag ?? ce;
          const shouldProd = chosen === 'prod' || (chosen === undefined && term === 'yes');
          const wrote = refOf(p.codex, 'main', env) !== initial.main;
          check(wrote === shouldProd, `sync ${args.join(' ')} CODEX_ENV=${ce}: production ${wrote ? 'written' : 'not written'}`);
          check(r.code === (chosen === undefined && term === 'none' ? 3 : 0), `exit ${r.code} for ${args.join(' ')} CODEX_ENV=${ce}`);
        }
      }
    }
  });
  cleanup();
}

// ---------------------------------------------------------------------------------------------------------
section('Secrets and credentials');
await scenario('a token planted in the codex URL and in GITHUB_TOKEN appears in no output, state, cache or codex commit', async () => {
  const env = isolatedEnv({ GITHUB_TOKEN: 'ghp_PLANTEDTOKEN0123456789', GH_TOKEN: 'gho_PLANTEDTOKEN9876543210' });
  const codex = makeCodex(env);
  const dir = project(env, codex, 'leaky', { 'docs/a.md': 'a\n', 'docs/.env': 'API_KEY=sk_live_PLANTED\n', 'docs/id_ed25519': 'PRIVATE KEY PLANTED\n', 'docs/cloud-credentials.json': '{}' , 'docs/credentials.json': '{"k":"PLANTED"}' });
  const outputs = [];
  for (const url of ['https://x-access-token:url_PLANTED_SECRET@127.0.0.1:9/codex.git', 'https://github.com/acme/codex.git', 'http://bob:pw_PLANTED_SECRET@localhost:9/c.git']) {
    writeConfig(dir, { codex_url: url, project_name: 'leaky' });
    for (const args of [['sync', '--env', 'test'], ['sync', '--env', 'test', '--json'], ['status'], ['status', '--json'], ['create-branch', 'x'], ['fetch', 'codex://acme/leaky/docs/a.md']]) {
      const r = await cli(args, { cwd: dir, env: { ...env, CODEX_HOOKS_TIMEOUT: '5' } });
      outputs.push(r.stdout, r.stderr);
    }
    const hook = await cli(['hook', 'pre-push', 'origin', url], { cwd: dir, env, input: `refs/heads/feat ${git(dir, ['rev-parse', 'HEAD'], env)} refs/heads/feat ${'0'.repeat(40)}\n` });
    outputs.push(hook.stdout, hook.stderr);
  }
  writeConfig(dir, { codex_url: codex, project_name: 'leaky' });
  const ok = await cli(['sync'], { cwd: dir, env });
  check(ok.code === 0, ok.stderr);
  const secrets = ['ghp_PLANTEDTOKEN0123456789', 'gho_PLANTEDTOKEN9876543210', 'url_PLANTED_SECRET', 'pw_PLANTED_SECRET', 'sk_live_PLANTED', 'PRIVATE KEY PLANTED', '"k":"PLANTED"'];
  const blob = (dirPath) => {
    const out = [];
    const walk = (d) => fs.existsSync(d) && fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : e.isFile() && out.push(fs.readFileSync(path.join(d, e.name)).toString('latin1'))));
    walk(dirPath);
    return out.join('\n');
  };
  const places = {
    output: outputs.join('\n'),
    'state (.git/codex-hooks)': blob(path.join(dir, '.git/codex-hooks')),
    'git config': fs.readFileSync(path.join(dir, '.git/config'), 'utf8'),
    'cache (config, refs, indexes)': blob(env.CODEX_HOOKS_CACHE_DIR).replace(/PACK[\s\S]*/g, ''),
    'codex history': git(codex, ['log', '--all', '-p', '--format=%B'], env),
  };
  for (const [where, text] of Object.entries(places)) for (const s of secrets) check(!text.includes(s), `${s} found in ${where}`);
  const files = Object.keys(codexFiles(codex, 'test', env));
  check(files.includes('projects/leaky/docs/a.md'), 'the plain doc did not land');
  check(!files.some((f) => /\/\.env$|\/id_ed25519$|\/credentials\.json$/.test(f)), `a deny-listed file reached the codex: ${files}`);
  check(files.includes('projects/leaky/docs/cloud-credentials.json'), 'only the exact name credentials.json is on the default deny list');
  for (const cache of fs.readdirSync(env.CODEX_HOOKS_CACHE_DIR).filter((f) => f.endsWith('.git'))) {
    const cfg = fs.readFileSync(path.join(env.CODEX_HOOKS_CACHE_DIR, cache, 'config'), 'utf8');
    check(!/PLANTED/.test(cfg), `cache config holds a secret: ${cfg}`);
  }
  cleanup();
});

// ---------------------------------------------------------------------------------------------------------
section('Bad input: a clear message, the right exit code, nothing written');
{
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const emptyCodex = makeCodex(env, {}, []);
  const base = makeRepo(env, { 'docs/a.md': 'a\n' }, 'base');
  writeConfig(base, { codex_url: codex, project_name: 'base' });
  git(base, ['add', '-A'], env);
  git(base, ['commit', '-q', '-m', 'config'], env);
  git(base, ['checkout', '-q', '-b', 'feat'], env);
  const cases = [];
  const withConfig = (name, content, file = '.codexrc.json') => {
    const dir = makeRepo(env, { 'docs/a.md': 'a\n' }, `cfg-${cases.length}`);
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content));
    return dir;
  };
  const add = (name, args, cwd, code, pattern, extraEnv = {}) => cases.push({ name, args, cwd, code, pattern, extraEnv });
  // configs
  add('JSON syntax error', ['sync', '--env', 'test'], withConfig('', '{ "codex_url": '), 2, /Cannot parse .*line 1/);
  add('YAML syntax error', ['sync', '--env', 'test'], withConfig('', 'codex_url: [x\n', '.codexrc.yaml'), 2, /Cannot parse .*\.codexrc\.yaml/);
  add('package.json codex key of wrong type', ['status', '--offline'], withConfig('', { name: 'x', codex: { sync_patterns: 'docs' } }, 'package.json'), 2, /sync_patterns: expected an array/);
  add('unknown top-level key', ['status', '--offline'], withConfig('', { codex_url: codex, syncPatterns: [] }), 2, /syncPatterns: unknown key/);
  add('unknown hooks key', ['status', '--offline'], withConfig('', { codex_url: codex, hooks: { prepush: 'on' } }), 2, /hooks\.prepush: unknown key \(did you mean "pre_push"\?\)/);
  add('wrong type deep', ['status', '--offline'], withConfig('', { codex_url: codex, environments: { test: { branch: 7 } } }), 2, /environments\.test\.branch: expected a string/);
  add('max_file_size negative', ['status', '--offline'], withConfig('', { codex_url: codex, max_file_size: -1 }), 2, /max_file_size/);
  add('deletion_threshold above 1', ['status', '--offline'], withConfig('', { codex_url: codex, deletion_threshold: 3 }), 2, /deletion_threshold/);
  add('project_name with a slash', ['status', '--offline'], withConfig('', { codex_url: codex, project_name: 'a/b' }), 2, /project_name/);
  add('project_name ..', ['status', '--offline'], withConfig('', { codex_url: codex, project_name: '..' }), 2, /project_name/);
  add('pull_dir outside', ['status', '--offline'], withConfig('', { codex_url: codex, pull_dir: '../x' }), 2, /pull_dir/);
  add('pull_dir absolute', ['status', '--offline'], withConfig('', { codex_url: codex, pull_dir: '/tmp/x' }), 2, /pull_dir/);
  add('environment name breaks the rule', ['status', '--offline'], withConfig('', { codex_url: codex, environments: { 'Pre Prod': { branch: 'x' } } }), 2, /environment names must match/);
  add('default_environment unknown', ['status', '--offline'], withConfig('', { codex_url: codex, default_environment: 'qa' }), 2, /default_environment: unknown environment "qa"/);
  add('sync_direction invalid', ['status', '--offline'], withConfig('', { codex_url: codex, sync_direction: 'up' }), 2, /sync_direction: expected one of/);
  add('legacy plugin config broken', ['status', '--offline'], withConfig('', '{oops', '.fractary/plugins/codex/config.json'), 2, /Cannot parse .*config\.json/);
  add('no codex_url', ['sync', '--env', 'test'], withConfig('', { project_name: 'x' }), 2, /codex_url/);
  add('no config at all', ['sync', '--env', 'test'], makeRepo(env, { 'a.md': 'a' }, 'noconfig'), 2, /codex-hooks init/);
  // environment names
  add('CODEX_ENV=prd', ['sync'], base, 2, /Unknown environment "prd".*Did you mean "prod"/s, { CODEX_ENV: 'prd' });
  add('--env unknown', ['sync', '--env', 'qa'], base, 2, /Unknown environment "qa"/);
  add('--env empty', ['sync', '--env='], base, 2, /--env needs an environment name/);
  add('--env twice', ['sync', '--env', 'test', '--env', 'dev'], base, 2, /--env was given 2 times/);
  add('status with CODEX_ENV invalid', ['status', '--offline'], base, 2, /Unknown environment "PROD"/, { CODEX_ENV: 'PROD' });
  // URIs
  add('fetch: not a codex URI', ['fetch', 'https://x/y'], base, 2, /Malformed codex URI/);
  add('fetch: missing project', ['fetch', 'codex://acme'], base, 2, /Malformed codex URI/);
  add('fetch: .. in path', ['fetch', 'codex://acme/base/../x'], base, 2, /Malformed codex URI/);
  add('fetch: unknown project', ['fetch', 'codex://acme/nope/a.md'], base, 2, /Unknown project "nope"/);
  add('fetch: two URIs', ['fetch', 'codex://a/b/c', 'codex://a/b/d'], base, 2, /one codex:\/\/ URI/);
  // arguments
  add('unknown command', ['sink'], base, 2, /Unknown command "sink"/);
  add('unknown option', ['sync', '--forse'], base, 2, /Unknown option --forse/);
  add('bad --direction', ['sync', '--env', 'test', '--direction', 'both'], base, 2, /Unknown direction "both"/);
  add('bad --ref', ['sync', '--env', 'test', '--ref', 'no-such-ref'], base, 2, /No commit named "no-such-ref"/);
  add('bad --parallel', ['sync-org', '--parallel', '0', base], base, 2, /--parallel must be/);
  add('sync-org with nothing to sync', ['sync-org'], base, 2, /needs checkouts/);
  add('create-branch bad name', ['create-branch', 'a..b'], base, 2, /not a valid branch name/);
  add('unknown hook', ['hook', 'pre-commit'], base, 2, /Unknown hook "pre-commit"/);
  // repository states
  add('not a git repository', ['status'], tmpdir(), 2, /Not a git repository/);
  const detached = makeRepo(env, { 'docs/a.md': 'a\n' }, 'detached');
  writeConfig(detached, { codex_url: codex });
  git(detached, ['add', '-A'], env);
  git(detached, ['commit', '-q', '-m', 'c'], env);
  git(detached, ['checkout', '-q', '--detach'], env);
  add('detached HEAD without --env', ['sync'], detached, 2, /HEAD is detached.*--env/s);
  const unborn = path.join(tmpdir(), 'unborn');
  fs.mkdirSync(unborn);
  git(unborn, ['init', '-q', '-b', 'main'], env);
  writeConfig(unborn, { codex_url: codex });
  add('no commits yet', ['sync', '--env', 'test'], unborn, 2, /no commits yet/);
  const orphan = makeRepo(env, { 'docs/a.md': 'a\n' }, 'orphan');
  writeConfig(orphan, { codex_url: codex });
  git(orphan, ['checkout', '-q', '--orphan', 'fresh'], env);
  add('unborn branch (orphan)', ['sync', '--env', 'test'], orphan, 2, /no commits yet/);
  const emptyTarget = makeRepo(env, { 'docs/a.md': 'a\n' }, 'emptycodex');
  writeConfig(emptyTarget, { codex_url: emptyCodex });
  add('codex repository empty', ['sync', '--env', 'test'], emptyTarget, 1, /TARGET BRANCH NOT FOUND[\s\S]*codex-hooks create-branch test/);
  const existing = makeRepo(env, { 'docs/a.md': 'a\n' }, 'hasconfig');
  writeConfig(existing, { codex_url: codex });
  // init fills in an existing config (issue 11 item 12); bad input to it still changes nothing
  add('init with a bad --project on an existing config', ['init', '--yes', '--project', 'a/b'], existing, 2, /not a valid project name/);

  for (const c of cases) {
    await scenario(`${c.name}: exit ${c.code}`, async () => {
      const refs = git(codex, ['for-each-ref'], env);
      const isRepo = fs.existsSync(path.join(c.cwd, '.git'));
      const before = isRepo ? git(c.cwd, ['status', '--porcelain', '--ignored'], env) : '';
      const r = await cli(c.args, { cwd: c.cwd, env: { ...env, ...c.extraEnv } });
      check(r.code === c.code, `exit ${r.code}, expected ${c.code}\n${r.stderr}`);
      check(c.pattern.test(r.stderr), `message did not match ${c.pattern}:\n${r.stderr}`);
      check(/→ /.test(r.stderr) || c.code === 1, `no hint on what fixes it:\n${r.stderr}`);
      check(git(codex, ['for-each-ref'], env) === refs, 'the codex changed');
      if (isRepo) check(git(c.cwd, ['status', '--porcelain', '--ignored'], env) === before, 'the project changed');
    });
  }
  await scenario('shallow clone of the project: sync works (no history needed)', async () => {
    const shallow = path.join(tmpdir(), 'shallow');
    git(path.dirname(shallow), ['clone', '-q', '--depth', '1', '--no-local', '-b', 'feat', `file://${base}`, shallow], env);
    const r = await cli(['sync', '--env', 'test'], { cwd: shallow, env });
    check(r.code === 0, r.stderr);
    check('projects/base/docs/a.md' in codexFiles(codex, 'test', env), 'not synced');
  });
  cleanup();
}

// ---------------------------------------------------------------------------------------------------------
// Data safety and a hostile codex (design §2 pull_dir, §4 "the codex is untrusted input"): run in full by
// --quick too. Each case checks that nothing outside pull_dir changed (a snapshot of the project, .git
// included), that the push or sync went on, and that the message is clear (never "unexpected error").
section('Hostile repository config: a committed config never runs a command, leaks a token or writes through a link');
{
  // Each case: a repository whose committed files someone else wrote, the command a developer runs in it,
  // the exit code it must give. The marker is what an injected command would make.
  const marker = path.join(tmpdir('marker-'), 'ran');
  const env = isolatedEnv({ CODEX_TEST_MARKER: marker });
  const codex = makeCodex(env);
  const inject = '--upload-pack=touch "$CODEX_TEST_MARKER";:acme/codex.git';
  const victim = tmpdir('victim-');
  fs.writeFileSync(path.join(victim, 'bashrc'), '# mine\n');
  const repo = (name, config, extra = {}) => {
    const dir = makeRepo(env, { 'docs/a.md': 'a\n', ...extra }, name);
    if (config === null) return dir;
    writeConfig(dir, config);
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '-m', 'someone else\'s config'], env);
    return dir;
  };
  const linked = (name, link) => {
    const dir = repo(name, { codex_url: codex, project_name: name });
    fs.mkdirSync(path.dirname(path.join(dir, link)), { recursive: true });
    fs.symlinkSync(path.join(victim, 'bashrc'), path.join(dir, link));
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '-m', 'a link'], env);
    return dir;
  };
  const codeConfig = (name) =>
    repo(name, null, { '.codexrc.cjs': `require('node:fs').writeFileSync(process.env.CODEX_TEST_MARKER || '/dev/null', 'ran');\nmodule.exports = { codex_url: ${JSON.stringify(codex)} };\n` });
  const cases = [
    ['codex_url --upload-pack=… on status', ['status'], () => repo('a1', { codex_url: inject }), 2, /codex_url: starts with "-"/],
    ['codex_url --upload-pack=… on sync --dry-run', ['sync', '--dry-run', '--env', 'test'], () => repo('a2', { codex_url: inject }), 2, /codex_url/],
    ['codex_url -oProxyCommand=… on fetch', ['fetch', 'codex://acme/a3/docs/a.md'], () => repo('a3', { codex_url: '-oProxyCommand=touch "$CODEX_TEST_MARKER":x' }), 2, /codex_url/],
    ['codex_url ext::sh -c … (git refuses the ext transport)', ['sync', '--env', 'test'], () => repo('a4', { codex_url: 'ext::sh -c touch% "$CODEX_TEST_MARKER"' }), 1, /./],
    ['codex_url with a newline', ['sync', '--env', 'test'], () => repo('a5', { codex_url: `${codex}\n--upload-pack=x` }), 2, /control character/],
    ['environment branch "*" (a refspec pattern)', ['sync', '--env', 'test'], () => repo('a6', { codex_url: codex, environments: { test: { branch: '*' } } }), 2, /environments\.test\.branch/],
    ['environment branch "x@{1}"', ['status'], () => repo('a7', { codex_url: codex, environments: { test: { branch: 'x@{1}' } } }), 2, /environments\.test\.branch/],
    ['scp-like URL with a password', ['status', '--offline'], () => repo('a8', { codex_url: 'git:S3cr3tPw@codexhost:acme/codex.git' }), 0, /carries a password/],
    ['.husky/post-commit linked to ~/.bashrc: install', ['install'], () => linked('a9', '.husky/post-commit'), 2, /\.husky\/post-commit is a symbolic link/],
    ['.gitignore linked to ~/.bashrc: init', ['init', '--yes', '--codex', codex], () => linked('a10', '.gitignore'), 2, /\.gitignore is a symbolic link/],
    ['a code config in a folder given --codex: fetch', ['fetch', 'codex://acme/shared/guide.md', '--codex', codex], () => codeConfig('a11'), 0, /not run/],
    ['CODEX_HOOKS_TIMEOUT=2147484', ['sync', '--env', 'test'], () => repo('a12', { codex_url: codex }), 2, /CODEX_HOOKS_TIMEOUT/, { CODEX_HOOKS_TIMEOUT: '2147484' }],
  ];
  for (const [name, args, make, code, pattern, extra] of cases) {
    await scenario(`${name}: exit ${code}, nothing run or written outside`, async () => {
      const dir = make();
      const before = snapshot(victim);
      const r = await cli(args, { cwd: dir, env: { ...env, ...extra } });
      check(r.code === code, `exit ${r.code}: ${r.stdout}${r.stderr}`);
      check(pattern.test(r.stdout + r.stderr), `no ${pattern}: ${r.stderr}`);
      check(!/unexpected error/.test(r.stderr), r.stderr);
      check(!/S3cr3tPw/.test(r.stdout + r.stderr), 'a password was shown');
      check(!fs.existsSync(marker), 'a command ran');
      check(JSON.stringify(snapshot(victim)) === JSON.stringify(before), 'written through a link');
    });
  }
  await scenario('sync-org over planted checkouts (code config, option-like URL, another host for CODEX_TOKEN): the rest sync, nothing runs', async () => {
    const root = tmpdir('org-root-');
    const place = (dir) => fs.renameSync(dir, path.join(root, path.basename(dir)));
    place(repo('good', { codex_url: codex, project_name: 'good' }));
    place(codeConfig('code'));
    place(repo('inject', { codex_url: inject, project_name: 'inject' }));
    place(repo('elsewhere', { codex_url: 'https://127.0.0.1:9/codex.git', project_name: 'elsewhere' }));
    const r = await cli(['sync-org', '--env', 'test', '--root', root], { cwd: root, env: { ...env, CODEX_TOKEN: 'tok-en-for-nobody', CODEX_HOOKS_TIMEOUT: '10' } });
    check(r.code === 1, `exit ${r.code}: ${r.stderr}`);
    check('projects/good/docs/a.md' in codexFiles(codex, 'test', env), 'the good checkout did not land');
    check(/CODEX_TOKEN_HOST/.test(r.stdout + r.stderr) && !/unexpected error/.test(r.stderr), r.stderr);
    check(!fs.existsSync(marker), 'a command ran');
  });
  await scenario('a push next to a hostile config lands: the hook refuses the config, git goes on (time and peak memory printed)', async () => {
    const penv = isolatedEnv({ CODEX_TEST_MARKER: marker });
    const p = e2eProject(penv, { config: { codex_url: inject, hooks: { post_commit: 'foreground' } } });
    check((await run(p.bin, ['install'], { cwd: p.dir, env: penv })).code === 0, 'install');
    git(p.dir, ['checkout', '-q', '-b', 'feat'], penv);
    commit(p.dir, penv, { 'docs/b.md': 'b\n' });
    const timed = fs.existsSync('/usr/bin/time');
    const r = timed ? await run('/usr/bin/time', ['-v', 'git', 'push', 'origin', 'feat'], { cwd: p.dir, env: penv }) : await pushWithoutTerminal(p.dir, penv, ['origin', 'feat']);
    check(r.code === 0, `push failed: ${r.stderr}`);
    check(refOf(p.origin, 'feat', penv) === git(p.dir, ['rev-parse', 'HEAD'], penv), 'the push did not land');
    check(/codex_url/.test(r.stderr) && !fs.existsSync(marker), `ran, or no message: ${r.stderr}`);
    if (timed) {
      const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)/.exec(r.stderr)?.[1];
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
      process.stdout.write(`    (git push next to a hostile config: ${wall} wall, peak RSS ${Math.round(Number(rss) / 1024)} MB)\n`);
    }
  });
  cleanup();
}

section('Data safety: pull_dir spellings, user files, worktrees, concurrent pulls, secrets in any case');
{
  const outside = (dir, pullDir = '.codex') => snapshot(dir, { skip: [pullDir, '.git/codex-hooks', '.git/index', '.git/logs', '.git/worktrees'] });
  const sameTree = (a, b, what) => check(JSON.stringify(a) === JSON.stringify(b), `${what}: the project changed outside pull_dir`);
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const base = project(env, codex, 'safe', { 'docs/intro.md': '# Intro\n', 'docs/draft.md': 'draft\n', 'README.md': '# R\n' }, { sync_direction: 'bidirectional' });
  for (const pullDir of ['./', './/', '.', 'x/../', './x/../', 'x/..//', '', '  ', '/tmp', '../out', '..', '.git', '.GIT', '.Git/hooks', 'a/.gIt', 'docs', 'docs/pulled', 'Docs', './docs/', 'README.md']) {
    await scenario(`pull_dir ${JSON.stringify(pullDir)}: refused (exit 2) before anything is touched`, async () => {
      writeConfig(base, { codex_url: codex, project_name: 'safe', pull_dir: pullDir });
      const before = snapshot(base);
      const r = await cli(['sync'], { cwd: base, env });
      check(r.code === 2 && /pull_dir/.test(r.stderr) && !/unexpected/i.test(r.stderr), `exit ${r.code}: ${r.stderr}`);
      sameTree(snapshot(base), before, pullDir);
    });
  }
  git(base, ['checkout', '--', '.codexrc.json'], env);
  await scenario('user files in pull_dir are kept through pulls and codex removals; the colliding codex file is skipped', async () => {
    writeFiles(base, { '.codex/mine.md': 'mine\n', '.codex/shared/guide.md': 'my guide\n', '.codex/notes/a.md': 'a\n' });
    const before = outside(base);
    for (let i = 0; i < 3; i++) {
      const r = await cli(['sync'], { cwd: base, env });
      check(r.code === 0 && !/unexpected/i.test(r.stderr), r.stderr);
      if (i === 0) check(r.stderr.includes('.codex/shared/guide.md'), `the kept file is not named: ${r.stderr}`);
    }
    check(fs.readFileSync(path.join(base, '.codex/shared/guide.md'), 'utf8') === 'my guide\n', 'user file overwritten');
    check(fs.readFileSync(path.join(base, '.codex/mine.md'), 'utf8') === 'mine\n', 'user file removed');
    check(fs.existsSync(path.join(base, '.codex/notes/a.md')), 'user folder removed');
    sameTree(outside(base), before, 'user files');
  });
  await scenario('three linked worktrees each get the codex change', async () => {
    const wts = [1, 2, 3].map((i) => {
      const wt = path.join(tmpdir(), `wt${i}`);
      git(base, ['worktree', 'add', '-q', '-b', `feat-wt${i}`, wt], env);
      return wt;
    });
    for (const wt of wts) check((await cli(['sync'], { cwd: wt, env })).code === 0, 'first sync');
    commitToCodex(codex, env, { 'shared/guide.md': '# Guide v2\n' });
    for (const wt of wts) check((await cli(['sync'], { cwd: wt, env })).code === 0, 'second sync');
    for (const wt of wts) check(fs.readFileSync(path.join(wt, '.codex/shared/guide.md'), 'utf8') === '# Guide v2\n', `${wt} stayed stale`);
  });
  await scenario('5 rounds of 3 pulls of one project at once: all succeed, the pull is complete', async () => {
    const many = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`shared/many/d${i}.md`, `${i}\n`]));
    const e2 = isolatedEnv();
    const c2 = makeCodex(e2, many);
    const dir = project(e2, c2, 'conc', { 'docs/a.md': 'a\n' }, { sync_direction: 'from-codex' });
    for (let round = 0; round < 5; round++) {
      fs.rmSync(path.join(dir, '.codex'), { recursive: true, force: true });
      fs.rmSync(path.join(dir, '.git/codex-hooks'), { recursive: true, force: true });
      const rs = await Promise.all([0, 1, 2].map(() => cli(['sync'], { cwd: dir, env: e2 })));
      rs.forEach((r) => check(r.code === 0, `round ${round}: ${r.stderr}`));
      check(fs.readdirSync(path.join(dir, '.codex/shared/many')).length === 300, `round ${round}: incomplete pull`);
    }
  });
  await scenario('every default deny pattern, in lower, UPPER and Mixed case: none reaches the codex', async () => {
    const { DEFAULT_DENY_PATTERNS } = await import('../../dist/config/defaults.js');
    const e2 = isolatedEnv();
    const c2 = makeCodex(e2);
    const names = [];
    for (const pattern of DEFAULT_DENY_PATTERNS) {
      const name = pattern.replace('**/', '').replace(/\*/g, 'x');
      const mixed = name.replace(/[a-z]/g, (ch, i) => (i % 2 ? ch.toUpperCase() : ch));
      for (const variant of new Set([name, name.toUpperCase(), mixed])) names.push(`docs/${variant}`);
    }
    const dir = project(e2, c2, 'secrets', Object.fromEntries([...names.map((n) => [n, 'SECRET=1\n']), ['docs/ok.md', 'ok\n']]), { sync_patterns: ['docs/**'] });
    const r = await cli(['sync'], { cwd: dir, env: e2 });
    check(r.code === 0, r.stderr);
    const files = codexFiles(c2, 'test', e2);
    check(files['projects/secrets/docs/ok.md'] === 'ok', 'ok.md missing');
    const leaked = Object.keys(files).filter((p) => p.startsWith('projects/secrets/') && !p.endsWith('/ok.md'));
    check(leaked.length === 0, `leaked: ${leaked.join(', ')}`);
    process.stdout.write(`    (${names.length} case variants of ${DEFAULT_DENY_PATTERNS.length} deny patterns)\n`);
  });
  cleanup();
}

section('Hostile codex: each bad file skipped with a warning, the rest pulled, nothing outside pull_dir touched');
{
  const NAME = 'victim-project-with-a-long-name';
  const routed = `---\ncodex_sync_include: ["${NAME}"]\n---\n# for us\n`;
  const hostile = {
    'alias bomb in front matter': { notes: { 'bomb.md': aliasBomb() } },
    'extglob and star bombs in routing globs': { notes: { 'globs.md': globBomb() } },
    'front matter over 64 KiB': { notes: { 'big-fm.md': `---\ncodex_sync_include: ["${NAME}"]\npad: "${'p'.repeat(70_000)}"\n---\n` } },
    'a name over 255 bytes': { shared: { ['n'.repeat(300) + '.md']: 'long\n' } },
    'a file and a folder of one name': { shared: { dup: [['same', 'file\n'], ['same', { inner: 'folder\n' }]] } },
    'pulled files over max_file_size': { shared: { 'huge-1.md': 'x'.repeat(3_000_000), 'huge-2.md': 'y'.repeat(3_000_000) } },
    'a planted git directory': { shared: { evil: { HEAD: 'ref: refs/heads/main\n', config: '[core]\n\tpager = touch /tmp/codex-hooks-pwned\n', objects: { info: { packs: '\n' } }, refs: { heads: { main: '0'.repeat(40) + '\n' } } } } },
    'names git refuses (.GIT, git~1)': { shared: { '.GIT': { config: 'x\n' }, 'git~1': { config: 'x\n' } } },
  };
  const merge = (a, b) => {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = out[k] && !Array.isArray(v) && typeof v === 'object' && typeof out[k] === 'object' ? merge(out[k], v) : v;
    return out;
  };
  const seed = { shared: { 'guide.md': '# Guide\n' }, notes: { 'routed.md': routed } };
  const pulledOk = (dir) => fs.readFileSync(path.join(dir, '.codex/shared/guide.md'), 'utf8') === '# Guide\n' && fs.readFileSync(path.join(dir, '.codex/notes/routed.md'), 'utf8') === routed;
  for (const [name, spec] of Object.entries(hostile)) {
    await scenario(`${name}: sync exits 0, the rest is pulled`, async () => {
      const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '60' });
      const codex = makeCodex(env);
      commitTree(codex, env, 'test', merge(seed, spec));
      const dir = project(env, codex, NAME, { 'docs/a.md': 'a\n' }, { sync_direction: 'bidirectional', max_file_size: 1_000_000 });
      const before = snapshot(dir, { skip: ['.codex', '.git/codex-hooks', '.git/index', '.git/logs'] });
      const r = await cli(['sync'], { cwd: dir, env });
      check(r.code === 0 && !/unexpected/i.test(r.stderr), `exit ${r.code}: ${r.stderr}`);
      check(pulledOk(dir), 'the good files were not pulled');
      check(JSON.stringify(snapshot(dir, { skip: ['.codex', '.git/codex-hooks', '.git/index', '.git/logs'] })) === JSON.stringify(before), 'changed outside pull_dir');
      check(!fs.existsSync('/tmp/codex-hooks-pwned'), 'codex content ran');
    });
  }
  await scenario('control characters in codex trailers: status shows them escaped', async () => {
    const env = isolatedEnv();
    const codex = makeCodex(env);
    const dir = project(env, codex, NAME, { 'docs/a.md': 'a\n' });
    check((await cli(['sync'], { cwd: dir, env })).code === 0, 'sync');
    const tip = refOf(codex, 'test', env);
    const spoof = git(codex, ['commit-tree', `${tip}^{tree}`, '-p', tip], env, `x\n\nCodex-Project: ${NAME}\nCodex-Source-Commit: ${'b'.repeat(40)}\nCodex-Source-Branch: \u001b[2J\u001b[Hmain\nCodex-Env: test\n`);
    git(codex, ['update-ref', 'refs/heads/test', spoof], env);
    check((await cli(['sync'], { cwd: dir, env })).code === 0, 'second sync');
    const r = await cli(['status'], { cwd: dir, env });
    check(r.code === 0 && !r.stdout.includes('\u001b') && r.stdout.includes('\\x1b[2J'), `raw escape shown: ${JSON.stringify(r.stdout)}`);
  });
  await scenario('a codex that accepts the connection and never answers: the push goes on within CODEX_HOOKS_TIMEOUT, the request is kept', async () => {
    const net = await import('node:net');
    const held = [];
    const server = net.createServer((socket) => held.push(socket)); // accepts, never replies
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '3' });
      const p = e2eProject(env, { config: { codex_url: `http://127.0.0.1:${server.address().port}/codex.git` } });
      check((await run(p.bin, ['install'], { cwd: p.dir, env })).code === 0, 'install');
      git(p.dir, ['checkout', '-q', '-b', 'feat'], env);
      const before = snapshot(p.dir, { skip: ['.codex', '.git'] });
      const r = await pushWithoutTerminal(p.dir, env, ['origin', 'feat']);
      check(r.code === 0, `push failed: ${r.stderr}`);
      check(/timed out|CODEX_HOOKS_TIMEOUT/.test(r.stderr) && /kept/.test(r.stderr) && !/unexpected/i.test(r.stderr), `unclear message: ${r.stderr}`);
      check(JSON.stringify(snapshot(p.dir, { skip: ['.codex', '.git'] })) === JSON.stringify(before), 'changed outside pull_dir');
    } finally {
      held.forEach((s) => s.destroy());
      server.close();
    }
  });
  await scenario('all hostile files at once, through a real git push: the push goes on, time and peak memory printed', async () => {
    const env = isolatedEnv();
    const p = e2eProject(env, { config: { project_name: NAME, max_file_size: 1_000_000 } });
    let all = seed;
    for (const spec of Object.values(hostile)) all = merge(all, spec);
    commitTree(p.codex, env, 'test', all);
    check((await run(p.bin, ['install'], { cwd: p.dir, env })).code === 0, 'install');
    git(p.dir, ['checkout', '-q', '-b', 'feat'], env);
    const timed = fs.existsSync('/usr/bin/time');
    const args = ['push', 'origin', 'feat'];
    const r = timed ? await run('/usr/bin/time', ['-v', 'git', ...args], { cwd: p.dir, env }) : await pushWithoutTerminal(p.dir, env, args);
    check(r.code === 0, `push failed: ${r.stderr}`);
    check(!/unexpected/i.test(r.stderr), r.stderr);
    check(pulledOk(p.dir), 'the good files were not pulled');
    if (timed) {
      const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)/.exec(r.stderr)?.[1];
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
      process.stdout.write(`    (git push with every hostile file: ${wall} wall, peak RSS ${Math.round(Number(rss) / 1024)} MB)\n`);
    }
  });
  cleanup();
}

// ---------------------------------------------------------------------------------------------------------
section('Hostile codex tree: a tree bomb, 100,000 identical files, a symlink farm; a push next to each still lands');
{
  /** The codex's test branch gets `shared/<name>` = `tree`; then a real git push: time, peak memory, what landed. */
  const pushNextTo = async (label, build) => {
    const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '120' });
    const p = e2eProject(env);
    const tree = build(p.codex, env);
    const shared = git(p.codex, ['mktree', '-z'], env, git(p.codex, ['ls-tree', '-z', 'test:shared'], env) + `040000 tree ${tree}\thostile\0`);
    commitWithTrees(p.codex, env, 'test', { shared }, label);
    check((await run(p.bin, ['install'], { cwd: p.dir, env })).code === 0, 'install');
    git(p.dir, ['checkout', '-q', '-b', 'feat'], env);
    commit(p.dir, env, { 'docs/next.md': `# pushed next to ${label}\n` });
    const timed = fs.existsSync('/usr/bin/time');
    const args = ['push', 'origin', 'feat'];
    const r = timed ? await run('/usr/bin/time', ['-v', 'git', ...args], { cwd: p.dir, env, timeoutMs: 300_000 }) : await pushWithoutTerminal(p.dir, env, args);
    check(r.code === 0, `push failed: ${r.stderr.slice(-2000)}`);
    check(!/unexpected|heap out of memory/i.test(r.stderr), r.stderr.slice(-2000));
    check(refOf(p.origin, 'feat', env) === git(p.dir, ['rev-parse', 'HEAD'], env), 'the push did not land on origin');
    check(git(p.codex, ['cat-file', 'blob', 'test:projects/api/docs/next.md'], env) === `# pushed next to ${label}`, 'the docs did not land in the codex');
    check(fs.readFileSync(path.join(p.dir, '.codex/shared/guide.md'), 'utf8') === '# Shared guide\n', 'shared/guide.md was not pulled');
    if (timed) {
      const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)/.exec(r.stderr)?.[1];
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
      process.stdout.write(`    (git push next to ${label}: ${wall} wall, peak RSS ${Math.round(Number(rss) / 1024)} MB)\n`);
    }
    return { env, p, stderr: r.stderr };
  };
  await scenario('a tree bomb (64⁵ paths from 6 objects): skipped with a warning naming it', async () => {
    const { p, stderr } = await pushNextTo('a tree bomb', (codex, env) => treeBomb(codex, env, { fanout: 64, depth: 4, content: '---\ncodex_sync_include: ["*"]\n---\n' }));
    check(/shared\/hostile/.test(stderr), 'the warning does not name the bomb');
    check(!fs.existsSync(path.join(p.dir, '.codex/shared/hostile')), 'the bomb was pulled');
    cleanup();
  });
  const identical = QUICK ? 20_000 : 100_000;
  await scenario(`${identical.toLocaleString('en-US')} identical files: all pulled`, async () => {
    const { p } = await pushNextTo(`${identical} identical files`, (codex, env) => {
      const blob = git(codex, ['hash-object', '-w', '--stdin'], env, '# the same\n');
      const per = 1000;
      const leaf = (i) => git(codex, ['mktree', '-z'], env, Array.from({ length: per }, (_, k) => `100644 blob ${blob}\tf${i * per + k}.md\0`).join(''));
      return git(codex, ['mktree', '-z'], env, Array.from({ length: identical / per }, (_, i) => `040000 tree ${leaf(i)}\td${i}\0`).join(''));
    });
    const pulled = fs.readdirSync(path.join(p.dir, '.codex/shared/hostile')).reduce((n, d) => n + fs.readdirSync(path.join(p.dir, '.codex/shared/hostile', d)).length, 0);
    check(pulled === identical, `${pulled} of ${identical} pulled`);
    cleanup();
  });
  const links = QUICK ? 2_000 : 10_000;
  await scenario(`a symlink farm (${links.toLocaleString('en-US')} links, most leading out of pull_dir): only the links inside are made`, async () => {
    const { p } = await pushNextTo('a symlink farm', (codex, env) => {
      const targets = ['/etc/passwd', '../../../../../.ssh/id_ed25519', '../../../.git/config', '../guide.md'];
      const ids = targets.map((to) => git(codex, ['hash-object', '-w', '--stdin'], env, to));
      return git(codex, ['mktree', '-z'], env, Array.from({ length: links }, (_, i) => `120000 blob ${ids[i % ids.length]}\tl${i}\0`).join(''));
    });
    const made = fs.readdirSync(path.join(p.dir, '.codex/shared/hostile'));
    check(made.length === links / 4, `${made.length} links made, ${links / 4} expected`);
    check(made.every((l) => fs.readlinkSync(path.join(p.dir, '.codex/shared/hostile', l)) === '../guide.md'), 'a link leading out was made');
    cleanup();
  });
}

// ---------------------------------------------------------------------------------------------------------
section('A team over time: the model-based property of test/team-model.test.js, longer');
{
  // the same property as in npm test, with more and longer histories; a failure prints its seed and shrunk history
  // --quick (CI): 4 histories of up to 20 steps, about 2 minutes on 2 cores; the full run: 40 of up to 24
  const runs = QUICK ? 4 : 40;
  const steps = QUICK ? 20 : 24;
  await scenario(`${runs} random team histories of up to ${steps} steps: codex test = the model after every write`, async () => {
    const r = await run(process.execPath, [path.join(path.dirname(BIN), '../test/team-model.test.js')], {
      // a seed of its own (not npm test's), the same on every run of the suite unless CODEX_HOOKS_MODEL_SEED says
      env: { CODEX_HOOKS_MODEL_SEED: '20261206', ...process.env, CODEX_HOOKS_MODEL_RUNS: String(runs), CODEX_HOOKS_MODEL_STEPS: String(steps), CODEX_HOOKS_MODEL_MS: String(QUICK ? 300_000 : 3_600_000) },
      timeoutMs: QUICK ? 420_000 : 4_000_000,
    });
    // the failure (seed, shrunk history, the first difference) is longer than the lines a scenario's error shows
    if (r.code !== 0) process.stdout.write(`${r.stdout}\n${r.stderr}`.trim().split('\n').filter((l) => !/^\s+at /.test(l)).slice(0, 80).map((l) => `    ${l}\n`).join(''));
    check(r.code === 0, 'the model and the codex differ: the seed and the shrunk history are above');
    process.stdout.write(`    (${/team-model: (.*)/.exec(r.stdout)?.[1] ?? 'no summary'})\n`);
  });
  cleanup();
}

section('The remembered merge base against git: the property of test/merge-base.test.js, longer');
{
  const runs = QUICK ? 150 : 1000;
  await scenario(`${runs} random histories (lanes, merges, repacks), queried as pushes would: always one of git's merge bases`, async () => {
    const r = await run(process.execPath, [path.join(path.dirname(BIN), '../test/merge-base.test.js')], {
      env: { CODEX_HOOKS_MB_SEED: '20261207', ...process.env, CODEX_HOOKS_MB_RUNS: String(runs) },
      timeoutMs: 600_000,
    });
    if (r.code !== 0) process.stdout.write(`${r.stdout}\n${r.stderr}`.trim().split('\n').filter((l) => !/^\s+at /.test(l)).slice(0, 40).map((l) => `    ${l}\n`).join(''));
    check(r.code === 0, 'an answer differs from git: the counterexample is above');
    process.stdout.write(`    (${/merge-base: (.*)/.exec(r.stdout)?.[1] ?? 'no summary'})\n`);
  });
  cleanup();
}

section('MCP over HTTP: many agents at once on loopback (design §8)');
{
  const clients = 50;
  const calls = QUICK ? 40 : 100;
  await scenario(`${clients} concurrent clients × ${calls} calls (fetch, search, list) to codex-hooks mcp --http: no error, p50/p95 printed`, async () => {
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const env = isolatedEnv({ CODEX_MCP_TOKEN: 'load-test-token' });
    const files = {};
    for (let i = 0; i < 300; i++) files[`projects/p${i % 10}/docs/d${i}.md`] = `# Doc ${i}\n\nrate limits and quotas ${i % 7}\nsection ${i}\n`;
    const bare = makeCodex(env, files, ['main']);
    const folder = tmpdir('load-');
    writeConfig(folder, { codex_url: bare, organization: 'acme' });
    const child = spawn(process.execPath, [BIN, 'mcp', '--http', '127.0.0.1:0'], { cwd: folder, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const exited = new Promise((r) => child.on('close', (code) => r(code)));
    try {
      const url = await new Promise((resolve, reject) => {
        child.stderr.on('data', (d) => {
          stderr += d;
          const m = /listening on (\S+\/mcp)/.exec(stderr);
          if (m) resolve(m[1]);
        });
        exited.then((code) => reject(new Error(`exited ${code}: ${stderr}`)));
      });
      const connect = async () => {
        const client = new Client({ name: 'load', version: '1' });
        await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: 'Bearer load-test-token' } } }));
        return client;
      };
      const first = await connect();
      for (let i = 0; i < 400; i++) {
        const r = await first.callTool({ name: 'codex_search', arguments: { query: 'rate limits' } });
        if (r.structuredContent?.source === 'index') break;
        await new Promise((res) => setTimeout(res, 50));
      }
      await first.close();
      const times = [];
      let errors = 0;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          const client = await connect();
          for (let i = 0; i < calls; i++) {
            const n = (c * calls + i) % 300;
            const [name, args] = [
              ['codex_fetch', { uri: `codex://acme/p${n % 10}/docs/d${n}.md` }],
              ['codex_search', { query: `quotas section ${n}`, limit: 5 }],
              ['codex_list', { uri: `codex://acme/p${n % 10}/` }],
            ][i % 3];
            const t = performance.now();
            try {
              const r = await client.callTool({ name, arguments: args }, undefined, { timeout: 30_000 });
              if (r.isError) errors++;
            } catch {
              errors++;
            }
            times.push(performance.now() - t);
          }
          await client.close();
        }),
      );
      times.sort((a, b) => a - b);
      const pct = (p) => times[Math.min(times.length - 1, Math.floor(times.length * p))].toFixed(1);
      process.stdout.write(`    (${times.length} calls in ${((Date.now() - started) / 1000).toFixed(1)} s: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, ${errors} errors)\n`);
      check(errors === 0, `${errors} calls failed`);
      check(times.length === clients * calls, `${times.length} calls answered`);
      child.kill('SIGTERM');
      check((await exited) === 0, `the server did not drain and exit 0: ${stderr.slice(-500)}`);
      check(!/unexpected error/.test(stderr), stderr.slice(-2000));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
  cleanup();
}

process.stdout.write(`\n${failures.length ? `failed: ${failures.join('; ')}\n` : ''}${passed} passed, ${failed} failed\n`);
process.exitCode = failed ? 1 : 0;
