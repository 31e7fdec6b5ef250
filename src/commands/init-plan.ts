import { DEFAULT_ENVIRONMENTS } from '../config/defaults.js';
import { configSchema } from '../config/schema.js';
import { hasCredentials, isHttpUrl, redactUrl } from '../core/url.js';

/**
 * The keys `init` writes, in this order after `$schema` (design §2); their values are the schema's
 * defaults. The others (from_codex_exclude_patterns, mcp) keep their defaults unwritten.
 */
export const INIT_KEYS = [
  'sync_patterns',
  'exclude_patterns',
  'deny_patterns',
  'from_codex_patterns',
  'pull_dir',
  'sync_direction',
  'environments',
  'prod_branches',
  'branch_environments',
  'default_environment',
  'max_file_size',
  'deletion_threshold',
  'hooks',
] as const;

/**
 * The defaults `init` writes, `$schema` first: each from the zod schema, except `environments`, whose
 * schema default is `{}` because the default environments are added when the config is read
 * (normalize.ts): init writes them, with their branches, so the file shows what each one writes.
 */
export function initDefaults(schemaRef: string): Record<string, unknown> {
  const parsed = configSchema.parse({}) as Record<string, unknown>;
  const environments = Object.fromEntries(Object.entries(DEFAULT_ENVIRONMENTS).map(([name, e]) => [name, { branch: e.branch }]));
  return { $schema: schemaRef, ...Object.fromEntries(INIT_KEYS.map((key) => [key, key === 'environments' ? environments : parsed[key]])) };
}

/** What `init` found, read before anything is written. */
export interface InitFacts {
  /** The project's config file, its text and the codex-hooks object in it (package.json's `codex` key), or null. */
  existing: { file: string; raw: string; json: Record<string, unknown>; inPackage: boolean } | null;
  /** Where a new config goes (`<root>/.codexrc.json`). */
  newFile: string;
  /** Keys fractary's `.fractary/config.yaml` supplies: never written to the project's file. */
  supplied: string[];
  /** The earlier plugin's file (config/legacy.ts): no `$schema`, and its default_* patterns stand for ours. */
  legacy: boolean;
  /** The values chosen (given, asked or guessed) for the keys init asks; undefined: nothing to write. */
  answers: { organization?: string; codex_url?: string; project_name?: string };
  /** `$schema`: the installed package's schema.json, relative to the project. */
  schemaRef: string;
  /** The project's `.gitignore` and its text ('' when there is none). */
  gitignore: { file: string; text: string };
}

export type InitWrite = { kind: 'new-config' | 'filled-config' | 'gitignore'; file: string; text: string };

export interface InitPlan {
  /** The config as it is after init (package.json: its `codex` object), keys in the order they were added. */
  config: Record<string, unknown>;
  /** The keys filled in (`hooks.pre_push` for one key of a hooks section that was there). */
  added: string[];
  /** The files to write, in order; a new config is created, never overwritten. */
  writes: InitWrite[];
  /** The `.gitignore` line for pull_dir, written or already there. */
  gitignoreEntry: string;
  /** codex_url still unset, and neither organization+codex_repo: init says how to set it. */
  missing: string[];
  /** The codex URL answered is an ssh one with a password: written without it (issue 19). */
  sshPassword: boolean;
}

/**
 * What `codex-hooks init` writes where (design §5), decided from what it found and the answers: the
 * answers, then every default the file lacks (hooks key by key), never changing a key that is set and
 * never a key fractary supplies; the pull folder in .gitignore unless a line there covers it. Pure:
 * `init` reads the files, asks, and writes what this returns.
 */
export function planInit(facts: InitFacts): InitPlan {
  const { existing, supplied, legacy, answers } = facts;
  const current = existing?.json ?? {};
  const next: Record<string, unknown> = { ...current };
  const added: string[] = [];
  const add = (key: string, value: unknown) => {
    if (value === undefined || key in next || supplied.includes(key)) return;
    next[key] = value;
    added.push(key);
  };
  add('organization', answers.organization);
  // ssh never takes a password from a URL: one given is left out of the file, not stored (issue 19)
  const codexUrl = answers.codex_url;
  const sshPassword = codexUrl !== undefined && !isHttpUrl(codexUrl) && hasCredentials(codexUrl);
  add('codex_url', sshPassword ? redactUrl(codexUrl) : codexUrl);
  add('project_name', answers.project_name);
  const base = initDefaults(facts.schemaRef);
  for (const [key, value] of Object.entries(base)) {
    // The plugin's file: its default_* patterns stand for sync/exclude_patterns; no $schema there.
    if (legacy && (key === '$schema' || (key === 'sync_patterns' && 'default_sync_patterns' in next) || (key === 'exclude_patterns' && 'default_exclude_patterns' in next))) continue;
    add(key, value);
  }
  if (next.hooks && typeof next.hooks === 'object' && !added.includes('hooks')) {
    const hooks = { ...(next.hooks as Record<string, unknown>) };
    for (const [k, v] of Object.entries(base.hooks as Record<string, unknown>)) {
      if (!(k in hooks)) {
        hooks[k] = v;
        added.push(`hooks.${k}`);
      }
    }
    next.hooks = hooks;
  }
  // $schema first in the file, as editors expect
  const ordered = '$schema' in next ? { $schema: next.$schema, ...next } : next;

  const writes: InitWrite[] = [];
  if (!existing) writes.push({ kind: 'new-config', file: facts.newFile, text: JSON.stringify(ordered, null, 2) + '\n' });
  else if (added.length) {
    const indent = /^\{\r?\n([ \t]+)/.exec(existing.raw)?.[1] ?? '  ';
    const whole = existing.inPackage ? { ...JSON.parse(existing.raw), codex: ordered } : ordered;
    writes.push({ kind: 'filled-config', file: existing.file, text: JSON.stringify(whole, null, indent) + '\n' });
  }

  const pullDir = typeof next.pull_dir === 'string' ? next.pull_dir.replace(/^\.?\/+|\/+$/g, '') : '.codex';
  const ignored = facts.gitignore.text;
  const entry = `/${pullDir}/`;
  if (!ignored.split('\n').some((l) => [pullDir, `${pullDir}/`, `/${pullDir}`, entry].includes(l.trim()))) {
    writes.push({ kind: 'gitignore', file: facts.gitignore.file, text: ignored + (ignored && !ignored.endsWith('\n') ? '\n' : '') + `# docs pulled from the codex by codex-hooks\n${entry}\n` });
  }
  const isSet = (key: string) => current[key] !== undefined || supplied.includes(key);
  const missing = !isSet('codex_url') && next.codex_url === undefined && !(next.organization !== undefined && next.codex_repo !== undefined) ? ['codex_url'] : [];
  return { config: next, added, writes, gitignoreEntry: entry, missing, sshPassword };
}
