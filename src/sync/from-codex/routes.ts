import os from 'node:os';
import { wildcardMatch } from './wildcard.js';
import { readJson, writeJsonIfPossible } from '../../core/json-file.js';
import type { ObjectSource } from '../../git/objects/store.js';
import { runGit } from '../../git/exec.js';
import { listedEntry } from '../../git/objects/objects.js';
import { local, type CodexCache } from '../cache/cache.js';
import { diffTrees, pathChain, rootTree, treesOf } from '../tree/codex-tree.js';
import { CODEX_TREE } from '../tree/bounds.js';
import { CodexTrees, type SkippedFolder } from '../tree/codex-walk.js';

/** A codex doc whose front matter routes it to projects (design §4 from-codex). */
export interface Route {
  oid: string;
  mode: string;
  include: string[];
  exclude: string[];
}

interface RouteIndex {
  version: 4;
  /** The codex commit the index describes. */
  commit: string;
  docs: Record<string, Route>;
  /** Docs whose front matter was not read, and why. */
  refused: Record<string, string>;
  /** Folders the scan left out (bounds.ts). */
  skipped: SkippedFolder[];
}

export interface RoutedDocs {
  docs: Record<string, Route>;
  /** Docs refused by this scan (not those an earlier scan refused already): each is warned about once. */
  newlyRefused: Array<{ path: string; reason: string }>;
  /** Folders not scanned: past the bounds of bounds.ts. */
  skipped: SkippedFolder[];
}

const MARKDOWN = /\.(md|mdx|markdown)$/i;
/** A doc larger than this is not read for routing at all. */
export const ROUTED_DOC_MAX = 16 * 1024 * 1024;

/** Bounds on what is read of a codex doc's front matter (design §4: the codex is untrusted input). */
export const FRONT_MATTER_MAX = 64 * 1024;
export const ROUTE_MAX_VALUES = 100;
export const ROUTE_MAX_LENGTH = 200;

export type Routing = { include: string[]; exclude: string[] };

/** A routing value: a string, or a list of at most ROUTE_MAX_VALUES strings of at most ROUTE_MAX_LENGTH characters. */
function routeList(value: unknown, key: string): string[] {
  const list = value === undefined || value === null ? [] : typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) throw new Error(`${key} is not a string or a list of strings`);
  if (list.length > ROUTE_MAX_VALUES) throw new Error(`${key} has ${list.length} values (at most ${ROUTE_MAX_VALUES} are read)`);
  if (list.some((v) => v.length > ROUTE_MAX_LENGTH)) throw new Error(`${key} has a value over ${ROUTE_MAX_LENGTH} characters`);
  return list;
}

/**
 * Reads routing front matter within bounds: only YAML (gray-matter would otherwise evaluate `---js`, and
 * codex content must never run code here), at most FRONT_MATTER_MAX bytes, no anchors or aliases (a few
 * hundred bytes of aliases expand to gigabytes when walked). Returns null for a doc that routes nowhere,
 * `{ refused }` for one whose front matter was not read, and why.
 */
export async function parseRouting(content: Buffer): Promise<Routing | { refused: string } | null> {
  if (content.subarray(0, 3).toString() !== '---') return null;
  const head = content.subarray(0, FRONT_MATTER_MAX + 8).toString('utf8');
  if (!/^---[ \t]*\r?\n/.test(head) || !head.includes('codex_sync_include')) return null;
  const close = /\r?\n---[ \t]*(\r?\n|$)/.exec(head.slice(3));
  if (!close || 3 + close.index > FRONT_MATTER_MAX) return { refused: `front matter over ${FRONT_MATTER_MAX / 1024} KiB or not closed` };
  const text = head.slice(0, 3 + close.index + close[0].length);
  const [{ default: matter }, yaml] = await Promise.all([import('gray-matter'), import('js-yaml')]);
  const refuse = () => {
    throw new Error('only YAML front matter is read');
  };
  const parse = (str: string) =>
    yaml.load(str, {
      schema: yaml.CORE_SCHEMA,
      listener(event: string, state: { anchor: string | null }) {
        if (event === 'close' && state.anchor !== null) throw new Error('YAML anchors and aliases are not read');
      },
    } as never);
  try {
    const { data } = matter(text, { engines: { yaml: parse, js: refuse, javascript: refuse, coffee: refuse, json: refuse } } as never);
    const include = routeList(data.codex_sync_include, 'codex_sync_include');
    return include.length ? { include, exclude: routeList(data.codex_sync_exclude, 'codex_sync_exclude') } : null;
  } catch (error) {
    return { refused: (error as Error).message.split('\n')[0].slice(0, 200) };
  }
}

/**
 * The codex's routed docs at `tip`, kept up to date incrementally in the cache: after the first scan
 * only the docs that changed between the indexed tree and the new one are read (a tree diff that skips
 * unchanged folders), so each blob's front matter is parsed once, and a warm sync costs what changed,
 * not the codex's size.
 */
export async function routedDocs(cache: CodexCache, reader: ObjectSource, branch: string, tip: string, signal?: AbortSignal): Promise<RoutedDocs> {
  const file = `${cache.dir}/codex-hooks-routes-${Buffer.from(branch).toString('hex')}.json`;
  let index = readJson<RouteIndex | undefined>(file, undefined);
  if (index?.version !== 4) index = undefined;
  if (index?.commit === tip) return { docs: index.docs, newlyRefused: [], skipped: index.skipped };
  // A scan that left folders out is made afresh: what changed may be what brings them within the bounds.
  if (index?.skipped.length) index = undefined;

  let docs: Record<string, Route> = {};
  let refused: Record<string, string> = {};
  let candidates: Array<{ path: string; oid: string; mode: string }> | null = null;
  if (index) {
    try {
      const changes = await diffTrees(reader, await rootTree(reader, index.commit), await rootTree(reader, tip), signal);
      docs = { ...index.docs };
      refused = { ...index.refused };
      candidates = [];
      for (const c of changes) {
        if (c.status === 'D' && c.folder) {
          for (const known of [docs, refused]) for (const p of Object.keys(known)) if (p.startsWith(c.path + '/')) delete known[p];
          continue;
        }
        if (!MARKDOWN.test(c.path)) continue;
        delete docs[c.path];
        delete refused[c.path];
        if (c.entry?.type === 'blob') candidates.push({ path: c.path, oid: c.entry.oid, mode: c.entry.mode });
      }
    } catch {
      signal?.throwIfAborted();
      candidates = null; // the indexed commit is gone from the cache, or the change is past the bounds: scan afresh
    }
  }
  let skipped: SkippedFolder[] = [];
  if (!candidates) {
    docs = {};
    refused = {};
    ({ candidates, skipped } = await grepCandidates(cache, reader, tip, signal));
  }
  candidates = candidates.filter((c) => c.mode !== '120000');
  const newlyRefused: RoutedDocs['newlyRefused'] = [];
  const sizes = await reader.sizes(candidates.map((c) => c.oid));
  const parsed = new Map<string, Awaited<ReturnType<typeof parseRouting>>>();
  const readable = candidates.filter((c) => {
    if ((sizes.get(c.oid) ?? 0) <= ROUTED_DOC_MAX) return true;
    parsed.set(c.oid, { refused: `over ${ROUTED_DOC_MAX / 1024 / 1024} MiB, not read for routing` });
    return false;
  });
  // Read in batches of bounded size: memory stays bounded whatever the codex holds.
  for (const batch of byBudget([...new Set(readable.map((c) => c.oid))], (oid) => sizes.get(oid) ?? 0)) {
    for (const o of await reader.readMany(batch)) if (o?.type === 'blob') parsed.set(o.oid, await parseRouting(o.body));
  }
  for (const c of candidates) {
    const r = parsed.get(c.oid);
    if (!r) continue;
    if ('refused' in r) {
      refused[c.path] = r.refused;
      newlyRefused.push({ path: c.path, reason: r.refused });
    } else docs[c.path] = { oid: c.oid, mode: c.mode, ...r };
  }
  writeJsonIfPossible(file, { version: 4, commit: tip, docs, refused, skipped } satisfies RouteIndex, { compact: true }); // only a speed-up
  return { docs, newlyRefused, skipped };
}

/** Splits ids into batches of at most `budget` bytes and `most` ids (one larger object is a batch alone). */
export function byBudget(oids: string[], sizeOf: (oid: string) => number, budget = 32 * 1024 * 1024, most = 500): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let bytes = 0;
  for (const oid of oids) {
    const size = sizeOf(oid);
    if (batch.length && (bytes + size > budget || batch.length >= most)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(oid);
    bytes += size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

/**
 * The first scan of a codex: only docs that mention codex_sync_include can be routed, and `git grep`
 * finds them in the object store (in C) without this process reading every blob. On two cores or fewer
 * it runs single-threaded: its threads then only contend (130 vs 180-280 ms for 100,000 docs here).
 * The tree is sized first (codex-walk.ts): folders past the bounds are excluded from the grep, so git
 * never walks a tree bomb either; git ends with the sync's deadline.
 */
async function grepCandidates(cache: CodexCache, reader: ObjectSource, tip: string, signal?: AbortSignal): Promise<{ candidates: Array<{ path: string; oid: string; mode: string }>; skipped: SkippedFolder[] }> {
  const root = await rootTree(reader, tip);
  const { skipped } = await new CodexTrees(treesOf(reader), CODEX_TREE, signal).walk(root, '', 0, { files: false });
  if (skipped.some((f) => f.path === '')) return { candidates: [], skipped };
  const threads = os.availableParallelism() <= 2 ? ['--threads', '1'] : [];
  const excluded = skipped.map((f) => `:(exclude,literal)${f.path}`);
  const { stdout, code } = await runGit(['grep', ...threads, '-l', '-z', '-F', '-e', 'codex_sync_include', tip, '--', '*.md', '*.mdx', '*.markdown', ...excluded], local(cache, { okCodes: [1] }));
  if (code === 1) return { candidates: [], skipped };
  const found = [];
  for (const p of stdout.toString('utf8').split('\0').filter(Boolean).map((line) => line.slice(tip.length + 1))) {
    const { target } = await pathChain(reader, root, p.split('/'));
    const e = target && listedEntry(target, p);
    if (e?.type === 'blob' && e.mode !== '120000') found.push({ path: p, oid: e.oid, mode: e.mode });
  }
  return { candidates: found, skipped };
}

/** Does a doc's codex_sync_include / codex_sync_exclude route it to this project? Pure. */
export function routesTo(route: Pick<Route, 'include' | 'exclude'>, projectName: string): boolean {
  const hit = (list: string[]) => list.some((p) => p === '*' || p === projectName || wildcardMatch(p, projectName));
  return hit(route.include) && !hit(route.exclude);
}
