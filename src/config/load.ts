import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, UsageError, type ConfigProblem } from '../core/errors.js';
import { adaptLegacy, isLegacyFile } from './legacy.js';
import { originUrl, stateDir, type Project } from '../git/project.js';
import { hasCredentials } from '../core/url.js';
import { readJson, writeJsonIfPossible } from '../core/json-file.js';
import { tokenInFile } from './token.js';
import { DEFAULT_ENVIRONMENTS, FRACTARY_FILE, SEARCH_PLACES } from './defaults.js';
import { codexUrlOf, normalizeConfig, repoNameOf, withModes, type Config } from './normalize.js';
import { msg } from '../core/messages.js';

/**
 * Loads, validates and normalises the project's configuration (design §2).
 *
 * cosmiconfig and zod cost ~100 ms to import on a small machine, more than a hook that has nothing to do
 * may spend. So the normalised result of a data config (JSON/YAML/package.json) is kept in the git
 * directory, keyed by the size and mtime of every place cosmiconfig would look and of `.git/config`
 * (which holds the origin URL the project name may come from). Code configs (.js/.ts) may import other
 * files, so they are always loaded afresh.
 */
/**
 * What to do with a code config (`.codexrc.js|cjs|mjs|ts`, `codex.config.*`, design §2), a program that
 * loading runs: `run` it (the project's own config, as the user works in it), `skip` it with a note
 * (fetch and mcp given the codex by --codex or CODEX_URL: the folder's config is only a reader's
 * settings), or `refuse` it (sync-org's checkouts, anyone's) — unless --trust-config-code (issue 19).
 * Data configs are read in every case.
 */
export type CodeConfigs = 'run' | 'skip' | 'refuse';

const isCodePlace = (place: string) => /\.(c|m)?[jt]s$/.test(place);

/**
 * The code config cosmiconfig would have taken in `dir` instead of `dataFile` (the data config it found
 * when told to skip code, or null): the first non-empty code place that comes before it in SEARCH_PLACES.
 */
function codeConfigBefore(dir: string, dataFile: string | null): string | null {
  const end = dataFile ? SEARCH_PLACES.indexOf(path.relative(dir, dataFile).split(path.sep).join('/')) : SEARCH_PLACES.length;
  for (const place of SEARCH_PLACES.slice(0, end < 0 ? SEARCH_PLACES.length : end)) {
    if (!isCodePlace(place)) continue;
    const st = fs.statSync(path.join(dir, place), { throwIfNoEntry: false });
    if (st?.isFile() && st.size > 0) return path.join(dir, place);
  }
  return null;
}

/** cosmiconfig's search in `dir`, code places left out unless code may run; the code config not run, if any. */
async function search(dir: string, code: CodeConfigs) {
  const { cosmiconfig } = await import('cosmiconfig');
  const searchPlaces = code === 'run' ? SEARCH_PLACES : SEARCH_PLACES.filter((p) => !isCodePlace(p));
  const explorer = cosmiconfig('codex', { searchPlaces, stopDir: dir, cache: false });
  const result = await explorer.search(dir);
  const found = result && (path.dirname(result.filepath) === dir || result.filepath.startsWith(dir + path.sep)) ? result : null;
  const notRun = code === 'run' ? null : codeConfigBefore(dir, found?.filepath ?? null);
  if (notRun && code === 'refuse') throw new ConfigError(msg.codeConfigRefused(notRun), msg.codeConfigHint, { file: notRun, problem: 'code' });
  return notRun ? { result: null, notRun, explorer } : { result, notRun: null, explorer };
}

export async function loadConfig(project: Project, code: CodeConfigs = 'run'): Promise<Config> {
  const cacheFile = path.join(stateDir(project), 'config-cache.json');
  const signature = configSignature(project);
  const cached = readJson<{ signature?: string; version?: number; config?: Config } | null>(cacheFile, null);
  if (cached?.signature === signature && cached.version === 3) return cached.config as Config;
  const config = await loadConfigFresh(project, code);
  // A codex_url holding a token is never copied into the git directory (design §4: no credentials in
  // state): such a config is read afresh each time, and a copy an older version wrote is removed.
  // So is fractary's token when its file holds one itself rather than a `${VAR}`.
  if ((config.codex_url && hasCredentials(config.codex_url)) || tokenInFile(config)) {
    fs.rmSync(cacheFile, { force: true });
  } else if ((!config.filepath && !config.notes?.length) || (config.filepath && /\.(json|ya?ml)$|\.codexrc$/.test(config.filepath))) {
    writeJsonIfPossible(cacheFile, { version: 3, signature, config }, { compact: true }); // a read-only git directory only costs speed
  }
  return config;
}

function configSignature(project: Project): string {
  const files = [...[...SEARCH_PLACES, FRACTARY_FILE].map((p) => path.join(project.root, p)), path.join(project.commonDir, 'config')];
  const parts = [project.root];
  for (const file of files) {
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (st) parts.push(`${file}:${st.size}:${st.mtimeMs}:${st.ino}`);
  }
  return parts.join('|');
}

export async function loadConfigFresh(project: Project, code: CodeConfigs = 'run'): Promise<Config> {
  const { validateConfig } = await import('./validate.js');
  let result;
  let notRun: string | null = null;
  let explorer;
  try {
    ({ result, notRun, explorer } = await search(project.root, code));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const e = error as Error & { filepath?: string };
    throw new ConfigError(describeParseError(e), msg.configSyntaxHint, { file: parseErrorFile(e), problem: 'syntax' });
  }
  if (notRun) return { ...normalizeConfig(validateConfig({}, '(defaults)'), project.root, null, await originUrl(project)), notes: [msg.codeConfigSkipped(notRun)] };
  let filepath = result?.filepath ?? null;
  // A file outside the root (cosmiconfig walking up) is not this project's config.
  if (filepath && path.dirname(filepath) !== project.root && !filepath.startsWith(project.root + path.sep)) {
    filepath = null;
    result = null;
  }
  let raw = result?.isEmpty ? {} : result?.config;
  let note: string | undefined;
  if (isLegacyFile(filepath)) ({ config: raw, note } = adaptLegacy(raw));
  const fractary = await readFractary(project.root, explorer, () => originUrl(project), (message, hint, at) => new ConfigError(message, hint, at));
  if (!filepath && !fractary) return normalizeConfig(validateConfig({}, '(defaults)'), project.root, null, await originUrl(project));
  const notes = [...(note ? [note] : []), ...(fractary?.notes ?? [])];
  const main = filepath ?? fractary!.filepath;
  const own = raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  if (fractary) raw = (await import('./fractary.js')).mergeOver(fractary, fractary.origin, raw);
  let parsed;
  try {
    parsed = validateConfig(raw, main);
  } catch (error) {
    throw asConfigError(error, { file: main, problem: 'keys' });
  }
  try {
    // origin's URL only names a project that does not name itself: one git process less for every hook
    const origin = fractary ? fractary.origin : parsed.project_name ? undefined : await originUrl(project);
    const config = normalizeConfig(parsed, project.root, main, origin);
    if (fractary) {
      config.sources = filepath ? [filepath, fractary.filepath] : [fractary.filepath];
      const ownEnvs = (own.environments ?? {}) as Record<string, unknown>;
      config.fromFractary = Object.keys(fractary.config).filter((k) =>
        k === 'environments' ? Object.keys(fractary.config.environments as object).some((e) => !(e in ownEnvs)) : !(k in own),
      );
      // the token goes to the codex the section names, never to a URL the project's own config set
      if (fractary.tokenTemplate !== undefined && config.codexUrl === fractary.codexUrl) config.tokenTemplate = fractary.tokenTemplate;
    }
    return notes.length ? { ...config, notes } : config;
  } catch (error) {
    throw asConfigError(error);
  }
}

type Explorer = { load: (file: string) => Promise<{ config: unknown; isEmpty?: boolean } | null> };
type ReadFractary = Awaited<ReturnType<typeof import('./fractary.js').adaptFractary>> & { filepath: string; origin: string | undefined };

/**
 * `.fractary/config.yaml`'s `codex:` section in codex-hooks' keys (design §2), or null when the file is not
 * there or has no such section (another fractary tool's file). Read through the same loader as every
 * other config file, never written.
 */
async function readFractary(
  root: string,
  explorer: Explorer,
  origin: () => Promise<string | undefined>,
  failure: (message: string, hint: string, at: { file: string; problem: ConfigProblem }) => UsageError,
): Promise<ReadFractary | null> {
  const file = path.join(root, FRACTARY_FILE);
  if (!fs.existsSync(file)) return null;
  let loaded;
  try {
    loaded = await explorer.load(file);
  } catch (error) {
    throw failure(describeParseError(error as Error & { filepath?: string }), msg.configSyntaxHint, { file, problem: 'syntax' });
  }
  const { adaptFractary, codexSection } = await import('./fractary.js');
  const section = codexSection(loaded?.isEmpty ? null : loaded?.config);
  if (section === null) return null;
  const url = await origin();
  const adapted = adaptFractary(section, url, (url && repoNameOf(url)) ?? repoNameOf(root));
  if (adapted.problems.length) throw failure(msg.invalidConfig(file, adapted.problems), msg.fractaryConfigHint(file), { file, problem: 'keys' });
  return { ...adapted, filepath: file, origin: url };
}

/** A problem with the config file, as a ConfigError: the hooks tell it apart from other bad input (design §6). */
function asConfigError(error: unknown, at?: { file: string; problem: ConfigProblem }): unknown {
  if (error instanceof UsageError && !(error instanceof ConfigError)) return new ConfigError(error.message, error.hint, at);
  return error;
}

/** The file cosmiconfig could not parse, as its error names it. */
function parseErrorFile(error: Error & { filepath?: string }): string | undefined {
  return error.filepath ?? /(?:Error|error) in (\S+?):?\s/.exec(error.message)?.[1];
}

/** "Cannot parse <file> at line L, column C: <reason>", from cosmiconfig's JSON or YAML errors. */
export function describeParseError(error: Error & { filepath?: string; mark?: { line: number; column: number } }): string {
  const text = error.message;
  const file = parseErrorFile(error) ?? 'the configuration file';
  let where = '';
  if (error.mark) where = ` at line ${error.mark.line + 1}, column ${error.mark.column + 1}`;
  else {
    const at = /at position (\d+)/.exec(text)?.[1];
    const offset = at !== undefined ? Number(at) : /Unexpected end of JSON/.test(text) ? Infinity : undefined;
    if (offset !== undefined && fs.existsSync(file)) {
      let before = fs.readFileSync(file, 'utf8').slice(0, offset);
      if (offset === Infinity) before = before.trimEnd(); // the end of the text, not of trailing blank lines
      const lines = before.split('\n');
      where = ` at line ${lines.length}, column ${lines[lines.length - 1].length + 1}`;
    } else {
      const lc = /\((\d+):(\d+)\)/.exec(text);
      if (lc) where = ` at line ${lc[1]}, column ${lc[2]}`;
    }
  }
  const reason = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !/^(JSON Error|YAML Error|>|\d+ \||\|)/.test(l) && !/Error in /.test(l)) ?? text.split('\n')[0];
  return `Cannot parse ${file}${where}: ${reason.replace(/ while parsing .*$/, '').replace(/ at position \d+/, '')}`;
}

/** What a reader of the codex needs from a configuration that may sit outside any git checkout. */
export type ReaderConfig = Pick<Config, 'organization' | 'environments' | 'mcp' | 'filepath' | 'codexUrl' | 'prod_branches' | 'branch_environments' | 'default_environment' | 'tokenTemplate' | 'root' | 'notes'>;

/**
 * The configuration in `dir` for `fetch` and `mcp` run outside a git checkout (design §5): no project, so
 * no project name to derive; the codex URL and the environments are all they read.
 */
export async function loadConfigIn(dir: string, code: CodeConfigs = 'run'): Promise<ReaderConfig> {
  const { validateConfig } = await import('./validate.js');
  let result;
  let notRun: string | null = null;
  let explorer;
  try {
    ({ result, notRun, explorer } = await search(dir, code));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new UsageError(describeParseError(error as Error & { filepath?: string }), msg.configSyntaxHint);
  }
  const own = result?.filepath && path.dirname(result.filepath) === dir ? result.filepath : null;
  let raw = own && !result?.isEmpty ? result?.config : {};
  if (isLegacyFile(own)) raw = adaptLegacy(raw).config;
  // fractary's file fills in here too; no checkout, so no origin: its codex is GitHub over https
  const fractary = await readFractary(dir, explorer, async () => undefined, (message, hint) => new UsageError(message, hint));
  if (fractary) raw = (await import('./fractary.js')).mergeOver(fractary, undefined, raw);
  const filepath = own ?? fractary?.filepath ?? null;
  const parsed = validateConfig(raw, filepath ?? '(defaults)');
  const codexUrl = codexUrlOf(parsed, dir);
  const tokenTemplate = fractary?.tokenTemplate !== undefined && codexUrl === fractary.codexUrl ? fractary.tokenTemplate : undefined;
  const notes = notRun ? [msg.codeConfigSkipped(notRun)] : undefined;
  return { ...parsed, environments: withModes({ ...DEFAULT_ENVIRONMENTS, ...parsed.environments }), codexUrl, filepath, root: dir, tokenTemplate, notes };
}
