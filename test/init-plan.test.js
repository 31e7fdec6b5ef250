// design §5: what `codex-hooks init` writes where, decided from what it found and the answers
// (src/commands/init-plan.ts, pure): table tests. `init` itself reads, asks and writes (init.test.js).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initDefaults, planInit } from '../dist/commands/init-plan.js';

const t = suite('init plan (pure)');
const NEW = '/p/.codexrc.json';
const facts = (o = {}) => ({
  existing: null,
  newFile: NEW,
  supplied: [],
  legacy: false,
  answers: { organization: 'acme', codex_url: 'https://github.com/acme/codex.git', project_name: 'api' },
  schemaRef: './node_modules/codex-hooks/schema.json',
  gitignore: { file: '/p/.gitignore', text: '' },
  ...o,
});
const existing = (json, o = {}) => ({ file: '/p/.codexrc.json', raw: JSON.stringify(json, null, o.indent ?? 2), json, inPackage: false, ...o });
const DEFAULT_KEYS = Object.keys(initDefaults('x'));

const rows = [
  {
    name: 'nothing there: a new file with the answers and every default, and the pull folder ignored',
    facts: facts(),
    added: ['organization', 'codex_url', 'project_name', ...DEFAULT_KEYS],
    writes: [['new-config', NEW], ['gitignore', '/p/.gitignore']],
    missing: [],
  },
  {
    name: 'a file with every key: nothing to write but .gitignore',
    facts: facts({ existing: existing({ ...initDefaults('x'), organization: 'o', codex_url: 'u', project_name: 'p' }), gitignore: { file: '/p/.gitignore', text: 'node_modules\n/.codex/\n' } }),
    added: [],
    writes: [],
    missing: [],
  },
  {
    name: 'a set key is never changed; a hooks section is filled in key by key',
    facts: facts({ existing: existing({ organization: 'other', sync_patterns: ['docs/**'], hooks: { post_commit: 'off' } }) }),
    added: ['codex_url', 'project_name', ...DEFAULT_KEYS.filter((k) => !['sync_patterns', 'hooks'].includes(k)), 'hooks.pre_push', 'hooks.on_failure'],
    writes: [['filled-config', '/p/.codexrc.json'], ['gitignore', '/p/.gitignore']],
    missing: [],
    check: (plan) => {
      assert.is(plan.config.organization, 'other');
      assert.equal(plan.config.sync_patterns, ['docs/**']);
      assert.equal(plan.config.hooks, { post_commit: 'off', pre_push: 'on', on_failure: 'warn' });
    },
  },
  {
    name: 'keys fractary supplies are not written; no codex answer and none supplied: codex_url is missing',
    facts: facts({ supplied: ['organization', 'environments'], answers: { project_name: 'api' } }),
    added: ['project_name', ...DEFAULT_KEYS.filter((k) => k !== 'environments')],
    writes: [['new-config', NEW], ['gitignore', '/p/.gitignore']],
    missing: ['codex_url'],
  },
  {
    name: 'fractary supplies codex_url: nothing missing',
    facts: facts({ supplied: ['codex_url'], answers: {} }),
    added: DEFAULT_KEYS,
    writes: [['new-config', NEW], ['gitignore', '/p/.gitignore']],
    missing: [],
  },
  {
    name: 'organization and codex_repo in the file make the codex: nothing missing',
    facts: facts({ existing: existing({ organization: 'acme', codex_repo: 'codex' }), answers: {} }),
    added: DEFAULT_KEYS,
    writes: [['filled-config', '/p/.codexrc.json'], ['gitignore', '/p/.gitignore']],
    missing: [],
  },
  {
    name: 'the earlier plugin\'s file: no $schema, its default_* patterns stand for ours',
    facts: facts({ legacy: true, existing: existing({ default_sync_patterns: ['a/**'], default_exclude_patterns: [] }, { file: '/p/.fractary/plugins/codex/config.json' }) }),
    added: ['organization', 'codex_url', 'project_name', ...DEFAULT_KEYS.filter((k) => !['$schema', 'sync_patterns', 'exclude_patterns'].includes(k))],
    writes: [['filled-config', '/p/.fractary/plugins/codex/config.json'], ['gitignore', '/p/.gitignore']],
    missing: [],
  },
  {
    name: 'a pull_dir already ignored in any spelling is not added again',
    facts: facts({ existing: existing({ pull_dir: './shared-docs/' }), gitignore: { file: '/p/.gitignore', text: 'shared-docs' } }),
    added: ['organization', 'codex_url', 'project_name', ...DEFAULT_KEYS.filter((k) => k !== 'pull_dir')],
    writes: [['filled-config', '/p/.codexrc.json']],
    missing: [],
  },
];

for (const row of rows) {
  t(row.name, () => {
    const plan = planInit(row.facts);
    assert.equal(plan.added, row.added);
    assert.equal(plan.writes.map((w) => [w.kind, w.file]), row.writes);
    assert.equal(plan.missing, row.missing);
    row.check?.(plan);
  });
}

t('the file is written with $schema first and the indent it had; package.json keeps its other keys', () => {
  const fresh = planInit(facts());
  assert.ok(fresh.writes[0].text.startsWith('{\n  "$schema": "./node_modules/codex-hooks/schema.json",\n  "organization": "acme"'));
  const tabbed = planInit(facts({ existing: existing({ project_name: 'x' }, { indent: '\t' }) }));
  assert.match(tabbed.writes[0].text, /^\{\n\t"\$schema"/);
  const pkg = { name: 'app', version: '1.0.0', codex: { project_name: 'x' } };
  const inPkg = planInit(facts({ existing: { file: '/p/package.json', raw: JSON.stringify(pkg, null, 2), json: pkg.codex, inPackage: true } }));
  const written = JSON.parse(inPkg.writes[0].text);
  assert.is(written.name, 'app');
  assert.is(written.codex.project_name, 'x');
  assert.is(written.codex.organization, 'acme');
});

t('.gitignore: appended after a last line without a newline; pull_dir\'s slashes trimmed', () => {
  const plan = planInit(facts({ existing: existing({ pull_dir: '/vendor/docs/' }), gitignore: { file: '/p/.gitignore', text: 'node_modules' } }));
  assert.is(plan.gitignoreEntry, '/vendor/docs/');
  assert.is(plan.writes.at(-1).text, 'node_modules\n# docs pulled from the codex by codex-hooks\n/vendor/docs/\n');
});

t('an ssh codex URL with a password is written without it, and said so', () => {
  const plan = planInit(facts({ answers: { codex_url: 'ssh://git:hunter2@git.acme.com/acme/codex.git' } }));
  assert.ok(plan.sshPassword);
  assert.not.match(plan.writes[0].text, /hunter2/);
  const https = planInit(facts({ answers: { codex_url: 'https://github.com/acme/codex.git' } }));
  assert.not.ok(https.sshPassword);
});

t('pure: the facts given are not changed', () => {
  const json = { hooks: { post_commit: 'off' } };
  const f = facts({ existing: existing(json) });
  const before = JSON.stringify(f);
  planInit(f);
  assert.is(JSON.stringify(f), before);
});

t.run();
