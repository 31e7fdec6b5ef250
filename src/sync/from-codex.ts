import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { SyncError } from '../errors.js';
import type { ObjectSource } from '../git/store.js';
import { isTreeMode, listedEntry } from '../git/objects.js';
import type { TreeEntry } from '../git/parse.js';
import type { CodexCache } from './cache.js';
import { listFiles, pathChain, rootTree } from './codex-tree.js';
import { routedDocs, routesTo } from './routes.js';
import { projectDir } from './to-codex.js';

export interface PullEntry {
  oid: string;
  mode: string;
}

export interface PullPlan {
  added: string[];
  changed: string[];
  removed: string[];
  /** Codex paths refused because they would leave pull_dir. */
  refused: string[];
  wanted: Map<string, PullEntry>;
}

/** A codex path that stays inside pull_dir: no empty, `.`, `..` or `.git` segment, no absolute path. */
export function safeRelativePath(p: string): boolean {
  if (p.startsWith('/') || p.includes('\\') || p.includes('\0')) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && seg.toLowerCase() !== '.git');
}

/**
 * What the project should pull from a codex commit: from_codex_patterns plus docs routed to it by front
 * matter, never its own projects/<name>/. Only the trees under each pattern's fixed prefix are read.
 */
export async function codexSelection(
  cache: CodexCache,
  reader: ObjectSource,
  branch: string,
  tip: string,
  config: { from_codex_patterns: string[]; projectName: string },
): Promise<{ wanted: Map<string, PullEntry>; refused: string[] }> {
  const wanted = new Map<string, PullEntry>();
  const refused = new Set<string>();
  const own = projectDir(config.projectName) + '/';
  const add = (p: string, e: PullEntry) => {
    if (p.startsWith(own)) return;
    if (!safeRelativePath(p)) refused.add(p);
    else wanted.set(p, e);
  };
  const [listed, routed] = await Promise.all([
    config.from_codex_patterns.length ? listBases(reader, tip, config.from_codex_patterns) : [],
    routedDocs(cache, reader, branch, tip),
  ]);
  const match = picomatch(config.from_codex_patterns, { dot: true });
  for (const e of listed) {
    if (e.type !== 'blob') continue;
    // Unsafe names are refused before matching: `shared/**` must not quietly pass over `shared/../x`.
    if (!safeRelativePath(e.path)) refused.add(e.path);
    else if (match(e.path)) add(e.path, { oid: e.oid, mode: e.mode });
  }
  for (const [p, route] of Object.entries(routed)) {
    if (routesTo(route, config.projectName)) add(p, { oid: route.oid, mode: route.mode });
  }
  return { wanted, refused: [...refused] };
}

/** The files under the fixed prefix of each pattern (`shared/**` → shared/): the only trees read. */
async function listBases(reader: ObjectSource, tip: string, patterns: string[]): Promise<TreeEntry[]> {
  const root = await rootTree(reader, tip);
  const bases = [...new Set(patterns.map((p) => picomatch.scan(p).base))];
  if (bases.includes('')) return listFiles(reader, root);
  const outer = bases.filter((b) => !bases.some((o) => o !== b && b.startsWith(o + '/')));
  const lists = await Promise.all(
    outer.map(async (base) => {
      const { target } = await pathChain(reader, root, base.split('/'));
      if (!target) return [];
      if (isTreeMode(target.mode)) return listFiles(reader, target.oid, base + '/');
      return [listedEntry(target, base)];
    }),
  );
  return lists.flat();
}

/** Every file and link under pull_dir, as relative posix paths; links are never followed. */
function listTree(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), r);
      else out.push(r);
    }
  };
  if (fs.existsSync(root)) walk(root, '');
  return out;
}

export interface PullState {
  files: Record<string, string>;
}

/** The pull_dir folder, refusing one that is (or sits under) a link leading out of the project. */
export function pullRoot(root: string, pullDir: string): string {
  const target = path.resolve(root, pullDir);
  let dir = path.dirname(target);
  while (dir.length > root.length) {
    const st = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) throw new SyncError('git', `pull_dir "${pullDir}" passes through ${dir}, which is not a folder`, 'set pull_dir to a plain folder inside the project');
    dir = path.dirname(dir);
  }
  const st = fs.lstatSync(target, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw new SyncError('git', `pull_dir "${pullDir}" is not a folder (${st.isSymbolicLink() ? 'a symbolic link' : 'a file'})`, `remove ${target} or set pull_dir to another folder`);
  return target;
}

export function planPull(root: string, wanted: Map<string, PullEntry>, state: PullState, refused: string[]): PullPlan {
  const present = new Set(listTree(root));
  const plan: PullPlan = { added: [], changed: [], removed: [], refused, wanted };
  for (const [p, e] of wanted) {
    if (!present.has(p)) plan.added.push(p);
    else if (state.files[p] !== `${e.mode} ${e.oid}`) plan.changed.push(p);
  }
  for (const p of present) if (!wanted.has(p)) plan.removed.push(p);
  return plan;
}

/** Makes pull_dir mirror the plan. Writes only inside `root`, replacing (never following) links. */
export async function applyPull(reader: ObjectSource, root: string, plan: PullPlan): Promise<PullState> {
  for (const p of plan.removed) fs.rmSync(path.join(root, p), { force: true });
  removeEmptyDirs(root);
  const todo = [...plan.added, ...plan.changed];
  for (let i = 0; i < todo.length; i += 500) {
    const chunk = todo.slice(i, i + 500);
    const oids = [...new Set(chunk.map((p) => plan.wanted.get(p)!.oid))];
    const blobs = new Map((await reader.readMany(oids)).flatMap((o) => (o?.type === 'blob' ? [[o.oid, o.body] as const] : [])));
    for (const p of chunk) {
      const entry = plan.wanted.get(p)!;
      writeInside(root, p, blobs.get(entry.oid) ?? Buffer.alloc(0), entry.mode);
    }
  }
  const files: Record<string, string> = {};
  for (const [p, e] of plan.wanted) files[p] = `${e.mode} ${e.oid}`;
  return { files };
}

function writeInside(root: string, rel: string, content: Buffer, mode: string): void {
  const target = path.join(root, rel);
  if (!target.startsWith(root + path.sep)) throw new SyncError('git', `Refusing to write outside pull_dir: ${rel}`);
  // Every folder on the way must be a real folder: a link (from an earlier pull or planted) is replaced.
  let dir = root;
  for (const seg of rel.split('/').slice(0, -1)) {
    dir = path.join(dir, seg);
    const st = fs.lstatSync(dir, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) fs.rmSync(dir, { force: true });
    if (!st || !st.isDirectory()) fs.mkdirSync(dir);
  }
  const st = fs.lstatSync(target, { throwIfNoEntry: false });
  if (st) fs.rmSync(target, { recursive: true, force: true });
  if (mode === '120000') fs.symlinkSync(content.toString('utf8'), target);
  else fs.writeFileSync(target, content, { mode: mode === '100755' ? 0o755 : 0o644, flag: 'wx' });
}

function removeEmptyDirs(dir: string): boolean {
  if (!fs.existsSync(dir)) return true;
  let empty = true;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && removeEmptyDirs(path.join(dir, entry.name))) fs.rmdirSync(path.join(dir, entry.name));
    else empty = false;
  }
  return empty;
}
