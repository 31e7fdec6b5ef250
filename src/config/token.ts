import fs from 'node:fs';
import path from 'node:path';
import { FRACTARY_ENV_FILE } from './defaults.js';
import { evaluate, hasLiteral, parseTemplate, variablesOf } from './expand.js';
import type { Env } from '../core/edge.js';

/** What a codex token needs from the config; both Config and the reader's config have it. */
interface TokenSource {
  tokenTemplate?: string;
  root?: string;
}

/** fractary's token is written in the file itself (not only `${VAR}`s): a secret in a committed file. */
export const tokenInFile = (config: TokenSource): boolean => config.tokenTemplate !== undefined && hasLiteral(parseTemplate(config.tokenTemplate));

/**
 * The environment a sync opens the codex with (design §2, §4): fractary's `remotes.<org>/<codex_repo>.token`
 * expanded becomes CODEX_TOKEN, which remote.ts sends as a header through git's environment, never on a
 * command line. `${VAR}` reads the environment first, then `.fractary/env/.env`, whose values never
 * override a variable that is set and are never written anywhere. A CODEX_TOKEN already set wins; a
 * token that expands to nothing adds nothing (git's credential helper or ssh still answer).
 */
export async function codexGitEnv(env: Env, config: TokenSource): Promise<Env> {
  if (config.tokenTemplate === undefined || env.CODEX_TOKEN) return env;
  const parts = parseTemplate(config.tokenTemplate);
  // read only when a variable the template names is not set
  const unset = variablesOf(parts).some((name) => env[name] === undefined);
  const dotenv = unset && config.root ? await readDotenv(path.join(config.root, FRACTARY_ENV_FILE)) : {};
  const fromFile = (name: string) => (Object.prototype.hasOwnProperty.call(dotenv, name) ? dotenv[name] : undefined);
  const token = evaluate(parts, (name) => env[name] ?? fromFile(name)).trim();
  return token ? { ...env, CODEX_TOKEN: token } : env;
}

/** `KEY=value` lines (dotenv's reading: quotes, comments, `export`), or nothing when there is no such file. */
async function readDotenv(file: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  // dotenv's `parse` only reads text: it never touches process.env. Loaded only here (kept out of the hook's bundle).
  const { parse } = await import('dotenv');
  return parse(text);
}
