import { setImmediate as yieldTurn } from 'node:timers/promises';
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
/** The delta (and the removed docs) may grow to 1/`deltaShare` of the index before a compaction (0: never, tests). */
export const INDEX_TUNING = { deltaShare: 8 };
/**
 * Pending postings merged into the lists once this many wait: a build of many large docs never holds its
 * postings twice over in growing arrays (the lists take 6 bytes a posting, the pending ones 10 and more).
 */
const PENDING_MAX = 1 << 20;
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
  /** By doc id; null: a removed doc (its postings are skipped until the next compaction). */
  paths: Array<string | null>;
  terms: string[];
  oids: string;
  rel: string;
  lens: string;
  offsets: string;
  docs: string;
  freqs: string;
  deltaOffsets: string;
  deltaDocs: string;
  deltaFreqs: string;
}

const b64 = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
/** A typed array of `n` elements from base64 text, or null when the text holds another number of bytes (checked before allocating). */
function fromB64<T extends Uint32Array | Uint16Array | Uint8Array | Int32Array>(text: unknown, make: { new (n: number): T; BYTES_PER_ELEMENT: number }, n: number): T | null {
  if (typeof text !== 'string') return null;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== n * make.BYTES_PER_ELEMENT) return null;
  const out = new make(n);
  b64(out).set(bytes);
  return out;
}

/** Posting lists in CSR form: the list of key k (term t, field f: k = 2t + f) is `docs`/`freqs` from `offsets[k]` to `offsets[k + 1]`, doc ids ascending. */
interface Lists {
  offsets: Uint32Array;
  docs: Uint32Array;
  freqs: Uint16Array;
}
const noLists = (): Lists => ({ offsets: new Uint32Array(1), docs: new Uint32Array(0), freqs: new Uint16Array(0) });

/** A map over a shared one, changed without copying it: lookups fall through `top` (null: removed). */
class Layered {
  constructor(
    private base: Map<string, number>,
    private top = new Map<string, number | null>(),
  ) {}
  get(k: string): number | undefined {
    const v = this.top.get(k);
    return v === undefined ? this.base.get(k) : (v ?? undefined);
  }
  set(k: string, v: number): void {
    this.top.set(k, v);
  }
  delete(k: string): void {
    if (this.base.has(k)) this.top.set(k, null);
    else this.top.delete(k);
  }
  copy(): Layered {
    return new Layered(this.base, new Map(this.top));
  }
  *keys(): Generator<string> {
    for (const [k, v] of this.top) if (v !== null) yield k;
    for (const k of this.base.keys()) if (!this.top.has(k)) yield k;
  }
}

interface State {
  terms: string[];
  termIds: Layered;
  /** The lists of the last compaction, and those of the docs added since (all numbered after base's). */
  base: Lists;
  delta: Lists;
  docPaths: Array<string | null>;
  byPath: Layered;
  oids: Grow<Uint8Array>;
  /** Per doc: its release in `releases`, or -1. */
  rel: Grow<Int32Array>;
  releases: Array<{ commit: string; at: number | null }>;
  /** Per doc and field: its length (unique tokens, as MiniSearch counts them). */
  lens: Grow<Uint32Array>;
  live: number;
  totalLen: number[];
}

const grown = <T extends Uint8Array | Int32Array | Uint32Array>(a: T) => Object.assign(new Grow(a), { length: a.length });

/**
 * A codex tree's documents, numbered, with their paths, blobs and provenance, and an inverted index of
 * their terms in two sets of CSR lists: `base`, made by the last compaction, and `delta`, of the docs
 * added since. Adding and removing docs works on a copy (IndexKeeper), never on the index that answers:
 * a copy shares both sets of lists; added docs' postings wait in `pending`, a removed doc is marked (a
 * null path; searches skip it), and `finish()` merges the pending postings into a new `delta` — or, once
 * the delta or the removed docs pass an eighth of the whole, compacts everything into a new `base`,
 * renumbering docs and terms. A release of 10 docs so costs a new delta, not a new index.
 */
export class TextIndex {
  private s: State;
  private pending = { keys: new Grow(new Uint32Array(0)), docs: new Grow(new Uint32Array(0)), freqs: new Grow(new Uint16Array(0)) };

  private constructor(
    state: State,
    /** The production tree and commit this index describes. */
    public tree: string,
    public commit: string,
  ) {
    this.s = state;
  }

  private static of(terms: string[], base: Lists, delta: Lists, paths: Array<string | null>, oids: Uint8Array, rel: Int32Array, releases: State['releases'], lens: Uint32Array, tree: string, commit: string): TextIndex {
    const totalLen = [0, 0];
    const byPath = new Map<string, number>();
    paths.forEach((p, id) => {
      if (p === null) return;
      byPath.set(p, id);
      totalLen[0] += lens[id * 2];
      totalLen[1] += lens[id * 2 + 1];
    });
    return new TextIndex(
      {
        terms, termIds: new Layered(new Map(terms.map((t, i) => [t, i]))), base, delta, docPaths: paths, byPath: new Layered(byPath),
        oids: grown(oids), rel: grown(rel), releases, lens: grown(lens), live: byPath.size, totalLen,
      },
      tree,
      commit,
    );
  }

  static empty(): TextIndex {
    return TextIndex.of([], noLists(), noLists(), [], new Uint8Array(0), new Int32Array(0), [], new Uint32Array(0), '', '');
  }

  /** A copy to update while this one answers: the lists are shared (never written), the rest copied. */
  copy(): TextIndex {
    this.finish();
    const s = this.s;
    return new TextIndex(
      {
        ...s, terms: s.terms.slice(), termIds: s.termIds.copy(), docPaths: s.docPaths.slice(), byPath: s.byPath.copy(), oids: grown(s.oids.view().slice()),
        rel: grown(s.rel.view().slice()), releases: s.releases.slice(), lens: grown(s.lens.view().slice()), totalLen: s.totalLen.slice(),
      },
      this.tree,
      this.commit,
    );
  }

  /**
   * The saved form read back; null when it is of another version or not consistent (then a full build).
   * It yields to the event loop between its steps: a server loading an index still answers (by git grep).
   */
  static async load(json: string): Promise<TextIndex | null> {
    const d = JSON.parse(json) as Saved;
    await yieldTurn();
    if (!d || d.version !== INDEX_VERSION || d.endian !== os.endianness() || typeof d.tree !== 'string' || typeof d.commit !== 'string') return null;
    if (!Array.isArray(d.paths) || !Array.isArray(d.terms) || !Array.isArray(d.releases)) return null;
    const n = d.paths.length;
    const nt = d.terms.length;
    const named = d.paths.filter((p) => p !== null);
    if (n > MAX_SAVED_DOCS || !named.every((p) => typeof p === 'string' && p) || new Set(named).size !== named.length) return null;
    if (!d.terms.every((t) => typeof t === 'string' && t) || new Set(d.terms).size !== nt) return null;
    if (!d.releases.every((r) => r && typeof r.commit === 'string' && (r.at === null || typeof r.at === 'number'))) return null;
    const oids = fromB64(d.oids, Uint8Array, n * 20);
    const rel = fromB64(d.rel, Int32Array, n);
    const lens = fromB64(d.lens, Uint32Array, n * 2);
    if (!oids || !rel || !lens || !rel.every((r) => r >= -1 && r < d.releases.length)) return null;
    const lists: Lists[] = [];
    for (const [o, ds, fs] of [[d.offsets, d.docs, d.freqs], [d.deltaOffsets, d.deltaDocs, d.deltaFreqs]]) {
      await yieldTurn();
      // as many lists as keys, each ascending, each posting a doc with a count
      const keys = typeof o === 'string' ? (Buffer.byteLength(o, 'base64') / 4 - 1) / 2 : -1;
      if (!Number.isInteger(keys) || keys < 0 || keys > nt) return null;
      const offsets = fromB64(o, Uint32Array, keys * 2 + 1);
      if (!offsets || offsets[0] !== 0) return null;
      const np = offsets[keys * 2];
      const docs = fromB64(ds, Uint32Array, np);
      const freqs = fromB64(fs, Uint16Array, np);
      if (!docs || !freqs) return null;
      for (let k = 0; k < keys * 2; k++) {
        const [a, b] = [offsets[k], offsets[k + 1]];
        if (b < a || b > np) return null;
        for (let j = a; j < b; j++) if (docs[j] >= n || (j > a && docs[j] <= docs[j - 1]) || freqs[j] === 0) return null;
      }
      lists.push({ offsets, docs, freqs });
    }
    await yieldTurn();
    return TextIndex.of(d.terms, lists[0], lists[1], d.paths, oids, rel, d.releases, lens, d.tree, d.commit);
  }

  /**
   * The saved form, as pieces to write one after the other (JSON; each typed array as base64 written a
   * slice at a time), so that saving never holds a second copy of the whole index. Base, delta and removed
   * docs are saved as they are: saving a release compacts nothing.
   */
  *toJSONPieces(): Generator<string> {
    this.finish();
    const s = this.s;
    const head = { version: INDEX_VERSION, endian: os.endianness(), tree: this.tree, commit: this.commit, releases: s.releases };
    yield JSON.stringify(head).slice(0, -1);
    for (const [name, list] of [['paths', s.docPaths], ['terms', s.terms]] as const) {
      yield `,${JSON.stringify(name)}:[`;
      for (let i = 0; i < list.length; i += 10_000) yield `${i ? ',' : ''}${JSON.stringify(list.slice(i, i + 10_000)).slice(1, -1)}`;
      yield ']';
    }
    const arrays = {
      oids: s.oids.view(), rel: s.rel.view(), lens: s.lens.view(), offsets: s.base.offsets, docs: s.base.docs, freqs: s.base.freqs,
      deltaOffsets: s.delta.offsets, deltaDocs: s.delta.docs, deltaFreqs: s.delta.freqs,
    };
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
    return this.s.live;
  }

  paths(): IterableIterator<string> {
    return this.s.byPath.keys();
  }

  /** The record of doc `id` (an id from search()). */
  record(id: number): DocRecord {
    const s = this.s;
    const r = s.rel.data[id];
    const release = r >= 0 ? s.releases[r] : null;
    return { path: s.docPaths[id]!, oid: Buffer.from(s.oids.data.buffer, s.oids.data.byteOffset + id * 20, 20).toString('hex'), since: release?.commit ?? null, at: release?.at ?? null };
  }

  add(record: DocRecord, fields: DocFields): void {
    if (!/^[0-9a-f]{40}$/.test(record.oid)) throw new Error(`not a SHA-1 object id: ${record.oid.slice(0, 80)}`);
    this.remove(record.path);
    const s = this.s;
    const id = s.docPaths.length;
    s.docPaths.push(record.path);
    s.byPath.set(record.path, id);
    s.live++;
    s.oids.reserve(s.oids.length + 20);
    s.oids.data.set(Buffer.from(record.oid, 'hex'), s.oids.length);
    s.oids.length += 20;
    let release = -1;
    if (record.since !== null) {
      release = s.releases.findIndex((r) => r.commit === record.since);
      if (release < 0) release = s.releases.push({ commit: record.since, at: record.at }) - 1;
    }
    s.rel.push(release);
    const text = indexed(fields);
    FIELDS.forEach((field, f) => {
      const tokens = tokenize(text[field]);
      const len = new Set(tokens).size; // as MiniSearch counts a field's length: raw tokens, '' included
      s.lens.push(len);
      s.totalLen[f] += len;
      const counts = new Map<string, number>();
      for (const token of tokens) {
        const term = processTerm(token);
        if (term) counts.set(term, (counts.get(term) ?? 0) + 1);
      }
      for (const [term, count] of counts) {
        let t = s.termIds.get(term);
        if (t === undefined) s.termIds.set(term, (t = s.terms.push(term) - 1));
        this.pending.keys.push(t * 2 + f);
        this.pending.docs.push(id);
        this.pending.freqs.push(Math.min(count, MAX_FREQ));
      }
    });
    if (this.pending.keys.length >= PENDING_MAX) this.finish();
  }

  remove(codexPath: string): void {
    const s = this.s;
    const id = s.byPath.get(codexPath);
    if (id === undefined) return;
    s.byPath.delete(codexPath);
    s.docPaths[id] = null;
    s.live--;
    for (let f = 0; f < FIELDS.length; f++) s.totalLen[f] -= s.lens.data[id * 2 + f];
  }

  /** The pending postings merged into the lists: a new delta, or everything compacted into a new base. */
  finish(): void {
    const s = this.s;
    if (!this.pending.keys.length) return;
    const dead = s.docPaths.length - s.live;
    const share = INDEX_TUNING.deltaShare;
    if (!s.base.docs.length || (s.delta.docs.length + this.pending.keys.length) * share > s.base.docs.length || dead * share > s.docPaths.length) this.compact();
    else s.delta = this.merge([s.delta], null, s.terms.length);
    this.pending = { keys: new Grow(new Uint32Array(0)), docs: new Grow(new Uint32Array(0)), freqs: new Grow(new Uint16Array(0)) };
  }

  /**
   * `from`'s lists and the pending postings in new lists of `keys / 2` terms, without removed docs; doc and
   * term ids mapped through `newId` and `termId` when given. Each list stays ascending: `from` is in the
   * order its docs were added, the pending postings last.
   */
  private merge(from: Lists[], map: { newId: Int32Array; termId: Int32Array; terms: number } | null, terms: number): Lists {
    const paths = this.s.docPaths;
    const { newId, termId } = map ?? { newId: null, termId: null };
    const keyOf = (k: number) => (termId ? termId[k >> 1] * 2 + (k & 1) : k);
    const nkeys = (map ? map.terms : terms) * 2;
    const counts = new Uint32Array(nkeys + 1);
    const pk = this.pending.keys.data;
    const pd = this.pending.docs.data;
    const pf = this.pending.freqs.data;
    const np = this.pending.keys.length;
    for (const L of from) {
      const { offsets, docs } = L;
      for (let k = 0; k < offsets.length - 1; k++) for (let j = offsets[k]; j < offsets[k + 1]; j++) if (paths[docs[j]] !== null) counts[keyOf(k) + 1]++;
    }
    for (let j = 0; j < np; j++) if (paths[pd[j]] !== null) counts[keyOf(pk[j]) + 1]++;
    for (let k = 1; k <= nkeys; k++) counts[k] += counts[k - 1];
    const offsets = counts;
    const total = offsets[nkeys];
    const docs = new Uint32Array(total);
    const freqs = new Uint16Array(total);
    const at = offsets.slice(0, -1);
    for (const L of from) {
      const { offsets: o, docs: ld, freqs: lf } = L;
      for (let k = 0; k < o.length - 1; k++) {
        const key = keyOf(k);
        for (let j = o[k]; j < o[k + 1]; j++) {
          const d = ld[j];
          if (paths[d] === null) continue;
          docs[at[key]] = newId ? newId[d] : d;
          freqs[at[key]++] = lf[j];
        }
      }
    }
    for (let j = 0; j < np; j++) {
      const d = pd[j];
      if (paths[d] === null) continue;
      const key = keyOf(pk[j]);
      docs[at[key]] = newId ? newId[d] : d;
      freqs[at[key]++] = pf[j];
    }
    return { offsets, docs, freqs };
  }

  /** Everything in one new base: removed docs, their postings, terms no doc holds and unused releases dropped; docs and terms renumbered in order. */
  private compact(): void {
    const s = this.s;
    const n = s.docPaths.length;
    const newId = new Int32Array(n);
    let next = 0;
    for (let id = 0; id < n; id++) newId[id] = s.docPaths[id] === null ? -1 : next++;
    // terms some live doc holds, renumbered in order
    const nt = s.terms.length;
    const held = new Uint8Array(nt);
    for (const L of [s.base, s.delta]) for (let k = 0; k < L.offsets.length - 1; k++) for (let j = L.offsets[k]; j < L.offsets[k + 1]; j++) if (newId[L.docs[j]] >= 0) held[k >> 1] = 1;
    for (let j = 0; j < this.pending.keys.length; j++) if (newId[this.pending.docs.data[j]] >= 0) held[this.pending.keys.data[j] >> 1] = 1;
    const termId = new Int32Array(nt);
    const terms: string[] = [];
    for (let t = 0; t < nt; t++) termId[t] = held[t] ? terms.push(s.terms[t]) - 1 : -1;
    const base = this.merge([s.base, s.delta], { newId, termId, terms: terms.length }, terms.length);
    const oids = new Uint8Array(next * 20);
    const rel = new Int32Array(next);
    const lens = new Uint32Array(next * 2);
    const paths: string[] = [];
    const used = new Int32Array(s.releases.length).fill(-1);
    const releases: State['releases'] = [];
    const [oldOids, oldRel, oldLens] = [s.oids.data, s.rel.data, s.lens.data];
    for (let id = 0; id < n; id++) {
      const d = newId[id];
      if (d < 0) continue;
      paths.push(s.docPaths[id]!);
      for (let i = 0; i < 20; i++) oids[d * 20 + i] = oldOids[id * 20 + i];
      const r = oldRel[id];
      rel[d] = r < 0 ? -1 : used[r] >= 0 ? used[r] : (used[r] = releases.push(s.releases[r]) - 1);
      lens[d * 2] = oldLens[id * 2];
      lens[d * 2 + 1] = oldLens[id * 2 + 1];
    }
    this.s = TextIndex.of(terms, base, noLists(), paths, oids, rel, releases, lens, this.tree, this.commit).s;
    this.pending = { keys: new Grow(new Uint32Array(0)), docs: new Grow(new Uint32Array(0)), freqs: new Grow(new Uint16Array(0)) };
  }

  /** Calls `visit(doc, freq)` for the live postings of `key`, base then delta; returns their count. */
  private each(key: number, visit: ((d: number, tf: number) => void) | null): number {
    const paths = this.s.docPaths;
    const skip = this.s.live !== paths.length;
    let count = 0;
    for (const L of [this.s.base, this.s.delta]) {
      if (key >= L.offsets.length - 1) continue;
      const { docs, freqs } = L;
      const [a, b] = [L.offsets[key], L.offsets[key + 1]];
      if (!visit && !skip) {
        count += b - a;
        continue;
      }
      for (let j = a; j < b; j++) {
        const d = docs[j];
        if (skip && paths[d] === null) continue;
        count++;
        visit?.(d, freqs[j]);
      }
    }
    return count;
  }

  /** The docs holding `term` in any field. */
  private holders(term: string): Set<number> {
    const t = this.s.termIds.get(term);
    const out = new Set<number>();
    if (t !== undefined) for (let f = 0; f < FIELDS.length; f++) this.each(t * 2 + f, (d) => out.add(d));
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
    const s = this.s;
    const n = s.docPaths.length;
    const score = new Float64Array(n);
    const termScore = new Float64Array(n);
    const quality = new Uint16Array(n);
    /** The query word (its index + 1) that last met each doc. */
    const metBy = new Int32Array(n);
    const order: number[] = [];
    const counted = new Set<string>();
    const lens = s.lens.data;
    termsOf(q.words.join(' ')).forEach((term, i) => {
      const t = s.termIds.get(term);
      if (t === undefined) return;
      const first = !counted.has(term);
      counted.add(term);
      const met: number[] = [];
      for (let f = 0; f < FIELDS.length; f++) {
        const df = this.each(t * 2 + f, null);
        if (!df) continue;
        const avg = s.totalLen[f] / s.live;
        const boost = BOOSTS[f];
        const idf = Math.log(1 + (s.live - df + 0.5) / (df + 0.5));
        this.each(t * 2 + f, (d, tf) => {
          const sc = boost * (idf * (D + (tf * (K + 1)) / (tf + K * (1 - B + (B * lens[d * 2 + f]) / avg))));
          if (metBy[d] === i + 1) termScore[d] += sc;
          else {
            if (metBy[d] === 0) order.push(d);
            metBy[d] = i + 1;
            termScore[d] = sc;
            met.push(d);
          }
        });
      }
      for (const d of met) {
        score[d] += termScore[d];
        if (first) quality[d]++;
      }
    });
    const inFolder = folder === null ? null : `${folder}/`;
    let ids = inFolder === null ? order : order.filter((d) => s.docPaths[d]!.startsWith(inFolder));
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
