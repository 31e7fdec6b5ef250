import fs from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { validateConfig } from '../dist/config/validate.js';
import { normalizeConfig, repoNameOf } from '../dist/config/normalize.js';
import { isRemoteUrl } from '../dist/core/url.js';
import { UsageError } from '../dist/core/errors.js';
import { generateSchema } from '../scripts/schema.mjs';

const problems = (raw) => {
  try {
    validateConfig(raw, '/p/.codexrc.json');
  } catch (e) {
    assert.instance(e, UsageError);
    return e.message;
  }
  return '';
};

test('defaults fill every key', () => {
  const c = validateConfig({}, 'x');
  assert.equal(c.sync_patterns, ['docs/**', 'README.md', 'CLAUDE.md']);
  assert.equal(c.from_codex_patterns, ['shared/**']);
  assert.is(c.pull_dir, '.codex');
  assert.is(c.sync_direction, 'bidirectional');
  assert.is(c.default_environment, 'test');
  assert.is(c.max_file_size, 10485760);
  assert.is(c.deletion_threshold, 0.5);
  assert.equal(c.hooks, { post_commit: 'background', pre_push: 'on', on_failure: 'warn' });
  assert.ok(c.deny_patterns.includes('**/.env'));
  assert.ok(c.deny_patterns.includes('**/*password*'));
});

test('every problem is reported at once, with file and key path', () => {
  const m = problems({ environments: { test: { branch: 3 } }, max_file_size: 'big', sync_patterns: 'docs/**' });
  assert.match(m, /\/p\/\.codexrc\.json/);
  assert.match(m, /environments\.test\.branch: expected a string, got number 3/);
  assert.match(m, /max_file_size: expected a number/);
  assert.match(m, /sync_patterns: expected an array/);
});

test('unknown keys suggest the nearest known key, at every level', () => {
  const m = problems({ sync_pattern: ['x'], hooks: { pre_psh: 'on' }, environments: { qa: { brnch: 'qa' } } });
  assert.match(m, /sync_pattern: unknown key \(did you mean "sync_patterns"\?\)/);
  assert.match(m, /hooks\.pre_psh: unknown key \(did you mean "pre_push"\?\)/);
  assert.match(m, /environments\.qa\.brnch: unknown key \(did you mean "branch"\?\)/);
});

test('mcp.refresh_seconds: 60 by default, a whole number of seconds, unknown mcp keys suggest it', () => {
  assert.equal(validateConfig({}, 'x').mcp, { refresh_seconds: 60 });
  assert.equal(validateConfig({ mcp: { refresh_seconds: 5 } }, 'x').mcp, { refresh_seconds: 5 });
  assert.match(problems({ mcp: { refresh_seconds: 'often' } }), /mcp\.refresh_seconds: expected a number/);
  assert.match(problems({ mcp: { refresh_seconds: 1.5 } }), /mcp\.refresh_seconds/);
  assert.match(problems({ mcp: { refresh_second: 5 } }), /mcp\.refresh_second: unknown key \(did you mean "refresh_seconds"\?\)/);
});

test('project_name with / or .. is refused', () => {
  assert.match(problems({ project_name: 'a/b' }), /project_name/);
  assert.match(problems({ project_name: '..' }), /project_name: must not be/);
});

test('pull_dir must stay inside the project', () => {
  for (const bad of ['../out', '/abs', '.', '.git', 'a/../../b']) assert.match(problems({ pull_dir: bad }), /pull_dir/, bad);
  assert.match(problems({ pull_dir: 'docs/.codex' }), /pull_dir: "docs\/\.codex" overlaps sync_patterns entry "docs\/\*\*"/);
  assert.is(problems({ pull_dir: '.cache/codex' }), '');
});

test('environment names follow the naming rule; references must be known', () => {
  assert.match(problems({ environments: { QA: { branch: 'qa' } } }), /environments\.QA: environment names must match/);
  assert.match(problems({ default_environment: 'tset' }), /default_environment: unknown environment "tset" \(did you mean "test"\?\)/);
  assert.match(problems({ branch_environments: { 'r/*': 'stagin' } }), /branch_environments\.r\/\*: unknown environment "stagin"/);
});

test('enum values are listed', () => {
  assert.match(problems({ sync_direction: 'both' }), /sync_direction: expected one of "to-codex", "from-codex", "bidirectional"/);
  assert.match(problems({ hooks: { on_failure: 'stop' } }), /hooks\.on_failure: expected one of "warn", "block"/);
});

test('derived codex_url and project_name', () => {
  const gh = normalizeConfig(validateConfig({ organization: 'acme', codex_repo: 'codex.acme.com' }, 'x'), '/w/site', 'x');
  assert.is(gh.codexUrl, 'https://github.com/acme/codex.acme.com.git');
  assert.is(gh.projectName, 'site');
  const rel = normalizeConfig(validateConfig({ codex_url: '../codex.git' }, 'x'), '/w/site', 'x', 'git@github.com:acme/api-server.git');
  assert.is(rel.codexUrl, '/w/codex.git');
  assert.is(rel.projectName, 'api-server');
  const none = normalizeConfig(validateConfig({}, 'x'), '/w/site', 'x');
  assert.is(none.codexUrl, undefined);
  assert.equal(Object.keys(none.environments), ['dev', 'test', 'staging', 'prod']);
  assert.is(none.environments.dev.branch, 'test');
});

test('url helpers', () => {
  assert.ok(isRemoteUrl('https://x/y.git'));
  assert.ok(isRemoteUrl('git@github.com:a/b.git'));
  assert.ok(!isRemoteUrl('../codex'));
  assert.ok(!isRemoteUrl('/srv/codex.git'));
  assert.is(repoNameOf('https://github.com/acme/docs.git/'), 'docs');
});

test('schema.json is generated from the zod schema (run `npm run schema` after changing it)', () => {
  const committed = fs.readFileSync(new URL('../schema.json', import.meta.url), 'utf8');
  assert.fixture(committed, generateSchema());
  const schema = JSON.parse(committed);
  assert.is(schema.additionalProperties, false);
  assert.ok(schema.properties.environments);
});

test.run();
