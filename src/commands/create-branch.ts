import { codexEnv } from '../config/token.js';
import { UsageError, SyncError } from '../errors.js';
import { requireCodexUrl } from '../config/normalize.js';
import { gitText } from '../git/exec.js';
import { validBranchName } from '../git/names.js';
import { local, openCache, recordPushed, remoteBranches, startFetch, startPush } from '../sync/cache.js';
import { msg } from '../ui/messages.js';
import { redactUrl } from '../git/url.js';
import { refusedPush } from '../sync/remote.js';
import { projectAndConfig, requireConfig } from './common.js';
import type { CommandResult, Context, Values } from './context.js';

export async function run(ctx: Context, values: Values, positionals: string[]): Promise<CommandResult> {
  const [branch, ...extra] = positionals;
  const given = values.from as string | undefined;
  const empty = values.empty === true;
  if (!branch || extra.length) throw new UsageError(msg.createBranchUsage, msg.createBranchUsageHint);
  if (empty && given !== undefined) throw new UsageError(msg.createBranchEmptyAndFrom, msg.createBranchUsageHint);
  for (const b of [branch, ...(given !== undefined ? [given] : [])]) if (!validBranchName(b)) throw new UsageError(msg.badBranchName(b), msg.badBranchNameHint);
  const { config } = await projectAndConfig(ctx);
  requireConfig(config);
  const url = requireCodexUrl(config);
  // Without --from, the branch starts from production's codex branch (main unless configured).
  const from = given ?? config.environments.prod.branch;
  const cache = await openCache(url, await codexEnv(ctx.env, config));
  const existing = await remoteBranches(cache);
  if (existing.includes(branch)) {
    const data = { branch, created: false, codexUrl: redactUrl(url) };
    return { data, render: (log) => log.info(msg.branchExists(branch)) };
  }
  let commit: string;
  if (existing.length === 0 || empty) {
    // An empty codex, or --empty (how production starts: from nothing, never from test's drafts): an
    // empty root commit.
    const tree = await gitText(['hash-object', '-t', 'tree', '-w', '--stdin'], local(cache, { input: '' }));
    const when = `${Math.floor(Date.now() / 1000)} +0000`;
    commit = await gitText(['commit-tree', tree, '-m', `codex: start branch ${branch}`], local(cache, {
      extraEnv: { GIT_AUTHOR_NAME: 'codex-hooks', GIT_AUTHOR_EMAIL: 'codex-hooks@localhost', GIT_COMMITTER_NAME: 'codex-hooks', GIT_COMMITTER_EMAIL: 'codex-hooks@localhost', GIT_AUTHOR_DATE: when, GIT_COMMITTER_DATE: when },
    }));
  } else {
    // A --from the codex lacks is bad input: said before anything is fetched or written.
    if (!existing.includes(from)) throw new UsageError(msg.noFromBranch(from, existing), msg.noFromBranchHint(branch, existing, config.environments.prod.branch));
    const tip = await startFetch(cache, from).done;
    if (!tip) throw new SyncError('branch-missing', msg.fromBranchGone(from), msg.fromBranchGoneHint);
    commit = tip;
  }
  const outcome = await startPush(cache, commit, branch).done;
  if (!outcome.pushed && outcome.refused) {
    throw refusedPush(url, branch, outcome.refused, msg.createRefusedHint(branch));
  }
  if (!outcome.pushed) throw new SyncError('rejected', msg.branchCreatedMeanwhile(branch), msg.branchCreatedMeanwhileHint);
  await recordPushed(cache, branch, commit);
  const data = { branch, created: true, from: existing.length && !empty ? from : null, commit, codexUrl: redactUrl(url) };
  return { data, render: (log) => log.success(msg.branchCreated(branch, data.from ? from : null, commit, data.codexUrl)) };
}
