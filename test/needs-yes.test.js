// design §3, §6: the one "needs a yes" rule (src/environment/needs-yes.ts, pure), which resolve, pre-push,
// publish, sync and sync --retry all use: table tests.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { needsYes } from '../dist/environment/needs-yes.js';
import { resolveEnvironment } from '../dist/environment/resolve.js';

const t = suite('needs a yes (pure)');
const PROD = 'main';

// [what, question, needs a yes]
const rows = [
  ['an assumed environment writing production', { explicit: false, codexBranch: PROD }, true],
  ['the same, direction not yet known (the environment decision)', { explicit: false, codexBranch: PROD, direction: undefined }, true],
  ['bidirectional writes too', { explicit: false, codexBranch: PROD, direction: 'bidirectional' }, true],
  ['to-codex writes', { explicit: false, codexBranch: PROD, direction: 'to-codex' }, true],
  ['a pull from production writes nothing there', { explicit: false, codexBranch: PROD, direction: 'from-codex' }, false],
  ['a named environment (--env, CODEX_ENV) was the yes', { explicit: true, codexBranch: PROD, direction: 'to-codex' }, false],
  ['a kept request already confirmed', { explicit: true, codexBranch: PROD, direction: 'bidirectional' }, false],
  ['--yes', { explicit: false, codexBranch: PROD, direction: 'to-codex', yes: true }, false],
  ['a yes already answered (pre-push carries it to the write)', { explicit: false, codexBranch: PROD, direction: 'bidirectional', yes: true }, false],
  ['a dry run writes nothing', { explicit: false, codexBranch: PROD, direction: 'to-codex', dryRun: true }, false],
  ['another codex branch (test)', { explicit: false, codexBranch: 'test', direction: 'to-codex' }, false],
  ['another codex branch, named', { explicit: true, codexBranch: 'test' }, false],
  ['staging on production\'s branch, assumed', { explicit: false, codexBranch: PROD, direction: 'to-codex', yes: false, dryRun: false }, true],
];

for (const [what, q, expected] of rows) {
  t(what, () => assert.is(needsYes({ prodBranch: PROD, ...q }), expected));
}

t('the environment decision says what the rule says, for every source of the environment', () => {
  const config = {
    prod_branches: ['main'],
    branch_environments: { 'release/*': 'staging' },
    default_environment: 'test',
    filepath: '/p/.codexrc.json',
    environments: { dev: { branch: 'test' }, test: { branch: 'test' }, staging: { branch: 'main' }, prod: { branch: 'main' } },
  };
  const cases = [
    [{}, 'main'],
    [{}, 'release/1'],
    [{}, 'feat/x'],
    [{ flag: 'prod' }, 'feat/x'],
    [{ envVar: 'staging' }, 'main'],
    [{ flag: 'test' }, 'main'],
  ];
  for (const [explicit, branch] of cases) {
    const d = resolveEnvironment({ explicit, branch, config });
    assert.is(d.needsConfirmation, needsYes({ explicit: d.explicit, codexBranch: d.codexBranch, prodBranch: PROD }), `${JSON.stringify(explicit)} ${branch}`);
  }
});

t.run();
