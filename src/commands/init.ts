import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { DEFAULT_DENY_PATTERNS, DEFAULT_SYNC_PATTERNS, PROJECT_NAME } from '../config/defaults.js';
import { repoNameOf } from '../config/normalize.js';
import { loadConfigFresh } from '../config/load.js';
import { openProject, originUrl } from '../git/project.js';
import { hasCredentials } from '../git/url.js';
import { msg, redactUrl } from '../ui/messages.js';
import type { CommandResult, Context, Values } from './context.js';

/** `codex-hooks init` (SPEC §5): writes .codexrc.json with the defaults of §2. */
export async function run(ctx: Context, values: Values): Promise<CommandResult> {
  const project = await openProject(ctx.cwd, ctx.env);
  let existing: string | null = null;
  try {
    existing = (await loadConfigFresh(project)).filepath;
  } catch (error) {
    // an invalid config is still a config: never overwrite it
    existing = (error as Error).message.match(/in (\S+):/)?.[1] ?? 'an existing (invalid) config file';
  }
  if (existing) throw new UsageError(`A codex-hooks configuration already exists: ${existing}`, 'edit it, or remove it and run `codex-hooks init` again');

  const origin = await originUrl(project);
  const yes = Boolean(values.yes);
  const ask = async (label: string, given: string | undefined, initial?: string) => {
    if (given !== undefined || yes || !ctx.ask) return given;
    const answer = await ctx.ask(label, initial);
    return answer === null ? given : answer.trim() || undefined;
  };
  const organization = await ask('Organisation (e.g. acme)', values.org as string | undefined);
  const codex = await ask('Codex repository URL or path', values.codex as string | undefined, organization ? `https://github.com/${organization}/codex.git` : undefined);
  const suggested = repoNameOf(origin ?? '') ?? repoNameOf(project.root);
  const projectName = await ask('Project name in the codex', values.project as string | undefined, suggested);
  if (projectName !== undefined && (!PROJECT_NAME.test(projectName) || projectName === '.' || projectName === '..')) {
    throw new UsageError(`"${projectName}" is not a valid project name`, 'use letters, digits, ".", "_" and "-" (e.g. --project api-docs)');
  }

  const config: Record<string, unknown> = {
    $schema: './node_modules/codex-hooks/schema.json',
    ...(organization ? { organization } : {}),
    ...(codex ? { codex_url: codex } : {}),
    ...(projectName ? { project_name: projectName } : {}),
    sync_patterns: DEFAULT_SYNC_PATTERNS,
    exclude_patterns: [],
    deny_patterns: DEFAULT_DENY_PATTERNS,
    from_codex_patterns: ['shared/**'],
    pull_dir: '.codex',
    sync_direction: 'bidirectional',
    environments: {
      dev: { branch: 'test' },
      test: { branch: 'test' },
      staging: { branch: 'main' },
      prod: { branch: 'main' },
    },
    prod_branches: ['main', 'master'],
    branch_environments: {},
    default_environment: 'test',
    max_file_size: 10485760,
    deletion_threshold: 0.5,
    hooks: { post_commit: 'background', pre_push: 'on', on_failure: 'warn' },
  };
  const file = path.join(project.root, '.codexrc.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2) + '\n', { flag: 'wx' });
  const changed = [`wrote ${path.relative(ctx.cwd, file) || file}`];

  const gitignore = path.join(project.root, '.gitignore');
  const current = fs.existsSync(gitignore) ? fs.readFileSync(gitignore, 'utf8') : '';
  const entry = '/.codex/';
  if (!current.split('\n').some((l) => ['.codex', '.codex/', '/.codex', '/.codex/'].includes(l.trim()))) {
    fs.writeFileSync(gitignore, current + (current && !current.endsWith('\n') ? '\n' : '') + `# docs pulled from the codex by codex-hooks\n${entry}\n`);
    changed.push('added /.codex/ to .gitignore');
  }
  const missing = codex ? [] : ['codex_url'];
  const warnings = codex && hasCredentials(codex) ? [msg.credentialsInUrl(file)] : [];
  return {
    data: { file, config: { ...config, ...(codex ? { codex_url: redactUrl(codex) } : {}) }, changed, missing, warnings },
    render: (log) => {
      for (const c of changed) log.success(c);
      if (missing.length) log.warn(`set codex_url in ${file} before syncing (or run init again with --codex URL)`);
      for (const w of warnings) log.warn(w);
      log.info('Next: `codex-hooks install` to sync on every push.');
    },
  };
}
