import { z } from 'zod';
import { ENV_NAME, FRACTARY_FILE, PROJECT_NAME } from './defaults.js';
import { formatIssues } from './validate.js';
import { isLocalPath } from '../core/url.js';

/**
 * fractary's current config, `.fractary/config.yaml`, section `codex:` (design §2), read as it is and never
 * written: its keys are translated into codex-hooks' own; every other section of the file belongs to
 * other fractary tools and is left alone, as are keys of `codex:` that codex-hooks has no use for
 * (`schema_version`). When a codex-hooks config exists too, its keys win and this file fills in the rest.
 */

/** `production` and `develop` are fractary's names for `prod` and `dev`. */
const ALIASES: Record<string, string> = { production: 'prod', develop: 'dev' };
const NAME = /^[A-Za-z0-9._-]+$/;
const named = (what: string) => z.string().regex(NAME, `a ${what} name: letters, digits, ".", "_" and "-"`).refine((v) => v !== '.' && v !== '..', 'must not be "." or ".."');
const globs = z.array(z.string().min(1));
/** `{ include, exclude }`, or (fractary's earlier form) a plain list of includes. */
const direction = z.union([globs, z.looseObject({ include: globs.optional(), exclude: globs.optional() })]);

const section = z.looseObject({
  organization: named('organisation').optional(),
  project: z.string().regex(PROJECT_NAME, 'use only letters, digits, ".", "_" and "-"').refine((v) => v !== '.' && v !== '..', 'must not be "." or ".."').optional(),
  codex_repo: named('repository').optional(),
  remotes: z.record(z.string(), z.looseObject({ token: z.string().optional() }).nullable()).optional(),
  sync: z
    .looseObject({
      to_codex: direction.optional(),
      from_codex: direction.optional(),
      environments: z.record(z.string(), z.union([z.string().min(1), z.looseObject({ branch: z.string().min(1) })])).optional(),
    })
    .optional(),
});

/** What the section says, in codex-hooks' keys, and what could not be taken over. */
export interface FractaryConfig {
  /** codex-hooks config keys (raw, before zod's defaults). */
  config: Record<string, unknown>;
  /** `remotes.<org>/<codex_repo>.token` as written (`${GITHUB_TOKEN}`): expanded only when a sync needs it. */
  tokenTemplate?: string;
  /** The codex URL the section names, the only URL its token may be sent to. */
  codexUrl?: string;
  notes: string[];
  /** `codex.key.path: problem` lines; not empty means the section is invalid. */
  problems: string[];
}

/** The section of a parsed `.fractary/config.yaml`, or null when the file has none (another tool's file). */
export function codexSection(file: unknown): unknown {
  if (!file || typeof file !== 'object' || Array.isArray(file)) return null;
  return 'codex' in file ? (file as { codex: unknown }).codex ?? null : null;
}

/**
 * Translates the section. `origin` is the project's origin URL: the codex URL is derived in its kind
 * (ssh or https, its host); `fallbackProject` names the project when the section does not. Pure.
 */
export function adaptFractary(raw: unknown, origin: string | undefined, fallbackProject: string | undefined): FractaryConfig {
  const parsed = section.safeParse(raw);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues, raw).map((l) => (l.startsWith('(root)') ? `codex${l.slice('(root)'.length)}` : `codex.${l}`));
    return { config: {}, notes: [], problems };
  }
  const c = parsed.data;
  const config: Record<string, unknown> = {};
  const notes: string[] = [];
  const problems: string[] = [];
  const org = c.organization;
  const project = c.project ?? fallbackProject;
  if (org) config.organization = org;
  if (c.project) config.project_name = c.project;
  if (c.codex_repo) config.codex_repo = c.codex_repo;
  let codexUrl: string | undefined;
  if (org && c.codex_repo) config.codex_url = codexUrl = deriveCodexUrl(origin, org, c.codex_repo);

  const to = c.sync?.to_codex;
  if (to) {
    const { include, exclude } = Array.isArray(to) ? { include: to, exclude: undefined } : to;
    if (include) config.sync_patterns = include;
    if (exclude) config.exclude_patterns = exclude;
  }
  const from = c.sync?.from_codex;
  if (from) {
    const { include, exclude } = Array.isArray(from) ? { include: from, exclude: undefined } : from;
    const names = { org, codexRepo: c.codex_repo, project };
    const translate = (list: string[], key: string, kind: 'include' | 'exclude') =>
      list.flatMap((entry, i) => {
        const r = codexPattern(entry, names, kind);
        if ('problem' in r) notes.push(`${FRACTARY_FILE}: ${key}.${i} ${JSON.stringify(entry)} ${r.problem}; left out`);
        return 'pattern' in r ? [r.pattern] : [];
      });
    const where = Array.isArray(from) ? 'codex.sync.from_codex' : 'codex.sync.from_codex.include';
    if (include) config.from_codex_patterns = translate(include, where, 'include');
    if (exclude) config.from_codex_exclude_patterns = translate(exclude, 'codex.sync.from_codex.exclude', 'exclude');
  }
  const envs = c.sync?.environments;
  if (envs) {
    const environments: Record<string, { branch: string }> = {};
    const from = new Map<string, string>();
    for (const [written, value] of Object.entries(envs)) {
      const name = ALIASES[written] ?? written;
      const key = `codex.sync.environments.${written}`;
      if (!ENV_NAME.test(name)) problems.push(`${key}: environment names must match ${ENV_NAME} (lower case, e.g. "qa"); "production" and "develop" stand for prod and dev`);
      else if (from.has(name)) problems.push(`${key}: "${from.get(name)}" already names the ${name} environment; keep one of them`);
      else {
        from.set(name, written);
        environments[name] = { branch: typeof value === 'string' ? value : value.branch };
      }
    }
    config.environments = environments;
  }
  let tokenTemplate: string | undefined;
  if (org && c.codex_repo && c.remotes) {
    const key = `${org}/${c.codex_repo}`.toLowerCase();
    const entry = Object.entries(c.remotes).find(([k]) => k.toLowerCase() === key)?.[1];
    if (entry?.token) tokenTemplate = entry.token;
  }
  return { config, tokenTemplate, codexUrl, notes, problems };
}

/**
 * The project's own config over fractary's: each key the own file sets wins whole, environments name
 * by name. When the own file names the codex by organisation or repository, the URL is derived again
 * from what results.
 */
export function mergeOver(fractary: Pick<FractaryConfig, 'config'>, origin: string | undefined, own: unknown): unknown {
  if (own === undefined || own === null) return fractary.config;
  if (typeof own !== 'object' || Array.isArray(own)) return own; // invalid: the own file's errors are what to show
  const o = own as Record<string, unknown>;
  const merged: Record<string, unknown> = { ...fractary.config, ...o };
  const envs = fractary.config.environments;
  if (envs && o.environments && typeof o.environments === 'object' && !Array.isArray(o.environments)) merged.environments = { ...envs, ...o.environments };
  if (!('codex_url' in o) && ('organization' in o || 'codex_repo' in o)) {
    delete merged.codex_url;
    if (typeof merged.organization === 'string' && typeof merged.codex_repo === 'string') merged.codex_url = deriveCodexUrl(origin, merged.organization, merged.codex_repo);
  }
  return merged;
}

/**
 * `codex://{org}/{codex_repo}/docs/**` → `docs/**` (the codex repository's own files),
 * `codex://{org}/other/specs/**` → `projects/other/specs/**` (another project's folder), after the
 * placeholders `{org}`, `{project}` and `{codex_repo}` are filled in. A plain glob is a codex path as it
 * is; in an exclude it matches at any depth (`_archive/**` keeps every `_archive` folder out).
 */
export function codexPattern(
  entry: string,
  names: { org?: string; codexRepo?: string; project?: string },
  kind: 'include' | 'exclude' = 'include',
): { pattern: string } | { problem: string } {
  let missing: string | undefined;
  const filled = entry.replace(/\{(org|project|codex_repo)\}/g, (_, k: string) => {
    const v = k === 'org' ? names.org : k === 'project' ? names.project : names.codexRepo;
    if (v === undefined) missing ??= k === 'org' ? 'organization' : k;
    return v ?? '';
  });
  if (missing) return { problem: `needs codex.${missing}, which is not set` };
  const uri = /^codex:\/\/([^/]*)\/([^/]*)(?:\/(.*))?$/.exec(filled);
  if (!uri) {
    if (filled.startsWith('codex:')) return { problem: 'is not a codex://org/project/path URI' };
    const plain = filled.replace(/^\.?\/+/, '');
    return { pattern: kind === 'exclude' && !plain.startsWith('**/') ? `**/${plain}` : plain };
  }
  const [, org, repo, rest = ''] = uri;
  if (names.org && org.toLowerCase() !== names.org.toLowerCase()) return { problem: `names the organisation "${org}"; codex-hooks reads the one codex of ${names.org}` };
  if (!repo || repo === '.' || repo === '..' || rest.split('/').some((s) => s === '..')) return { problem: 'does not name a codex path' };
  // a folder (`…/standards/`) is everything in it
  const inside = rest === '' ? '**' : rest.endsWith('/') ? `${rest.replace(/\/+$/, '')}/**` : rest;
  if (names.codexRepo && repo.toLowerCase() === names.codexRepo.toLowerCase()) return { pattern: inside };
  return { pattern: `projects/${repo}/${inside}` };
}

/**
 * The codex's URL from its repository name, in the kind of the project's origin: `git@github.com:acme/api.git`
 * → `git@github.com:<org>/<repo>.git`, `https://ghe.example.com/acme/api.git` →
 * `https://ghe.example.com/<org>/<repo>.git`. No credentials are carried over (an ssh user is no secret).
 * Without an origin, or with a local one, GitHub over https.
 */
export function deriveCodexUrl(origin: string | undefined, org: string, repo: string): string {
  const fallback = `https://github.com/${org}/${repo}.git`;
  if (!origin || isLocalPath(origin)) return fallback;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/([^/]+)(\/.*)?$/i.exec(origin);
  if (scheme) {
    const [, name, authority, pathPart = '/'] = scheme;
    const lower = name.toLowerCase();
    const at = authority.lastIndexOf('@');
    const host = authority.slice(at + 1);
    // a folder above the owner on the server (`/git/acme/api.git`) is kept
    const segments = pathPart.split('/').filter(Boolean);
    const prefix = segments.length > 2 ? `/${segments.slice(0, -2).join('/')}` : '';
    if (lower === 'ssh' || lower === 'git+ssh' || lower === 'ssh+git') {
      const userInfo = at < 0 ? '' : authority.slice(0, at);
      const user = userInfo.split(':')[0];
      return `ssh://${user ? `${user}@` : ''}${host}${prefix}/${org}/${repo}.git`;
    }
    if (lower === 'https' || lower === 'http') return `${lower}://${host}${prefix}/${org}/${repo}.git`;
    if (lower === 'git') return `https://${host}${prefix}/${org}/${repo}.git`;
    return fallback;
  }
  // scp-like ssh: [user@]host:path
  const scp = /^(?:([^@/:]+)@)?([^/:]+):(.*)$/.exec(origin);
  if (!scp) return fallback;
  const [, user, host, rest] = scp;
  const segments = rest.split('/').filter(Boolean);
  const prefix = segments.length > 2 ? `${segments.slice(0, -2).join('/')}/` : rest.startsWith('/') ? '/' : '';
  return `${user ? `${user}@` : ''}${host}:${prefix}${org}/${repo}.git`;
}
