import { SyncError, UsageError } from '../core/errors.js';
import { gitText } from '../git/exec.js';
import { msg } from '../core/messages.js';
import { local, openCache, recordPushed, remoteBranches, startFetch, startPush, type CodexCache } from './cache/cache.js';
import { refusedPush } from './cache/remote.js';
import type { Env } from '../core/edge.js';

/**
 * `codex-hooks create-branch` (design §5): a codex branch made from `from` (production's branch unless
 * --from), or from nothing (an empty codex, or `empty`: how production starts, never from test's
 * drafts). Pushed without force: a branch that exists, or appears meanwhile, is left as it is.
 */
export async function createCodexBranch(o: { url: string; env: Env; branch: string; from: string; prodBranch: string; empty: boolean }): Promise<{ created: false } | { created: true; commit: string; from: string | null }> {
  const cache = await openCache(o.url, o.env);
  const existing = await remoteBranches(cache);
  if (existing.includes(o.branch)) return { created: false };
  let commit: string;
  if (existing.length === 0 || o.empty) {
    commit = await emptyRootCommit(cache, `codex: start branch ${o.branch}`);
  } else {
    // A --from the codex lacks is bad input: said before anything is fetched or written.
    if (!existing.includes(o.from)) throw new UsageError(msg.noFromBranch(o.from, existing), msg.noFromBranchHint(o.branch, existing, o.prodBranch));
    const tip = await startFetch(cache, o.from).done;
    if (!tip) throw new SyncError('branch-missing', msg.fromBranchGone(o.from), msg.fromBranchGoneHint);
    commit = tip;
  }
  const outcome = await startPush(cache, commit, o.branch).done;
  if (!outcome.pushed && outcome.refused) {
    throw refusedPush(o.url, o.branch, outcome.refused, msg.createRefusedHint(o.branch));
  }
  if (!outcome.pushed) throw new SyncError('rejected', msg.branchCreatedMeanwhile(o.branch), msg.branchCreatedMeanwhileHint);
  await recordPushed(cache, o.branch, commit);
  return { created: true, commit, from: existing.length && !o.empty ? o.from : null };
}

/** A root commit of the empty tree, written into the cache by codex-hooks at this second. */
async function emptyRootCommit(cache: CodexCache, message: string): Promise<string> {
  const tree = await gitText(['hash-object', '-t', 'tree', '-w', '--stdin'], local(cache, { input: '' }));
  const when = `${Math.floor(Date.now() / 1000)} +0000`;
  return gitText(['commit-tree', tree, '-m', message], local(cache, {
    extraEnv: { GIT_AUTHOR_NAME: 'codex-hooks', GIT_AUTHOR_EMAIL: 'codex-hooks@localhost', GIT_COMMITTER_NAME: 'codex-hooks', GIT_COMMITTER_EMAIL: 'codex-hooks@localhost', GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
  }));
}
