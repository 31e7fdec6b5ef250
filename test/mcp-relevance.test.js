// codex_search's relevance (design §8, issue 22): the fixture codex of test/fixtures/relevance.js, its 25
// questions asked of the ranked index and of plain `git grep -F -i` (what codex_search was before). recall@3
// of the index must stay at 0.9 or more; both MRRs are printed.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Reader } from '../dist/reader/reader.js';
import { grepTree, searchDocs } from '../dist/reader/search/search.js';
import { QUESTIONS, relevanceDocs } from './fixtures/relevance.js';
import { cleanup, isolatedEnv, makeCodex } from './helpers.js';

const t = suite('mcp-relevance');
t.after.each(cleanup);

const rankOf = (paths, want) => paths.indexOf(want) + 1;

t('the ranked index: recall@3 >= 0.9 on the relevance set; MRR beside git grep', async () => {
  const env = isolatedEnv();
  const bare = makeCodex(env, relevanceDocs(), ['main']);
  const reader = new Reader({ url: bare, branch: 'main', unreleasedBranches: [], refreshSeconds: 60, timeoutMs: 20_000, env });
  try {
    const first = await searchDocs(reader, 'acme', { query: 'warm up' });
    assert.is(first.source, 'grep');
    await reader.searchIndex.settled();
    const { snapshot } = await reader.production();
    let top3 = 0;
    let mrr = 0;
    let grepMrr = 0;
    const missed = [];
    for (const [question, want] of QUESTIONS) {
      const r = await searchDocs(reader, 'acme', { query: question, limit: 10 });
      assert.is(r.source, 'index');
      const rank = rankOf(r.hits.map((h) => h.path), want);
      if (rank >= 1 && rank <= 3) top3++;
      else missed.push(`${question} -> ${want} (rank ${rank || '>10'}; got ${r.hits.slice(0, 3).map((h) => h.path).join(', ')})`);
      mrr += rank ? 1 / rank : 0;
      const g = await grepTree(snapshot.tip, question, { ignoreCase: true, limit: 200, timeoutMs: 10_000 }, { cwd: reader.cacheDir, env });
      const grepRank = rankOf([...new Set(g.hits.map((h) => h.path))], want);
      grepMrr += grepRank ? 1 / grepRank : 0;
    }
    const recall = top3 / QUESTIONS.length;
    console.log(`\n  relevance (${QUESTIONS.length} questions, 200 docs): recall@3 ${recall.toFixed(2)}, MRR ${(mrr / QUESTIONS.length).toFixed(3)}; git grep -F -i: MRR ${(grepMrr / QUESTIONS.length).toFixed(3)}`);
    if (missed.length) console.log(`  not in the top 3:\n    ${missed.join('\n    ')}`);
    assert.ok(recall >= 0.9, `recall@3 ${recall} < 0.9:\n${missed.join('\n')}`);
  } finally {
    reader.close();
  }
});

t.run();
