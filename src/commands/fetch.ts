import { codexGitEnv } from '../config/token.js';
import { UsageError, SyncError } from '../core/errors.js';
import { resolveEnvironment } from '../environment/resolve.js';
import { msg } from '../core/messages.js';
import { parseCodexUri } from '../reader/uri.js';
import { fetchFromCodex } from '../reader/fetch.js';
import { codexSource } from './codex-source.js';
import { explicitEnv } from './common.js';
import { single } from './context.js';
import type { CommandResult, Context, Logger, Values } from '../core/edge.js';

/** `codex-hooks fetch` (design §5): reads the prod codex branch unless --env names another. */
export async function run(ctx: Context, values: Values, positionals: string[]): Promise<CommandResult> {
  if (positionals.length !== 1) throw new UsageError(msg.fetchUsage, msg.fetchUsageHint);
  const uri = parseCodexUri(positionals[0]);
  const { url, config } = await codexSource(ctx, single(values, 'codex'), Boolean(values['trust-config-code']));
  const flag = explicitEnv(ctx, values).flag;
  // The reader that agents and servers use must only see released docs: CODEX_ENV is not consulted.
  const decision = resolveEnvironment({ explicit: { flag: flag ?? 'prod' }, branch: null, config });
  if (config.organization && uri.org !== config.organization) {
    throw new UsageError(msg.fetchOtherOrg(config.organization, uri.org), msg.fetchOtherOrgHint(config.organization, uri.project, uri.path));
  }
  // fractary's token goes to the codex its config names, not to a --codex or CODEX_URL given instead
  const env = url === config.codexUrl ? await codexGitEnv(ctx.env, config) : ctx.env;
  const found = await fetchFromCodex({ url, env, branch: decision.codexBranch, uri, logger: ctx.logger });
  const unreleased = decision.env === 'prod' && !flag;
  switch (found.kind) {
    case 'no-branch':
      throw new SyncError('branch-missing', msg.branchMissing(decision.codexBranch, decision.env, config.filepath, found.branches, config.environments.prod.branch));
    case 'no-project':
      throw new UsageError(msg.fetchUnknownProject(uri.project, decision.codexBranch, decision.env, found.known), unreleased ? msg.fetchUnreleasedHint(positionals[0]) : msg.fetchUnknownProjectHint(found.known));
    case 'no-document':
      throw new UsageError(msg.fetchNoDocument(uri.path, uri.project, decision.codexBranch, decision.env), unreleased ? msg.fetchUnreleasedHint(positionals[0]) : msg.fetchNoDocumentHint(uri.org, uri.project));
    case 'listing': {
      const { files } = found;
      return { data: { env: decision.env, codexBranch: decision.codexBranch, project: uri.project, files }, render: (log: Logger) => files.forEach((f) => log.info(f)) };
    }
    case 'document': {
      const { content } = found;
      return {
        data: { env: decision.env, codexBranch: decision.codexBranch, project: uri.project, path: uri.path, oid: found.oid, content: content.toString('utf8') },
        render: () => void ctx.stdout.write(content),
      };
    }
  }
}
