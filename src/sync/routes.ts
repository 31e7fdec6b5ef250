import fs from 'node:fs';
import os from 'node:os';
import picomatch from 'picomatch';
import type { ObjectSource } from '../git/store.js';
import { runGit } from '../git/exec.js';
import { listedEntry } from '../git/objects.js';
import { local, type CodexCache } from './cache.js';
import { diffTrees, pathChain, rootTree } from './codex-tree.js';

/** A codex doc whose front matter routes it to projects (SPEC §4 from-codex). */
export interface Route {
  oid: string;
  mode: string;
  include: string[];
  exclude: string[];
}

interface RouteIndex {
  version: 2;
  /** The codex commit the index describes. */
  commit: string;
  docs: Record<string, Route>;
}

const MARKDOWN = /\.(md|mdx|markdown)$/i;
const CHUNK = 500;

const toList = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

/**
 * Reads routing front matter. Only YAML: gray-matter would otherwise evaluate `---js` front matter, and
 * codex content must never run code on a developer's machine.
 */
export async function parseRouting(content: Buffer): Promise<{ include: string[]; exclude: string[] } | null> {
  const head = content.subarray(0, 3).toString();
  if (head !== '---') return null;
  const { default: matter } = await import('gray-matter');
  const refuse = () => {
    throw new Error('only YAML front matter is read');
  };
  try {
    const { data } = matter(content.toString('utf8'), { engines: { js: refuse, javascript: refuse, coffee: refuse, json: refuse } } as never);
    const include = toList(data.codex_sync_include);
    return include.length ? { include, exclude: toList(data.codex_sync_exclude) } : null;
  } catch {
    return null; // a doc with broken front matter is routed nowhere
  }
}

/**
 * The codex's routed docs at `tip`, kept up to date incrementally in the cache: after the first scan
 * only the docs that changed between the indexed tree and the new one are read (a tree diff that skips
 * unchanged folders), so each blob's front matter is parsed once, and a warm sync costs what changed,
 * not the codex's size.
 */
export async function routedDocs(cache: CodexCache, reader: ObjectSource, branch: string, tip: string): Promise<Record<string, Route>> {
  const file = `${cache.dir}/codex-hooks-routes-${Buffer.from(branch).toString('hex')}.json`;
  let index: RouteIndex | undefined;
  try {
    index = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (index?.version !== 2) index = undefined;
  } catch {
    index = undefined;
  }
  if (index?.commit === tip) return index.docs;

  let docs: Record<string, Route> = {};
  let candidates: Array<{ path: string; oid: string; mode: string }> | null = null;
  if (index) {
    try {
      const changes = await diffTrees(reader, await rootTree(reader, index.commit), await rootTree(reader, tip));
      docs = { ...index.docs };
      candidates = [];
      for (const c of changes) {
        if (c.status === 'D' && c.folder) {
          for (const p of Object.keys(docs)) if (p.startsWith(c.path + '/')) delete docs[p];
          continue;
        }
        if (!MARKDOWN.test(c.path)) continue;
        delete docs[c.path];
        if (c.entry?.type === 'blob') candidates.push({ path: c.path, oid: c.entry.oid, mode: c.entry.mode });
      }
    } catch {
      candidates = null; // the indexed commit is gone from the cache: scan afresh
    }
  }
  if (!candidates) {
    docs = {};
    candidates = await grepCandidates(cache, reader, tip);
  }
  const parsed = new Map<string, { include: string[]; exclude: string[] } | null>();
  for (let i = 0; i < candidates.length; i += CHUNK) {
    const chunk = candidates.slice(i, i + CHUNK).filter((c) => c.mode !== '120000');
    const oids = [...new Set(chunk.map((c) => c.oid))].filter((o) => !parsed.has(o));
    for (const o of await reader.readMany(oids)) if (o?.type === 'blob') parsed.set(o.oid, await parseRouting(o.body));
    for (const c of chunk) {
      const r = parsed.get(c.oid);
      if (r) docs[c.path] = { oid: c.oid, mode: c.mode, ...r };
    }
  }
  try {
    fs.writeFileSync(`${file}.tmp-${process.pid}`, JSON.stringify({ version: 2, commit: tip, docs } satisfies RouteIndex));
    fs.renameSync(`${file}.tmp-${process.pid}`, file);
  } catch {
    // the index is only a speed-up
  }
  return docs;
}

/**
 * The first scan of a codex: only docs that mention codex_sync_include can be routed, and `git grep`
 * finds them in the object store (in C) without this process reading every blob. On two cores or fewer
 * it runs single-threaded: its threads then only contend (130 vs 180-280 ms for 100,000 docs here).
 */
async function grepCandidates(cache: CodexCache, reader: ObjectSource, tip: string): Promise<Array<{ path: string; oid: string; mode: string }>> {
  const threads = os.availableParallelism() <= 2 ? ['--threads', '1'] : [];
  const { stdout, code } = await runGit(['grep', ...threads, '-l', '-z', '-F', '-e', 'codex_sync_include', tip, '--', '*.md', '*.mdx', '*.markdown'], local(cache, { okCodes: [1] }));
  if (code === 1) return [];
  const root = await rootTree(reader, tip);
  const found = [];
  for (const p of stdout.toString('utf8').split('\0').filter(Boolean).map((line) => line.slice(tip.length + 1))) {
    const { target } = await pathChain(reader, root, p.split('/'));
    const e = target && listedEntry(target, p);
    if (e?.type === 'blob' && e.mode !== '120000') found.push({ path: p, oid: e.oid, mode: e.mode });
  }
  return found;
}

/** Does a doc's codex_sync_include / codex_sync_exclude route it to this project? Pure. */
export function routesTo(route: Pick<Route, 'include' | 'exclude'>, projectName: string): boolean {
  const hit = (list: string[]) => list.some((p) => p === '*' || p === projectName || picomatch.isMatch(projectName, p));
  return hit(route.include) && !hit(route.exclude);
}
