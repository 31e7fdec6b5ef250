import { codexGitEnv } from '../config/token.js';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import { codexSource, givenCodexUrl } from './codex-source.js';
import { single } from './context.js';
import { msg } from '../core/messages.js';
import { isLoopback, parseListen } from '../mcp/listen.js';
import { drainOnSignals } from '../mcp/drain.js';
import type { CommandResult, Context, Values } from '../core/edge.js';

/**
 * `codex-hooks mcp` (design §8): the reader for agents, an MCP server on stdio until stdin closes, or with
 * `--http [HOST:]PORT` on Streamable HTTP until SIGTERM/SIGINT (then it drains).
 */
export async function run(ctx: Context, values: Values, positionals: string[]): Promise<CommandResult> {
  if (positionals[0] === 'setup') {
    if (positionals.length > 2) throw new UsageError(msg.mcpNoArguments(positionals[2]), msg.setupUsage);
    const { setup } = await import('./mcp-setup.js');
    return setup(ctx, positionals[1], single(values, 'codex'), values.write === true);
  }
  if (positionals.length) throw new UsageError(msg.mcpNoArguments(positionals[0]), msg.mcpUsage);
  if (ctx.json) throw new UsageError(msg.mcpNoJson, msg.mcpUsage);
  if (values.write) throw new UsageError(msg.mcpWriteOnlySetup, msg.setupUsage);
  const httpAt = single(values, 'http');
  const listen = httpAt === undefined ? null : parseListen(httpAt);
  if (httpAt !== undefined && !listen) throw new UsageError(msg.mcpBadListen(httpAt), msg.mcpUsage);
  const token = ctx.env.CODEX_MCP_TOKEN || null;
  if (listen && !token && !isLoopback(listen.host)) throw new UsageError(msg.mcpNeedsToken(listen.host), msg.mcpNeedsTokenHint);
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
        timeoutMs: ctx.settings.timeoutSeconds * 1000,
        env: source.url === source.config.codexUrl ? await codexGitEnv(ctx.env, source.config) : ctx.env,
      },
      org: source.org,
      checkOrg: source.config.organization ?? null,
    };
  };
  const log = (line: string) => ctx.stderr.write(line + '\n');
  // The SDK is loaded here only (dist/mcp.cjs in the bundle): no hook pays for it.
  const { serve } = await import('../mcp/serve.js');
  if (!listen) {
    await serve({ setup, version, stdout: ctx.stdout, env: ctx.env as NodeJS.ProcessEnv, log });
    return { data: null };
  }
  const stop = new AbortController();
  // the first SIGTERM (or Ctrl-C) drains: requests in flight are answered, then the server exits 0
  const release = drainOnSignals(stop);
  try {
    const origins = (ctx.env.CODEX_MCP_ORIGINS ?? '').split(',').map((x) => x.trim()).filter(Boolean);
    await serve({ setup, version, env: ctx.env as NodeJS.ProcessEnv, log, http: { ...listen, token, origins, signal: stop.signal, listening: (url) => log(msg.mcpListening(url, token !== null)) } });
  } finally {
    release();
  }
  return { data: null };
}
