// git's pre-push ref lines (githooks(5)): four fields, object ids of 40 or 64 hex digits.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isDeletion, parseRefLines } from '../dist/hooks/refs.js';

const A = 'a'.repeat(40);
const Z = '0'.repeat(40);

test('well-formed lines, deletions and SHA-256 ids are read', () => {
  const lines = `refs/heads/feat ${A} refs/heads/feat ${Z}\n(delete) ${Z} refs/heads/old ${A}\nrefs/heads/x ${'b'.repeat(64)} refs/heads/main ${'0'.repeat(64)}\n\n`;
  const updates = parseRefLines(lines);
  assert.equal(updates.map((u) => u.remoteRef), ['refs/heads/feat', 'refs/heads/old', 'refs/heads/main']);
  assert.equal(updates.map(isDeletion), [false, true, false]);
  assert.equal(parseRefLines(''), []);
});

test('a malformed line is refused with the line and the expected shape', () => {
  for (const bad of ['junk', `refs/heads/a ${A} refs/heads/a`, `refs/heads/a nothex refs/heads/a ${Z}`, `refs/heads/a ${A} refs/heads/a ${Z} extra`, `refs/heads/a ${'a'.repeat(39)} refs/heads/a ${Z}`]) {
    assert.throws(() => parseRefLines(bad + '\n'), (e) => e.name === 'UsageError' && e.message.includes(JSON.stringify(bad)), bad);
  }
});

test.run();
