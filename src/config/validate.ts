import path from 'node:path';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { ENV_NAME, DEFAULT_ENVIRONMENTS } from './defaults.js';
import { configSchema, hooksSchema, mcpSchema, type ParsedConfig } from './schema.js';
import { nearest } from './suggest.js';

const KNOWN_KEYS: Record<string, string[]> = {
  '': Object.keys(configSchema.shape),
  hooks: Object.keys(hooksSchema.shape),
  mcp: Object.keys(mcpSchema.shape),
  environment: ['branch', 'description'],
};

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
      const scope = issue.path.length === 0 ? '' : issue.path[0] === 'hooks' || issue.path[0] === 'mcp' ? String(issue.path[0]) : 'environment';
      for (const key of issue.keys) {
        const hint = nearest(key, KNOWN_KEYS[scope]);
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
  for (const name of Object.keys(config.environments)) {
    if (!ENV_NAME.test(name)) {
      problems.push(`environments.${name}: environment names must match ${ENV_NAME} (lower case, e.g. "qa" or "pre-prod")`);
    }
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
  const pull = path.posix.normalize(config.pull_dir.replace(/\\/g, '/'));
  if (path.isAbsolute(config.pull_dir) || pull === '..' || pull.startsWith('../') || pull === '.' || pull === '.git' || pull.startsWith('.git/')) {
    problems.push(`pull_dir: "${config.pull_dir}" must be a folder inside the project (e.g. ".codex"), not the project root, .git, or outside it`);
  }
  return problems;
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
      `Invalid configuration in ${filepath}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
      `fix the keys above in ${filepath} (reference: README "Configuration")`,
    );
  }
  return result.data!;
}
