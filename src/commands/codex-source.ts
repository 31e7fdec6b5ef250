import path from 'node:path';
import { UsageError } from '../errors.js';
import { loadConfig, loadConfigIn, type ReaderConfig } from '../config/load.js';
import { checkCodexUrl, repoNameOf } from '../config/normalize.js';
import { isRemoteUrl } from '../git/url.js';
import { NotACheckout, openProject } from '../git/project.js';
import type { Context } from './context.js';
import { msg } from '../ui/messages.js';

export interface CodexSource {
  url: string;
  config: ReaderConfig;
  /** The organisation shown in URIs: organization from the config, else the owner in the codex URL. */
  org: string;
}

/**
 * Where `fetch` and `mcp` read from, inside a checkout or outside any (SPEC §5): `--codex URL`, else
 * CODEX_URL, else the configuration found from the working folder (the checkout's, or one in the folder).
 */
export async function codexSource(ctx: Context, flag?: string): Promise<CodexSource> {
  const given = givenCodexUrl(ctx, flag);
  const config = await configHere(ctx);
  const url = given ? (isRemoteUrl(given) ? given : path.resolve(ctx.cwd, given)) : config.codexUrl;
  if (!url) {
    throw new UsageError(
      config.filepath ? msg.noCodexConfigured(config.filepath) : msg.readerNoCodex(ctx.cwd),
      msg.readerNoCodexHint,
    );
  }
  return { url, config, org: config.organization ?? ownerOf(url) ?? 'codex' };
}

/**
 * `--codex`, else CODEX_URL, checked before any git work: a URL git would read as an option never reaches
 * it (issue 19). `mcp` calls it before its server starts, so such a URL ends it at once (exit 2).
 */
export function givenCodexUrl(ctx: Context, flag?: string): string | undefined {
  if (flag) return checkCodexUrl(flag, '--codex');
  return ctx.env.CODEX_URL ? checkCodexUrl(ctx.env.CODEX_URL, 'CODEX_URL') : undefined;
}

async function configHere(ctx: Context): Promise<ReaderConfig> {
  try {
    return await loadConfig(await openProject(ctx.cwd, ctx.env));
  } catch (error) {
    if (error instanceof NotACheckout) return loadConfigIn(ctx.cwd);
    throw error;
  }
}

/** `https://github.com/acme/codex.git` → acme; `git@host:acme/codex.git` → acme; a local path → none. */
function ownerOf(url: string): string | undefined {
  if (!isRemoteUrl(url)) return undefined;
  const parts = url.replace(/\.git$/, '').replace(/[\\/]+$/, '').split(/[/:]/).filter(Boolean);
  return parts.length >= 2 ? repoNameOf(parts[parts.length - 2]) : undefined;
}
