// design §6: what one push asks of the codex, decided before anything is written (src/hooks/push-plan.ts, pure).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { asksProduction, mayBeUpToDate, planPush, publishDirection, splitByLanding } from '../dist/hooks/push-plan.js';

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

t('the last-sync record may spare the network for a mirror, and for a layer unless the push makes its branch on the remote', () => {
  const [made] = planPush([line('feat/a')], config, undefined).updates[0].actions;
  const [moved] = planPush([{ ...line('feat/a'), remoteSha: sha('b') }], config, undefined).updates[0].actions;
  assert.not.ok(mayBeUpToDate(made), 'a teammate may have deleted the branch, and its layer with it');
  assert.ok(mayBeUpToDate(moved));
  const [release] = planPush([line('main')], config, undefined).updates[0].actions;
  assert.is(release.kind, 'mirror');
  assert.ok(mayBeUpToDate(release));
  for (const a of planPush([line('main')], config, undefined).updates[0].actions.filter((x) => x.kind === 'base')) assert.not.ok(mayBeUpToDate(a), 'a base move is always computed');
  assert.not.ok(mayBeUpToDate({ kind: 'drop', branch: 'feat/a', primary: false, decision: {} }));
});

// What pre-push and publish decide per action once planned (pure, beside planPush).
const mirror = (needsConfirmation, o = {}) => ({ kind: 'mirror', decision: { env: 'prod', needsConfirmation }, branch: 'main', commit: sha('a'), primary: true, ...o });
const layer = (o = {}) => ({ kind: 'layer', decision: { env: 'test', needsConfirmation: false }, branch: 'feat/a', commit: sha('a'), primary: true, ...o });
const base = (primary) => ({ kind: 'base', decision: { env: 'test', needsConfirmation: false }, branch: 'main', commit: sha('a'), primary });
const drop = { kind: 'drop', decision: { env: 'test', needsConfirmation: false }, branch: 'feat/a', primary: false };

t('the production question is asked of a mirror that needs a yes, unless the project only pulls', () => {
  assert.ok(asksProduction(mirror(true), 'bidirectional'));
  assert.ok(asksProduction(mirror(true), 'to-codex'));
  assert.not.ok(asksProduction(mirror(true), 'from-codex'), 'a pull never needs a yes');
  assert.not.ok(asksProduction(mirror(false), 'bidirectional'), 'named (CODEX_ENV=prod) or staging on its own branch');
  assert.not.ok(asksProduction(layer(), 'bidirectional'));
  assert.not.ok(asksProduction(base(false), 'bidirectional'));
});

const directions = [
  // [action, sync_direction, up to date, direction]
  ['a layer', layer(), 'bidirectional', false, 'bidirectional'],
  ['a layer, to-codex', layer(), 'to-codex', false, 'to-codex'],
  ['a layer up to date pulls only', layer(), 'bidirectional', true, 'from-codex'],
  ['a layer up to date, to-codex: nothing', layer(), 'to-codex', true, null],
  ['a mirror answered yes', mirror(true, { answer: 'yes' }), 'bidirectional', false, 'bidirectional'],
  ['a mirror declined pulls shared docs only', mirror(true, { answer: 'declined' }), 'bidirectional', false, 'from-codex'],
  ['a mirror with no terminal pulls shared docs only', mirror(true, { answer: 'no-terminal' }), 'bidirectional', false, 'from-codex'],
  ['a mirror never asked (pull-only project) pulls', mirror(true), 'from-codex', false, 'from-codex'],
  ['a mirror declined, to-codex: nothing', mirror(true, { answer: 'declined' }), 'to-codex', false, null],
  ['a mirror named (no yes needed)', mirror(false), 'bidirectional', false, 'bidirectional'],
  ['the primary base move follows sync_direction', base(true), 'bidirectional', false, 'bidirectional'],
  ['a base move of another environment only writes', base(false), 'bidirectional', false, 'to-codex'],
  ['a base move of another environment up to date: nothing', base(false), 'bidirectional', true, null],
  ['a drop only writes', drop, 'bidirectional', false, 'to-codex'],
  ['a drop, pull-only project: still written', drop, 'from-codex', false, 'to-codex'],
];
for (const [name, a, dir, upToDate, expected] of directions) t(`publish direction: ${name}`, () => assert.is(publishDirection(a, dir, upToDate), expected));

t('a branch git will say has landed waits for it; the others are written now, named', () => {
  const plan = planPush([line('feat/a'), line('feat/b', sha('b')), { ...line('feat/c'), localSha: Z }], config, undefined);
  const tracked = { 'feat/a': 'refs/remotes/origin/feat/a', 'feat/c': 'refs/remotes/origin/feat/c' };
  const s = splitByLanding(plan.updates, (b) => tracked[b]);
  assert.equal(s.later.map((e) => [e.branch, e.trackingRef, e.sha, e.actions.length]), [['feat/a', 'refs/remotes/origin/feat/a', sha('a'), 1], ['feat/c', 'refs/remotes/origin/feat/c', null, 1]]);
  assert.equal(s.now.map((a) => a.branch), ['feat/b']);
  assert.equal(s.unseen, ['feat/b']);
  const none = splitByLanding(plan.updates, null);
  assert.equal([none.later, none.unseen], [[], ['feat/a', 'feat/b', 'feat/c']]);
  assert.is(none.now.length, 3);
});

t.run();
