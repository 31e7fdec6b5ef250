// Properties (fast-check, seeded, bounded) over untrusted input: codex tree shapes — shared subtrees
// (bombs), depth, hostile names, links — and the URIs an MCP client sends or is offered.
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { CodexTrees } from '../dist/sync/tree/codex-walk.js';
import { treesOf } from '../dist/sync/tree/codex-tree.js';
import { ObjectStore } from '../dist/git/objects/store.js';
import { encodeCommit, encodeTree } from '../dist/git/objects/objects.js';
import { writeLooseObject } from '../dist/git/objects/loose.js';
import { parseCodexUri } from '../dist/reader/uri.js';
import { offeredUri } from '../dist/reader/listing.js';
import { createServer } from '../dist/mcp/server.js';
import { Reader } from '../dist/reader/reader.js';
import { cleanup, git, isolatedEnv, tmpdir } from './helpers.js';

const t = suite('codex fuzz');
t.after.each(cleanup);
const SEED = 19_2026;

// Names a codex tree can hold (no '/' or NUL), hostile ones included.
const name = fc.oneof(
  fc.constantFrom('docs', 'a.md', 'README.md', 'x y.md', 'é.md', 'ctrl\u0007.md', 'nl\n.md', 'c1\u0085.md', '..', '.', '-rf', ':(exclude)x', '*.md', '%2e%2e', 'a%20b.md', 'x'.repeat(300)),
  fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }).filter((s) => !s.includes('/') && !s.includes('\0')),
);
const entry = fc.record({ name, kind: fc.constantFrom('file', 'file', 'tree', 'tree', 'link'), ref: fc.nat(), content: fc.string({ maxLength: 20 }) });
/** Layers of trees, each naming files or trees of earlier layers: shared subtrees, as a bomb has. */
const shape = fc.array(fc.uniqueArray(entry, { maxLength: 6, selector: (e) => e.name }), { minLength: 1, maxLength: 6 });

/** Writes the shape's trees into `objects`; the root's id, and every path it stands for (capped). */
function build(objects, layers) {
  const trees = [];
  const expanded = [];
  for (const [i, layer] of layers.entries()) {
    const entries = [];
    const paths = [];
    for (const e of layer) {
      const sub = e.kind === 'tree' && i > 0 ? e.ref % i : null;
      if (sub !== null) {
        entries.push({ mode: '40000', name: Buffer.from(e.name), oid: trees[sub] });
        paths.push({ p: e.name, folder: true });
        for (const q of expanded[sub]) paths.push({ p: `${e.name}/${q.p}`, folder: q.folder });
      } else {
        const link = e.kind === 'link';
        entries.push({ mode: link ? '120000' : '100644', name: Buffer.from(e.name), oid: writeLooseObject(objects, 'blob', Buffer.from(link ? `../${e.content}` : e.content)) });
        paths.push({ p: e.name, folder: false });
      }
      if (paths.length > 60_000) break;
    }
    trees.push(writeLooseObject(objects, 'tree', encodeTree(entries)));
    expanded.push(paths);
  }
  return { root: trees[trees.length - 1], paths: expanded[expanded.length - 1] };
}

function bareRepo(env) {
  const bare = path.join(tmpdir(), 'codex.git');
  git(path.dirname(bare), ['init', '-q', '--bare', bare], env);
  return bare;
}

t('a bounded walk of any tree shape: within the bounds, only real paths, and every path listed or under a skipped folder', async () => {
  const env = isolatedEnv();
  const bare = bareRepo(env);
  const store = ObjectStore.open(bare, { cwd: bare, env });
  try {
    await fc.assert(
      fc.asyncProperty(shape, fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 8 }), async (layers, maxPaths, maxDepth) => {
        const { root, paths } = build(path.join(bare, 'objects'), layers);
        const walked = await new CodexTrees(treesOf(store), { paths: maxPaths, depth: maxDepth }).walk(root, '', 0);
        const all = new Set(paths.filter((q) => !q.folder).map((q) => q.p));
        const listed = walked.files.map((f) => f.path);
        assert.ok(listed.length + walked.skipped.length <= maxPaths + walked.skipped.length && listed.length <= maxPaths, `${listed.length} files past ${maxPaths}`);
        for (const p of listed) {
          assert.ok(all.has(p), `listed ${JSON.stringify(p)}, which the tree does not hold`);
          assert.ok(p.split('/').length <= maxDepth, `${JSON.stringify(p)} is deeper than ${maxDepth}`);
        }
        const skipped = walked.skipped.map((s) => s.path);
        const under = (p) => skipped.some((d) => d === '' || p.startsWith(d + '/'));
        const shown = new Set(listed);
        if (paths.length <= 60_000) for (const p of all) assert.ok(shown.has(p) || under(p), `${JSON.stringify(p)} neither listed nor skipped`);
        const depth = Math.max(0, ...paths.map((q) => q.p.split('/').length));
        if (paths.length <= maxPaths && depth <= maxDepth) assert.equal(skipped, [], 'a tree within the bounds is listed whole');
      }),
      { seed: SEED, numRuns: 150 },
    );
  } finally {
    store.close();
  }
});

t('parseCodexUri: any string is refused or names a path inside its project; offered URIs read back as themselves', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 60, unit: 'binary' }), fc.string().map((s) => `codex://acme/${s}`), fc.tuple(name, name).map(([a, b]) => `codex://acme/shared/${a}/${b}`)), (uri) => {
      let parsed;
      try {
        parsed = parseCodexUri(uri);
      } catch (error) {
        assert.is(error.name === 'UsageError' || error.constructor.name === 'UsageError', true, String(error));
        return;
      }
      assert.not.ok(parsed.path.split('/').some((s) => s === '..' || s === '.'), uri);
      assert.not.ok(/[\u0000-\u001f\u007f-\u009f]/.test(parsed.path), uri);
    }),
    { seed: SEED, numRuns: 2000 },
  );
  fc.assert(
    fc.property(name, fc.array(name, { minLength: 1, maxLength: 4 }), (project, segments) => {
      const rel = segments.join('/');
      const uri = offeredUri('acme', project, rel);
      if (uri === null) return;
      assert.equal(parseCodexUri(uri), { org: 'acme', project, path: rel });
    }),
    { seed: SEED, numRuns: 2000 },
  );
});

t('the MCP reader over random codex shapes: every URI it lists is one it serves; it never crashes', async () => {
  await fc.assert(
    fc.asyncProperty(shape, async (layers) => {
      const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '20' });
      const bare = bareRepo(env);
      const objects = path.join(bare, 'objects');
      const { root: shared } = build(objects, layers);
      const guide = writeLooseObject(objects, 'blob', Buffer.from('# guide\n'));
      const projects = writeLooseObject(objects, 'tree', encodeTree([{ mode: '40000', name: Buffer.from('x'), oid: shared }]));
      const top = writeLooseObject(objects, 'tree', encodeTree([{ mode: '40000', name: Buffer.from('shared'), oid: shared }, { mode: '40000', name: Buffer.from('projects'), oid: projects }, { mode: '100644', name: Buffer.from('guide.md'), oid: guide }]));
      const who = { name: 'T', email: 't@e', when: 1, tz: '+0000' };
      const commit = writeLooseObject(objects, 'commit', encodeCommit({ tree: top, parents: [], author: who, committer: who, message: 'docs(x): sync\n\nCodex-Project: x\nCodex-Source-Branch: \u001b[2Jmain\n' }));
      fs.writeFileSync(path.join(bare, 'refs/heads/main'), commit + '\n');
      const reader = new Reader({ url: bare, branch: 'main', unreleasedBranches: [], refreshSeconds: 60, timeoutMs: 20_000, env });
      const server = createServer({ session: async () => ({ reader, org: 'acme', checkOrg: 'acme' }), version: 'fuzz' });
      const [a, b] = InMemoryTransport.createLinkedPair();
      await server.connect(b);
      const client = new Client({ name: 'fuzz', version: '1' });
      await client.connect(a);
      try {
        const { resources } = await client.listResources();
        for (const r of resources.slice(0, 40)) {
          const read = await client.readResource({ uri: r.uri });
          assert.is(read.contents.length, 1, r.uri);
        }
        const list = await client.callTool({ name: 'codex_list', arguments: { uri: 'codex://acme/shared/' } });
        if (!list.isError) for (const e of list.structuredContent.entries.slice(0, 40)) assert.not.ok((await client.callTool({ name: 'codex_fetch', arguments: { uri: e.uri } })).isError, e.uri);
        const status = await client.callTool({ name: 'codex_status', arguments: {} });
        assert.not.ok(JSON.stringify(status.structuredContent).includes('\\u001b'), 'a raw escape in codex_status');
        assert.not.ok(status.content[0].text.includes('\u001b'), 'a raw escape in codex_status');
      } finally {
        await client.close();
        await server.close();
        reader.close();
        cleanup();
      }
    }),
    { seed: SEED, numRuns: 12 },
  );
});

t.run();
