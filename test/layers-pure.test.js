// design §4 layer, the pure part: the folder as a function of the base and the live layers (src/sync/layers/).
// Named examples and seeded, bounded properties (fast-check); test/team-model.test.js checks the same
// function end to end, through real hooks and a real origin.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { composeFolder, isAbsorbed, layerChanges } from '../dist/sync/layers/compute.js';
import { nextLayers } from '../dist/sync/layers/next.js';
import { emptyState, parseState } from '../dist/sync/layers/state.js';

const t = suite('layers (pure)');
const e = (path, oid, mode = '100644') => ({ path, oid, mode, type: 'blob', size: -1 });
const RUNS = Number(process.env.CODEX_HOOKS_PROPERTY_RUNS) || 300;
const SEED = 20;
const asObject = (files) => Object.fromEntries([...files].map(([p, f]) => [p, f.oid]).sort(([a], [b]) => (a < b ? -1 : 1)));

t('a branch changes what differs from its merge base: added and changed written, deleted and renamed away removed', () => {
  const before = [e('a.md', '1'), e('b.md', '2'), e('c.md', '3')];
  const after = [e('a.md', '1'), e('b.md', '9'), e('d.md', '3')];
  assert.equal(layerChanges(before, after), { files: [e('b.md', '9'), e('d.md', '3')], removed: ['c.md'] });
  assert.equal(layerChanges(null, after).files.length, 3, 'no merge base: all of it is the branch\'s');
});

t('overlaps: the later layer shows, both are named; identical versions are no overlap', () => {
  const c = composeFolder([e('a.md', '1')], [
    { branch: 'feat/one', files: [e('a.md', '2'), e('x.md', '5')], removed: [] },
    { branch: 'feat/two', files: [e('a.md', '3'), e('x.md', '5')], removed: [] },
  ]);
  assert.equal(asObject(c.files), { 'a.md': '3', 'x.md': '5' });
  assert.equal(c.overlaps, [{ path: 'a.md', branches: ['feat/one', 'feat/two'], shown: 'feat/two' }]);
});

t('a file where a folder was (and the reverse) replaces what is in the way', () => {
  const c = composeFolder([e('docs/x/inner.md', '1'), e('y', '2')], [{ branch: 'b', files: [e('docs/x', '3'), e('y/z.md', '4')], removed: [] }]);
  assert.equal(Object.keys(asObject(c.files)), ['docs/x', 'y/z.md']);
});

// A small world: flat names (no folder conflicts), a few versions.
const name = fc.constantFrom('a.md', 'b.md', 'c.md', 'd.md', 'e.md');
const version = fc.constantFrom('1', '2', '3', '4');
const files = fc.uniqueArray(fc.record({ path: name, oid: version }), { selector: (f) => f.path, maxLength: 5 }).map((l) => l.map((f) => e(f.path, f.oid)));
const layer = fc.record({ branch: fc.constantFrom('f1', 'f2', 'f3', 'f4'), files, removed: fc.uniqueArray(name, { maxLength: 3 }) }).map((l) => ({ ...l, removed: l.removed.filter((p) => !l.files.some((f) => f.path === p)) }));
const layers = fc.uniqueArray(layer, { selector: (l) => l.branch, maxLength: 4 });

t('properties: with no layer the folder is the base; an untouched doc is the base\'s; a touched one is the last toucher\'s', () => {
  fc.assert(
    fc.property(files, layers, (base, ls) => {
      assert.equal(asObject(composeFolder(base, []).files), asObject(new Map(base.map((f) => [f.path, f]))));
      const folder = composeFolder(base, ls).files;
      const baseMap = new Map(base.map((f) => [f.path, f]));
      for (const p of ['a.md', 'b.md', 'c.md', 'd.md', 'e.md']) {
        const last = [...ls].reverse().find((l) => l.removed.includes(p) || l.files.some((f) => f.path === p));
        const want = !last ? baseMap.get(p)?.oid : last.removed.includes(p) ? undefined : last.files.find((f) => f.path === p).oid;
        assert.is(folder.get(p)?.oid, want, p);
      }
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

t('properties: no absorbed, merged, deleted or dropped layer stays live; the order of first pushes is kept', () => {
  const state = (ls) => ({ ...emptyState(), layers: ls.map((l, i) => ({ branch: l.branch, key: `${i}`.padStart(8, '0'), tip: 'a'.repeat(40), mergeBase: null, first: `${i}`, time: `${i}`, author: 'x', removed: l.removed, seen: i % 2 === 0 })) });
  fc.assert(
    fc.property(files, layers, fc.subarray(['f1', 'f2', 'f3', 'f4']), fc.subarray(['f1', 'f2', 'f3', 'f4']), (base, ls, merged, gone) => {
      const s = state(ls);
      const stored = { commit: 'b'.repeat(40), state: s, base, files: new Map(s.layers.map((l, i) => [l.key, ls[i].files])) };
      const next = nextLayers({ stored, base: null, gone: new Set(gone), merged: new Set(merged), now: 'now' });
      const baseMap = new Map(base.map((f) => [f.path, f]));
      const live = next.state.layers.map((l) => l.branch);
      for (const l of next.state.layers) {
        assert.not.ok(isAbsorbed({ files: next.files.get(l.key) ?? [], removed: l.removed }, baseMap), `${l.branch} is absorbed`);
        assert.not.ok(merged.includes(l.branch), `${l.branch} is merged`);
        assert.not.ok(l.seen && gone.includes(l.branch), `${l.branch} is gone from origin`);
      }
      assert.equal(live, ls.map((l) => l.branch).filter((b) => live.includes(b)), 'first-push order');
      assert.equal(next.dropped.length + live.length, ls.length);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

t('the codex record is untrusted: anything but what this code writes reads as none', () => {
  assert.is(parseState(Buffer.from('not json')), null);
  assert.is(parseState(Buffer.from(JSON.stringify({ version: 1, base: null, layers: [{ branch: 'x', key: 'aaaaaaaa', tip: 'HEAD', mergeBase: null, first: '', time: '', author: '', removed: [] }] }))), null, 'a tip that is no object id');
  assert.is(parseState(Buffer.alloc(5 * 1024 * 1024, 32)), null, 'over the size bound');
  fc.assert(
    fc.property(fc.jsonValue(), (v) => {
      const s = parseState(Buffer.from(JSON.stringify(v)));
      if (s) for (const l of s.layers) assert.match(l.tip, /^[0-9a-f]{40}([0-9a-f]{24})?$/);
    }),
    { seed: SEED, numRuns: RUNS },
  );
});

t.run();
