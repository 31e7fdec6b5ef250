import fs from 'node:fs';
import path from 'node:path';
import { CodexError } from '../core/errors.js';
import { SizeReader } from '../git/objects/batch.js';
import { readLooseRef, readPackedRef } from '../git/objects/loose.js';
import { readJson, writeJsonIfPossible } from '../core/json-file.js';
import { ObjectStore } from '../git/objects/store.js';
import { cachePathFor, openCache, startFetch, type CodexCache } from '../sync/cache/cache.js';
import { readerMsg } from '../core/messages.js';
import { redactUrl } from '../core/url.js';
import { Snapshot, TreeMemo } from './snapshot.js';
import { IndexKeeper } from './search/search-index.js';
import type { Env } from '../core/edge.js';

export type ReaderFailure = 'bad-input' | 'not-found' | 'not-released' | 'unreachable' | 'too-large' | 'busy' | 'unavailable';

/** A tool call that cannot be answered; the server turns it into an `isError` result. */
export class ReaderError extends CodexError {
  constructor(readonly kind: ReaderFailure, message: string, hint?: string) {
    super(message, hint);
  }
}

export interface ReaderSettings {
  url: string;
  /** The production codex branch: the `prod` environment's. No other branch is ever served. */
  branch: string;
  /** The other environments' branches: only asked whether a missing doc is there ("not released yet"). */
  unreleasedBranches: string[];
  refreshSeconds: number;
  /** CODEX_HOOKS_TIMEOUT: no tool call waits longer than this for the codex or the cache lock. */
  timeoutMs: number;
  env: Env;
}

interface BranchState {
  tip: string | null;
  /** ms since the epoch of the last successful fetch (or what the cache tells of an earlier one). */
  fetchedAt: number | null;
  lastAttempt: number;
  error: string | null;
  missing: boolean;
  refreshing: Promise<void> | null;
}

const RECORD = 'codex-hooks-mcp.json';

/**
 * The production branch of one codex, kept fresh in the hooks' persistent cache (design §8): fetched at most
 * once per `refreshSeconds`, under the cache's lock; between fetches every read is in this process. When
 * a fetch fails, the last tip stays in service and `note()` says how old it is.
 */
export class Reader {
  private cache: CodexCache | null = null;
  private store: ObjectStore | null = null;
  private memo: TreeMemo | null = null;
  private branches = new Map<string, BranchState>();
  private snapshots = new Map<string, Snapshot>();
  /** Stops a fetch in flight and any wait for the cache lock when the server closes. */
  private stopping = new AbortController();
  private sizeReader: Promise<SizeReader> | null = null;
  private keeper: IndexKeeper | null = null;
  private sizeReaderNow: SizeReader | null = null;
  readonly cacheDir: string;

  constructor(readonly settings: ReaderSettings) {
    this.cacheDir = cachePathFor(settings.url, settings.env);
    const record = readRecord(this.cacheDir);
    for (const branch of [settings.branch, ...settings.unreleasedBranches]) {
      // What an earlier run (a hook, another server) fetched is served until the first refresh answers.
      const tip = fs.existsSync(path.join(this.cacheDir, 'HEAD')) ? (readLooseRef(this.cacheDir, branch) ?? readPackedRef(this.cacheDir, branch)) : null;
      const known = record[branch]?.tip === tip ? record[branch].at : refTime(this.cacheDir, branch);
      this.branches.set(branch, { tip, fetchedAt: tip ? known : null, lastAttempt: 0, error: null, missing: false, refreshing: null });
    }
  }

  get shownUrl(): string {
    return redactUrl(this.settings.url);
  }

  private state(branch: string): BranchState {
    return this.branches.get(branch)!;
  }

  /**
   * The branch's tip, fetched first when the last attempt is older than refreshSeconds. The call that
   * starts a fetch waits for it at most timeoutMs; calls meanwhile are served the last tip at once.
   */
  async tip(branch = this.settings.branch): Promise<BranchState> {
    const s = this.state(branch);
    const now = Date.now();
    let started = false;
    if (!s.refreshing && now - s.lastAttempt >= this.settings.refreshSeconds * 1000) {
      s.lastAttempt = now;
      started = true;
      s.refreshing = this.refresh(branch, s).finally(() => (s.refreshing = null));
    }
    if (s.refreshing && (started || !s.tip)) await bounded(s.refreshing, this.settings.timeoutMs);
    if (started && s.refreshing && !s.error) {
      s.error = `no answer within CODEX_HOOKS_TIMEOUT (${Math.round(this.settings.timeoutMs / 1000)} s): the codex hangs or its cache is locked`;
    }
    return s;
  }

  private async refresh(branch: string, s: BranchState): Promise<void> {
    try {
      this.cache ??= await openCache(this.settings.url, this.settings.env, this.stopping.signal);
      const tip = await startFetch(this.cache, branch).done;
      s.tip = tip;
      s.missing = !tip;
      s.fetchedAt = Date.now();
      s.error = null;
      writeRecord(this.cacheDir, branch, tip, s.fetchedAt);
    } catch (error) {
      s.error = firstLine((error as Error).message);
    }
  }

  /** The released docs now: the production snapshot, or why there is none. */
  async production(): Promise<{ snapshot: Snapshot; note: string | null }> {
    const s = await this.tip();
    if (!s.tip) {
      if (s.missing) throw new ReaderError('not-found', readerMsg.branchMissing(this.settings.branch));
      throw new ReaderError('unreachable', readerMsg.unreachable(this.settings.url, s.error ?? 'not fetched yet'), readerMsg.unreachableHint);
    }
    return { snapshot: this.snapshot(s.tip), note: this.note(s) };
  }

  /** A note for results served from a tip that the last fetch could not renew. */
  note(s: BranchState = this.state(this.settings.branch)): string | null {
    if (!s.error || !s.tip) return null;
    return readerMsg.staleNote(s.error, this.ageSeconds(s) ?? 0, s.tip);
  }

  ageSeconds(s: BranchState = this.state(this.settings.branch)): number | null {
    return s.fetchedAt === null ? null : Math.max(0, (Date.now() - s.fetchedAt) / 1000);
  }

  /** The cache's objects: loose ones read here, packed ones by one long-lived git cat-file. */
  objects(): ObjectStore {
    this.store ??= ObjectStore.open(this.cacheDir, { cwd: this.cacheDir, env: this.settings.env });
    return this.store;
  }

  /** codex_search's index of the production tree, kept under the cache folder (search-index.ts). */
  get searchIndex(): IndexKeeper {
    this.keeper ??= new IndexKeeper(this.cacheDir, () => this.objects());
    return this.keeper;
  }

  snapshot(tip: string): Snapshot {
    this.objects();
    this.memo ??= new TreeMemo(this.store!);
    let snap = this.snapshots.get(tip);
    if (!snap) {
      if (this.snapshots.size > 8) this.snapshots.clear();
      snap = new Snapshot(this.memo, tip);
      this.snapshots.set(tip, snap);
    }
    return snap;
  }

  /** An object of the cache, read in this process when it can be (after snapshot()). */
  object(oid: string) {
    return this.memo!.object(oid);
  }

  /**
   * Objects' sizes without reading them (null: not in the cache): loose ones from their headers here,
   * the rest from one long-lived `git cat-file --batch-check`, all asked in one write.
   */
  async sizesOf(oids: string[], retried = false): Promise<Array<number | null>> {
    const here = oids.map((oid) => this.store!.sizeHere(oid));
    const ask = oids.filter((_, i) => here[i] === null);
    if (ask.length === 0) return here;
    // started on first use, and again when the last one died (killed, crashed) or could not start
    if (this.sizeReaderNow && !this.sizeReaderNow.alive) this.sizeReader = this.sizeReaderNow = null;
    this.sizeReader ??= SizeReader.start({ cwd: this.cacheDir, env: this.settings.env, signal: this.stopping.signal }).then(
      (r) => (this.sizeReaderNow = r),
      (error) => {
        this.sizeReader = null;
        throw error;
      },
    );
    let answers: Array<number | null>;
    try {
      answers = await (await this.sizeReader).sizes(ask);
    } catch (error) {
      if (retried || this.sizeReaderNow?.alive !== false) throw error;
      return this.sizesOf(oids, true); // it died under the request: once more, with a new one
    }
    let next = 0;
    return here.map((size) => size ?? answers[next++]);
  }

  /** The non-production branches whose tip has `codexPath` (for "not released yet"; never its content). */
  async unreleasedOn(codexPath: (snap: Snapshot) => Promise<boolean>): Promise<string[]> {
    const found: string[] = [];
    for (const branch of this.settings.unreleasedBranches) {
      const s = await this.tip(branch);
      if (s.tip && (await codexPath(this.snapshot(s.tip)))) found.push(branch);
    }
    return found;
  }

  /** Ends what this reader started: a fetch in flight, a lock wait, the object store's git process. */
  close(): void {
    this.stopping.abort();
    this.store?.close();
    this.sizeReader?.then((r) => r.close(), () => {});
  }

  /** The signal that close() aborts (for git processes started on the reader's behalf). */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }
}

/** The promise, or nothing after `ms`: the work goes on, the caller does not wait for it. */
async function bounded(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((r) => (timer = setTimeout(r, ms)))]);
  clearTimeout(timer);
}

const firstLine = (text: string) => text.split('\n').filter(Boolean).slice(0, 2).join(': ').slice(0, 300);

/** When each branch was last fetched by a server: kept beside the cache's refs, never inside them. */
function readRecord(dir: string): Record<string, { tip: string | null; at: number }> {
  return readJson(path.join(dir, RECORD), {});
}

function writeRecord(dir: string, branch: string, tip: string | null, at: number): void {
  // a read-only cache only loses the age of the next start's first answer
  writeJsonIfPossible(path.join(dir, RECORD), { ...readRecord(dir), [branch]: { tip, at } }, { compact: true });
}

/** A hook's fetch leaves no record: the ref file's time says when the tip last changed here. */
function refTime(dir: string, branch: string): number | null {
  const st = fs.statSync(path.join(dir, 'refs', 'heads', ...branch.split('/')), { throwIfNoEntry: false });
  return st ? st.mtimeMs : null;
}
