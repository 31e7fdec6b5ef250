import { safeRelativePath } from '../../core/names.js';
import { msg } from '../../core/messages.js';

export interface PullEntry {
  oid: string;
  mode: string;
}

/** A codex file the pull did not write, and why (a warning names it). */
export interface PullSkip {
  path: string;
  reason: string;
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

/** What is in pull_dir now, as relative posix paths (links count as files, never followed). */
export interface OnDisk {
  files: Set<string>;
  folders: Set<string>;
}

export interface PullPlan {
  added: string[];
  changed: string[];
  removed: string[];
  /** Codex paths refused because they would leave pull_dir (or plant a `.git`). */
  refused: string[];
  /** Wanted files that are not written: a file of the user's is in the way (kept, never overwritten). */
  kept: PullSkip[];
  /** The kept files not warned about before (an earlier pull recorded the same skip: said once). */
  newlyKept: PullSkip[];
  /** What will be written (added and changed, and files an earlier pull had to skip, tried again). */
  write: string[];
  wanted: Map<string, PullEntry>;
  /** Codex folders the listing left out (bounds.ts): what was pulled from them stays, recorded as ours. */
  unlisted: string[];
  /** Files of ours in the unlisted folders: neither rewritten nor removed, still recorded. */
  held: string[];
  /**
   * Files of the earlier record it forgets before anything is done: gone from pull_dir already (not wanted,
   * not held), or not a path a pull may touch. The rest stays recorded until written, removed or skipped.
   */
  forgotten: string[];
  /**
   * The files recorded as PENDING before the first write: those about to be written that the record does not
   * know with their new signature (a pull cut short leaves files known as ours, each written again).
   */
  pending: string[];
}

/** The recorded signature of a file being written: ours, never taken as up to date. */
export const PENDING = 'pending';

export const signature = (e: PullEntry) => `${e.mode} ${e.oid}`;

/**
 * Components of ASCII letters, digits, `_`, `-` and `.`, none starting with `.`: never one git refuses (no
 * `.`, `..`, `.git` spelling, `git~1`, HFS-ignored code point or `\`). The usual doc path, answered without
 * the component-by-component check (a pull of 20,000 files asks for each path once or twice).
 */
const PLAIN = /^[\w-][\w.-]*(?:\/[\w-][\w.-]*)*$/;

/** A codex path that may be written under pull_dir: git accepts it, and no `\` makes it a path on Windows. */
export const pullable = (p: string) => PLAIN.test(p) || (safeRelativePath(p) && !p.includes('\\'));

/** Whether a path lies in one of `folders` ('' is every path). */
export function underAny(folders: string[]): (p: string) => boolean {
  if (folders.length === 0) return () => false;
  const set = new Set(folders);
  return (p) => {
    if (set.has('') || set.has(p)) return true;
    for (let i = p.indexOf('/'); i > 0; i = p.indexOf('/', i + 1)) if (set.has(p.slice(0, i))) return true;
    return false;
  };
}

/**
 * Decides a pull (design §4 from-codex), given as values what the codex holds for the project (`wanted`),
 * what earlier pulls wrote (`state`) and what is in pull_dir (`present`). Touches only what an earlier pull
 * wrote: those files are updated or removed; a file of the user's where a codex file would go is kept and
 * the codex file skipped. Files an earlier pull could not write are tried again but not reported again.
 * A path that is not a safe relative path is never written or removed (codexSelection refuses such codex
 * paths already; a hand-edited pulled.json is no licence either).
 */
export function decidePull(input: { wanted: Map<string, PullEntry>; state: PullState; present: OnDisk; refused: string[]; unlisted?: string[] }): PullPlan {
  const { wanted, state, present, unlisted = [] } = input;
  const owned = state.files;
  const skippedBefore = state.skipped ?? {};
  const refused = [...input.refused];
  const plan: PullPlan = { added: [], changed: [], removed: [], refused, kept: [], newlyKept: [], write: [], wanted, unlisted, held: [], forgotten: [], pending: [] };
  const unsafe = new Set<string>();
  for (const [p, e] of wanted) {
    if (!pullable(p)) {
      unsafe.add(p);
      if (!refused.includes(p)) refused.push(p);
      continue;
    }
    const sig = signature(e);
    const mine = owned[p] !== undefined;
    const there = present.files.has(p) || present.folders.has(p);
    if (!mine && there) {
      const kept = { path: p, reason: present.folders.has(p) ? msg.pullKeptFolder : msg.pullKeptFile };
      plan.kept.push(kept);
      if (skippedBefore[p] !== sig) plan.newlyKept.push(kept);
      continue;
    }
    if (mine && owned[p] === sig && present.files.has(p)) continue;
    plan.write.push(p);
    if (owned[p] !== sig) plan.pending.push(p);
    if (skippedBefore[p] === sig) continue; // warned about once already
    (mine && present.files.has(p) ? plan.changed : plan.added).push(p);
  }
  // A folder left out of the listing (bounds.ts) may still hold what was pulled from it: kept as it is.
  const under = underAny(unlisted);
  for (const p of Object.keys(owned)) {
    if (wanted.has(p) ? unsafe.has(p) : !pullable(p)) plan.forgotten.push(p);
    else if (wanted.has(p)) continue;
    else if (under(p)) plan.held.push(p);
    else if (present.files.has(p)) plan.removed.push(p);
    else plan.forgotten.push(p); // gone already
  }
  return plan;
}
