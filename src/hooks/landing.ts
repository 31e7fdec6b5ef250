import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { runGit } from '../git/exec.js';
import { stateDir, type Project } from '../git/project.js';
import { readJson, writeJson } from '../json-file.js';
import { packageRoot } from '../paths.js';
import type { PushAction } from './push-plan.js';

/**
 * Publishing only what lands (design §6). pre-push runs before the remote has said yes, so it only decides
 * (and asks): what to write is kept in `landing.json`, and written when git records that the push landed —
 * git moves the remote-tracking ref (`refs/remotes/origin/feat`) only after the remote accepted the branch,
 * and runs the `reference-transaction` hook as it does (git ≥ 2.28). A refused push moves no ref: nothing
 * is written, and the kept plan expires.
 */
export interface Landing {
  time: string;
  remote: string;
  /** The `git push` that ran pre-push: only its own ref updates are its landing (a later fetch is not). */
  gitPid?: number | null;
  entries: Array<{ trackingRef: string; branch: string; sha: string | null; actions: PushAction[] }>;
}

/** A plan not landed within this time is stale (the push was refused, or interrupted). */
export const LANDING_TTL_MS = 15 * 60 * 1000;
export const landingFile = (p: Project) => path.join(stateDir(p), 'landing.json');

export function readLanding(p: Project, now = Date.now()): Landing | null {
  const l = readJson<Landing | null>(landingFile(p), null);
  if (!l || !Array.isArray(l.entries) || !(now - Date.parse(l.time) < LANDING_TTL_MS)) return null;
  // the push that kept it has ended (refused, or done): nothing of it can land any more
  if (l.gitPid && !alive(l.gitPid)) return null;
  return l;
}

export function writeLanding(p: Project, l: Landing | null): void {
  if (!l || l.entries.length === 0) fs.rmSync(landingFile(p), { force: true });
  else writeJson(landingFile(p), l);
}

/**
 * The git process this hook runs under (pre-push and reference-transaction run under the same `git push`):
 * the nearest ancestor named git, read from /proc (Linux) or `ps`; null when neither can tell.
 */
export function gitAncestorPid(start = process.ppid): number | null {
  let pid = start;
  for (let depth = 0; depth < 8 && pid > 1; depth++) {
    let comm = '';
    let ppid = 0;
    try {
      comm = fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      const r = spawnSync('ps', ['-o', 'ppid=,comm=', '-p', String(pid)], { encoding: 'utf8' });
      const m = /^\s*(\d+)\s+(.*)$/.exec(r.stdout ?? '');
      if (!m) return null;
      ppid = Number(m[1]);
      comm = path.basename(m[2].trim());
    }
    if (comm === 'git') return pid;
    pid = ppid;
  }
  return null;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Where git records a branch of `remote` after a push (its fetch refspecs), or null when it records none. */
export async function trackingRefs(p: Project, remote: string): Promise<((branch: string) => string | null) | null> {
  if (!/^[A-Za-z0-9._/-]+$/.test(remote)) return null; // a URL, not a remote's name
  const { stdout, code } = await runGit(['config', '--get-all', `remote.${remote}.fetch`], { cwd: p.root, env: p.env, okCodes: [1] });
  if (code !== 0) return null;
  const specs = stdout
    .toString()
    .split('\n')
    .map((l) => l.trim().replace(/^\+/, ''))
    .filter((l) => l && !l.startsWith('^'))
    .map((l) => l.split(':'))
    .filter((parts) => parts.length === 2 && parts[1]);
  return (branch: string) => {
    const ref = `refs/heads/${branch}`;
    for (const [src, dst] of specs) {
      const star = src.indexOf('*');
      if (star < 0) {
        if (src === ref) return dst;
      } else if (ref.startsWith(src.slice(0, star)) && ref.endsWith(src.slice(star + 1)) && ref.length >= src.length - 1) {
        return dst.replace('*', ref.slice(star, ref.length - (src.length - star - 1)));
      }
    }
    return null;
  };
}

const MARK = '# codex-hooks: reference-transaction';

/**
 * The `reference-transaction` hook, in the folder git runs hooks from (husky's `.husky/_`, which husky does
 * not fill for this hook): written by `install` and again by any pre-push that finds it missing or old (a
 * teammate's clone, after `npm install`), before the push it is needed for. It starts node only in the
 * `committed` state while a landing is kept, so other ref updates (commits, checkouts) cost a shell test.
 */
export function referenceTransactionScript(nodePath: string, bin: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    '#!/usr/bin/env sh',
    `${MARK} (written by codex-hooks; writes the codex once a push has landed)`,
    'if [ -d .git ]; then codex_hooks_dir=.git; else codex_hooks_dir=$(git rev-parse --git-common-dir 2>/dev/null) || exit 0; fi',
    'codex_hooks_chain=$codex_hooks_dir/hooks/reference-transaction',
    `{ [ -x "$codex_hooks_chain" ] && ! grep -q ${q(MARK)} "$codex_hooks_chain"; } || codex_hooks_chain=`,
    'codex_hooks_run=',
    `if [ "$1" = committed ] && [ "\${CODEX_HOOKS:-}" != 0 ] && [ "\${HUSKY:-}" != 0 ] && [ -f "$codex_hooks_dir/codex-hooks/landing.json" ] && [ -x ${q(nodePath)} ] && [ -f ${q(bin)} ]; then codex_hooks_run=1; fi`,
    '[ -n "$codex_hooks_run$codex_hooks_chain" ] || exit 0',
    'codex_hooks_in=$(cat)',
    `[ -z "$codex_hooks_run" ] || printf '%s\\n' "$codex_hooks_in" | ${q(nodePath)} ${q(bin)} hook reference-transaction "$@" || true`,
    '[ -z "$codex_hooks_chain" ] || printf \'%s\\n\' "$codex_hooks_in" | "$codex_hooks_chain" "$@"',
    '',
  ].join('\n');
}

/** Puts the hook in place when it is missing or differs; a hook of someone else's there is left alone ('foreign'). */
export async function ensureReferenceTransaction(p: Project): Promise<'written' | 'same' | 'foreign'> {
  const { stdout } = await runGit(['rev-parse', '--git-path', 'hooks/reference-transaction'], { cwd: p.root, env: p.env });
  const file = path.resolve(p.root, stdout.toString().trim());
  const want = referenceTransactionScript(process.execPath, path.join(packageRoot(), 'bin', 'codex-hooks.cjs'));
  let have: string | null = null;
  try {
    have = fs.readFileSync(file, 'utf8');
  } catch {
    // missing
  }
  if (have === want) return 'same';
  if (have !== null && !have.includes(MARK)) return 'foreign';
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, want, { mode: 0o755 });
  return 'written';
}

/** Removes the hook if it is ours (uninstall). */
export async function removeReferenceTransaction(p: Project): Promise<boolean> {
  const { stdout } = await runGit(['rev-parse', '--git-path', 'hooks/reference-transaction'], { cwd: p.root, env: p.env });
  const file = path.resolve(p.root, stdout.toString().trim());
  try {
    if (!fs.readFileSync(file, 'utf8').includes(MARK)) return false;
  } catch {
    return false;
  }
  fs.rmSync(file, { force: true });
  return true;
}
