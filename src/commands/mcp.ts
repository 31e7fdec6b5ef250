import { codexEnv } from '../config/token.js';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { packageRoot } from '../paths.js';
import { timeoutSeconds } from '../sync/cache.js';
import { codexSource, givenCodexUrl } from './codex-source.js';
import type { CommandResult, Context, Values } from './context.js';
import { single } from './context.js';
import { msg } from '../ui/messages.js';

/** `codex-hooks mcp` (SPEC §8): the reader for agents, an MCP server on stdio, until stdin closes. */
export async function run(ctx: Context, values: Values, positionals: string[]): Promise<CommandResult> {
  if (positionals.length) throw new UsageError(msg.mcpNoArguments(positionals[0]), msg.mcpUsage);
  if (ctx.json) throw new UsageError(msg.mcpNoJson, msg.mcpUsage);
  givenCodexUrl(ctx, single(values, 'codex'));
  const version = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version as string;
  const setup = async () => {
    const source = await codexSource(ctx, single(values, 'codex'), Boolean(values['trust-config-code']));
    const prod = source.config.environments.prod.branch;
    return {
      settings: {
        url: source.url,
        branch: prod,
        unreleasedBranches: [...new Set(Object.values(source.config.environments).map((e) => e.branch))].filter((b) => b !== prod),
        refreshSeconds: source.config.mcp?.refresh_seconds ?? 60,
        timeoutMs: timeoutSeconds(ctx.env) * 1000,
        env: source.url === source.config.codexUrl ? await codexEnv(ctx.env, source.config) : ctx.env,
      },
      org: source.org,
      checkOrg: source.config.organization ?? null,
    };
  };
  // The SDK is loaded here only (dist/mcp.cjs in the bundle): no hook pays for it.
  const { serve } = await import('../mcp/serve.js');
  await serve({ setup, version, stdout: ctx.stdout, env: ctx.env as NodeJS.ProcessEnv, log: (line) => ctx.stderr.write(line + '\n') });
  return { data: null };
}
