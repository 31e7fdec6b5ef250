// design §4 from-codex: what a pull writes, keeps and removes, decided from values (src/sync/from-codex/pull-plan.ts,
// pure): the codex's files for the project, the record of what earlier pulls wrote, what is in pull_dir.
// Named examples, then seeded, bounded properties (fast-check).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { decidePull, PENDING, pullable } from '../dist/sync/from-codex/pull-plan.js';
import { safeRelativePath } from '../dist/core/names.js';
import { msg } from '../dist/core/messages.js';

const t = suite('pull plan (pure)');
const e = (oid, mode = '100644') => ({ oid, mode });
const sig = (x) => `${x.mode} ${x.oid}`;
const disk = (files = [], folders = []) => ({ files: new Set(files), folders: new Set(folders) });
const plan = ({ wanted = {}, files = {}, skipped, present = disk(), refused = [], unlisted = [] }) =>
  decidePull({ wanted: new Map(Object.entries(wanted)), state: { files, skipped }, present, refused, unlisted });
const summary = (p) => ({ added: p.added, changed: p.changed, removed: p.removed, write: p.write, kept: p.kept.map((k) => k.path), held: p.held });
const none = { added: [], changed: [], removed: [], write: [], kept: [], held: [] };

const table = [
  ['a new codex file is written and reported as added', { wanted: { 'a.md': e('1') } }, { ...none, added: ['a.md'], write: ['a.md'] }],
  ['a file of ours, unchanged and on disk, is left alone', { wanted: { 'a.md': e('1') }, files: { 'a.md': sig(e('1')) }, present: disk(['a.md']) }, none],
  ['a file of ours the codex changed is rewritten, reported as changed', { wanted: { 'a.md': e('2') }, files: { 'a.md': sig(e('1')) }, present: disk(['a.md']) }, { ...none, changed: ['a.md'], write: ['a.md'] }],
  ['a mode change alone is a change', { wanted: { 'a.sh': e('1', '100755') }, files: { 'a.sh': sig(e('1')) }, present: disk(['a.sh']) }, { ...none, changed: ['a.sh'], write: ['a.sh'] }],
  ['a file of ours the user deleted comes back, reported as added', { wanted: { 'a.md': e('1') }, files: { 'a.md': sig(e('1')) } }, { ...none, added: ['a.md'], write: ['a.md'] }],
  ["a file of the user's where a codex file would go is kept", { wanted: { 'a.md': e('1') }, present: disk(['a.md']) }, { ...none, kept: ['a.md'] }],
  ["a folder of the user's where a codex file would go is kept", { wanted: { 'a': e('1') }, present: disk([], ['a']) }, { ...none, kept: ['a'] }],
  ['a file of ours the codex no longer has is removed', { files: { 'old.md': sig(e('1')) }, present: disk(['old.md']) }, { ...none, removed: ['old.md'] }],
  ['a file of ours already gone is not removed (and leaves the record)', { files: { 'old.md': sig(e('1')) } }, none],
  ["a file of the user's the codex does not have is never removed", { present: disk(['mine.md']) }, none],
  ['a file of ours in a folder the listing left out stays, recorded', { files: { 'big/x.md': sig(e('1')) }, present: disk(['big/x.md']), unlisted: ['big'] }, { ...none, held: ['big/x.md'] }],
  ['a file skipped before with the same content is tried again, not reported again', { wanted: { 'a.md': e('1') }, skipped: { 'a.md': sig(e('1')) } }, { ...none, write: ['a.md'] }],
  ['a file skipped before whose content changed is reported again', { wanted: { 'a.md': e('2') }, skipped: { 'a.md': sig(e('1')) } }, { ...none, added: ['a.md'], write: ['a.md'] }],
  ['a path that leaves pull_dir is refused, never written', { wanted: { '../x.md': e('1'), 'a/../../y': e('1'), '/etc/z': e('1') } }, none],
  ['a hand-edited record is no licence to remove a path outside pull_dir', { files: { '../x.md': sig(e('1')), 'a\\b': sig(e('1')) }, present: disk(['../x.md', 'a\\b']) }, none],
];
for (const [name, input, expected] of table) t(name, () => assert.equal(summary(plan(input)), expected));

t('refused: the codex paths refused upstream, and any wanted path that is not a safe relative path', () => {
  const p = plan({ wanted: { '../x.md': e('1'), 'ok.md': e('1') }, refused: ['.git/config'] });
  assert.equal(p.refused, ['.git/config', '../x.md']);
  assert.equal(p.write, ['ok.md']);
});

t('kept files carry their reason, and are warned about once: newlyKept leaves out a skip recorded with the same content', () => {
  const p = plan({ wanted: { 'f.md': e('1'), d: e('1'), 'g.md': e('2') }, present: disk(['f.md', 'g.md'], ['d']), skipped: { 'g.md': sig(e('2')) } });
  assert.equal(p.kept, [
    { path: 'f.md', reason: msg.pullKeptFile },
    { path: 'd', reason: msg.pullKeptFolder },
    { path: 'g.md', reason: msg.pullKeptFile },
  ]);
  assert.equal(p.newlyKept.map((k) => k.path), ['f.md', 'd']);
});

t('the record: it forgets what is gone already, keeps what is wanted, removed or held; pending names what is about to be written', () => {
  const p = plan({
    wanted: { 'same.md': e('1'), 'new.md': e('2'), 'back.md': e('3') },
    files: { 'same.md': sig(e('1')), 'new.md': sig(e('1')), 'back.md': sig(e('3')), 'gone.md': sig(e('1')), 'old.md': sig(e('1')), 'big/x.md': sig(e('1')) },
    present: disk(['same.md', 'new.md', 'old.md']),
    unlisted: ['big'],
  });
  assert.equal(p.write, ['new.md', 'back.md']);
  assert.equal(p.removed, ['old.md']);
  assert.equal(p.held, ['big/x.md']);
  assert.equal(p.forgotten, ['gone.md'], 'gone from pull_dir already: the record forgets it');
  // back.md is recorded with its signature already (the user deleted it): known as ours either way.
  assert.equal(p.pending, ['new.md']);
});

// Properties: paths from a small pool of segments, hostile ones included, so that collisions are common.
const segment = fc.constantFrom('a', 'b', 'c.md', '..', '.', '.git', 'x\\y', '');
const rel = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
const pathOf = fc.oneof(rel, fc.constant('/abs'));
const entry = fc.record({ oid: fc.constantFrom('1', '2'), mode: fc.constantFrom('100644', '100755', '120000') });
const record = fc.dictionary(pathOf, entry.map(sig).chain((s) => fc.constantFrom(s, PENDING)), { maxKeys: 6 });
const inputs = fc.record({
  wanted: fc.array(fc.tuple(pathOf, entry), { maxLength: 6 }).map((l) => new Map(l)),
  state: fc.record({ files: record, skipped: fc.dictionary(pathOf, entry.map(sig), { maxKeys: 3 }) }),
  present: fc.record({ files: fc.uniqueArray(pathOf, { maxLength: 6 }), folders: fc.uniqueArray(pathOf, { maxLength: 3 }) }).map((d) => disk(d.files, d.folders)),
  refused: fc.constant([]),
  unlisted: fc.uniqueArray(fc.constantFrom('a', 'b', 'a/b', ''), { maxLength: 2 }),
});
const inside = (p) => !p.startsWith('/') && !p.includes('\\') && p.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && s.toLowerCase() !== '.git');
const run = (property) => fc.assert(fc.property(inputs, property), { seed: 23, numRuns: 2000 });

t('property: the plan never removes a path the record did not write, nor one not on disk', () =>
  run((i) => {
    const p = decidePull(i);
    for (const r of p.removed) {
      assert.ok(i.state.files[r] !== undefined, `removes ${r}, not in the record`);
      assert.ok(i.present.files.has(r), `removes ${r}, not a file on disk`);
      assert.not.ok(i.wanted.has(r), `removes ${r}, which the codex has`);
    }
  }));

t('property: nothing outside pull_dir: every path written or removed is a safe relative path', () =>
  run((i) => {
    const p = decidePull(i);
    for (const x of [...p.write, ...p.removed]) assert.ok(inside(x), `touches ${JSON.stringify(x)}`);
  }));

t("property: a file of the user's (on disk, not in the record) is never written over nor removed", () =>
  run((i) => {
    const p = decidePull(i);
    const theirs = (x) => i.state.files[x] === undefined && (i.present.files.has(x) || i.present.folders.has(x));
    for (const x of [...p.write, ...p.removed]) assert.not.ok(theirs(x), `touches the user's ${x}`);
  }));

t('property: each wanted path is written, kept, refused or up to date, exactly one of them; what is reported is written', () =>
  run((i) => {
    const p = decidePull(i);
    const kept = new Set(p.kept.map((k) => k.path));
    for (const [x, v] of i.wanted) {
      const upToDate = i.state.files[x] === sig(v) && i.present.files.has(x);
      const where = [p.write.includes(x), kept.has(x), p.refused.includes(x), upToDate && !p.write.includes(x) && !kept.has(x) && !p.refused.includes(x)];
      assert.is(where.filter(Boolean).length, 1, `${x}: ${where}`);
    }
    for (const x of [...p.added, ...p.changed]) assert.ok(p.write.includes(x));
    for (const k of p.newlyKept) assert.ok(kept.has(k.path));
  }));

t('property: the record only ever narrows the earlier one, and a pull applied in full leaves nothing to do', () =>
  run((i) => {
    const p = decidePull(i);
    for (const x of p.forgotten) {
      assert.ok(i.state.files[x] !== undefined, `forgets ${x}, not in the record`);
      assert.not.ok(p.write.includes(x) || p.removed.includes(x) || p.held.includes(x), `forgets ${x}, still in the plan`);
    }
    for (const x of p.pending) assert.ok(p.write.includes(x) && i.state.files[x] !== sig(i.wanted.get(x)), `${x} pending`);
    // Applied as planned (every write lands, every removal happens): planning again finds nothing to do.
    const files = { ...i.state.files };
    for (const x of [...p.forgotten, ...p.removed]) delete files[x];
    for (const x of p.write) files[x] = sig(i.wanted.get(x));
    const present = disk([...i.present.files].filter((x) => !p.removed.includes(x)).concat(p.write), [...i.present.folders]);
    const again = decidePull({ ...i, state: { files, skipped: i.state.skipped }, present });
    assert.equal([again.write, again.removed, again.added, again.changed], [[], [], [], []]);
  }));

t('property: pullable answers as the full check does (its fast path for plain names never lets a refused one through)', () => {
  const char = fc.constantFrom('a', 'G', 'i', 't', '1', '_', '-', '.', '/', '~', '\\', ' ', ':', '\0', '\u200c', '\ufeff', 'é');
  const name = fc.oneof(fc.array(char, { maxLength: 12 }).map((c) => c.join('')), fc.constantFrom('.git', '.GIT.', 'git~1', 'a/.git/b', '.git\u200c', 'a/../b', 'x.', '-'), fc.string({ unit: 'binary', maxLength: 8 }));
  fc.assert(fc.property(name, (p) => pullable(p) === (safeRelativePath(p) && !p.includes('\\'))), { seed: 23, numRuns: 5000 });
});

t.run();
