// design §6: what one push asks of the codex, decided before anything is written (src/hooks/push-plan.ts, pure).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { planPush } from '../dist/hooks/push-plan.js';

const t = suite('push plan (pure)');
const Z = '0'.repeat(40);
const sha = (c) => c.repeat(40);
const line = (remote, local = sha('a')) => ({ localRef: `refs/heads/${remote}`, localSha: local, remoteRef: `refs/heads/${remote}`, remoteSha: Z });
const config = {
  prod_branches: ['main', 'master'],
  branch_environments: { 'release/*': 'staging' },
  default_environment: 'test',
  filepath: '/p/.codexrc.json',
  sync_direction: 'bidirectional',
  environments: { dev: { branch: 'test' }, test: { branch: 'test' }, staging: { branch: 'main' }, prod: { branch: 'main' } },
};
const summary = (plan) => plan.updates.map((u) => [u.branch, u.actions.map((a) => `${a.kind}:${a.decision.env}${a.decision.explicit ? '!' : ''}${a.decision.needsConfirmation ? '?' : ''}`)]);

t('every pushed branch counts: feature → its layer, main → a release to confirm and test\'s new base, deletion → drop', () => {
  assert.equal(summary(planPush([line('feat/a'), line('feat/b', sha('b'))], config, undefined)), [['feat/a', ['layer:test']], ['feat/b', ['layer:test']]]);
  assert.equal(summary(planPush([line('main')], config, undefined)), [['main', ['mirror:prod?', 'base:test']]]);
  assert.equal(summary(planPush([{ ...line('feat/a'), localSha: Z }], config, undefined)), [['feat/a', ['drop:test']]]);
  assert.equal(summary(planPush([{ localRef: 'refs/tags/v1', localSha: sha('c'), remoteRef: 'refs/tags/v1', remoteSha: Z }], config, undefined)), []);
  assert.equal(summary(planPush([line('release/1')], config, undefined)), [['release/1', ['mirror:staging?']]]);
});

t('CODEX_ENV=prod releases the production branch of the push only; with none it is refused before anything', () => {
  assert.equal(summary(planPush([line('feat/wip'), line('main', sha('d'))], config, 'prod')), [['feat/wip', ['layer:test']], ['main', ['mirror:prod!', 'base:test']]]);
  assert.throws(() => planPush([line('feat/x')], config, 'prod'), /CODEX_ENV=prod releases a production branch .* this push has none \(feat\/x\)/);
  assert.equal(summary(planPush([{ ...line('feat/x'), localSha: Z }], config, 'prod')), [['feat/x', ['drop:test']]], 'a deletion alone is no release');
  assert.throws(() => planPush([line('main')], config, 'prd'), /prd/);
});

t('an explicit layered environment applies to every branch; on main it is the base move, named', () => {
  assert.equal(summary(planPush([line('main'), line('feat/a', sha('e'))], config, 'test')), [['main', ['base:test!']], ['feat/a', ['layer:test!']]]);
});

t.run();
