import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { gitText, runGit } from './exec.js';
import { parseLsTree, type TreeEntry } from './objects/parse.js';
import { readLooseRef } from './objects/loose.js';
import { commitParents, isSha1 } from './objects/objects.js';
import { readJson, writeJsonIfPossible } from '../core/json-file.js';
import { hasReplaceRefs, ObjectStore } from './objects/store.js';
import { msg } from '../core/messages.js';
import type { Env } from '../core/edge.js';

/** The project repository: where its files and its git data are. */
export interface Project {
  root: string;
  gitDir: string;
  /** Shared by all worktrees: codex-hooks keeps its state here (`<commonDir>/codex-hooks`). */
  commonDir: string;
  env: Env;
}

/** The folder is in no git checkout (fetch and mcp carry on without one: design §5). */
export class NotACheckout extends UsageError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    this.name = 'UsageError'; // what --json reports: the same bad input as before it had a class of its own
  }
}

export async function openProject(cwd: string, env: Env): Promise<Project> {
  if (!fs.existsSync(cwd)) throw new UsageError(msg.noSuchFolder(cwd), msg.noSuchFolderHint('--cwd'));
  const found = findRepository(cwd, env);
  if (found) return { ...found, env };
  let out: string;
  try {
    out = await gitText(['rev-parse', '--show-toplevel', '--absolute-git-dir', '--git-common-dir'], { cwd, env });
  } catch {
    throw new NotACheckout(msg.notACheckout(cwd), msg.notACheckoutHint);
  }
  const [root, gitDir, common] = out.split('\n');
  return { root, gitDir, commonDir: path.resolve(cwd, common), env };
}

/**
 * Finds the repository from the files alone when that is unambiguous: a hook runs at the top of the work
 * tree, where `.git` is a folder, or a `gitdir:` file in a linked worktree. A hook is timed against a
 * bare `node -e 0`; this saves it a `git rev-parse` process. Anything else (a subfolder, GIT_DIR set,
 * a bare repository) asks git.
 */
function findRepository(cwd: string, env: Env): Omit<Project, 'env'> | null {
  if (env.GIT_DIR || env.GIT_WORK_TREE || env.GIT_COMMON_DIR) return null;
  const dotGit = path.join(cwd, '.git');
  const st = fs.statSync(dotGit, { throwIfNoEntry: false });
  if (!st) return null;
  let gitDir = dotGit;
  if (st.isFile()) {
    const m = /^gitdir: (.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'));
    if (!m) return null;
    gitDir = path.resolve(cwd, m[1].trim());
  }
  if (!fs.existsSync(path.join(gitDir, 'HEAD'))) return null;
  let commonDir = gitDir;
  const commonFile = path.join(gitDir, 'commondir');
  if (fs.existsSync(commonFile)) commonDir = path.resolve(gitDir, fs.readFileSync(commonFile, 'utf8').trim());
  return { root: fs.realpathSync(cwd), gitDir: fs.realpathSync(gitDir), commonDir: fs.realpathSync(commonDir) };
}

/** The project's objects, read in this process (git/objects/store.ts); the caller closes it. */
export const projectObjects = (project: Project) => ObjectStore.open(project.commonDir, opts(project));

export function stateDir(project: Project): string {
  return path.join(project.commonDir, 'codex-hooks');
}

const opts = (p: Project) => ({ cwd: p.root, env: p.env });

/** HEAD from the files when it is plain (`ref: refs/heads/x`); undefined sends the caller to git. */
function readHead(project: Project): { branch: string | null; commit?: string } | undefined {
  if (project.env.GIT_DIR) return undefined;
  try {
    const head = fs.readFileSync(path.join(project.gitDir, 'HEAD'), 'utf8').trim();
    if (isSha1(head)) return { branch: null, commit: head };
    const m = /^ref: refs\/heads\/(.+)$/.exec(head);
    if (!m) return undefined;
    return { branch: m[1], commit: readLooseRef(project.commonDir, m[1]) };
  } catch {
    return undefined;
  }
}

/** The current branch, or null on a detached HEAD. */
export async function currentBranch(project: Project): Promise<string | null> {
  const head = readHead(project);
  if (head) return head.branch;
  const { stdout, code } = await runGit(['symbolic-ref', '-q', '--short', 'HEAD'], { ...opts(project), okCodes: [1] });
  return code === 0 ? stdout.toString().trim() : null;
}

export async function isLocalBranch(project: Project, name: string): Promise<boolean> {
  const { code } = await runGit(['show-ref', '--verify', '-q', `refs/heads/${name}`], { ...opts(project), okCodes: [1, 128] });
  return code === 0;
}

/** The commit a revision names, or a UsageError naming the revision. */
export async function resolveCommit(project: Project, rev: string): Promise<string> {
  const head = rev === 'HEAD' ? readHead(project) : undefined;
  if (head?.commit) return head.commit;
  const { stdout, code } = await runGit(['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`], { ...opts(project), okCodes: [1, 128] });
  if (code !== 0) {
    throw new UsageError(
      rev === 'HEAD' ? msg.noCommits : msg.noCommitNamed(rev),
      rev === 'HEAD' ? msg.noCommitsHint : msg.noCommitNamedHint,
    );
  }
  return stdout.toString().trim();
}

export async function originUrl(project: Project): Promise<string | undefined> {
  const { stdout, code } = await runGit(['config', '--get', 'remote.origin.url'], { ...opts(project), okCodes: [1] });
  return code === 0 ? stdout.toString().trim() : undefined;
}

/** Every entry of a commit, recursively, with blob sizes (`ls-tree -l`); submodules show as type commit. */
export async function listCommit(project: Project, commit: string): Promise<TreeEntry[]> {
  // -t lists the folders too: the root's entries feed the hook's quick check (sync/to-codex/probe.ts).
  const { stdout } = await runGit(['ls-tree', '-r', '-t', '-z', '-l', '--full-tree', commit], opts(project));
  return parseLsTree(stdout);
}

/** A rebase, merge, cherry-pick or revert is under way: post-commit stays out of it. */
export function operationInProgress(project: Project): string | null {
  const markers: Array<[string, string]> = [
    ['rebase-merge', 'rebase'],
    ['rebase-apply', 'rebase'],
    ['MERGE_HEAD', 'merge'],
    ['CHERRY_PICK_HEAD', 'cherry-pick'],
    ['REVERT_HEAD', 'revert'],
  ];
  for (const [file, name] of markers) if (fs.existsSync(path.join(project.gitDir, file))) return name;
  return null;
}

/** The developer's identity as git would commit with it (user.name/email, GIT_COMMITTER_* …). */
export async function userIdentity(project: Project): Promise<{ name: string; email: string }> {
  const { stdout, code } = await runGit(['var', 'GIT_COMMITTER_IDENT'], { ...opts(project), okCodes: [128] });
  const m = code === 0 ? /^(.*) <(.*)> \d+ [+-]\d{4}$/.exec(stdout.toString().trim()) : null;
  return { name: m?.[1] || 'codex-hooks', email: m?.[2] || 'codex-hooks@localhost' };
}

export interface Person {
  name: string;
  email: string;
}

/**
 * Who wrote and who committed a commit (its `author` and `committer` lines): a codex commit carries the
 * source commit's people, as a cherry-pick does (read here when loose, else by git, alternates included);
 * the developer's identity from git only when the commit has no readable people lines.
 */
export async function commitPeople(project: Project, objects: ObjectStore, commit: string): Promise<{ author: Person; committer: Person }> {
  const c = await objects.read(commit);
  if (c?.type === 'commit') {
    const head = c.body.toString('utf8', 0, Math.max(0, c.body.indexOf('\n\n')));
    const person = (role: string) => {
      const m = new RegExp(`^${role} (.*) <(.*)> \\d+ [+-]\\d{4}$`, 'm').exec(head);
      return m ? { name: m[1], email: m[2] } : null;
    };
    const author = person('author');
    const committer = person('committer');
    if (author && committer) return { author, committer };
  }
  const me = await userIdentity(project);
  return { author: me, committer: me };
}

/** The merge base of two commits, or null (unrelated histories, or a commit this clone lacks). */
export async function mergeBase(project: Project, a: string, b: string): Promise<string | null> {
  return (await mergeBases(project, a, b))[0] ?? null;
}

/** Every best common ancestor (`git merge-base --all`), git's own pick first; empty when none or unknown. */
async function mergeBases(project: Project, a: string, b: string): Promise<string[]> {
  const { stdout, code } = await runGit(['merge-base', '--all', '--end-of-options', a, b], { ...opts(project), okCodes: [1, 128] });
  return code === 0 ? stdout.toString().split('\n').filter(Boolean) : [];
}

/** How many merge bases a clone remembers, and how many new commits are read to reach a remembered tip. */
const REMEMBERED = 32;
const WALKED = 256;
type Remembered = { tip: string; base: string; mergeBase: string };

/**
 * mergeBase, remembered per clone (`<state>/merge-bases.json`): a branch pushed again is usually its last
 * pushed tip plus a few commits, and then its merge base with an unchanged base is the one found last time.
 * That holds when each new commit (read here: new commits are loose) has a single parent and they lead to
 * the remembered tip, and that tip was not already in the base (if it was, a new commit may be too): the new
 * commits are then no ancestors of the base, and the common ancestors are the same. git is asked otherwise,
 * and its answer remembered when it is the only best common ancestor (a criss-cross merge has several).
 */
export async function rememberedMergeBase(project: Project, objects: ObjectStore, tip: string, base: string, o: { remember?: boolean } = {}): Promise<string | null> {
  // A history the commits do not tell alone (a shallow clone, grafts, replace refs) changes when it is
  // unshallowed or rewritten: nothing is remembered of it, nor used.
  if (!historyAsCommitted(project)) return mergeBase(project, tip, base);
  const file = path.join(stateDir(project), 'merge-bases.json');
  const known = readRemembered(file);
  const exact = known.find((k) => k.tip === tip && k.base === base);
  if (exact) return exact.mergeBase;
  const from = new Map(known.filter((k) => k.base === base && k.mergeBase !== k.tip).map((k) => [k.tip, k.mergeBase]));
  let found = from.size ? mergeBaseAlong(objects, tip, from) : null;
  if (!found) {
    const all = await mergeBases(project, tip, base);
    if (all.length !== 1) return all[0] ?? null;
    found = all[0];
  }
  const kept = [{ tip, base, mergeBase: found }, ...known].slice(0, REMEMBERED);
  if (o.remember !== false) writeJsonIfPossible(file, { version: 1, kept }, { compact: true }); // only a speed-up
  return found;
}

/** The ancestry is what the commits say: no shallow boundary, no grafts, no replace refs. */
const historyAsCommitted = (p: Project): boolean =>
  !p.env.GIT_GRAFT_FILE && !['shallow', path.join('info', 'grafts')].some((f) => fs.existsSync(path.join(p.commonDir, f))) && !hasReplaceRefs(p.commonDir);

/** The remembered merge base of the first remembered tip reached from `tip` through single-parent commits read here. */
function mergeBaseAlong(objects: ObjectStore, tip: string, from: Map<string, string>): string | null {
  let at = tip;
  for (let i = 0; i < WALKED; i++) {
    const c = objects.readHere(at);
    if (c?.type !== 'commit') return null;
    const parents = commitParents(c.body);
    if (parents.length !== 1) return null;
    at = parents[0];
    const mb = from.get(at);
    if (mb) return mb;
  }
  return null;
}

function readRemembered(file: string): Remembered[] {
  const saved = readJson<{ version?: number; kept?: unknown } | null>(file, null);
  if (saved?.version !== 1 || !Array.isArray(saved.kept)) return [];
  const oid = (v: unknown) => typeof v === 'string' && isSha1(v);
  return saved.kept.filter((k): k is Remembered => oid(k?.tip) && oid(k?.base) && oid(k?.mergeBase)).slice(0, REMEMBERED);
}

/** Whether this clone has a commit. */
export async function hasCommit(project: Project, commit: string): Promise<boolean> {
  const { code } = await runGit(['cat-file', '-e', `${commit}^{commit}`], { ...opts(project), okCodes: [1, 128] });
  return code === 0;
}

/** `a` is an ancestor of (or equal to) `b`; null when this clone cannot tell (a commit it lacks). */
export async function isAncestor(project: Project, a: string, b: string): Promise<boolean | null> {
  const { code } = await runGit(['merge-base', '--is-ancestor', '--end-of-options', a, b], { ...opts(project), okCodes: [1, 128] });
  return code === 0 ? true : code === 1 ? false : null;
}

/** The commits `to` has that `from` has not (what a move of the production branch brought), or null when unknown. */
export async function commitsBetween(project: Project, from: string, to: string): Promise<Set<string> | null> {
  const { stdout, code } = await runGit(['rev-list', '--end-of-options', to, `^${from}`], { ...opts(project), okCodes: [128] });
  return code === 0 ? new Set(stdout.toString().split('\n').filter(Boolean)) : null;
}

export async function isShallow(project: Project): Promise<boolean> {
  return fs.existsSync(path.join(project.commonDir, 'shallow'));
}

/** A ref's commit, or null when the ref does not exist. */
export async function refCommit(project: Project, ref: string): Promise<string | null> {
  const { stdout, code } = await runGit(['rev-parse', '-q', '--verify', '--end-of-options', `${ref}^{commit}`], { ...opts(project), okCodes: [1, 128] });
  return code === 0 ? stdout.toString().trim() : null;
}

/** The one branch of origin whose tip is `commit` (a CI checkout's detached HEAD), or null when none or several are. */
export async function originBranchAt(project: Project, commit: string): Promise<string | null> {
  const { stdout } = await runGit(['for-each-ref', `--points-at=${commit}`, '--format=%(refname)', 'refs/remotes/origin/'], opts(project));
  const names = stdout.toString().split('\n').filter((r) => r && r !== 'refs/remotes/origin/HEAD').map((r) => r.slice('refs/remotes/origin/'.length));
  return names.length === 1 ? names[0] : null;
}

/**
 * A ref's value read from the files (loose, else packed-refs), without a git process: what the hook's quick
 * check compares (`refs/remotes/origin/main` moved since the last sync?). Null when neither has it.
 */
export function readRefFile(project: Project, ref: string): string | null {
  return refFromFiles(project, ref) ?? null;
}

/**
 * A branch's commit as the ref files say: the id, null when they do not have it, undefined when only git can
 * tell (a symbolic ref, or the reftable backend, which keeps no such files).
 */
function refFromFiles(project: Project, ref: string): string | null | undefined {
  // a name with `..`, an empty or a dot-led part is no ref git would take: never a path to read (git says no)
  if (ref.split('/').some((part) => part === '' || part.startsWith('.'))) return undefined;
  let loose: string | null = null;
  try {
    loose = fs.readFileSync(path.join(project.commonDir, ...ref.split('/')), 'utf8').trim();
  } catch {
    // not loose
  }
  if (loose !== null) return isSha1(loose) ? loose : undefined;
  try {
    for (const line of fs.readFileSync(path.join(project.commonDir, 'packed-refs'), 'utf8').split('\n')) {
      if (line.endsWith(' ' + ref)) return line.slice(0, line.indexOf(' '));
    }
  } catch {
    // no packed refs
  }
  return fs.existsSync(path.join(project.commonDir, 'reftable')) ? undefined : null;
}

/**
 * A branch's commit, or null when the ref does not exist: from the ref files when they can answer (no git
 * process: each costs a sync a few ms), else from git.
 */
export async function branchTip(project: Project, ref: string): Promise<string | null> {
  const known = refFromFiles(project, ref);
  return known !== undefined ? known : refCommit(project, ref);
}

/** When a commit was made (committer date, ISO) and who wrote it, or null when this clone lacks it. */
export async function commitInfo(project: Project, commit: string): Promise<{ time: string; author: string } | null> {
  const { stdout, code } = await runGit(['log', '-1', '--format=%cI%x00%an', '--end-of-options', commit], { ...opts(project), okCodes: [128] });
  if (code !== 0) return null;
  const [time, author] = stdout.toString().trim().split('\0');
  return time ? { time: new Date(time).toISOString(), author: author ?? '' } : null;
}
