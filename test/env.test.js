import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveEnvironment, DetachedHead, branchOfRef } from '../dist/environment/resolve.js';
import { normalizeConfig } from '../dist/config/normalize.js';
import { validateConfig } from '../dist/config/validate.js';
import { UsageError } from '../dist/core/errors.js';
import { msg } from '../dist/core/messages.js';

const config = (raw = {}) => normalizeConfig(validateConfig({ codex_url: '/tmp/codex.git', project_name: 'p', ...raw }, '.codexrc.json'), '/tmp/p', '.codexrc.json');

const custom = config({
  environments: { qa: { branch: 'qa' }, 'pre-prod': { branch: 'main' } },
  branch_environments: { 'release/**': 'staging', 'qa/*': 'qa', 'hotfix/*': 'pre-prod' },
});
const testToMain = config({ environments: { test: { branch: 'main' } } });

// [description, explicit, branch, config, expected]
const table = [
  ['main is production, assumed', {}, 'main', config(), { env: 'prod', codexBranch: 'main', explicit: false, needsConfirmation: true, source: 'prod_branches' }],
  ['master is production too', {}, 'master', config(), { env: 'prod', codexBranch: 'main', explicit: false, needsConfirmation: true }],
  ['a feature branch goes to test silently', {}, 'feat/login', config(), { env: 'test', codexBranch: 'test', explicit: false, needsConfirmation: false, source: 'default_environment' }],
  ['a fix branch goes to test', {}, 'fix/typo', config(), { env: 'test', codexBranch: 'test', needsConfirmation: false }],
  ['branch_environments glob, deep', {}, 'release/2026/11', custom, { env: 'staging', codexBranch: 'main', needsConfirmation: true, source: 'branch_environments' }],
  ['custom environment by glob', {}, 'qa/alpha', custom, { env: 'qa', codexBranch: 'qa', needsConfirmation: false }],
  ['custom env on prod branch needs confirmation', {}, 'hotfix/x', custom, { env: 'pre-prod', codexBranch: 'main', needsConfirmation: true }],
  ['glob does not match deeper', {}, 'qa/a/b', custom, { env: 'test', codexBranch: 'test' }],
  ['prod_branches win over globs', {}, 'main', config({ branch_environments: { '*': 'dev' } }), { env: 'prod' }],
  ['first matching glob wins', {}, 'x/y', config({ branch_environments: { 'x/*': 'dev', '**': 'staging' } }), { env: 'dev' }],
  ['CODEX_ENV=prod is explicit, no confirmation', { envVar: 'prod' }, 'main', config(), { env: 'prod', explicit: true, needsConfirmation: false, source: 'CODEX_ENV' }],
  ['CODEX_ENV=test on main goes to test', { envVar: 'test' }, 'main', config(), { env: 'test', codexBranch: 'test', explicit: true, needsConfirmation: false }],
  ['--env wins over CODEX_ENV', { flag: 'dev', envVar: 'prod' }, 'main', config(), { env: 'dev', source: '--env' }],
  ['explicit prod on a feature branch', { flag: 'prod' }, 'feat/x', config(), { env: 'prod', codexBranch: 'main', needsConfirmation: false }],
  ['explicit env on a detached HEAD', { flag: 'test' }, null, config(), { env: 'test' }],
  ['test configured to main needs confirmation on a feature branch', {}, 'feat/x', testToMain, { env: 'test', codexBranch: 'main', needsConfirmation: true }],
  ['explicit test configured to main does not ask', { envVar: 'test' }, 'feat/x', testToMain, { env: 'test', needsConfirmation: false }],
  ['custom default_environment', {}, 'anything', config({ default_environment: 'dev' }), { env: 'dev', codexBranch: 'test' }],
  ['staging assumed by glob asks', {}, 'release/1', config({ branch_environments: { 'release/*': 'staging' } }), { env: 'staging', needsConfirmation: true }],
];

for (const [name, explicit, branch, cfg, expected] of table) {
  test(name, () => {
    const d = resolveEnvironment({ explicit, branch, config: cfg });
    for (const [k, v] of Object.entries(expected)) assert.is(d[k], v, `${k}`);
  });
}

test('test configured to main explains itself', () => {
  const d = resolveEnvironment({ explicit: {}, branch: 'feat/x', config: testToMain });
  assert.ok(d.warning.includes('environments.test.branch'));
  assert.is(resolveEnvironment({ explicit: {}, branch: 'main', config: config() }).warning, undefined);
});

test('unknown CODEX_ENV lists the known names and suggests', () => {
  try {
    resolveEnvironment({ explicit: { envVar: 'prd' }, branch: 'main', config: custom });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, UsageError);
    assert.is(e.message, msg.unknownEnv('prd', 'CODEX_ENV', 'prod', ['dev', 'test', 'staging', 'prod', 'qa', 'pre-prod']));
  }
});

test('unknown --env fails too, and an empty one', () => {
  assert.throws(() => resolveEnvironment({ explicit: { flag: 'nope' }, branch: 'main', config: config() }), /Unknown environment "nope"/);
  assert.throws(() => resolveEnvironment({ explicit: { flag: '' }, branch: 'main', config: config() }), /--env needs/);
});

test('detached HEAD without explicit env', () => {
  try {
    resolveEnvironment({ explicit: {}, branch: null, config: config() });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, DetachedHead);
    assert.match(e.hint, /--env/);
  }
});

test('branchOfRef', () => {
  assert.is(branchOfRef('refs/heads/feat/x'), 'feat/x');
  assert.is(branchOfRef('refs/tags/v1'), null);
});

test.run();
