import type { ParseArgsConfig } from 'node:util';
import type { CommandResult, Context, Values } from '../core/edge.js';

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
      "(ssh or https) from origin; on a terminal asks each value, again until it is valid. Adds pull_dir to .gitignore.\n" +
      '  --org O           the organisation (default: guessed from origin)\n' +
      "  --codex URL       the codex's git URL or path (default: origin's kind of URL for <org>/codex)\n" +
      "  --project NAME    where this project's docs live in the codex (default: origin's repository name)\n" +
      '  -y, --yes         ask nothing: take the flags and the guesses',
    options: { org: { type: 'string' }, codex: { type: 'string' }, project: { type: 'string' }, yes: { type: 'boolean', short: 'y' } },
    load: () => import('./init.js'),
  },
  install: {
    summary: 'install the post-commit and pre-push hooks (husky)',
    usage: 'codex-hooks install',
    details:
      'Sets core.hooksPath to .husky/_ through husky, adds the codex-hooks line to .husky/post-commit and\n' +
      '.husky/pre-push (keeping what they already run), keeps running the hooks of .git/hooks or of a\n' +
      'core.hooksPath set before, and adds "prepare": "codex-hooks prepare || true" to package.json. Run from a monorepo package\n' +
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
      '  --branch B         the branch the commit is from (a detached HEAD in CI; default: the current branch,\n' +
      '                     GITHUB_HEAD_REF/GITHUB_REF_NAME, or the one origin branch at that commit)\n' +
      '  --dry-run          fetch and print the plan; write nothing\n' +
      '  --yes              answer yes to the production confirmation\n' +
      '  --allow-deletions  let a sync delete more than deletion_threshold of the project\'s files\n' +
      '  --mirror           make the project\'s codex folder mirror this commit, whatever the environment\'s mode\n' +
      '  --retry            deliver the syncs kept from failed hook runs (takes --allow-deletions, --yes)',
    options: {
      env,
      direction: { type: 'string' },
      ref: { type: 'string' },
      branch: { type: 'string' },
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      'allow-deletions': { type: 'boolean' },
      mirror: { type: 'boolean' },
      retry: { type: 'boolean' },
    },
    load: () => import('./sync.js'),
  },
  layers: {
    summary: 'show, drop or prune the branches that make up a layered environment (test)',
    usage: 'codex-hooks layers [--env E] | layers drop <branch> [--env E] [--dry-run] | layers prune [--env E] [--dry-run]',
    details:
      'A layered environment (test) shows the production branch (its base) plus every branch in flight, each\n' +
      "branch's changes since its merge base with the base, in the order of their first push.\n" +
      '  layers             the base, each live layer (branch, tip, author, when, docs it changes), overlaps\n' +
      '                     (which doc, which branches, whose version shows) and stale layers (deleted, merged)\n' +
      "  layers drop B      takes branch B's layer out of the folder\n" +
      '  layers prune       takes out every stale layer now (any sync does it too)\n' +
      '  --env E            the layered environment (default: default_environment)\n' +
      '  --dry-run          show what would change; write nothing',
    options: { env, 'dry-run': { type: 'boolean' } },
    load: () => import('./layers.js'),
  },
  'sync-org': {
    summary: 'sync many local checkouts, one push per codex branch',
    usage: 'codex-hooks sync-org [--env E] [--parallel N] [--dry-run] [--trust-config-code] [DIR...|--root DIR]',
    details:
      'Syncs each checkout with its own config; the projects of one codex branch share one fetch and one push\n' +
      '(a commit each). Checkouts without a config are skipped. Exit 1 if any failed, 2 on bad input (an --env no\n' +
      'project knows, a --root without repositories).\n' +
      '  --env E              the environment of every project (production needs --env prod: never assumed)\n' +
      '  --parallel N         projects worked on at a time (default 4)\n' +
      '  --root DIR           sync every git checkout directly under DIR (instead of the DIR... given)\n' +
      '  --dry-run            fetch and print each plan; write nothing\n' +
      "  --trust-config-code  run a checkout's code config (.codexrc.js, codex.config.ts…); without it such a checkout fails",
    options: { env, parallel: { type: 'string' }, root: { type: 'string' }, 'dry-run': { type: 'boolean' }, 'trust-config-code': { type: 'boolean' } },
    load: () => import('./sync-org.js'),
  },
  status: {
    summary: 'show config, environment decision, hooks, last syncs and what would change',
    usage: 'codex-hooks status [--offline]',
    details:
      'Config, project, codex, branch → environment → codex branch, whether the hooks can run, the last sync per\n' +
      'environment, kept requests, and what a sync would change now.\n' +
      '  --offline   fetch nothing: skip "what a sync would change now"\n' +
      '  --env E     show the decision for environment E instead of the current branch\'s',
    options: { offline: { type: 'boolean' }, env },
    load: () => import('./status.js'),
  },
  fetch: {
    summary: 'print one document from the codex (production unless --env)',
    usage: 'codex-hooks fetch <codex://org/project/path> [--env E] [--codex URL] [--trust-config-code]',
    details:
      'codex://org/project/ lists the project\'s docs. Works outside a checkout too.\n' +
      '  --env E              read environment E\'s codex branch (default: prod\'s)\n' +
      '  --codex URL          the codex (default: CODEX_URL, else the config found from this folder)\n' +
      '  --trust-config-code  run a code config (.codexrc.js…) even with --codex or CODEX_URL',
    options: { env, codex: { type: 'string' }, 'trust-config-code': { type: 'boolean' } },
    load: () => import('./fetch.js'),
  },
  mcp: {
    summary: 'the reader for agents: an MCP server on stdio serving released docs',
    usage: 'codex-hooks mcp [--codex URL] [--http [HOST:]PORT] [--trust-config-code] | mcp setup <claude-code|claude-desktop|cursor|vscode> [--write]',
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
      'with --write it merges it into the client\'s file, keeping every other server.\n' +
      '  --codex URL          the codex (default: CODEX_URL, else the config found from the working folder)\n' +
      '  --http [HOST:]PORT   serve over Streamable HTTP at /mcp instead of stdio\n' +
      '  --write              (mcp setup) merge the entry into the client\'s file\n' +
      '  --trust-config-code  run a code config (.codexrc.js…) even with --codex or CODEX_URL',
    options: { codex: { type: 'string' }, http: { type: 'string' }, write: { type: 'boolean' }, 'trust-config-code': { type: 'boolean' } },
    load: () => import('./mcp.js'),
  },
  'create-branch': {
    summary: 'create a codex branch from another',
    usage: 'codex-hooks create-branch <branch> [--from main | --empty]',
    details:
      'Creates <branch> on the codex. A branch that exists is nothing to do (exit 0).\n' +
      "  --from B   start it at the tip of codex branch B (default: prod's codex branch)\n" +
      '  --empty    start it from nothing (one empty commit): how production starts, never from test\'s drafts;\n' +
      '             on an empty codex every branch starts this way',
    options: { from: { type: 'string' }, empty: { type: 'boolean' } },
    load: () => import('./create-branch.js'),
  },
  prepare: {
    summary: "what package.json's prepare runs: sets husky up in this clone",
    usage: 'codex-hooks prepare',
    details:
      'Sets core.hooksPath to .husky/_ and writes husky\'s own files (.husky/_), which every clone needs and git\n' +
      'does not carry, with the husky codex-hooks brings (pnpm does not put husky on the project\'s PATH).\n' +
      'install writes "prepare": "codex-hooks prepare || true" (production installs without dev dependencies\n' +
      'skip it). Outside a git checkout it does nothing; it never fails an install.',
    options: {},
    load: () => import('./prepare.js'),
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
