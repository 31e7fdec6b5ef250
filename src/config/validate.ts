import path from 'node:path';
import type { z } from 'zod';
import { UsageError } from '../core/errors.js';
import { ENV_NAME, DEFAULT_ENVIRONMENTS } from './defaults.js';
import { configSchema, type ParsedConfig } from './schema.js';
import { nearest } from './suggest.js';
import { fixedBase } from './patterns.js';
import { refusedComponent, validBranchName } from '../core/names.js';
import { urlProblem } from '../core/url.js';
import { msg } from '../core/messages.js';

type Def = { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType; valueType?: z.core.$ZodType; shape?: Record<string, z.core.$ZodType> };

/**
 * The keys the schema knows at `at`, a key path in a config (`[]`, `['hooks']`, `['environments', 'qa']`):
 * read from the schema itself (defaults, optionals and records looked through), so a key added there is
 * known here too. Empty when nothing at `at` is an object.
 */
export function knownKeys(at: readonly PropertyKey[], schema: z.core.$ZodType = configSchema): string[] {
  let s: z.core.$ZodType | undefined = schema;
  let i = 0;
  while (s) {
    const def = s._zod.def as unknown as Def;
    if (def.innerType) s = def.innerType; // default, optional, nullable, prefault
    else if (def.type === 'pipe') s = def.in;
    else if (def.type === 'object' && i === at.length) return Object.keys(def.shape!);
    else if (def.type === 'object') s = Object.hasOwn(def.shape!, at[i]) ? def.shape![at[i++] as string] : undefined;
    else if (def.type === 'record' && i < at.length) (s = def.valueType), i++;
    else return [];
  }
  return [];
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

function valueAt(raw: unknown, keys: PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const k of keys) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** One line per zod issue, `key.path: problem`, with a suggestion for unknown keys. */
export function formatIssues(issues: z.core.$ZodIssue[], raw: unknown): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const where = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(issue.path);
      for (const key of issue.keys) {
        const hint = nearest(key, known);
        const full = where ? `${where}.${key}` : key;
        lines.push(`${full}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`);
      }
    } else if (issue.code === 'invalid_type') {
      lines.push(`${where}: expected ${article(issue.expected)}, got ${describeValue(valueAt(raw, issue.path))}`);
    } else if (issue.code === 'invalid_value') {
      lines.push(`${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`);
    } else {
      lines.push(`${where || '(root)'}: ${issue.message}`);
    }
  }
  return lines;
}

/** Rules across keys that zod's shape cannot say. */
function crossChecks(config: ParsedConfig): string[] {
  const problems: string[] = [];
  // A committed config is someone else's input (issue 19): its codex URL is never an option to git.
  const url = config.codex_url === undefined ? null : urlProblem(config.codex_url);
  if (url) problems.push(`codex_url: ${msg.urlProblem(url)}`);
  // organization and codex_repo make the URL when codex_url is not set
  for (const key of ['organization', 'codex_repo'] as const) {
    if (config[key] !== undefined && urlProblem(config[key]) === 'control') problems.push(`${key}: ${msg.urlProblem('control')}`);
  }
  for (const [name, { branch }] of Object.entries(config.environments)) {
    if (!ENV_NAME.test(name)) {
      problems.push(`environments.${name}: environment names must match ${ENV_NAME} (lower case, e.g. "qa" or "pre-prod")`);
    }
    // before any git work (issue 19): the branch goes into refspecs and ref paths
    if (!validBranchName(branch)) problems.push(`environments.${name}.branch: ${msg.badBranchName(branch)}`);
  }
  const known = knownEnvironments(config);
  const unknownEnv = (name: string) => {
    const hint = nearest(name, known);
    return `unknown environment "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}; known: ${known.join(', ')}`;
  };
  if (!known.includes(config.default_environment)) problems.push(`default_environment: ${unknownEnv(config.default_environment)}`);
  for (const [glob, env] of Object.entries(config.branch_environments)) {
    if (!known.includes(env)) problems.push(`branch_environments.${glob}: ${unknownEnv(env)}`);
  }
  const pull = pullDirProblem(config.pull_dir, config.sync_patterns);
  if (pull) problems.push(`pull_dir: ${JSON.stringify(config.pull_dir)} ${pull}; use a folder of its own inside the project, such as ".codex"`);
  return problems;
}

// A stand-in for the project root: paths are compared resolved, so `./`, `x/../` and `a//` all show as what they are.
const ROOT = '/project/root';

/**
 * Why a pull_dir is unsafe, or null. The pull removes what it wrote there, so pull_dir must be a folder
 * strictly inside the project, outside .git (in any letter case), and apart from what sync_patterns send
 * to the codex (`pull_dir: "docs"` would mix pulled files with the project's own docs).
 */
export function pullDirProblem(pullDir: string, syncPatterns: string[]): string | null {
  const spelled = pullDir.replace(/\\/g, '/');
  if (spelled.trim() === '') return 'is empty';
  if (path.posix.isAbsolute(spelled) || /^[A-Za-z]:/.test(spelled)) return 'is an absolute path, outside the project';
  const rel = path.posix.relative(ROOT, path.posix.resolve(ROOT, spelled));
  if (rel === '') return 'is the project root';
  if (rel === '..' || rel.startsWith('../')) return 'is outside the project';
  if (rel.split('/').some((s) => refusedComponent(s))) return 'is inside .git';
  const lower = rel.toLowerCase();
  // A pattern that starts with a glob (`**/*.md`) names no folder; pulled files are left out of the
  // to-codex selection whatever it matches (sync/to-codex/select.ts). One with a fixed folder must stay apart.
  for (const pattern of syncPatterns) {
    const base = fixedBase(pattern)?.toLowerCase();
    if (!base) continue;
    if (lower === base || lower.startsWith(base + '/') || base.startsWith(lower + '/')) return `overlaps sync_patterns entry ${JSON.stringify(pattern)} (pulled files would mix with the project's own)`;
  }
  return null;
}

export function knownEnvironments(config: Pick<ParsedConfig, 'environments'>): string[] {
  return [...new Set([...Object.keys(DEFAULT_ENVIRONMENTS), ...Object.keys(config.environments)])];
}

/** Validates a loaded config object; every problem is reported at once, with the file. */
export function validateConfig(raw: unknown, filepath: string): ParsedConfig {
  const result = configSchema.safeParse(raw ?? {});
  const problems = result.success ? crossChecks(result.data) : formatIssues(result.error.issues, raw);
  if (problems.length > 0) {
    throw new UsageError(
      msg.invalidConfig(filepath, problems),
      msg.invalidConfigHint(filepath),
    );
  }
  return result.data!;
}
