// fractary's current config, `.fractary/config.yaml` section `codex:`, read as it is (design §2): the
// translation of its keys and of its `${VAR}`s (pure, with a property), then real projects whose origin
// is a GitHub URL, syncing through `url.<base>.insteadOf` to a local bare codex, and a codex served over
// Smart HTTP that only lets the token of `remotes.<org>/<repo>.token` in.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { adaptFractary, codexPattern, deriveCodexUrl } from '../dist/config/fractary.js';
import { expandVars, parseTemplate, evaluate, hasLiteral } from '../dist/config/expand.js';
import { ROOT, cleanup, cli, codexFiles, commit, git, isolatedEnv, makeCodex, makeRepo, tmpdir, writeConfig } from './helpers.js';
import { startHttpCodex } from './servers.js';
import { packedCli, packedInstall, pushWithoutTerminal } from './e2e-helpers.js';

const t = suite('fractary');
t.after.each(cleanup);

const FIXTURE = path.join(ROOT, 'test/fixtures/fractary-config.yaml');
const FILE = '.fractary/config.yaml';

t('the codex URL is derived in the kind of origin: ssh stays ssh, https stays https, the host is kept, no credentials', () => {
  const table = [
    ['git@github.com:acme/api.git', 'git@github.com:acme/codex.acme.com.git'],
    ['github.com:acme/api', 'github.com:acme/codex.acme.com.git'],
    ['ssh://git@github.com/acme/api.git', 'ssh://git@github.com/acme/codex.acme.com.git'],
    ['ssh://git:secret@ghe.example.com:2222/acme/api.git', 'ssh://git@ghe.example.com:2222/acme/codex.acme.com.git'],
    ['https://github.com/acme/api.git', 'https://github.com/acme/codex.acme.com.git'],
    ['https://x-access-token:ghp_abc@github.com/other/api', 'https://github.com/acme/codex.acme.com.git'],
    ['https://ghe.example.com/acme/api.git', 'https://ghe.example.com/acme/codex.acme.com.git'],
    ['https://ghe.example.com/git/acme/api.git', 'https://ghe.example.com/git/acme/codex.acme.com.git'],
    ['http://127.0.0.1:8080/acme/api.git', 'http://127.0.0.1:8080/acme/codex.acme.com.git'],
    ['/srv/git/api.git', 'https://github.com/acme/codex.acme.com.git'],
    [undefined, 'https://github.com/acme/codex.acme.com.git'],
  ];
  for (const [origin, want] of table) assert.is(deriveCodexUrl(origin, 'acme', 'codex.acme.com'), want, String(origin));
});

t('from_codex URIs become codex paths: the codex repository\'s own files at its root, a project\'s under projects/', () => {
  const names = { org: 'acme', codexRepo: 'codex.acme.com', project: 'api' };
  const cases = [
    ['codex://{org}/{codex_repo}/docs/**', 'docs/**'],
    ['codex://acme/codex.acme.com/standards/', 'standards/**'],
    ['codex://{org}/{codex_repo}', '**'],
    ['codex://{org}/billing/docs/**', 'projects/billing/docs/**'],
    ['codex://{org}/{project}/**', 'projects/api/**'],
    ['codex://{org}/*/specs/*.md', 'projects/*/specs/*.md'],
    ['shared/**', 'shared/**'],
  ];
  for (const [entry, want] of cases) assert.equal(codexPattern(entry, names), { pattern: want }, entry);
  // an exclude without a URI matches at any depth
  assert.equal(codexPattern('_archive/**', names, 'exclude'), { pattern: '**/_archive/**' });
  assert.equal(codexPattern('codex://{org}/{codex_repo}/_archive/**', names, 'exclude'), { pattern: '_archive/**' });
  assert.match(codexPattern('codex://other-org/x/**', names).problem, /other-org/);
  assert.match(codexPattern('codex://{org}/../x', names).problem, /codex path/);
  assert.match(codexPattern('codex://{org}/{codex_repo}/x', { org: 'acme' }).problem, /codex\.codex_repo/);
});

t('the section in codex-hooks\' keys: environments with production/develop as prod/dev, the token as written', () => {
  const file = { codex: { schema_version: '2.0', organization: 'acme', project: 'api', codex_repo: 'codex.acme.com', remotes: { 'ACME/codex.acme.com': { token: '${GH_PAT:-${GITHUB_TOKEN}}' }, 'acme/other': { token: 'x' } }, sync: { to_codex: ['docs/**'], from_codex: { include: ['codex://{org}/{codex_repo}/docs/**'], exclude: ['drafts/**'] }, environments: { production: 'main', develop: { branch: 'dev-docs' }, qa: 'qa' } }, unknown_later_key: true } };
  const r = adaptFractary(file.codex, 'git@github.com:acme/api.git', undefined);
  assert.equal(r.problems, []);
  assert.equal(r.config, {
    organization: 'acme',
    project_name: 'api',
    codex_repo: 'codex.acme.com',
    codex_url: 'git@github.com:acme/codex.acme.com.git',
    sync_patterns: ['docs/**'],
    from_codex_patterns: ['docs/**'],
    from_codex_exclude_patterns: ['**/drafts/**'],
    environments: { prod: { branch: 'main' }, dev: { branch: 'dev-docs' }, qa: { branch: 'qa' } },
  });
  assert.is(r.tokenTemplate, '${GH_PAT:-${GITHUB_TOKEN}}');
  assert.is(r.codexUrl, 'git@github.com:acme/codex.acme.com.git');
  // problems name fractary's key paths
  const bad = adaptFractary({ organization: 5, sync: { environments: { production: 'main', prod: 'main', QA: 'qa' }, to_codex: 'docs/**' } }, undefined, 'api');
  assert.ok(bad.problems.some((p) => /^codex\.organization: expected a string/.test(p)), bad.problems.join('\n'));
  assert.ok(bad.problems.some((p) => /^codex\.sync\.to_codex/.test(p)), bad.problems.join('\n'));
  const envs = adaptFractary({ sync: { environments: { production: 'main', prod: 'main', QA: 'qa' } } }, undefined, 'api');
  assert.ok(envs.problems.some((p) => /codex\.sync\.environments\.prod: "production" already names the prod environment/.test(p)), envs.problems.join('\n'));
  assert.ok(envs.problems.some((p) => /codex\.sync\.environments\.QA: environment names must match/.test(p)), envs.problems.join('\n'));
});

t('${VAR} and ${VAR:-default}: the shell\'s meaning, a value is never expanded again, anything else stays as written', () => {
  const env = { A: 'alpha', EMPTY: '', NESTED: '${A}' };
  const look = (n) => env[n];
  const cases = [
    ['${A}', 'alpha'],
    ['x${A}y', 'xalphay'],
    ['${MISSING}', ''],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${A:-fallback}', 'alpha'],
    ['${MISSING:-${A}}', 'alpha'],
    ['${NESTED}', '${A}'],
    ['$A', '$A'],
    ['${A', '${A'],
    ['${1A}', '${1A}'],
    ['${MISSING:-unclosed', '${MISSING:-unclosed'],
    ['plain token', 'plain token'],
  ];
  for (const [template, want] of cases) assert.is(expandVars(template, look), want, template);
  assert.is(hasLiteral(parseTemplate('${GITHUB_TOKEN}')), false);
  assert.is(hasLiteral(parseTemplate('${GH:-${GITHUB_TOKEN}}')), false);
  assert.is(hasLiteral(parseTemplate('ghp_abc')), true);
  assert.is(hasLiteral(parseTemplate('${GH:-ghp_abc}')), true);
});

// A template built from parts, written out, expands to what the parts mean: the reading and the
// meaning agree for every mix of text, `${VAR}` and nested `${VAR:-…}` (seeded, bounded).
t('property: expanding a written template gives what its parts mean; text without ${ is unchanged; nothing throws', () => {
  const names = fc.constantFrom('A', 'B', 'EMPTY', 'UNSET', '_X1');
  const text = fc.string({ maxLength: 8 }).map((s) => s.replace(/\$/g, '').replace(/[{}]/g, ''));
  const { tree } = fc.letrec((tie) => ({
    part: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text.map((s) => ({ text: s })), names.map((name) => ({ name })), fc.record({ name: names, fallback: tie('tree') })),
    tree: fc.array(tie('part'), { maxLength: 4 }),
  }));
  const write = (parts) => parts.map((p) => ('text' in p ? p.text : p.fallback ? `\${${p.name}:-${write(p.fallback)}}` : `\${${p.name}}`)).join('');
  const depth = (parts) => Math.max(0, ...parts.map((p) => (p.fallback ? 1 + depth(p.fallback) : 0)));
  const values = fc.record({ A: fc.string({ maxLength: 6 }), B: fc.constant('${A}'), EMPTY: fc.constant('') });
  fc.assert(
    fc.property(tree, values, (parts, vals) => {
      fc.pre(depth(parts) < 8);
      const look = (n) => vals[n];
      assert.is(expandVars(write(parts), look), evaluate(parts, look));
    }),
    { seed: 20261206, numRuns: 400 },
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (s) => {
      const out = expandVars(s, () => 'V');
      if (!s.includes('${')) assert.is(out, s);
    }),
    { seed: 7, numRuns: 400 },
  );
  // hostile nesting costs one pass: deep is bounded (no stack overflow), never closed is text as written
  const deep = '${U:-'.repeat(20000) + 'x' + '}'.repeat(20000);
  assert.type(expandVars(deep, () => undefined), 'string');
  const open = '${U:-'.repeat(20000);
  assert.is(expandVars(open, () => undefined), open);
  assert.is(expandVars('${A:-x ${B:-y}', (n) => (n === 'B' ? 'b' : undefined)), '${A:-x b');
});

/** A project whose only codex config is fractary's file (the fixture), with `origin` as given. */
function fractaryProject(env, origin, edit = (text) => text) {
  const dir = makeRepo(env, { 'docs/intro.md': '# Intro\n', 'docs/private/secret-plan.md': 'no\n', 'README.md': '# API\n', 'notes.md': 'not synced\n' }, 'api');
  fs.mkdirSync(path.join(dir, '.fractary'), { recursive: true });
  fs.writeFileSync(path.join(dir, FILE), edit(fs.readFileSync(FIXTURE, 'utf8')));
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'fractary config'], env);
  git(dir, ['remote', 'add', 'origin', origin], env);
  return dir;
}

const CODEX_FILES = {
  'standards/style.md': '# Style\n',
  'standards/_archive/old.md': 'old\n',
  'projects/billing/docs/api.md': '# Billing\n',
  'projects/billing/other.md': 'not pulled\n',
  'elsewhere/x.md': 'not pulled\n',
};

for (const [kind, origin, base] of [
  ['ssh', 'git@github.com:acme/api.git', 'git@github.com:acme/'],
  ['https', 'https://github.com/acme/api.git', 'https://github.com/acme/'],
]) {
  t(`.fractary/config.yaml with an ${kind} origin: the derived GitHub URL is redirected by url.insteadOf to a local codex, through real git`, async () => {
    const env = isolatedEnv();
    const codex = makeCodex(env, CODEX_FILES);
    const home = path.dirname(codex);
    fs.renameSync(codex, path.join(home, 'codex.acme.com.git'));
    git(home, ['config', '--global', `url.${home}/.insteadOf`, base], env);
    const dir = fractaryProject(env, origin);
    const before = fs.readFileSync(path.join(dir, FILE));

    const status = JSON.parse((await cli(['status', '--offline', '--json'], { cwd: dir, env })).stdout);
    assert.is(status.configFile, path.join(dir, FILE));
    assert.equal(status.configFiles, [path.join(dir, FILE)]);
    assert.is(status.project, 'api');
    assert.is(status.codexUrl, `${base}codex.acme.com.git`);
    const shown = await cli(['status', '--offline'], { cwd: dir, env });
    assert.match(shown.stdout, /config:\s+\S*\.fractary\/config\.yaml/);

    const r = await cli(['sync', '--env', 'test'], { cwd: dir, env });
    assert.is(r.code, 0, r.stderr + r.stdout);
    const test = codexFiles(path.join(home, 'codex.acme.com.git'), 'test', env);
    assert.equal(Object.keys(test).filter((f) => f.startsWith('projects/api/')).sort(), ['projects/api/README.md', 'projects/api/docs/intro.md']);
    const pulled = fs.readdirSync(path.join(dir, '.codex'), { recursive: true }).filter((f) => fs.statSync(path.join(dir, '.codex', f)).isFile()).sort();
    assert.equal(pulled.filter((f) => !f.startsWith('.')), ['projects/billing/docs/api.md', 'standards/style.md']);
    // fractary's `production: main` is the prod environment; the file is never rewritten
    const prod = await cli(['sync', '--env', 'prod', '--dry-run', '--json'], { cwd: dir, env });
    assert.is(prod.code, 0, prod.stderr);
    assert.is(JSON.parse(prod.stdout).codexBranch, 'main');
    assert.ok(fs.readFileSync(path.join(dir, FILE)).equals(before));
  });
}

t('the token of remotes.<org>/<codex_repo> is expanded from .fractary/env/.env; a variable already set wins; it is never shown or kept', async () => {
  const env = isolatedEnv();
  const root = tmpdir('http-codex-');
  const seed = makeCodex(env, CODEX_FILES);
  fs.mkdirSync(path.join(root, 'acme'));
  git(root, ['clone', '-q', '--bare', seed, path.join(root, 'acme/codex.acme.com.git')], env);
  const token = 'tok-9f8e7d6c5b4a';
  const server = await startHttpCodex({ root, user: 'x-access-token', password: token });
  try {
    const dir = fractaryProject(env, server.url("acme/api.git"));
    fs.mkdirSync(path.join(dir, '.fractary/env'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.fractary/env/.env'), `# fractary's env file\nACME_CODEX_TOKEN="${token}"\n`);
    const envFile = fs.readFileSync(path.join(dir, '.fractary/env/.env'));

    const r = await cli(['sync', '--env', 'test'], { cwd: dir, env });
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.not.match(r.stdout + r.stderr, token);
    assert.ok(codexFiles(path.join(root, 'acme/codex.acme.com.git'), 'test', env)['projects/api/docs/intro.md'] !== undefined);
    assert.ok(fs.readFileSync(path.join(dir, '.fractary/env/.env')).equals(envFile));
    // nothing the sync kept (state, config cache, the codex cache's config) holds the token
    for (const folder of [path.join(dir, '.git'), env.CODEX_HOOKS_CACHE_DIR]) {
      for (const f of fs.readdirSync(folder, { recursive: true })) {
        const file = path.join(folder, f);
        if (fs.statSync(file).isFile() && fs.statSync(file).size < 1 << 20) assert.not.ok(fs.readFileSync(file, 'utf8').includes(token), file);
      }
    }
    // a variable set in the environment is never overridden by the .env file
    commit(dir, env, { 'docs/more.md': 'more\n' });
    const wrong = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, ACME_CODEX_TOKEN: 'not-the-token' } });
    assert.is(wrong.code, 1, wrong.stdout + wrong.stderr);
    assert.match(wrong.stderr, /AUTHENTICATION FAILED|authentication failed/i);
    assert.not.match(wrong.stderr, /not-the-token/);
  } finally {
    await server.stop();
  }
});

t('with a codex-hooks config too: its keys win, fractary\'s fill in the rest; init and status say which file was used', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env, CODEX_FILES);
  const dir = fractaryProject(env, 'git@github.com:acme/api.git');
  const before = fs.readFileSync(path.join(dir, FILE));
  const init = await cli(['init', '--yes'], { cwd: dir, env });
  assert.is(init.code, 0, init.stderr);
  assert.match(init.stdout + init.stderr, /using \.fractary\/config\.yaml \(codex:\) as it is, never rewritten: organization, project_name, codex_repo, codex_url, sync_patterns, exclude_patterns, from_codex_patterns, from_codex_exclude_patterns, environments/);
  const own = JSON.parse(fs.readFileSync(path.join(dir, '.codexrc.json'), 'utf8'));
  for (const key of ['organization', 'codex_url', 'project_name', 'sync_patterns', 'exclude_patterns', 'from_codex_patterns', 'environments']) assert.not.ok(key in own, key);
  assert.ok(own.hooks && own.pull_dir && own.deny_patterns);
  assert.ok(fs.readFileSync(path.join(dir, FILE)).equals(before));

  // the own file names another codex and one pattern: they win; fractary's environments and pull patterns stay
  writeConfig(dir, { ...own, codex_url: codex, sync_patterns: ['README.md'], environments: { test: { branch: 'main' } } });
  const status = JSON.parse((await cli(['status', '--offline', '--json'], { cwd: dir, env })).stdout);
  assert.equal(status.configFiles, [path.join(dir, '.codexrc.json'), path.join(dir, FILE)]);
  assert.is(status.codexUrl, codex);
  assert.match((await cli(['status', '--offline'], { cwd: dir, env })).stdout, /config:\s+\S*\.codexrc\.json \(over \S*\.fractary\/config\.yaml\)/);
  const r = await cli(['sync', '--env', 'dev', '--json'], { cwd: dir, env: { ...env, ACME_CODEX_TOKEN: 'must-not-matter' } });
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout);
  assert.is(doc.codexBranch, 'test'); // fractary's develop: test
  assert.equal(Object.keys(codexFiles(codex, 'test', env)).filter((f) => f.startsWith('projects/api/')), ['projects/api/README.md']);
});

t('a broken codex: section is a config error naming the file and fractary\'s key; a file without one is no config', async () => {
  const env = isolatedEnv();
  const dir = fractaryProject(env, 'git@github.com:acme/api.git', (text) => text.replace('organization: acme', 'organization: [acme]'));
  const r = await cli(['status', '--offline'], { cwd: dir, env });
  assert.is(r.code, 2);
  assert.match(r.stderr, /\.fractary\/config\.yaml/);
  assert.match(r.stderr, /codex\.organization: expected a string/);
  const other = fractaryProject(env, 'git@github.com:acme/api.git', (text) => text.slice(0, text.indexOf('\ncodex:')));
  const s = JSON.parse((await cli(['status', '--offline', '--json'], { cwd: other, env })).stdout);
  assert.is(s.configFile, null);
});

t('fetch outside a checkout reads the codex that fractary\'s file names (GitHub over https: no origin to follow)', async () => {
  const env = isolatedEnv();
  const base = tmpdir('github-');
  fs.renameSync(makeCodex(env, CODEX_FILES), path.join(base, 'codex.acme.com.git'));
  git(base, ['config', '--global', `url.${base}/.insteadOf`, 'https://github.com/acme/'], env);
  const dir = tmpdir('not-a-checkout-');
  fs.mkdirSync(path.join(dir, '.fractary'));
  fs.copyFileSync(FIXTURE, path.join(dir, FILE));
  const r = await cli(['fetch', 'codex://acme/billing/docs/api.md'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '# Billing\n');
});

t('through the packed package and a real git push: origin and codex are GitHub URLs that url.insteadOf sends to local repositories', async () => {
  const env = isolatedEnv();
  const base = tmpdir('github-');
  git(base, ['init', '-q', '--bare', path.join(base, 'api.git')], env);
  fs.renameSync(makeCodex(env, CODEX_FILES), path.join(base, 'codex.acme.com.git'));
  git(base, ['config', '--global', `url.${base}/.insteadOf`, 'git@github.com:acme/'], env);
  const dir = fractaryProject(env, 'git@github.com:acme/api.git');
  fs.symlinkSync(packedInstall(), path.join(dir, 'node_modules'));
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'api', version: '1.0.0' }, null, 2) + '\n');
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\n.codex/\n');
  // our own keys in our own file; everything about the codex comes from fractary's
  writeConfig(dir, { hooks: { post_commit: 'off' } });
  commit(dir, env, {}, 'codex-hooks');
  const installed = await cli(['install'], { cwd: dir, env, from: packedCli() });
  assert.is(installed.code, 0, installed.stderr);
  git(dir, ['checkout', '-q', '-b', 'feature/login'], env);
  commit(dir, env, { 'docs/login.md': '# Login\n' });
  const r = await pushWithoutTerminal(dir, env, ['-u', 'origin', 'feature/login']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout + r.stderr, /codex-hooks: api \[test\]/);
  const test = codexFiles(path.join(base, 'codex.acme.com.git'), 'test', env);
  assert.equal(Object.keys(test).filter((f) => f.startsWith('projects/api/')).sort(), ['projects/api/README.md', 'projects/api/docs/intro.md', 'projects/api/docs/login.md']);
  assert.ok(fs.existsSync(path.join(dir, '.codex/standards/style.md')));
});

t.run();
