import MiniSearch from 'minisearch';
import type { DocFields } from './doc-text.js';

/**
 * The ranked index behind codex_search (design §8): MiniSearch's BM25+ over weighted fields, chosen by
 * measurement (scripts/search-candidates.mjs, README "Ranked search"). Documents are numbered; the
 * index keeps only term statistics, and each hit's snippet is read from its blob when it is shown.
 */
export const FIELDS = ['head', 'body'] as const;
/**
 * Title, headings and path weigh more than the body (design §8). They share one field, the title written
 * twice in it: each field costs MiniSearch a map per term, and one field instead of five halves the
 * index's memory on the bench's codex (README "Ranked search").
 */
export const BOOST = { head: 3, body: 1 };
export const INDEX_VERSION = 3;

/** The two indexed fields of a document's fields. Pure. */
export const indexed = (f: DocFields) => ({ head: [f.title, f.title, f.description, f.tags, f.headings, f.path].join('\n'), body: f.body });

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
/**
 * A term as indexed and as asked: lower case, stemmed; null for stop words, single letters and numbers of
 * more than 4 digits (ids, counts: each one a term of its own that no question asks for; 404, 2024, 8080
 * stay).
 */
export function processTerm(term: string): string | null {
  const t = term.toLowerCase();
  if (t.length > 64 || STOP.has(t) || (t.length < 2 && !/\d/.test(t)) || /^\d{5,}$/.test(t)) return null;
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
    // the async form yields to the event loop every 1,000 terms: a server loading a large index still answers (by git grep)
    return new TextIndex(await MiniSearch.loadJSAsync(data.index, OPTIONS), data.docs, data.tree, data.commit);
  }

  /**
   * The saved form, as pieces to write one after the other: MiniSearch's own `toJSON()` format (its
   * loadJS reads it back), built from its maps a slice at a time, so that saving never holds a second
   * copy of the whole index (on 100,000 docs that copy weighed ~200 MB). Should the maps not be where
   * MiniSearch 7 keeps them, its toJSON() is used whole.
   */
  *toJSONPieces(): Generator<string> {
    yield `{"version":${INDEX_VERSION},"tree":${JSON.stringify(this.tree)},"commit":${JSON.stringify(this.commit)},"docs":`;
    for (let i = 0; i < this.docs.length; i += 20_000) yield `${i ? ',' : '['}${JSON.stringify(this.docs.slice(i, i + 20_000)).slice(1, -1)}`;
    yield `${this.docs.length ? '' : '['}],"index":`;
    const m = this.ms as unknown as Record<string, unknown>;
    if (!(m._index && m._documentIds instanceof Map && m._fieldLength instanceof Map && m._storedFields instanceof Map)) {
      yield JSON.stringify(this.ms.toJSON());
      yield '}';
      return;
    }
    const { index, ...rest } = {
      documentCount: m._documentCount, nextId: m._nextId, documentIds: Object.fromEntries(m._documentIds as Map<unknown, unknown>),
      fieldIds: m._fieldIds, fieldLength: Object.fromEntries(m._fieldLength as Map<unknown, unknown>), averageFieldLength: m._avgFieldLength,
      storedFields: {}, dirtCount: m._dirtCount, serializationVersion: 2, index: m._index as Iterable<[string, Map<number, Map<number, number>>]>,
    };
    yield `${JSON.stringify(rest).slice(0, -1)},"index":[`;
    let slice: unknown[] = [];
    let first = true;
    const flush = () => {
      const text = JSON.stringify(slice).slice(1, -1);
      const piece = first || !text ? text : `,${text}`;
      first &&= !text;
      slice = [];
      return piece;
    };
    let postings = 0;
    for (const [term, fieldIndex] of index) {
      const data: Record<number, Record<number, number>> = {};
      for (const [fieldId, freqs] of fieldIndex) {
        data[fieldId] = Object.fromEntries(freqs);
        postings += freqs.size;
      }
      slice.push([term, data]);
      // a slice of at most ~50,000 postings: a common term alone has one per document
      if (postings >= 50_000) {
        postings = 0;
        yield flush();
      }
    }
    yield `${flush()}]}}`;
  }

  toJSON(): string {
    return [...this.toJSONPieces()].join('');
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
    this.ms.add({ id, ...indexed(fields) });
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
