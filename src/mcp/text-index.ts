import MiniSearch from 'minisearch';
import type { DocFields } from './doc-text.js';

/**
 * The ranked index behind codex_search (SPEC §8): MiniSearch's BM25+ over weighted fields, chosen by
 * measurement (scripts/search-candidates.mjs, README "Ranked search"). Documents are numbered; the
 * index keeps only term statistics, and each hit's snippet is read from its blob when it is shown.
 */
export const FIELDS = ['path', 'title', 'description', 'tags', 'headings', 'body'] as const;
/** Title, headings and path weigh more than the body (SPEC §8). */
export const BOOST = { title: 4, description: 2, tags: 2, headings: 2, path: 2, body: 1 };
export const INDEX_VERSION = 2;

// Words nearly every English doc holds: they rank nothing and would make every query read every doc.
const STOP = new Set(
  'a an and are as at be but by can do does for from has have how i if in into is it its no not of on or so such that the their then there these they this to was were what when where which who why will with you your'.split(' '),
);

/** A light English stemmer: "limits", "limited", "limiting" all index as "limit". Pure. */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed') && !w.endsWith('eed')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('es') && /(ss|x|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  return w;
}

const SPLIT = /[\s\p{P}\p{S}]+/u;
/** A term as indexed and as asked: lower case, stemmed; null for stop words and single letters. */
export function processTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (t.length > 64 || STOP.has(t) || (t.length < 2 && !/\d/.test(t))) return null;
  return stem(t);
}

/** The terms of a text as the index sees them (for snippets). */
export const termsOf = (text: string) => text.split(SPLIT).map(processTerm).filter((t): t is string => !!t);

const OPTIONS = { fields: [...FIELDS], storeFields: [], tokenize: (text: string) => text.split(SPLIT), processTerm };

export interface DocRecord {
  path: string;
  oid: string;
  /** The production commit with which this version of the doc arrived, when an update saw it arrive. */
  since: string | null;
  /** That commit's date (seconds), or null. */
  at: number | null;
}

export interface Query {
  /** Every word asked (phrases' words included), as typed. */
  words: string[];
  /** Quoted phrases, lower case, whitespace collapsed. */
  phrases: string[];
}

/** `rate limits "retry after"`: words in any order, quoted parts as phrases. Pure. */
export function parseQuery(text: string): Query {
  const phrases: string[] = [];
  for (const m of text.matchAll(/"([^"]*)"/g)) {
    const p = m[1].toLowerCase().split(SPLIT).filter(Boolean).join(' ');
    if (p) phrases.push(p);
  }
  return { words: text.replace(/"/g, ' ').split(/\s+/).filter(Boolean), phrases };
}

/** A codex tree's documents in a MiniSearch index, with their paths, blobs and provenance. */
export class TextIndex {
  private byPath = new Map<string, number>();

  private constructor(
    private ms: MiniSearch,
    private docs: Array<DocRecord | null>,
    /** The production tree and commit this index describes. */
    public tree: string,
    public commit: string,
  ) {
    docs.forEach((d, id) => d && this.byPath.set(d.path, id));
  }

  static empty(): TextIndex {
    return new TextIndex(new MiniSearch(OPTIONS), [], '', '');
  }

  static async load(json: string): Promise<TextIndex | null> {
    const data = JSON.parse(json) as { version: number; tree: string; commit: string; docs: Array<DocRecord | null>; index: never };
    if (data.version !== INDEX_VERSION || !Array.isArray(data.docs)) return null;
    return new TextIndex(MiniSearch.loadJS(data.index, OPTIONS), data.docs, data.tree, data.commit);
  }

  toJSON(): string {
    return JSON.stringify({ version: INDEX_VERSION, tree: this.tree, commit: this.commit, docs: this.docs, index: this.ms.toJSON() });
  }

  get size(): number {
    return this.byPath.size;
  }

  paths(): IterableIterator<string> {
    return this.byPath.keys();
  }

  add(record: DocRecord, fields: DocFields): void {
    this.remove(record.path);
    const id = this.docs.length;
    this.docs.push(record);
    this.byPath.set(record.path, id);
    this.ms.add({ id, ...fields });
  }

  remove(codexPath: string): void {
    const id = this.byPath.get(codexPath);
    if (id === undefined) return;
    this.ms.discard(id);
    this.docs[id] = null;
    this.byPath.delete(codexPath);
  }

  /** The docs of the query, best first; under `folder/` when given; each phrase's words all present. */
  search(q: Query, folder: string | null): Array<{ doc: DocRecord; score: number; terms: string[] }> {
    const inFolder = folder === null ? null : `${folder}/`;
    const filter = (r: { id: number }) => {
      const d = this.docs[r.id];
      return !!d && (inFolder === null || d.path.startsWith(inFolder));
    };
    let results = this.ms.search(q.words.join(' '), { boost: BOOST, combineWith: 'OR', filter: filter as never });
    for (const p of q.phrases) {
      const all = new Set(this.ms.search(p, { combineWith: 'AND', filter: filter as never }).map((r) => r.id));
      results = results.filter((r) => all.has(r.id));
    }
    return results.map((r) => ({ doc: this.docs[r.id]!, score: r.score, terms: r.terms }));
  }
}
