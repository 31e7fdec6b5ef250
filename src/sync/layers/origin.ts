import { runGit } from '../../git/exec.js';
import { batchSshEnv } from '../../git/ssh.js';
import { originUrl, type Project } from '../../git/project.js';

/** The branches on the project's origin, as `git ls-remote` says (design §4: deleted on the server, the layer goes). */
export type OriginHeads = { heads: Map<string, string> } | { unknown: string };

/**
 * Asks origin for its branches once per sync, bounded by the sync's time (CODEX_HOOKS_TIMEOUT) and never
 * prompting; offline, or with no origin, the answer is unknown and nothing is dropped for it.
 */
export async function originHeads(project: Project, timeoutMs: number, signal?: AbortSignal): Promise<OriginHeads> {
  if ((await originUrl(project)) === undefined) return { unknown: 'no remote named origin' };
  try {
    const ssh = await batchSshEnv(project.root, project.env, signal);
    const { stdout } = await runGit(['ls-remote', '--heads', '--', 'origin'], {
      cwd: project.root,
      env: project.env,
      extraEnv: { GIT_TERMINAL_PROMPT: '0', ...ssh },
      timeoutMs: Math.min(timeoutMs, 20_000),
      signal,
    });
    const heads = new Map<string, string>();
    for (const line of stdout.toString().split('\n')) {
      const tab = line.indexOf('\trefs/heads/');
      if (tab === 40 || tab === 64) heads.set(line.slice(tab + '\trefs/heads/'.length), line.slice(0, tab));
    }
    return { heads };
  } catch (error) {
    return { unknown: ((error as Error).message ?? String(error)).split('\n')[0] };
  }
}

/**
 * Brings origin's commits of `branches` into the clone without moving any ref (no remote-tracking ref, no
 * FETCH_HEAD: nothing of the user's changes, and no reference-transaction hook runs), so a clone that has not
 * fetched still computes what origin has: a merge or hotfix on main, a commit pushed to a branch elsewhere.
 * Best effort: false when origin could not be asked.
 */
export async function fetchFromOrigin(project: Project, branches: string[], timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  if (branches.length === 0) return true;
  try {
    const ssh = await batchSshEnv(project.root, project.env, signal);
    await runGit(['fetch', '--no-tags', '--no-write-fetch-head', '--no-auto-gc', '-q', '--', 'origin', ...branches.map((b) => `refs/heads/${b}`)], {
      cwd: project.root,
      env: project.env,
      extraEnv: { GIT_TERMINAL_PROMPT: '0', ...ssh },
      timeoutMs: Math.min(timeoutMs, 20_000),
      signal,
    });
    return true;
  } catch {
    return false;
  }
}
