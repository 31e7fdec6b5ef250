import os from 'node:os';
import type { DocFields } from './doc-text.js';

/**
 * The ranked index behind codex_search (design §8): BM25+ over two weighted fields, scored exactly as
 * MiniSearch 7 scores them (its k 1.2, b 0.7, d 0.5, field boosts, a doc's score times the number of query
 * words it holds; test/mcp-index-equiv.test.js holds the two side by side). MiniSearch was chosen by
 * measurement (scripts/search-candidates.mjs, README "Ranked search") and served until its memory could
 * not meet 300 MB on 100,000 docs: its postings are a `Map` per field per term, ~50 bytes per posting
 * (115 MB of the 170 MB a built index kept, heap snapshot). Here the postings are typed arrays in CSR form
 * (one doc-id and one frequency array, a term's list a range of them), ~6 bytes per posting; see
 * design §8 and README "codex_search on 100,000 docs" for the figures before and after.
 */
export const FIELDS = ['head', 'body'] as const;
/**
 * Title, headings and path weigh more than the body (design §8). They share one field, the title written
 * twice in it (one field instead of five: fewer postings, and the ranking the relevance set was tuned on).
 */
export const BOOST = { head: 3, body: 1 };
const BOOSTS = FIELDS.map((f) => BOOST[f]);
export const INDEX_VERSION = 4;
/** MiniSearch's BM25+ parameters, kept so that the ranking does not change. */
const BM25 = { k: 1.2, b: 0.7, d: 0.5 };
/** A term's count in one field of one doc is kept up to this (BM25 saturates long before). */
const MAX_FREQ = 0xffff;
/** Bounds on a saved index read back: it is a file in a cache, checked before it is trusted. */
const MAX_SAVED_DOCS = 10_000_000;

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
/** A field's or a query's raw tokens ('' included, as MiniSearch's split gives them). Pure. */
export const tokenize = (text: string) => text.split(SPLIT);
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


/** A growable typed array (doubling), for the postings added since the last compaction. */
class Grow<T extends Uint32Array | Uint16Array | Uint8Array | Int32Array> {
  length = 0;
  constructor(public data: T) {}
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(this.length + 1);
    this.data[this.length++] = v;
  }
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new (this.data.constructor as new (n: number) => T)(Math.max(n, this.data.length * 2, 64));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  view(): T {
    return this.data.subarray(0, this.length) as T;
  }
}

const { k: K, b: B, d: D } = BM25;

/** The saved form (JSON; typed arrays as base64 of their little- or big-endian bytes, as `endian` says). */
interface Saved {
  version: number;
  endian: string;
  tree: string;
  commit: string;
  releases: Array<{ commit: string; at: number | null }>;
  paths: string[];
  terms: string[];
  oids: string;
  rel: string;
  lens: string;
  offsets: string;
  docs: string;
  freqs: string;
}

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
function fromB64<T extends Uint32Array | Uint16Array | Uint8Array | Int32Array>(text: unknown, make: new (n: number) => T, n: number): T | null {
  if (typeof text !== 'string') return null;
  const bytes = Buffer.from(text, 'base64');
  const out = new make(n);
  if (bytes.length !== out.byteLength) return null;
  b64(out).set(bytes);
  return out;
}

/**
 * A codex tree's documents, numbered, with their paths, blobs and provenance, and an inverted index of
 * their terms. Postings are in CSR form: the list of term t in field f is `docs`/`freqs` from
 * `offsets[2t+f]` to `offsets[2t+f+1]`, doc ids ascending. Adding and removing docs works on a copy being
 * built (IndexKeeper), never on the index that answers: added docs' postings wait in `pending`, removed
 * docs are marked (a null path), and `finish()` merges both into new arrays, renumbering docs and terms.
 */
export class TextIndex {
  private byPath = new Map<string, number>();
  private termIds = new Map<string, number>();
  private docPaths: Array<string | null>;
  private oids: Grow<Uint8Array>;
  /** Per doc: its release in `releases`, or -1. */
  private rel: Grow<Int32Array>;
  private releases: Array<{ commit: string; at: number | null }>;
  private releaseIds = new Map<string, number>();
  /** Per doc and field: its length (unique tokens, as MiniSearch counts them). */
  private lens: Grow<Uint32Array>;
  private live = 0;
  private totalLen = [0, 0];
  private pending = { keys: new Grow(new Uint32Array(0)), docs: new Grow(new Uint32Array(0)), freqs: new Grow(new Uint16Array(0)) };

  private constructor(
    private terms: string[],
    private offsets: Uint32Array,
    private docs: Uint32Array,
    private freqs: Uint16Array,
    paths: Array<string | null>,
    oids: Uint8Array,
    rel: Int32Array,
    releases: Array<{ commit: string; at: number | null }>,
    lens: Uint32Array,
    /** The production tree and commit this index describes. */
    public tree: string,
    public commit: string,
    maps?: { byPath: Map<string, number>; termIds: Map<string, number>; releaseIds: Map<string, number>; live: number; totalLen: number[] },
  ) {
    this.docPaths = paths;
    this.oids = new Grow(oids);
    this.oids.length = oids.length;
    this.rel = new Grow(rel);
    this.rel.length = rel.length;
    this.lens = new Grow(lens);
    this.lens.length = lens.length;
    this.releases = releases;
    if (maps) {
      this.byPath = new Map(maps.byPath);
      this.termIds = new Map(maps.termIds);
      this.releaseIds = new Map(maps.releaseIds);
      this.live = maps.live;
      this.totalLen = maps.totalLen.slice();
      return;
    }
    releases.forEach((r, i) => this.releaseIds.set(r.commit, i));
    terms.forEach((t, i) => this.termIds.set(t, i));
    paths.forEach((p, id) => {
      if (p === null) return;
      this.byPath.set(p, id);
      this.live++;
      for (let f = 0; f < FIELDS.length; f++) this.totalLen[f] += lens[id * 2 + f];
    });
  }

  static empty(): TextIndex {
    return new TextIndex([], new Uint32Array(1), new Uint32Array(0), new Uint16Array(0), [], new Uint8Array(0), new Int32Array(0), [], new Uint32Array(0), '', '');
  }

  /** A copy to update while this one answers. */
  copy(): TextIndex {
    this.finish();
    const c = new TextIndex(this.terms.slice(), this.offsets, this.docs, this.freqs, this.docPaths.slice(), this.oids.view().slice(), this.rel.view().slice(), this.releases.slice(), this.lens.view().slice(), this.tree, this.commit, {
      byPath: this.byPath, termIds: this.termIds, releaseIds: this.releaseIds, live: this.live, totalLen: this.totalLen,
    });
    return c; // the postings arrays are shared: finish() makes new ones, never writes into them
  }

  /** The saved form read back; null when it is of another version or not consistent (then a full build). */
  static load(json: string): TextIndex | null {
    const d = JSON.parse(json) as Saved;
    if (!d || d.version !== INDEX_VERSION || d.endian !== os.endianness() || typeof d.tree !== 'string' || typeof d.commit !== 'string') return null;
    if (!Array.isArray(d.paths) || !Array.isArray(d.terms) || !Array.isArray(d.releases)) return null;
    const n = d.paths.length;
    const nt = d.terms.length;
    if (n > MAX_SAVED_DOCS || !d.paths.every((p) => typeof p === 'string' && p) || new Set(d.paths).size !== n) return null;
    if (!d.terms.every((t) => typeof t === 'string' && t) || new Set(d.terms).size !== nt) return null;
    if (!d.releases.every((r) => r && typeof r.commit === 'string' && (r.at === null || typeof r.at === 'number'))) return null;
    const oids = fromB64(d.oids, Uint8Array, n * 20);
    const rel = fromB64(d.rel, Int32Array, n);
    const lens = fromB64(d.lens, Uint32Array, n * 2);
    const offsets = fromB64(d.offsets, Uint32Array, nt * 2 + 1);
    if (!oids || !rel || !lens || !offsets || offsets[0] !== 0) return null;
    const np = offsets[nt * 2];
    const docs = fromB64(d.docs, Uint32Array, np);
    const freqs = fromB64(d.freqs, Uint16Array, np);
    if (!docs || !freqs || !rel.every((r) => r >= -1 && r < d.releases.length)) return null;
    for (let k = 0; k < nt * 2; k++) {
      const [a, b] = [offsets[k], offsets[k + 1]];
      if (b < a || b > np) return null;
      // ids ascending within a list, each a doc, each counted
      for (let j = a; j < b; j++) if (docs[j] >= n || (j > a && docs[j] <= docs[j - 1]) || freqs[j] === 0) return null;
    }
    return new TextIndex(d.terms, offsets, docs, freqs, d.paths, oids, rel, d.releases, lens, d.tree, d.commit);
  }

  /**
   * The saved form, as pieces to write one after the other (JSON; each typed array as base64 written a
   * slice at a time), so that saving never holds a second copy of the whole index.
   */
  *toJSONPieces(): Generator<string> {
    this.finish();
    const head = { version: INDEX_VERSION, endian: os.endianness(), tree: this.tree, commit: this.commit, releases: this.releases };
    yield JSON.stringify(head).slice(0, -1);
    for (const [name, list] of [['paths', this.docPaths], ['terms', this.terms]] as const) {
      yield `,${JSON.stringify(name)}:[`;
      for (let i = 0; i < list.length; i += 10_000) yield `${i ? ',' : ''}${JSON.stringify(list.slice(i, i + 10_000)).slice(1, -1)}`;
      yield ']';
    }
    const arrays = { oids: this.oids.view(), rel: this.rel.view(), lens: this.lens.view(), offsets: this.offsets, docs: this.docs, freqs: this.freqs };
    for (const [name, a] of Object.entries(arrays)) {
      yield `,${JSON.stringify(name)}:"`;
      const bytes = b64(a);
      const step = 3 * (1 << 18); // a multiple of 3: the pieces' base64 joins into the whole's
      for (let i = 0; i < bytes.length; i += step) yield bytes.subarray(i, i + step).toString('base64');
      yield '"';
    }
    yield '}';
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

  /** The record of doc `id` (an id from search()). */
  record(id: number): DocRecord {
    const r = this.rel.data[id];
    const release = r >= 0 ? this.releases[r] : null;
    return { path: this.docPaths[id]!, oid: Buffer.from(this.oids.data.buffer, this.oids.data.byteOffset + id * 20, 20).toString('hex'), since: release?.commit ?? null, at: release?.at ?? null };
  }

  add(record: DocRecord, fields: DocFields): void {
    this.remove(record.path);
    if (!/^[0-9a-f]{40}$/.test(record.oid)) throw new Error(`not a SHA-1 object id: ${record.oid.slice(0, 80)}`);
    const id = this.docPaths.length;
    this.docPaths.push(record.path);
    this.byPath.set(record.path, id);
    this.live++;
    this.oids.reserve(this.oids.length + 20);
    this.oids.data.set(Buffer.from(record.oid, 'hex'), this.oids.length);
    this.oids.length += 20;
    let release = -1;
    if (record.since !== null) {
      release = this.releaseIds.get(record.since) ?? this.releases.push({ commit: record.since, at: record.at }) - 1;
      this.releaseIds.set(record.since, release);
    }
    this.rel.push(release);
    const text = indexed(fields);
    FIELDS.forEach((field, f) => {
      const tokens = tokenize(text[field]);
      const len = new Set(tokens).size; // as MiniSearch counts a field's length: raw tokens, '' included
      this.lens.push(len);
      this.totalLen[f] += len;
      const counts = new Map<string, number>();
      for (const token of tokens) {
        const term = processTerm(token);
        if (term) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
      for (const [term, count] of counts) {
        let t = this.termIds.get(term);
        if (t === undefined) this.termIds.set(term, (t = this.terms.push(term) - 1));
        this.pending.keys.push(t * 2 + f);
        this.pending.docs.push(id);
        this.pending.freqs.push(Math.min(count, MAX_FREQ));
      }
    });
  }

  remove(codexPath: string): void {
    const id = this.byPath.get(codexPath);
    if (id === undefined) return;
    this.byPath.delete(codexPath);
    this.docPaths[id] = null;
    this.live--;
    for (let f = 0; f < FIELDS.length; f++) this.totalLen[f] -= this.lens.data[id * 2 + f];
  }

  private get dirty(): boolean {
    return this.pending.keys.length > 0 || this.live !== this.docPaths.length;
  }

  /**
   * Merges the pending postings into the CSR arrays and drops removed docs, their postings and terms no doc
   * holds any more: new arrays, docs and terms renumbered in their order.
   */
  finish(): void {
    if (!this.dirty) return;
    const n = this.docPaths.length;
    const newId = new Int32Array(n);
    let next = 0;
    for (let id = 0; id < n; id++) newId[id] = this.docPaths[id] === null ? -1 : next++;
    const nt = this.terms.length;
    const counts = new Uint32Array(nt * 2);
    const [oOff, oDocs, oFreqs] = [this.offsets, this.docs, this.freqs];
    const baseKeys = (oOff.length - 1) / 2;
    for (let k = 0; k < baseKeys * 2; k++) for (let j = oOff[k]; j < oOff[k + 1]; j++) if (newId[oDocs[j]] >= 0) counts[k]++;
    const pk = this.pending.keys.data;
    const pd = this.pending.docs.data;
    const pf = this.pending.freqs.data;
    const np = this.pending.keys.length;
    for (let j = 0; j < np; j++) if (newId[pd[j]] >= 0) counts[pk[j]]++;
    // terms that keep a posting, renumbered in order
    const termId = new Int32Array(nt);
    const terms: string[] = [];
    for (let t = 0; t < nt; t++) termId[t] = counts[t * 2] + counts[t * 2 + 1] > 0 ? terms.push(this.terms[t]) - 1 : -1;
    const offsets = new Uint32Array(terms.length * 2 + 1);
    for (let t = 0; t < nt; t++) {
      if (termId[t] < 0) continue;
      for (let f = 0; f < 2; f++) offsets[termId[t] * 2 + f + 1] = counts[t * 2 + f];
    }
    for (let k = 1; k < offsets.length; k++) offsets[k] += offsets[k - 1];
    const total = offsets[offsets.length - 1];
    const docs = new Uint32Array(total);
    const freqs = new Uint16Array(total);
    const at = offsets.slice(0, -1);
    // the older postings first: their docs were added first, so each list stays ascending
    for (let k = 0; k < baseKeys * 2; k++) {
      const key = termId[k >> 1] * 2 + (k & 1);
      for (let j = oOff[k]; j < oOff[k + 1]; j++) {
        const d = newId[oDocs[j]];
        if (d < 0) continue;
        docs[at[key]] = d;
        freqs[at[key]++] = oFreqs[j];
      }
    }
    for (let j = 0; j < np; j++) {
      const d = newId[pd[j]];
      if (d < 0) continue;
      const key = termId[pk[j] >> 1] * 2 + (pk[j] & 1);
      docs[at[key]] = d;
      freqs[at[key]++] = pf[j];
    }
    this.terms = terms;
    this.offsets = offsets;
    this.docs = docs;
    this.freqs = freqs;
    if (terms.length !== nt) this.termIds = new Map(terms.map((t, i) => [t, i]));
    if (next !== n) {
      const oids = new Uint8Array(next * 20);
      const rel = new Int32Array(next);
      const lens = new Uint32Array(next * 2);
      const paths: string[] = [];
      const [oldOids, oldRel, oldLens] = [this.oids.data, this.rel.data, this.lens.data];
      for (let id = 0; id < n; id++) {
        const d = newId[id];
        if (d < 0) continue;
        paths.push(this.docPaths[id]!);
        for (let i = 0; i < 20; i++) oids[d * 20 + i] = oldOids[id * 20 + i];
        rel[d] = oldRel[id];
        lens[d * 2] = oldLens[id * 2];
        lens[d * 2 + 1] = oldLens[id * 2 + 1];
      }
      this.docPaths = paths;
      this.oids = Object.assign(new Grow(oids), { length: oids.length });
      this.rel = Object.assign(new Grow(rel), { length: rel.length });
      this.lens = Object.assign(new Grow(lens), { length: lens.length });
      this.byPath = new Map(paths.map((p, i) => [p, i]));
    }
    this.pending = { keys: new Grow(new Uint32Array(0)), docs: new Grow(new Uint32Array(0)), freqs: new Grow(new Uint16Array(0)) };
  }

  /** The docs holding term `term` in any field (a sorted, unique list). */
  private holders(term: string): Set<number> {
    const t = this.termIds.get(term);
    const out = new Set<number>();
    if (t === undefined) return out;
    for (let k = t * 2; k < t * 2 + 2; k++) for (let j = this.offsets[k]; j < this.offsets[k + 1]; j++) out.add(this.docs[j]);
    return out;
  }

  /**
   * The docs of the query, best first; under `folder/` when given; each phrase's words all present. Scores
   * as MiniSearch's `search(words, {boost, combineWith: 'OR'})`: per query word (repeats included) and field,
   * boost × BM25+; summed; times the number of distinct query words the doc holds; ties in the order the
   * docs were first met.
   */
  search(q: Query, folder: string | null): Array<{ id: number; score: number }> {
    this.finish();
    const n = this.docPaths.length;
    const score = new Float64Array(n);
    const termScore = new Float64Array(n);
    const quality = new Uint16Array(n);
    /** The query word (its index + 1) that last met each doc. */
    const metBy = new Int32Array(n);
    const order: number[] = [];
    const counted = new Set<string>();
    termsOf(q.words.join(' ')).forEach((term, i) => {
      const t = this.termIds.get(term);
      if (t === undefined) return;
      const first = !counted.has(term);
      counted.add(term);
      const met: number[] = [];
      const { docs, freqs, live } = this;
      const lens = this.lens.data;
      for (let f = 0; f < FIELDS.length; f++) {
        const [a, b] = [this.offsets[t * 2 + f], this.offsets[t * 2 + f + 1]];
        const avg = this.totalLen[f] / live;
        const boost = BOOSTS[f];
        const idf = Math.log(1 + (live - (b - a) + 0.5) / (b - a + 0.5));
        for (let j = a; j < b; j++) {
          const d = docs[j];
          const tf = freqs[j];
          const s = boost * (idf * (D + (tf * (K + 1)) / (tf + K * (1 - B + (B * lens[d * 2 + f]) / avg))));
          if (metBy[d] === i + 1) termScore[d] += s;
          else {
            if (metBy[d] === 0) order.push(d);
            metBy[d] = i + 1;
            termScore[d] = s;
            met.push(d);
          }
        }
      }
      for (const d of met) {
        score[d] += termScore[d];
        if (first) quality[d]++;
      }
    });
    const inFolder = folder === null ? null : `${folder}/`;
    let ids = inFolder === null ? order : order.filter((d) => this.docPaths[d]!.startsWith(inFolder));
    for (const p of q.phrases) {
      const words = termsOf(p);
      let all = words.length ? this.holders(words[0]) : new Set<number>();
      for (const w of words.slice(1)) {
        const h = this.holders(w);
        all = new Set([...all].filter((d) => h.has(d)));
      }
      ids = ids.filter((d) => all.has(d));
    }
    for (const d of ids) score[d] *= quality[d] || 1;
    // stable: equal scores keep the order the docs were first met
    return ids.sort((a, b) => score[b] - score[a]).map((id) => ({ id, score: score[id] }));
  }
}
