import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { SyncError } from '../errors.js';
import type { ObjectSource } from '../git/store.js';
import { isTreeMode, listedEntry } from '../git/objects.js';
import type { TreeEntry } from '../git/parse.js';
import type { CodexCache } from './cache.js';
import { listFiles, pathChain, rootTree } from './codex-tree.js';
import { byBudget, routedDocs, routesTo } from './routes.js';
import { projectDir } from './layout.js';
import { fixedBase } from '../config/patterns.js';
import { safeRelativePath } from '../git/names.js';
import { msg } from '../ui/messages.js';
import { CODEX_TREE } from './bounds.js';
import type { SkippedFolder } from './codex-walk.js';

export interface PullEntry {
  oid: string;
  mode: string;
}

/** A codex file the pull did not write, and why (a warning names it). */
export interface PullSkip {
  path: string;
  reason: string;
}

export interface PullPlan {
  added: string[];
  changed: string[];
  removed: string[];
  /** Codex paths refused because they would leave pull_dir (or plant a `.git`). */
  refused: string[];
  /** Wanted files that are not written: a file of the user's is in the way (kept, never overwritten). */
  kept: PullSkip[];
  /** What will be written (added and changed, and files an earlier pull had to skip, tried again). */
  write: string[];
  wanted: Map<string, PullEntry>;
  /** Codex folders the listing left out (bounds.ts): what was pulled from them stays, recorded as ours. */
  unlisted: string[];
}

/**
 * What codex-hooks wrote into one worktree's pull_dir (kept per worktree, in its git folder): only these
 * files are ever overwritten or removed by a pull. `skipped` remembers files that could not be written,
 * so each is warned about once.
 */
export interface PullState {
  /** The pull_dir the files are in: state about another folder is no licence to remove anything here. */
  root?: string;
  files: Record<string, string>;
  skipped?: Record<string, string>;
}

const signature = (e: PullEntry) => `${e.mode} ${e.oid}`;

/** A codex path that may be written under pull_dir: git accepts it, and no `\` makes it a path on Windows. */
const pullable = (p: string) => safeRelativePath(p) && !p.includes('\\');

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
    config.from_codex_patterns.length ? listBases(reader, tip, config.from_codex_patterns, signal) : { files: [], skipped: [] },
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
 * the bounds of bounds.ts (folders past them are `skipped`).
 */
async function listBases(reader: ObjectSource, tip: string, patterns: string[], signal?: AbortSignal): Promise<{ files: TreeEntry[]; skipped: SkippedFolder[] }> {
  const root = await rootTree(reader, tip);
  const bases = [...new Set(patterns.map((p) => fixedBase(p) ?? ''))];
  if (bases.includes('')) return listFiles(reader, root, '', 0, signal);
  const outer = bases.filter((b) => !bases.some((o) => o !== b && b.startsWith(o + '/')));
  const lists = await Promise.all(
    outer.map(async (base): Promise<{ files: TreeEntry[]; skipped: SkippedFolder[] }> => {
      const { target } = await pathChain(reader, root, base.split('/'));
      if (!target) return { files: [], skipped: [] };
      if (isTreeMode(target.mode)) return listFiles(reader, target.oid, base + '/', base.split('/').length, signal);
      return { files: [listedEntry(target, base)], skipped: [] };
    }),
  );
  return { files: lists.flatMap((l) => l.files), skipped: lists.flatMap((l) => l.skipped) };
}

/** Whether a path lies in one of `folders` ('' is every path). */
function underAny(folders: string[]): (p: string) => boolean {
  if (folders.length === 0) return () => false;
  const set = new Set(folders);
  return (p) => {
    if (set.has('') || set.has(p)) return true;
    for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) if (set.has(p.slice(0, i))) return true;
    return false;
  };
}

/** Every file and link under pull_dir, as relative posix paths (links are never followed); folders apart. */
function listTree(root: string): { files: Set<string>; folders: Set<string> } {
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

/**
 * Plans a pull that touches only what an earlier pull wrote (`state.files`): those files are updated or
 * removed; a file of the user's where a codex file would go is kept and the codex file skipped. Files an
 * earlier pull could not write are tried again but not reported again. Pure but for listing `root`.
 */
export function planPull(root: string, wanted: Map<string, PullEntry>, state: PullState, refused: string[], unlisted: string[] = []): PullPlan {
  const present = listTree(root);
  const owned = state.files;
  const skippedBefore = state.skipped ?? {};
  const plan: PullPlan = { added: [], changed: [], removed: [], refused, kept: [], write: [], wanted, unlisted };
  for (const [p, e] of wanted) {
    const sig = signature(e);
    const mine = owned[p] !== undefined;
    const there = present.files.has(p) || present.folders.has(p);
    if (!mine && there) {
      plan.kept.push({ path: p, reason: present.folders.has(p) ? msg.pullKeptFolder : msg.pullKeptFile });
      continue;
    }
    if (mine && owned[p] === sig && present.files.has(p)) continue;
    plan.write.push(p);
    if (skippedBefore[p] === sig) continue; // warned about once already
    (mine && present.files.has(p) ? plan.changed : plan.added).push(p);
  }
  // A folder left out of the listing (bounds.ts) may still hold what was pulled from it: kept as it is.
  const under = underAny(unlisted);
  for (const p of Object.keys(owned)) if (!wanted.has(p) && present.files.has(p) && !under(p)) plan.removed.push(p);
  return plan;
}

export interface ApplyOptions {
  /** The sync's deadline: once aborted, nothing more is written. */
  signal?: AbortSignal;
  /** Saves the pull state (pulled.json): called before the first write, with the files about to be written. */
  record?: (state: PullState) => void;
}

/** The recorded signature of a file being written: ours, never taken as up to date. */
const PENDING = 'pending';

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
  const files: Record<string, string> = {};
  const removing = new Set(plan.removed);
  const unlisted = underAny(plan.unlisted);
  for (const [p, sig] of Object.entries(state.files)) if (plan.wanted.has(p) || removing.has(p) || unlisted(p)) files[p] = sig;
  removeLeftovers(root);
  // Recorded before anything is written: a pull cut short (Ctrl-C, SIGKILL, a full disk) leaves files the
  // next pull knows as its own (PENDING never equals a signature, so each is written again), never a
  // file it would keep as the user's.
  if (plan.write.length && o.record) {
    for (const p of plan.write) if (files[p] === undefined || files[p] !== signature(plan.wanted.get(p)!)) files[p] = PENDING;
    o.record({ root: state.root, files: { ...files }, skipped: state.skipped });
  }
  let work = 0;
  // Between files: the deadline (design §4) stops the writes, and timers get their turn.
  const step = async () => {
    o.signal?.throwIfAborted();
    if (++work % 256 === 0) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      o.signal?.throwIfAborted();
    }
  };
  const emptied = new Set<string>();
  for (const p of plan.removed) {
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
    o.signal?.throwIfAborted();
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
