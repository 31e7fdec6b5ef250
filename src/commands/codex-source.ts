import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { loadConfig, loadConfigIn, type CodeConfigs, type ReaderConfig } from '../config/load.js';
import { checkCodexUrl, repoNameOf } from '../config/normalize.js';
import { isRemoteUrl } from '../core/url.js';
import { NotACheckout, openCheckout } from '../sync/source.js';
import { msg } from '../core/messages.js';
import type { Context } from '../core/edge.js';

export interface CodexSource {
  url: string;
  config: ReaderConfig;
  /** The organisation shown in URIs: organization from the config, else the owner in the codex URL. */
  org: string;
}

/**
 * Where `fetch` and `mcp` read from, inside a checkout or outside any (design §5): `--codex URL`, else
 * CODEX_URL, else the configuration found from the working folder (the checkout's, or one in the folder).
 */
export async function codexSource(ctx: Context, flag?: string, trustCode = false): Promise<CodexSource> {
  const given = givenCodexUrl(ctx, flag);
  // The codex named on the command line or in the environment: the folder's config only adds a reader's
  // settings, so a code config there is not run unless asked (issue 19).
  const config = await configHere(ctx, given && !trustCode ? 'skip' : 'run');
  for (const note of config.notes ?? []) ctx.logger.warn(msg.configNote(note));
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

async function configHere(ctx: Context, code: CodeConfigs): Promise<ReaderConfig> {
  try {
    return await loadConfig(await openCheckout(ctx.cwd, ctx.env), code);
  } catch (error) {
    if (error instanceof NotACheckout) return loadConfigIn(ctx.cwd, code);
    throw error;
  }
}

/** `https://github.com/acme/codex.git` → acme; `git@host:acme/codex.git` → acme; a local path → none. */
function ownerOf(url: string): string | undefined {
  if (!isRemoteUrl(url)) return undefined;
  const parts = url.replace(/\.git$/, '').replace(/[\\/]+$/, '').split(/[/:]/).filter(Boolean);
  return parts.length >= 2 ? repoNameOf(parts[parts.length - 2]) : undefined;
}
