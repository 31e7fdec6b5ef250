// Properties of what codex_search and mcp --http do with untrusted input (seeded, bounded): a codex doc's
// text, an agent's query, the --http argument.
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { docFields, TEXT_LIMITS } from '../dist/reader/search/doc-text.js';
import { bestLines } from '../dist/reader/search/search.js';
import { parseQuery, processTerm, termsOf } from '../dist/reader/search/text-index.js';
import { parseListen } from '../dist/mcp/listen.js';

const t = suite('mcp-search-props');
const runs = { seed: 20261206, numRuns: 300 };
const docText = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.tuple(fc.string({ maxLength: 300 }), fc.string({ maxLength: 1000 })).map(([fm, body]) => `---\n${fm}\n---\n${body}`),
  fc.array(fc.oneof(fc.constant('# '), fc.constant('\n'), fc.constant('---\n'), fc.constant('title: '), fc.constant('&a '), fc.constant('*a'), fc.string({ maxLength: 20 })), { maxLength: 200 }).map((a) => a.join('')),
);

t('docFields: any bytes give bounded fields or null (binary), never an exception', () => {
  fc.assert(
    fc.property(docText, fc.uint8Array({ maxLength: 64 }), (text, bytes) => {
      for (const body of [Buffer.from(text), Buffer.concat([Buffer.from(text), Buffer.from(bytes)])]) {
        const f = docFields('projects/p/a.md', body);
        if (f === null) continue;
        assert.ok(f.title.length <= 500 && f.description.length <= 500);
        assert.ok(f.body.length <= TEXT_LIMITS.bodyBytes);
        assert.ok(f.headings.split('\n').length <= 200);
      }
    }),
    runs,
  );
});

t('parseQuery and termsOf: any query gives words of it and lower-case phrases; terms are bounded', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 1000 }), (q) => {
      const parsed = parseQuery(q);
      for (const w of parsed.words) assert.ok(q.includes(w) && !w.includes('"') && !/\s/.test(w));
      for (const p of parsed.phrases) assert.is(p, p.toLowerCase());
      for (const term of termsOf(q)) assert.ok(term.length > 0 && term.length <= 64 && processTerm(term) !== undefined);
    }),
    runs,
  );
});

t('bestLines: at most 3 lines, in document order, each a line of the doc cut to 240 characters', () => {
  fc.assert(
    fc.property(docText, fc.string({ maxLength: 100 }), (body, q) => {
      const { words, phrases } = parseQuery(q);
      const lines = bestLines(body, words, phrases);
      assert.ok(lines.length <= 3);
      const all = body.split('\n');
      lines.forEach((l, i) => {
        if (i) assert.ok(l.line > lines[i - 1].line);
        assert.ok(l.line >= 1 && l.line <= all.length);
        assert.ok(l.text.length <= 242);
        assert.ok(all[l.line - 1].includes(l.text.replace(/^…|…$/g, '').trim().slice(0, 50)));
      });
    }),
    runs,
  );
});

t('parseListen: null, or a host and a port in 0..65535', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.tuple(fc.constantFrom('', '127.0.0.1:', '[::1]:', 'a.b:', '0.0.0.0:'), fc.nat(99999)).map(([h, p]) => `${h}${p}`)), (text) => {
      const r = parseListen(text);
      if (r === null) return;
      assert.ok(Number.isInteger(r.port) && r.port >= 0 && r.port <= 65535);
      assert.ok(r.host.length > 0 && !/[[\]]/.test(r.host));
    }),
    runs,
  );
  assert.equal(parseListen('8080'), { host: '127.0.0.1', port: 8080 });
  assert.equal(parseListen('[::1]:8080'), { host: '::1', port: 8080 });
  assert.is(parseListen('localhost:70000'), null);
});

t.run();
