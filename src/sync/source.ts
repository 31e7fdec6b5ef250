import { UsageError } from '../core/errors.js';
import { validBranchName } from '../core/names.js';
import { currentBranch, isLocalBranch, openProject, originBranchAt, originUrl, refCommit, resolveCommit, type Project } from '../git/project.js';
import { msg } from '../core/messages.js';
import type { Env } from '../core/edge.js';

/**
 * What a sync starts from in the developer's checkout (design §6): the commit, the branch that decides
 * the environment, and the branch named in the codex commit's trailers. Asked of git here, so the commands
 * only parse their arguments and print (they never call git).
 */

export { NotACheckout } from '../git/project.js';

/** The checkout at `cwd`: its root, git folders and environment (NotACheckout outside one). */
export const openCheckout = (cwd: string, env: Env): Promise<Project> => openProject(cwd, env);

/** origin's URL as configured, or undefined when the checkout has no origin. */
export const originOf = (project: Project): Promise<string | undefined> => originUrl(project);

/** The checked-out branch (null on a detached HEAD), read from the files when HEAD is plain. */
export const checkedOutBranch = (project: Project): Promise<string | null> => currentBranch(project);

/** The commit HEAD is on; a UsageError when the repository has none yet. */
export const headCommit = (project: Project): Promise<string> => resolveCommit(project, 'HEAD');

/**
 * What `codex-hooks sync [--ref R] [--branch B]` syncs: the commit `ref` names (HEAD when none), the branch
 * deciding the environment — `--branch`, else the current one, else the CI's (`ci`), else the one origin
 * branch at that commit (a CI's detached HEAD), else null — and the source branch the trailers name.
 */
export async function syncSource(project: Project, o: { ref: string | undefined; named: string | undefined; ci: string | null }): Promise<{ commit: string; branch: string | null; source: string }> {
  const commit = await resolveCommit(project, o.ref ?? 'HEAD');
  if (o.named !== undefined && !validBranchName(o.named)) throw new UsageError(msg.badBranchName(o.named), msg.badBranchNameHint);
  const branch = o.named ?? (await currentBranch(project)) ?? o.ci ?? (await originBranchAt(project, commit));
  const source = o.named ?? (await sourceBranchOf(project, o.ref, branch));
  return { commit, branch, source };
}

/**
 * The branch a sync is from (trailers, and a layer sync's base): `--ref` when it names a local branch,
 * else the current branch (an older commit of it), else the ref as given.
 */
async function sourceBranchOf(project: Project, ref: string | undefined, current: string | null): Promise<string> {
  if (ref === undefined) return current ?? 'HEAD';
  const name = ref.replace(/^refs\/heads\//, '');
  if (await isLocalBranch(project, name)) return name;
  // origin's branch (`origin/main`): the branch it is on the remote
  const remote = /^(?:refs\/remotes\/)?origin\/(.+)$/.exec(ref)?.[1];
  if (remote && (await refCommit(project, `refs/remotes/origin/${remote}`))) return remote;
  return current ?? ref;
}
