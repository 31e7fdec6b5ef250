import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, UsageError } from '../core/errors.js';
import { PROJECT_NAME } from '../config/defaults.js';
import { isLegacyFile } from '../config/legacy.js';
import { FRACTARY_FILE } from '../config/defaults.js';
import { checkCodexUrl, repoNameOf } from '../config/normalize.js';
import { loadConfigFresh } from '../config/load.js';
import type { Project } from '../git/project.js';
import { openCheckout, originOf } from '../sync/source.js';
import { toolkitDir } from '../install/toolkit.js';
import { packageRoot } from '../core/paths.js';
import { hasCredentials, urlProblem } from '../core/url.js';
import { msg } from '../core/messages.js';
import { refuseLinks } from '../install/no-links.js';
import { redactUrl } from '../core/url.js';
import { planInit } from './init-plan.js';
import type { CommandResult, Context, Values } from '../core/edge.js';

const ORG = /^[A-Za-z0-9._-]+$/;
const isFractaryFile = (file: string) => file.replace(/\\/g, '/').endsWith(`/${FRACTARY_FILE}`);

/** What `origin` says about the organisation and a codex URL of the same kind (ssh or https), no credentials. */
export function guessFromOrigin(origin: string | undefined): { organization?: string; codexUrl?: string } {
  if (!origin) return {};
  // scp-like: git@github.com:acme/api.git
  const scp = /^([^/@:\s]+@)?([^/:\s]+):(?!\/)([^/\s]+)\/[^/\s]+?(?:\.git)?\/?$/.exec(origin);
  if (scp && !origin.includes('://')) {
    const [, user = '', host, org] = scp;
    // a host git would read as an option (`-oProxyCommand=…`) is never offered as the codex's
    return ORG.test(org) && !urlProblem(`${user}${host}`) ? { organization: org, codexUrl: `${user}${host}:${org}/codex.git` } : {};
  }
  // https://[user[:token]@]host[:port]/acme/api.git, ssh://git@host[:port]/acme/api.git
  const url = /^(https?|ssh|git):\/\/([^/\s]+)\/(?:(.+)\/)?([^/\s]+)\/[^/\s]+?(?:\.git)?\/?$/.exec(origin);
  if (url) {
    const [, scheme, authority, prefix, org] = url;
    // credentials never go into a committed file: https keeps only the host, ssh keeps its user
    const host = scheme === 'ssh' ? authority : authority.replace(/^[^@]*@/, '');
    return ORG.test(org) ? { organization: org, codexUrl: `${scheme}://${host}/${prefix ? `${prefix}/` : ''}${org}/codex.git` } : {};
  }
  return {};
}

const validOrg = (v: string) => (ORG.test(v) ? true : msg.initBadOrg);
const validCodex = (v: string) => {
  const problem = urlProblem(v.trim());
  if (problem) return msg.urlProblem(problem);
  return v.trim() && !/\s/.test(v.trim()) ? true : msg.initBadCodex;
};
const validProject = (v: string) => (PROJECT_NAME.test(v) && v !== '.' && v !== '..' ? true : msg.initBadProject);

/** `./node_modules/codex-hooks/schema.json`, or `./web/node_modules/…` when the package lives in web/. */
function schemaPath(project: Project, cwd: string): string {
  const dir = toolkitDir(project, cwd);
  const rel = `./${dir ? `${dir}/` : ''}node_modules/codex-hooks/schema.json`;
  if (fs.existsSync(path.join(project.root, rel))) return rel;
  const own = path.join(packageRoot(), 'schema.json');
  return own.startsWith(project.root + path.sep) ? `./${path.relative(project.root, own).split(path.sep).join('/')}` : rel;
}

/** The existing config file as JSON that init can fill in, or null when there is none. */
function existingJson(filepath: string | null): { file: string; raw: string; json: Record<string, unknown>; inPackage: boolean } | null {
  if (!filepath) return null;
  const inPackage = path.basename(filepath) === 'package.json';
  if (!/(\.json|\/\.codexrc)$/.test(filepath.replace(/\\/g, '/'))) {
    throw new UsageError(msg.initNotJson(filepath), msg.initNotJsonHint);
  }
  const raw = fs.readFileSync(filepath, 'utf8');
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new UsageError(msg.initCannotParse(filepath, (error as Error).message), msg.initCannotParseHint);
  }
  const json = inPackage ? ((parsed.codex as Record<string, unknown>) ?? {}) : parsed;
  return { file: filepath, raw, json, inPackage };
}

/**
 * `codex-hooks init` (design §5): writes .codexrc.json with the defaults of §2, or fills in the keys an
 * existing config lacks, never changing a key that is set. The organisation and codex URL are guessed
 * from `origin`; on a terminal each value is asked, and asked again until it is valid.
 */
export async function run(ctx: Context, values: Values): Promise<CommandResult> {
  // before any git work: a URL git would read as an option is never written to a config (issue 19)
  if (typeof values.codex === 'string') checkCodexUrl(values.codex, '--codex');
  const project = await openCheckout(ctx.cwd, ctx.env);
  let filepath: string | null;
  // fractary's .fractary/config.yaml is read, never written: init fills in the project's own file around it
  let fractary: { file: string; keys: string[] } | null = null;
  try {
    const loaded = await loadConfigFresh(project);
    filepath = loaded.filepath;
    const file = loaded.sources?.at(-1);
    if (file && isFractaryFile(file)) {
      fractary = { file, keys: loaded.fromFractary ?? [] };
      if (filepath === file) filepath = null;
    }
  } catch (error) {
    // an invalid config is still a config: filled in, never replaced (one that does not parse is not)
    filepath = error instanceof ConfigError && error.problem === 'keys' ? (error.file ?? null) : null;
    if (!filepath || !fs.existsSync(filepath) || isFractaryFile(filepath)) throw error;
  }
  const existing = existingJson(filepath);
  const current = existing?.json ?? {};
  const supplied = new Set(fractary?.keys ?? []);
  const isSet = (key: string) => current[key] !== undefined || supplied.has(key);
  const legacy = isLegacyFile(filepath);

  const given = { organization: values.org as string | undefined, codex_url: values.codex as string | undefined, project_name: values.project as string | undefined };
  if (given.organization !== undefined && validOrg(given.organization) !== true) throw new UsageError(msg.initInvalidOrg(given.organization), msg.initBadOrg);
  if (given.codex_url !== undefined && validCodex(given.codex_url) !== true) throw new UsageError(msg.initInvalidCodex(given.codex_url), msg.initBadCodex);
  if (given.project_name !== undefined && validProject(given.project_name) !== true) throw new UsageError(msg.initInvalidProject(given.project_name), msg.initInvalidProjectHint(msg.initBadProject));

  const origin = await originOf(project);
  const guess = guessFromOrigin(origin);
  const interactive = !values.yes && ctx.ask;
  const kept: string[] = [];
  const pick = async (key: keyof typeof given, label: string, initial: string | undefined, validate: (v: string) => string | true, isSet: boolean) => {
    if (isSet) {
      if (given[key] !== undefined && given[key] !== current[key]) kept.push(key);
      return undefined; // never change a key that is set
    }
    if (given[key] !== undefined) return given[key];
    if (interactive) {
      const answer = await ctx.ask!(label, { initial, validate: (v) => validate(v.trim() || initial || '') });
      if (answer !== null) return answer.trim() || initial;
    }
    return initial;
  };
  const hasCodex = isSet('codex_url') || (isSet('organization') && isSet('codex_repo'));
  const organization = await pick('organization', 'Organisation (e.g. acme)', guess.organization, validOrg, isSet('organization'));
  const org = (current.organization as string | undefined) ?? organization;
  const codexUrl = await pick('codex_url', 'Codex repository URL or path', guess.codexUrl ?? (org ? `https://github.com/${org}/codex.git` : undefined), validCodex, hasCodex);
  const projectName = await pick('project_name', 'Project name in the codex', repoNameOf(origin ?? '') ?? repoNameOf(project.root), validProject, isSet('project_name'));

  const file = existing?.file ?? path.join(project.root, '.codexrc.json');
  // Nothing is written through a link the repository holds (issue 19): checked before any write.
  refuseLinks(project.root, path.relative(project.root, file).split(path.sep).join('/'));
  refuseLinks(project.root, '.gitignore');
  const gitignore = path.join(project.root, '.gitignore');
  const plan = planInit({
    existing,
    newFile: file,
    supplied: [...supplied],
    legacy,
    answers: { organization, codex_url: codexUrl, project_name: projectName },
    schemaRef: schemaPath(project, ctx.cwd),
    gitignore: { file: gitignore, text: fs.existsSync(gitignore) ? fs.readFileSync(gitignore, 'utf8') : '' },
  });
  const { config: next, added, missing, sshPassword } = plan;
  const shown = path.relative(ctx.cwd, file) || file;
  const changed: string[] = [];
  for (const w of plan.writes) {
    fs.writeFileSync(w.file, w.text, w.kind === 'new-config' ? { flag: 'wx' } : {});
    changed.push(w.kind === 'new-config' ? `wrote ${shown}` : w.kind === 'filled-config' ? `filled in ${added.join(', ')} in ${shown}` : `added ${plan.gitignoreEntry} to .gitignore`);
  }
  const url = typeof next.codex_url === 'string' ? next.codex_url : undefined;
  const warnings = (url && hasCredentials(url)) || sshPassword ? [msg.secretInUrl(sshPassword ? codexUrl! : url!, shown)] : [];
  return {
    data: { file, config: url ? { ...next, codex_url: redactUrl(url) } : next, changed, added, kept, missing, warnings, fractary },
    render: (log) => {
      if (fractary) log.info(msg.initFractary(path.relative(ctx.cwd, fractary.file) || fractary.file, fractary.keys, shown));
      for (const c of changed) log.success(c);
      if (existing && !added.length) log.info(msg.initNothingToFill(shown));
      for (const k of kept) log.warn(msg.initKept(k, shown));
      for (const w of warnings) log.warn(w);
      if (missing.length) log.warn(msg.initMissingCodex(shown));
      else log.info(msg.initNextInstall);
    },
  };
}
