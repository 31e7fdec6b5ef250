import { childProcess } from '../core/builtin.js';
import fs from 'node:fs';
import path from 'node:path';
import { runGit } from '../git/exec.js';
import { processAlive as alive } from '../core/process-alive.js';
import { stateDir, type Project } from '../git/project.js';
import { readJson, writeJson } from '../core/json-file.js';
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
      const r = childProcess().spawnSync('ps', ['-o', 'ppid=,comm=', '-p', String(pid)], { encoding: 'utf8' });
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
