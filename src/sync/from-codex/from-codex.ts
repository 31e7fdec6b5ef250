import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { SyncError } from '../../core/errors.js';
import type { ObjectSource } from '../../git/objects/store.js';
import { isSha1, isTreeMode, listedEntry } from '../../git/objects/objects.js';
import type { TreeEntry } from '../../git/objects/parse.js';
import type { CodexCache } from '../cache/cache.js';
import { listFiles, pathChain, rootTree } from '../tree/codex-tree.js';
import { byBudget, routedDocs, routesTo } from './routes.js';
import { projectDir } from '../tree/layout.js';
import { fixedBase } from '../../config/patterns.js';
import { decidePull, PENDING, pullable, signature, type OnDisk, type PullEntry, type PullPlan, type PullSkip, type PullState } from './pull-plan.js';
import { msg } from '../../core/messages.js';
import { readJson, writeJsonIfPossible } from '../../core/json-file.js';
import { CODEX_TREE } from '../tree/bounds.js';
import type { SkippedFolder } from '../tree/codex-walk.js';


/**
 * What the project should pull from a codex commit: from_codex_patterns plus docs routed to it by front
 * matter, never its own projects/<name>/. Only the trees under each pattern's fixed prefix are read.
 * Names git refuses are refused; folders that look like a git directory are dropped whole.
 */
export async function codexSelection(
  cache: CodexCache,
  reader: ObjectSource,
  branch: string,
  tip: string,
  config: { from_codex_patterns: string[]; from_codex_exclude_patterns?: string[]; projectName: string },
  signal?: AbortSignal,
): Promise<{ wanted: Map<string, PullEntry>; refused: string[]; warnings: string[]; unlisted: string[] }> {
  const wanted = new Map<string, PullEntry>();
  const refused = new Set<string>();
  const own = projectDir(config.projectName) + '/';
  const exclude = config.from_codex_exclude_patterns ?? [];
  const excluded = exclude.length ? picomatch(exclude, { dot: true }) : () => false;
  const add = (p: string, e: PullEntry) => {
    if (p.startsWith(own) || excluded(p)) return;
    if (!pullable(p)) refused.add(p);
    else wanted.set(p, e);
  };
  const [{ files: listed, skipped }, routed] = await Promise.all([
    config.from_codex_patterns.length ? listBases(cache, reader, branch, tip, config.from_codex_patterns, signal) : { files: [], skipped: [] },
    routedDocs(cache, reader, branch, tip, signal),
  ]);
  const match = picomatch(config.from_codex_patterns, { dot: true });
  for (const e of listed) {
    if (e.type !== 'blob') continue;
    // Unsafe names are refused before matching: `shared/**` must not quietly pass over `shared/../x`.
    if (!pullable(e.path)) refused.add(e.path);
    else if (match(e.path)) add(e.path, { oid: e.oid, mode: e.mode });
  }
  for (const [p, route] of Object.entries(routed.docs)) {
    if (routesTo(route, config.projectName)) add(p, { oid: route.oid, mode: route.mode });
  }
  const warnings = routed.newlyRefused.map((r) => msg.routingRefused(r.path, r.reason));
  const unlisted = [...skipped, ...routed.skipped];
  if (unlisted.length) warnings.push(msg.codexTreeBounded(unlisted, CODEX_TREE));
  for (const dir of gitDirectories(wanted.keys())) {
    for (const p of [...wanted.keys()]) if (dir === '' || p.startsWith(dir + '/')) wanted.delete(p);
    warnings.push(msg.gitDirRefused(dir));
  }
  return { wanted, refused: [...refused], warnings, unlisted: unlisted.map((f) => f.path) };
}

/**
 * Folders that git would take for a repository (a HEAD file, objects/ and refs/): pulled, they plant a
 * repository in the project whose config (core.pager, core.fsmonitor…) the next git command there runs.
 */
export function gitDirectories(paths: Iterable<string>): string[] {
  const all = new Set(paths);
  const folders = new Set<string>();
  for (const p of all) {
    const parts = p.split('/');
    for (let i = 0; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  const within = (dir: string, sub: string) => (dir ? `${dir}/${sub}` : sub);
  return [...folders].filter((dir) => all.has(within(dir, 'HEAD')) && folders.has(within(dir, 'objects')) && folders.has(within(dir, 'refs')));
}

/**
 * The files under the fixed prefix of each pattern (`shared/**` → shared/): the only trees read, within
 * the bounds of bounds.ts (folders past them are `skipped`). A folder's listing is a function of its tree
 * id, so the last one of each prefix is kept in the cache (`codex-hooks-listed-<branch>.json`) and used
 * while the id is the same: a warm sync whose shared docs did not change reads no tree below the prefix
 * (usually packed: no `git cat-file` started beside the push). What each prefix was on the last commit
 * listed is kept beside it (`.last`): a pull of the same commit again (a push of code) reads nothing.
 */
async function listBases(cache: CodexCache, reader: ObjectSource, branch: string, tip: string, patterns: string[], signal?: AbortSignal): Promise<Listed> {
  const bases = [...new Set(patterns.map((p) => fixedBase(p) ?? ''))];
  if (bases.includes('')) return listFiles(reader, await rootTree(reader, tip), '', 0, signal);
  const outer = bases.filter((b) => !bases.some((o) => o !== b && b.startsWith(o + '/')));
  const file = `${cache.dir}/codex-hooks-listed-${Buffer.from(branch).toString('hex')}.json`;
  const known = readListed(file, `${file}.last`);
  const all = (lists: Listed[]): Listed => ({ files: lists.flatMap((l) => l.files), skipped: lists.flatMap((l) => l.skipped) });
  // the same commit as the last pull (a push of code): not even its trees are read (its commit is often packed)
  const again = known.last?.commit === tip ? outer.map((b) => known.last!.at[b]) : [];
  if (again.length && again.every((a) => a !== undefined && (a === null || 'file' in a || known.bases[a.base]?.tree === a.tree))) {
    return all(again.map((a) => (a === null ? { files: [], skipped: [] } : 'file' in a ? { files: [a.file], skipped: [] } : known.bases[a.base])));
  }
  const root = await rootTree(reader, tip);
  // other projects sharing this cache may list other folders: theirs are kept, within a bound
  const kept: ListedBases['bases'] = Object.fromEntries(Object.entries(known.bases).slice(-LISTED_FOLDERS));
  const at: NonNullable<ListedBases['last']>['at'] = {};
  const lists = await Promise.all(
    outer.map(async (base): Promise<Listed> => {
      const { target } = await pathChain(reader, root, base.split('/'));
      at[base] = null;
      if (!target) return { files: [], skipped: [] };
      if (!isTreeMode(target.mode)) {
        at[base] = { file: listedEntry(target, base) };
        return { files: [at[base].file], skipped: [] };
      }
      at[base] = { base, tree: target.oid };
      const before = known.bases[base];
      if (before?.tree === target.oid) return before;
      const listed = await listFiles(reader, target.oid, base + '/', base.split('/').length, signal);
      delete kept[base]; // the newest last
      kept[base] = { tree: target.oid, files: listed.files, skipped: listed.skipped };
      return listed;
    }),
  );
  // only a speed-up; the listings (large for a large shared folder) are written only when one is new
  if (outer.some((b) => kept[b] && kept[b] !== known.bases[b])) writeJsonIfPossible(file, { version: 2, bounds: CODEX_TREE, bases: kept } satisfies ListedBases, { compact: true });
  writeJsonIfPossible(`${file}.last`, { commit: tip, at } satisfies ListedBases['last'], { compact: true });
  return all(lists);
}

type Listed = { files: TreeEntry[]; skipped: SkippedFolder[] };
interface ListedBases {
  version: 2;
  /** The bounds the listings were made within (tree/bounds.ts): listings made within others are not used. */
  bounds: typeof CODEX_TREE;
  bases: Record<string, Listed & { tree: string }>;
  /** The commit listed last, and what each prefix was there: a folder (its listing in `bases`), a file, or nothing (kept in `<file>.last`). */
  last?: { commit: string; at: Record<string, { base: string; tree: string } | { file: TreeEntry } | null> };
}
/** How many folders' listings a cache keeps for one codex branch. */
const LISTED_FOLDERS = 32;

/**
 * The kept listings whose every entry is one a listing of git's tree could give (a file edited by hand, cut
 * short or of another version is not used, and listed again): ids, modes and types as git writes them,
 * paths under their folder.
 */
function readListed(file: string, lastFile: string): ListedBases {
  const none: ListedBases = { version: 2, bounds: CODEX_TREE, bases: {} };
  const saved = readJson<ListedBases | null>(file, null);
  if (saved?.version !== 2 || JSON.stringify(saved.bounds) !== JSON.stringify(CODEX_TREE) || typeof saved.bases !== 'object' || saved.bases === null) return none;
  const bases: ListedBases['bases'] = {};
  for (const [base, listed] of Object.entries(saved.bases)) if (listedFolder(base, listed)) bases[base] = listed;
  const last = readJson<ListedBases['last'] | null>(lastFile, null);
  const fine = (base: string, a: unknown): boolean => {
    const v = a as { base?: unknown; tree?: unknown; file?: Partial<TreeEntry> } | null;
    if (v === null) return true;
    if (typeof v !== 'object') return false;
    if ('file' in v) return !!v.file && v.file.path === base && entryFine(v.file, (p) => p === base);
    return v.base === base && typeof v.tree === 'string' && isSha1(v.tree);
  };
  const lastFine = !!last && typeof last.commit === 'string' && isSha1(last.commit) && typeof last.at === 'object' && last.at !== null && Object.entries(last.at).every(([b, a]) => fine(b, a));
  return { ...none, bases, ...(lastFine ? { last } : {}) };
}

const TYPE_OF_MODE: Record<string, TreeEntry['type']> = { '100644': 'blob', '100755': 'blob', '120000': 'blob', '160000': 'commit', '040000': 'tree' };

const entryFine = (f: Partial<TreeEntry> | null, where: (p: unknown) => boolean): boolean =>
  !!f && where(f.path) && typeof f.oid === 'string' && isSha1(f.oid) && typeof f.mode === 'string' && TYPE_OF_MODE[f.mode] === f.type && typeof f.size === 'number';

function listedFolder(base: string, v: unknown): v is Listed & { tree: string } {
  const l = v as Partial<Listed & { tree: string }> | null;
  if (!l || typeof l.tree !== 'string' || !isSha1(l.tree) || !Array.isArray(l.files) || !Array.isArray(l.skipped)) return false;
  const under = (p: unknown) => typeof p === 'string' && p.startsWith(base + '/') && p.length > base.length + 1 && !p.includes('\0');
  return l.files.every((f: Partial<TreeEntry> | null) => entryFine(f, under)) && l.skipped.every((k: Partial<SkippedFolder> | null) => !!k && (k.path === base || under(k.path)) && (k.reason === 'paths' || k.reason === 'depth'));
}

/** Every file and link under pull_dir, as relative posix paths (links are never followed); folders apart. */
function listTree(root: string): OnDisk {
  const files = new Set<string>();
  const folders = new Set<string>();
  const walk = (dir: string, rel: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        folders.add(r);
        walk(path.join(dir, entry.name), r);
      } else files.add(r);
    }
  };
  if (fs.existsSync(root)) walk(root, '');
  return { files, folders };
}

/** The pull_dir folder, refusing one that is (or sits under) a link leading out of the project. */
export function pullRoot(root: string, pullDir: string): string {
  const target = path.resolve(root, pullDir);
  let dir = path.dirname(target);
  while (dir.length > root.length) {
    const st = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) throw new SyncError('git', msg.pullDirThrough(pullDir, dir), msg.pullDirThroughHint);
    dir = path.dirname(dir);
  }
  const st = fs.lstatSync(target, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw new SyncError('git', msg.pullDirNotFolder(pullDir, st.isSymbolicLink()), msg.pullDirNotFolderHint(target));
  return target;
}

/** Plans a pull (pull-plan.ts decidePull) against what is in `root` now. */
export function planPull(root: string, wanted: Map<string, PullEntry>, state: PullState, refused: string[], unlisted: string[] = []): PullPlan {
  return decidePull({ wanted, state, present: listTree(root), refused, unlisted });
}

export interface ApplyOptions {
  /** The sync's deadline: once aborted, nothing more is written. */
  signal?: AbortSignal;
  /** Saves the pull state (pulled.json): called before the first write, with the files about to be written. */
  record?: (state: PullState) => void;
}

/** A pulled file is written under this name beside its place, then renamed into it. */
const TEMP = /\.codex-hooks-\d+\.tmp$/;
const tempName = (target: string) => `${target}.codex-hooks-${process.pid}.tmp`;

/** Temp files a pull cut short left behind (the pull lock is held: no other pull writes here now). */
function removeLeftovers(root: string): void {
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(path.join(dir, e.name));
      else if (TEMP.test(e.name)) fs.rmSync(path.join(dir, e.name), { force: true });
    }
  };
  walk(root);
}

export interface PullOutcome {
  state: PullState;
  added: string[];
  changed: string[];
  /** Files not written this time, each with its reason; `fresh` marks those not warned about before. */
  skipped: Array<PullSkip & { fresh: boolean }>;
}

/**
 * Applies a plan inside `root`. Each file stands alone: one that cannot be written (a name too long for
 * this file system, a folder where a file should go, over max_file_size) is skipped and the rest written.
 * Blobs are read in batches of bounded size, never more than one batch held at once.
 */
export async function applyPull(reader: ObjectSource, root: string, plan: PullPlan, state: PullState, maxFileSize: number, o: ApplyOptions = {}): Promise<PullOutcome> {
  const files: Record<string, string> = { ...state.files };
  for (const p of plan.forgotten) delete files[p];
  removeLeftovers(root);
  // Recorded before anything is written: a pull cut short (Ctrl-C, SIGKILL, a full disk) leaves files the
  // next pull knows as its own (PENDING never equals a signature, so each is written again), never a
  // file it would keep as the user's.
  if (plan.write.length && o.record) {
    for (const p of plan.pending) files[p] = PENDING;
    o.record({ root: state.root, files: { ...files }, skipped: state.skipped });
  }
  const step = pacer(o.signal);
  await removeFiles(root, plan.removed, files, step);
  const { written, skipped } = await writeFiles(reader, root, plan, state, maxFileSize, files, step, o.signal);
  const skippedState: Record<string, string> = {};
  for (const s of skipped) skippedState[s.path] = signature(plan.wanted.get(s.path)!);
  for (const k of plan.kept) skippedState[k.path] = signature(plan.wanted.get(k.path)!);
  return {
    state: { root: state.root, files, skipped: skippedState },
    added: plan.added.filter((p) => written.has(p)),
    changed: plan.changed.filter((p) => written.has(p)),
    skipped,
  };
}

/** Called between files: the deadline (design §4) stops the writes, and timers get their turn. */
function pacer(signal: AbortSignal | undefined): () => Promise<void> {
  let work = 0;
  return async () => {
    signal?.throwIfAborted();
    if (++work % 256 === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
    }
  };
}

/** Removes the plan's files (and the folders they leave empty); each one removed leaves the record `files`. */
async function removeFiles(root: string, removed: string[], files: Record<string, string>, step: () => Promise<void>): Promise<void> {
  const emptied = new Set<string>();
  for (const p of removed) {
    await step();
    try {
      fs.rmSync(path.join(root, p), { force: true });
      delete files[p];
      emptied.add(path.posix.dirname(p));
    } catch {
      // kept in the state: the next pull tries again
    }
  }
  removeEmptyFolders(root, emptied);
}

/**
 * Writes the plan's files, blobs read in batches of bounded size; each written one is recorded in `files`
 * with its signature, each skipped one leaves it.
 */
async function writeFiles(
  reader: ObjectSource,
  root: string,
  plan: PullPlan,
  state: PullState,
  maxFileSize: number,
  files: Record<string, string>,
  step: () => Promise<void>,
  signal: AbortSignal | undefined,
): Promise<{ written: Set<string>; skipped: PullOutcome['skipped'] }> {
  const skippedBefore = state.skipped ?? {};
  const skipped: PullOutcome['skipped'] = [];
  const skip = (p: string, reason: string) => {
    delete files[p];
    skipped.push({ path: p, reason, fresh: skippedBefore[p] !== signature(plan.wanted.get(p)!) });
  };
  const written = new Set<string>();
  const sizes = await reader.sizes(plan.write.map((p) => plan.wanted.get(p)!.oid));
  const todo = plan.write.filter((p) => {
    const size = sizes.get(plan.wanted.get(p)!.oid) ?? 0;
    if (size <= maxFileSize) return true;
    skip(p, msg.pullTooLarge(size, maxFileSize));
    return false;
  });
  const byOid = new Map<string, string[]>();
  for (const p of todo) {
    const oid = plan.wanted.get(p)!.oid;
    const paths = byOid.get(oid);
    if (paths) paths.push(p);
    else byOid.set(oid, [p]);
  }
  for (const batch of byBudget([...byOid.keys()], (oid) => sizes.get(oid) ?? 0)) {
    signal?.throwIfAborted();
    const objects = await reader.readMany(batch);
    for (const [i, oid] of batch.entries()) {
      const body = objects[i]?.type === 'blob' ? objects[i]!.body : null;
      for (const p of byOid.get(oid)!) {
        await step();
        if (!body) {
          skip(p, msg.pullUnreadable);
          continue;
        }
        const problem = writeInside(root, p, body, plan.wanted.get(p)!.mode, state.files[p] !== undefined);
        if (problem) skip(p, problem);
        else {
          files[p] = signature(plan.wanted.get(p)!);
          written.add(p);
        }
      }
    }
  }
  return { written, skipped };
}

/**
 * Writes one pulled file, or says why not. Only inside `root`; never through a link; never over a file or
 * folder the pull did not write (`mine` says whether the target itself is ours to replace).
 */
function writeInside(root: string, rel: string, content: Buffer, mode: string, mine: boolean): string | null {
  const target = path.join(root, rel);
  if (!target.startsWith(root + path.sep)) return msg.pullOutside;
  try {
    let dir = root;
    for (const seg of rel.split('/').slice(0, -1)) {
      dir = path.join(dir, seg);
      const st = fs.lstatSync(dir, { throwIfNoEntry: false });
      if (!st) fs.mkdirSync(dir);
      else if (!st.isDirectory()) return msg.pullBlocked(path.relative(root, dir));
    }
    const st = fs.lstatSync(target, { throwIfNoEntry: false });
    if (st && (st.isDirectory() || !mine)) return st.isDirectory() ? msg.pullKeptFolder : msg.pullKeptFile;
    if (mode === '120000') {
      // A link is made only when it leads to somewhere inside pull_dir: a codex link to /etc or ~/.ssh
      // would hand a reader of pull_dir (an agent, a docs build) files that are not the codex's.
      const to = content.toString('utf8');
      const resolved = path.resolve(path.dirname(target), to);
      if (path.isAbsolute(to) || to.includes('\0') || (resolved !== root && !resolved.startsWith(root + path.sep))) return msg.pullLinkOutside(to);
    }
    // Written whole under a temporary name, then renamed over: never a truncated doc in its place.
    const tmp = tempName(target);
    try {
      if (mode === '120000') fs.symlinkSync(content.toString('utf8'), tmp);
      else fs.writeFileSync(tmp, content, { mode: mode === '100755' ? 0o755 : 0o644, flag: 'wx' });
      fs.renameSync(tmp, target);
    } catch (error) {
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    return null;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    return msg.pullFailed(e.code === 'ENAMETOOLONG' ? 'the name is too long for this file system' : e.code ?? e.message);
  }
}

/**
 * Removes the folders removed files left empty, up to (not including) pull_dir itself: each folder tried
 * once, deepest first (a mass removal costs its folders, not its files times their depth).
 */
function removeEmptyFolders(root: string, dirs: Set<string>): void {
  const all = new Set<string>();
  for (const dir of dirs) for (let d = dir; d !== '.' && d !== '' && !all.has(d); d = path.posix.dirname(d)) all.add(d);
  const depth = (d: string) => d.split('/').length;
  for (const dir of [...all].sort((a, b) => depth(b) - depth(a))) {
    try {
      fs.rmdirSync(path.join(root, dir));
    } catch {
      // not empty (or gone)
    }
  }
}
