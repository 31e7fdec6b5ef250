import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { DEFAULT_ENVIRONMENTS, PROJECT_NAME } from './defaults.js';
import type { ParsedConfig, SyncMode } from './schema.js';
import { isRemoteUrl, urlProblem } from '../core/url.js';
import { msg } from '../core/messages.js';

export type { SyncMode };
export type Environment = { branch: string; description?: string; mode: SyncMode };

/** The configuration with every default and derived value filled in: what the rest of the code reads. */
export interface Config extends Omit<ParsedConfig, 'environments'> {
  /** Every environment, the defaults included, each with its mode decided (design §4). */
  environments: Record<string, Environment>;
  /** The codex's URL or absolute path, or undefined when neither codex_url nor organization+codex_repo is set. */
  codexUrl?: string;
  projectName: string;
  /** The file the config came from, or null when there is none (defaults only). */
  filepath: string | null;
  root: string;
  /** Things worth one line when a command shows the config (keys of the earlier plugin set aside). */
  notes?: string[];
  /**
   * Every file the config was read from, `filepath` first: `.fractary/config.yaml` follows when its
   * `codex:` section filled in keys (design §2). Absent when there is one file or none.
   */
  sources?: string[];
  /**
   * fractary's `remotes.<org>/<codex_repo>.token` as written (`${GITHUB_TOKEN}`), for the codex URL it
   * names only: expanded when a sync opens the codex (config/token.ts), never kept expanded.
   */
  tokenTemplate?: string;
  /** The keys `.fractary/config.yaml` supplied (the project's own config sets none of them). */
  fromFractary?: string[];
}

/** The repository name at the end of a remote URL or path: `git@host:org/site.git` → `site`. */
export function repoNameOf(url: string): string | undefined {
  const name = url.replace(/[\\/]+$/, '').split(/[/:\\]/).pop()?.replace(/\.git$/, '');
  return name && PROJECT_NAME.test(name) && name !== '.' && name !== '..' ? name : undefined;
}

/** codex_url (a relative path is from `root`), else the GitHub URL of organization + codex_repo. */
export function codexUrlOf(parsed: Pick<ParsedConfig, 'codex_url' | 'organization' | 'codex_repo'>, root: string): string | undefined {
  const url = parsed.codex_url;
  if (url) return isRemoteUrl(url) ? url : path.resolve(root, url);
  return parsed.organization && parsed.codex_repo ? `https://github.com/${parsed.organization}/${parsed.codex_repo}.git` : undefined;
}

export function normalizeConfig(parsed: ParsedConfig, root: string, filepath: string | null, originUrl?: string): Config {
  const codexUrl = codexUrlOf(parsed, root);
  const projectName = parsed.project_name ?? (originUrl && repoNameOf(originUrl)) ?? repoNameOf(root);
  if (!projectName) {
    throw new UsageError(
      msg.noProjectName(path.basename(root)),
      msg.noProjectNameHint(filepath),
    );
  }
  return {
    ...parsed,
    environments: withModes({ ...DEFAULT_ENVIRONMENTS, ...parsed.environments }),
    codexUrl,
    projectName,
    filepath,
    root,
  };
}

/**
 * `mirror` for an environment on production's codex branch, `layer` for the others, unless the config
 * says (design §2): feature branches share `test`, production shows one commit.
 */
export function withModes(envs: Record<string, { branch: string; description?: string; mode?: SyncMode }>): Record<string, Environment> {
  const prod = envs.prod?.branch;
  return Object.fromEntries(Object.entries(envs).map(([name, e]) => [name, { ...e, mode: e.mode ?? (e.branch === prod ? 'mirror' : 'layer') }]));
}

/**
 * `url` as given by `where` (`--codex`, `CODEX_URL`, a config key), or the UsageError that refuses it: a
 * URL git would read as an option, or with a control character (core/url.ts urlProblem). Bad input, so
 * exit 2 before any git work.
 */
export function checkCodexUrl(url: string, where: string): string {
  const problem = urlProblem(url);
  if (problem) throw new UsageError(msg.badCodexUrl(where, url, problem), msg.badCodexUrlHint(where));
  return url;
}

/** The codex URL, or the error that says how to set one. */
export function requireCodexUrl(config: Config): string {
  if (config.codexUrl) return config.codexUrl;
  throw new UsageError(
    config.filepath ? msg.noCodexConfigured(config.filepath) : msg.noConfigFound,
    config.filepath ? msg.setCodexHint : msg.runInitHint,
  );
}
