import type { ParseArgsConfig } from 'node:util';
import type { CommandResult, Context, Values } from './context.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandSpec {
  summary: string;
  usage: string;
  details: string;
  options: Options;
  /** Loaded only when the command runs: a hook never pays for `sync-org`'s imports. */
  load: () => Promise<{ run: (ctx: Context, values: Values, positionals: string[]) => Promise<CommandResult> }>;
}

const env = { type: 'string', multiple: true } as const;

export const COMMON_HELP = `Common options:
  --cwd DIR     run in DIR instead of the current folder
  --json        print one JSON document on stdout, nothing else there
  --quiet       print only warnings and errors
  -h, --help    show help`;

export const COMMANDS: Record<string, CommandSpec> = {
  init: {
    summary: 'write .codexrc.json for this project',
    usage: 'codex-hooks init [--org O] [--codex URL] [--project NAME] [--yes]',
    details:
      'Writes .codexrc.json (with $schema) holding the defaults, or fills in the keys an existing JSON config\n' +
      'lacks (a key that is set is never changed). Guesses the organisation and a codex URL of the same kind\n' +
      "(ssh or https) from origin; on a terminal asks each value, again until it is valid. Adds pull_dir to .gitignore.",
    options: { org: { type: 'string' }, codex: { type: 'string' }, project: { type: 'string' }, yes: { type: 'boolean', short: 'y' } },
    load: () => import('./init.js'),
  },
  install: {
    summary: 'install the post-commit and pre-push hooks (husky)',
    usage: 'codex-hooks install',
    details:
      'Sets core.hooksPath to .husky/_ through husky, adds the codex-hooks line to .husky/post-commit and\n' +
      '.husky/pre-push (keeping what they already run), keeps running the hooks of .git/hooks or of a\n' +
      'core.hooksPath set before, and adds "prepare": "husky" to package.json. Run from a monorepo package\n' +
      'folder (web/), the hooks find codex-hooks in web/node_modules. Running it again changes nothing.',
    options: {},
    load: () => import('./install.js'),
  },
  uninstall: {
    summary: 'remove exactly what install added',
    usage: 'codex-hooks uninstall',
    details: 'Removes the codex-hooks lines and files that install added, and nothing else; puts back a core.hooksPath it replaced.',
    options: {},
    load: () => import('./uninstall.js'),
  },
  sync: {
    summary: 'sync docs with the codex now',
    usage: 'codex-hooks sync [--env E] [--direction D] [--ref R] [--dry-run] [--yes] [--allow-deletions] [--mirror] [--retry]',
    details:
      'Syncs the files of one commit (HEAD, or --ref) with the codex branch of the environment.\n' +
      '  --env E            the environment (explicit: never asks); default: derived from the branch\n' +
      '  --direction D      to-codex, from-codex or bidirectional (default: sync_direction)\n' +
      '  --ref R            the commit to sync (default HEAD); never the working tree\n' +
      '  --dry-run          fetch and print the plan; write nothing\n' +
      '  --yes              answer yes to the production confirmation\n' +
      '  --allow-deletions  let a sync delete more than deletion_threshold of the project\'s files\n' +
      '  --mirror           make the project\'s codex folder mirror this commit, whatever the environment\'s mode\n' +
      '  --retry            deliver the syncs kept from failed hook runs (takes --allow-deletions, --yes)',
    options: {
      env,
      direction: { type: 'string' },
      ref: { type: 'string' },
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      'allow-deletions': { type: 'boolean' },
      mirror: { type: 'boolean' },
      retry: { type: 'boolean' },
    },
    load: () => import('./sync.js'),
  },
  'sync-org': {
    summary: 'sync many local checkouts, one push per codex branch',
    usage: 'codex-hooks sync-org [--env E] [--parallel N] [--dry-run] [DIR...|--root DIR]',
    details:
      'Syncs each checkout with its own config; the projects of one codex branch share one fetch and one push (a commit each). Checkouts without a config are skipped. Production needs --env prod. --parallel bounds the projects worked on at a time. Exit 1 if any failed, 2 on bad input (an --env no project knows, a --root without repositories).',
    options: { env, parallel: { type: 'string' }, root: { type: 'string' }, 'dry-run': { type: 'boolean' } },
    load: () => import('./sync-org.js'),
  },
  status: {
    summary: 'show config, environment decision, hooks, last syncs and what would change',
    usage: 'codex-hooks status [--offline]',
    details: 'Without --offline it fetches the codex branch to tell what a sync would change now.',
    options: { offline: { type: 'boolean' }, env },
    load: () => import('./status.js'),
  },
  fetch: {
    summary: 'print one document from the codex (production unless --env)',
    usage: 'codex-hooks fetch <codex://org/project/path> [--env E] [--codex URL]',
    details:
      'Reads the prod codex branch unless --env names another. codex://org/project/ lists the project\'s docs.\n' +
      'Works outside a checkout too: the codex is --codex URL, else CODEX_URL, else the config in this folder.',
    options: { env, codex: { type: 'string' } },
    load: () => import('./fetch.js'),
  },
  mcp: {
    summary: 'the reader for agents: an MCP server on stdio serving released docs',
    usage: 'codex-hooks mcp [--codex URL] [--http [HOST:]PORT] | mcp setup <claude-code|claude-desktop|cursor|vscode> [--write]',
    details:
      'A Model Context Protocol server on stdin/stdout (Claude Code, Claude Desktop, Cursor…). It serves the\n' +
      'production codex branch only: tools codex_fetch, codex_list, codex_search, codex_status and every\n' +
      'released doc as a resource codex://{org}/{project}/{+path}. It fetches at most every mcp.refresh_seconds\n' +
      '(default 60) and exits when stdin closes. The codex is --codex URL, else CODEX_URL, else the config\n' +
      'found from the working folder (no git checkout needed).\n' +
      'With --http [HOST:]PORT it serves the same tools over Streamable HTTP at /mcp (stateless; /health too)\n' +
      'until SIGTERM. CODEX_MCP_TOKEN makes every request need "Authorization: Bearer <token>" and is required\n' +
      'for a non-loopback HOST; CODEX_MCP_ORIGINS lists the browser Origins allowed (none by default).\n' +
      '`mcp setup <client>` prints the client\'s entry for this server (absolute paths of node and the bin);\n' +
      'with --write it merges it into the client\'s file, keeping every other server.',
    options: { codex: { type: 'string' }, http: { type: 'string' }, write: { type: 'boolean' } },
    load: () => import('./mcp.js'),
  },
  'create-branch': {
    summary: 'create a codex branch from another',
    usage: 'codex-hooks create-branch <branch> [--from main]',
    details: "Creates <branch> on the codex at the tip of --from (default: prod's codex branch). On an empty codex it\nstarts the branch. A branch that exists is nothing to do (exit 0).",
    options: { from: { type: 'string' } },
    load: () => import('./create-branch.js'),
  },
  hook: {
    summary: 'what the installed hooks call',
    usage: 'codex-hooks hook <post-commit|pre-push> [git\'s args]',
    details: 'pre-push reads git\'s ref lines on stdin. CODEX_HOOKS=0 skips.',
    options: {},
    load: () => import('./hook.js'),
  },
};

export function rootHelp(version: string): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `codex-hooks ${version} — environment-aware docs sync with the codex

Usage: codex-hooks <command> [options]

Commands:
${lines.join('\n')}

${COMMON_HELP}
  -v, --version show the version

Run \`codex-hooks <command> --help\` for a command's options.`;
}

export function commandHelp(name: string): string {
  const c = COMMANDS[name];
  return `Usage: ${c.usage}\n\n${c.summary}\n\n${c.details}\n\n${COMMON_HELP}`;
}
