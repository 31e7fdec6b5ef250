import { codexGitEnv } from '../config/token.js';
import { UsageError } from '../core/errors.js';
import { requireCodexUrl } from '../config/normalize.js';
import { validBranchName } from '../core/names.js';
import { createCodexBranch } from '../sync/create-branch.js';
import { msg } from '../core/messages.js';
import { redactUrl } from '../core/url.js';
import { projectAndConfig, requireConfig } from './common.js';
import type { CommandResult, Context, Values } from '../core/edge.js';

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
  const created = await createCodexBranch({ url, env: await codexGitEnv(ctx.env, config), branch, from, prodBranch: config.environments.prod.branch, empty });
  if (!created.created) {
    const data = { branch, created: false, codexUrl: redactUrl(url) };
    return { data, render: (log) => log.info(msg.branchExists(branch)) };
  }
  const { commit } = created;
  const data = { branch, created: true, from: created.from, commit, codexUrl: redactUrl(url) };
  return { data, render: (log) => log.success(msg.branchCreated(branch, data.from ? from : null, commit, data.codexUrl)) };
}
