/** Every sentence codex-hooks says to people, in one place. */
import fs from 'node:fs';
import path from 'node:path';
import { redactUrl } from './url.js';
import { packageRoot } from './paths.js';

/** A package manager: how it runs a dependency's command, and how it installs. */
export interface PackageManager {
  name: 'npm' | 'pnpm' | 'yarn' | 'bun';
  exec: string;
  install: string;
}
const MANAGERS: Record<PackageManager['name'], PackageManager> = {
  npm: { name: 'npm', exec: 'npx', install: 'npm install' },
  pnpm: { name: 'pnpm', exec: 'pnpm exec', install: 'pnpm install' },
  yarn: { name: 'yarn', exec: 'yarn', install: 'yarn install' },
  bun: { name: 'bun', exec: 'bunx', install: 'bun install' },
};
const LOCKFILES: Array<[string, PackageManager['name']]> = [['pnpm-lock.yaml', 'pnpm'], ['yarn.lock', 'yarn'], ['bun.lock', 'bun'], ['bun.lockb', 'bun'], ['package-lock.json', 'npm'], ['npm-shrinkwrap.json', 'npm']];

/**
 * The project's package manager: the lockfile nearest above `cwd` (the project's own choice), else the one
 * running us (`npm_config_user_agent`, set by npm/pnpm/yarn/bun scripts and exec), else npm. The lockfile
 * comes first: a `git push` started from an npm script of a pnpm project is still a pnpm project.
 */
export function packageManager(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): PackageManager {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const found = LOCKFILES.find(([file]) => fs.existsSync(path.join(dir, file)));
    if (found) return MANAGERS[found[1]];
    if (path.dirname(dir) === dir) break;
  }
  const agent = /^(npm|pnpm|yarn|bun)\//.exec(env.npm_config_user_agent ?? '')?.[1] as PackageManager['name'] | undefined;
  return MANAGERS[agent ?? 'npm'];
}

/**
 * codex-hooks as a person types it here (design §6: every hint names a command as the user can type it):
 * `npx codex-hooks` (`pnpm exec`, `yarn`, `bunx`) when the toolkit runs from a project's node_modules,
 * where it is not on PATH; plain `codex-hooks` for a global install or a checkout of codex-hooks itself.
 */
export function invocation(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd(), entry: string | undefined = process.argv[1]): string {
  let root: string;
  try {
    root = packageRoot();
  } catch {
    return 'codex-hooks';
  }
  if (!root.split(path.sep).includes('node_modules')) return 'codex-hooks';
  // `npm install -g`: <prefix>/lib/node_modules/codex-hooks with <prefix>/bin/codex-hooks on PATH
  if (path.basename(path.dirname(path.dirname(root))) === 'lib' && fs.existsSync(path.join(root, '..', '..', '..', 'bin', 'codex-hooks'))) return 'codex-hooks';
  const pm = packageManager(env, cwd);
  // A monorepo package (web/node_modules) run from the repository's root, as the hooks run: the command must
  // say where the toolkit is. The path as started (a hook names web/node_modules/…), not the realpath.
  const parts = entry ? path.resolve(entry).split(path.sep) : [];
  const at = parts.indexOf('node_modules');
  const rel = at > 0 ? path.relative(path.resolve(cwd), parts.slice(0, at).join(path.sep) || path.sep) : '';
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) {
    const dir = rel.split(path.sep).join('/');
    return pm.name === 'npm' ? `npx --prefix ${dir} codex-hooks` : pm.name === 'pnpm' ? `pnpm --dir ${dir} exec codex-hooks` : pm.name === 'yarn' ? `yarn --cwd ${dir} codex-hooks` : `bun --cwd ${dir} x codex-hooks`;
  }
  return `${pm.exec} codex-hooks`;
}

/** Every command hint starts with this (computed once per process: the hooks' folder is the project root). */
const CH = invocation();
/** A codex-hooks command as a hint shows it: `cmd('install')` → `npx codex-hooks install` from node_modules. */
export const cmd = (args: string) => `${CH} ${args}`;
/**
 * The parts of a sync's result that messages show. Declared here, by shape, so that core/ imports nothing
 * from sync/ (the layers point one way); sync/options.ts's SyncResult fits it.
 */
interface ShownResult {
  toCodex?: {
    added: string[];
    changed: string[];
    removed: string[];
    codexCommit: string | null;
    matchedNothing?: boolean;
    skipped: Array<{ path: string; reason: string }>;
    layers?: {
      event: string;
      live: Array<{ branch: string; author: string; time: string }>;
      dropped: Array<{ branch: string; why: string }>;
      overlaps: Array<{ path: string; branches: string[]; shown: string }>;
      origin: string | null;
    };
  };
  fromCodex?: { added: string[]; changed: string[] };
}


export const msg = {
  /**
   * The codex lacks an environment's branch. The way out names only branches the codex has (`existing`,
   * when known): on an empty codex, create-branch starts the branch from nothing.
   */
  branchMissing: (branch: string, env: string, configFile: string | null, existing: string[] | null = null, prodBranch = 'main') => {
    const from = existing === null || existing.includes(prodBranch) ? prodBranch : existing.find((b) => b !== branch);
    const lines = ['TARGET BRANCH NOT FOUND', `The codex has no branch '${branch}' (environment ${env}).`];
    if (existing !== null && existing.length === 0) lines.push(`Create it:   ${CH} create-branch ${branch}`, 'The codex is empty: that starts its first branch.');
    // Production never starts from another branch: that would release its unreleased drafts.
    else if (branch === prodBranch) lines.push(`Create it:   ${CH} create-branch ${branch} --empty`, 'Production starts empty: the next production sync releases the docs.');
    else lines.push(`Create it:   ${CH} create-branch ${branch}${from ? ` --from ${from}` : ''}`);
    if (branch !== prodBranch && (existing === null || existing.includes(prodBranch))) {
      lines.push(`Or send ${env} to production: set environments.${env}.branch = "${prodBranch}" in ${configFile ?? '.codexrc.json'}`);
    }
    return lines.join('\n');
  },
  branchExists: (branch: string) => `The codex already has a branch '${branch}': nothing to do (sync to it with \`${CH} sync\`).`,
  noFromBranch: (from: string, existing: string[]) => `The codex has no branch '${from}' to start from (it has: ${existing.join(', ')})`,
  noFromBranchHint: (branch: string, existing: string[], prodBranch: string) =>
    branch === prodBranch
      ? `start production empty: ${CH} create-branch ${branch} --empty (starting it from ${existing.join(' or ')} would release unreleased docs)`
      : `pass --from with one of: ${existing.join(', ')} (e.g. ${CH} create-branch ${branch} --from ${existing.includes(prodBranch) ? prodBranch : existing[0]})`,
  createBranchEmptyAndFrom: 'create-branch takes --empty or --from, not both',
  unreachable: (url: string, detail: string) =>
    `CODEX UNREACHABLE\nCannot reach the codex at ${redactUrl(url)}: ${detail}\nCheck codex_url in your config, your network, and that the repository exists.`,
  authFailed: (url: string) =>
    [
      'AUTHENTICATION FAILED',
      `The codex at ${redactUrl(url)} refused the credentials (or none were given; nothing is ever asked for).`,
      /^https?:\/\//i.test(url)
        ? "Set CODEX_TOKEN to a token for that host (GITHUB_TOKEN or GH_TOKEN also work for github.com), or store one in git's credential helper. CODEX_TOKEN goes only to the host CODEX_TOKEN_HOST names when it is set (sync-org needs it)."
        : 'Check the key ssh offers to that host: `ssh -T` with the same user and host (ssh runs with BatchMode=yes: no password or passphrase prompt; load the key into ssh-agent).',
    ].join('\n'),
  hostKeyUnknown: "ssh does not know (or no longer trusts) the server's host key, and never asks here: connect once with `ssh <host>` to check and accept it",
  pushRefused: (url: string, branch: string, reason: string, remoteLines: string[]) =>
    [
      'THE CODEX REFUSED THE PUSH',
      `The codex at ${redactUrl(url)} refused the push to its branch '${branch}'${reason ? ` (${escapeControl(reason)})` : ''}.`,
      ...(remoteLines.length ? ['The server said:', ...remoteLines.map((l) => `  ${escapeControl(l)}`)] : []),
    ].join('\n'),
  pushRefusedHint: (branch: string, env: string, configFile: string | null) =>
    `let the identity the sync pushes with push to '${branch}' (branch protection, the server's hooks), or send ${env} to another codex branch: set environments.${env}.branch in ${configFile ?? '.codexrc.json'}`,
  credentialsInUrl: (file: string | null) =>
    `codex_url carries credentials, and ${file ?? 'the config'} is committed: remove them from the URL and give the token through CODEX_TOKEN (GITHUB_TOKEN/GH_TOKEN for github.com) or git's credential helper`,
  /** A password in an ssh URL (`user:pass@host:path`, `ssh://user:pass@…`): ssh never takes one; it is left out. */
  linkRefused: (rel: string, target: string) =>
    `${escapeControl(rel)} is a symbolic link (to ${escapeControl(target)}) in the repository: codex-hooks never writes through one`,
  linkRefusedHint: (rel: string) => `make ${escapeControl(rel)} a plain file or folder (\`git rm ${escapeControl(rel)}\`, then commit), and run the command again`,
  codeConfigSkipped: (file: string) =>
    `${file} is a code config and was not run (the codex was given by --codex or CODEX_URL): its settings are not used; pass --trust-config-code to run it`,
  codeConfigRefused: (file: string) => `${file} is a code config and was not run: sync-org runs the code of no checkout it visits without --trust-config-code`,
  codeConfigHint: 'pass --trust-config-code if you trust the code of every checkout it visits, or use a data config (.codexrc.json)',
  orgTokenWithheld:
    'CODEX_TOKEN is not sent: sync-org visits checkouts whose configs may name any host; set CODEX_TOKEN_HOST=<host of your codex> to send it there (and nowhere else)',
  passwordInSshUrl: (file: string | null) =>
    `codex_url carries a password, which ssh never takes from a URL: it is left out (never shown, stored or given to git); remove it from ${file ?? 'the config'} and let ssh use a key (ssh-agent)`,
  /** The warning for a codex_url holding a secret: a token for http(s), a useless password for ssh. */
  secretInUrl: (url: string, file: string | null) => (/^https?:\/\//i.test(url) ? msg.credentialsInUrl(file) : msg.passwordInSshUrl(file)),
  pushRejected: (branch: string, attempts: number) =>
    `The codex branch '${branch}' kept moving: the sync was re-applied ${attempts} times and still rejected.`,
  deletionsHeld: (removed: number, total: number, threshold: number) =>
    `This sync would delete ${removed} of ${total} files of the project in the codex (more than ${Math.round(threshold * 100)}%).`,
  deletionsHeldCommand: (command: string) => `if that is intended, run \`${CH} ${command}\` (threshold: deletion_threshold)`,
  deletionsHint: `if that is intended, run \`${CH} sync --allow-deletions\` (threshold: deletion_threshold)`,
  cacheLacks: (type: string, oid: string) => `The local codex cache lacks the ${type} ${oid} (damaged, or cut short)`,
  cacheMalformed: (oid: string, why: string) => `The local codex cache holds a tree git did not write: ${oid} (${why})`,
  codexFormat: (url: string, format: string) => `The codex at ${url} uses ${format} object ids; codex-hooks reads SHA-1 codexes only`,
  codexFormatHint: 'use a SHA-1 codex (git init --object-format=sha1), or a mirror of it in SHA-1',
  cacheLacksHint: 'remove the cache folder ($CODEX_HOOKS_CACHE_DIR, else ~/.cache/codex-hooks/<codex>-<id>.git) and sync again: it is fetched afresh',

  confirmTitle: '⚠ PRODUCTION SYNC CONFIRMATION',
  confirmBody: (verb: 'pushing' | 'syncing', branch: string, url: string, codexBranch: string, direction: string) =>
    [
      `You are ${verb} ${branch}. This will sync documentation to PRODUCTION.`,
      `Target: ${redactUrl(url)} (branch ${codexBranch})   Direction: ${direction}`,
    ].join('\n'),
  confirmQuestion: 'Sync to production?',
  /**
   * After a push whose production sync was skipped. The push itself goes on, so a second
   * `CODEX_ENV=prod git push` of the same commit would find nothing to push and never run the hook:
   * the command to run now is `sync`; CODEX_ENV is only for the next push (design §6).
   */
  productionSkipped: (branch: string, why: 'no-terminal' | 'ci' | 'declined', release: string) =>
    [
      why === 'declined'
        ? `Production docs sync skipped (declined) for ${branch}. The push goes on.`
        : why === 'ci'
          ? `Production docs sync skipped for ${branch}: CI is set, so nobody is asked to confirm. The push goes on.`
          : `Production docs sync skipped for ${branch}: no terminal to confirm on. The push goes on.`,
      `  Release these docs now:  ${release}`,
      '  Next time, release as you push:  CODEX_ENV=prod git push',
    ].join('\n'),
  /** The command that syncs the pushed commit to production after the push (`--ref` when it is not HEAD). */
  explicitNoRelease: (env: string, prodBranches: string[], pushed: string[]) =>
    `CODEX_ENV=${env} releases a production branch (${prodBranches.join(', ')}), and this push has none (${pushed.join(', ') || 'only deletions'}): nothing was pushed or written.`,
  explicitNoReleaseHint: (env: string, branch: string | undefined) =>
    `push without CODEX_ENV, then release what you mean with \`${CH} sync --env ${env}${branch ? ` --ref ${branch}` : ''}\`${branch ? '' : ''}`,
  releaseCommand: (ref?: string) => `${CH} sync --env prod${ref ? ` --ref ${ref}` : ''}`,
  needsConfirmationNoTty: (why: 'no-terminal' | 'ci') =>
    why === 'ci' ? 'This sync writes production docs and CI is set, so nobody is asked to confirm' : 'This sync writes production docs and there is no terminal to confirm on',
  needsConfirmationHint: 'pass --env prod to sync production explicitly, or --yes to confirm',
  declinedSync: 'Production sync declined; nothing was written',
  interruptedPush: 'Push stopped at the production question (Ctrl-C); nothing was pushed or synced',
  interruptedPushHint: 'push again to answer; `CODEX_HOOKS=0 git push` pushes without the docs sync',
  interruptedSync: 'Stopped at the production question (Ctrl-C); nothing was written',

  unknownOption: (option: string, command: string) => `Unknown option ${option} for \`codex-hooks ${command}\``,
  badTimeout: (value: string) => `CODEX_HOOKS_TIMEOUT=${JSON.stringify(value)} is not a number of seconds`,
  timeoutTooLarge: (value: string, max: number) =>
    `CODEX_HOOKS_TIMEOUT=${JSON.stringify(value)} is more seconds than a timer can wait (at most ${max}, about 24 days)`,
  badTimeoutHint: 'set CODEX_HOOKS_TIMEOUT to a positive number of seconds up to 2147483 (e.g. CODEX_HOOKS_TIMEOUT=60), or unset it for the default of 60',

  hooksNotInstalled: 'not installed',
  huskyFilesMissing: "installed, but husky's files (.husky/_) are missing in this worktree: git runs no hook here",
  huskyWrapperReplaced: (names: string[]) => `installed, but another tool replaced husky's ${names.map((n) => `.husky/_/${n}`).join(' and ')}: codex-hooks does not run there`,
  hooksNotRunning: (names: string[], from: string) =>
    `${names.join(', ')} (in ${from}) no longer ${names.length === 1 ? 'runs' : 'run'}: core.hooksPath is .husky/_; run \`${CH} install\` to chain ${names.length === 1 ? 'it' : 'them'}`,
  hookScriptsMissing: 'installed, but the codex-hooks scripts (.husky/codex-hooks/) are missing: the hooks fail',
  toolkitNotFound: (pkgDir: string) =>
    `installed, but the hooks cannot find codex-hooks (no ${pkgDir ? `${pkgDir}/` : ''}node_modules/codex-hooks, none on PATH): they skip every sync`,

  initBadOrg: 'use letters, digits, ".", "_" and "-" (e.g. acme)',
  initBadCodex: 'give the codex as a git URL or a path, without spaces (e.g. git@github.com:acme/codex.git)',
  initBadProject: 'use letters, digits, ".", "_" and "-", not "." or ".."',
  setCodexHint: `set codex_url (or organization and codex_repo), or run \`${CH} init --codex <git URL or path>\``,
  initNotJson: (file: string) => `${file} is not a JSON file: ${CH} init fills in JSON configs only`,
  initNothingToFill: (file: string) => `${file} already has every key: nothing to fill in.`,
  initKept: (key: string, file: string) => `${key} is already set in ${file}: kept as it is (edit the file to change it)`,
  initMissingCodex: (file: string) => `no codex_url in ${file} yet: run \`${CH} init --codex <git URL or path>\` to fill it in`,

  hooksDisabled: 'codex-hooks: skipped (CODEX_HOOKS=0)',
  configBroken: (hook: string, message: string, hint?: string) =>
    [
      `codex-hooks: docs not synced: ${message}`,
      ...(hint ? [`  → ${hint}`] : []),
      hook === 'pre-push'
        ? '  The push goes on. Until the config is fixed, `CODEX_HOOKS=0 git push` skips codex-hooks.'
        : '  The commit is made. Until the config is fixed, `CODEX_HOOKS=0 git commit` skips codex-hooks.',
    ].join('\n'),
  configBrokenHint: (hint: string | undefined, codexEnv: string) =>
    `${hint ?? 'fix the configuration'}; the push stopped because CODEX_ENV=${codexEnv} asked for a sync. To push without it: CODEX_HOOKS=0 git push`,
  configNote: (note: string) => `note: ${note}`,
  noConfig: `codex-hooks: no configuration found, nothing to sync (run \`${CH} init\`)`,
  fetchUnreleasedHint: (uri: string) =>
    `it may not be released yet: read the unreleased one with \`${CH} fetch ${uri} --env test\`, or release it from its project with \`${CH} sync --env prod\``,
  orgNoConfig: 'no config',
  orgNoRepositories: (root: string) => `No repositories under ${root}: sync-org --root syncs the git checkouts directly under it`,
  orgNoRepositoriesHint: `pass the folder that holds the checkouts (e.g. --root repos), or the checkouts themselves: ${CH} sync-org DIR...`,
  orgNeedsProd: 'production: pass --env prod (no assumption across many projects)',
  orgSameProject: (name: string, other: string, branch: string) =>
    `project_name "${name}" is also synced from ${other} to codex branch ${branch}: not synced, so neither overwrites the other (give one of them its own project_name)`,
  skipReason: {
    'too-large': 'over max_file_size',
    denied: 'deny_patterns/exclude_patterns',
    submodule: 'submodule',
    refused: 'a path component git refuses on checkout, such as .git',
  } as Record<string, string>,
  fileInTheWay: 'a file is in the way of a folder on that path',
  permissionDenied: 'permission denied',
  readOnlyDisk: 'the file system is read-only',
  cacheUnwritable: (dir: string, why: string) => `Cannot write the codex cache in ${dir}: ${why}`,
  cacheUnwritableHint: (dir: string) => `make ${dir} a writable folder, or set CODEX_HOOKS_CACHE_DIR to one (default: $XDG_CACHE_HOME/codex-hooks, else ~/.cache/codex-hooks)`,
  stateUnwritable: (file: string, why: string) => `Cannot write codex-hooks state ${file}: ${why}`,
  noSpace: 'no space left on the device',
  stateUnwritableHint: (dir: string) => `free some disk space (or make ${dir} writable), then run \`${CH} sync\` again`,
  cacheLocked: 'The codex cache is locked by another codex-hooks run',
  pullLocked: "This worktree's pull_dir is being written by another codex-hooks run",
  lockedHint: (file: string) => `wait for it to finish; if no codex-hooks is running, remove ${file}`,
  syncTimedOut: (seconds: number) => `The sync timed out: it did not finish within ${seconds} s (CODEX_HOOKS_TIMEOUT), so it was stopped and nothing more is written`,
  syncTimedOutHint: `check the network and the codex, or raise CODEX_HOOKS_TIMEOUT (seconds); then run \`${CH} sync --retry\``,
  pullRefused: (p: string, pullDir: string) => `Refused codex path that would leave ${pullDir} or plant a .git: ${JSON.stringify(p)}`,
  pullKept: (p: string, reason: string) => `Kept ${escapeControl(p)}: ${reason}; the codex's file of that name is not pulled (move yours away to get it)`,
  pullKeptFile: 'a file codex-hooks did not write is there',
  pullKeptFolder: 'a folder is there',
  pullSkipped: (p: string, reason: string) => `Not pulled: ${escapeControl(p)} (${reason}); the rest was pulled`,
  pullTooLarge: (size: number, max: number) => `${size} bytes, over max_file_size ${max}`,
  pullUnreadable: 'the codex cache lacks its content',
  pullOutside: 'it would leave pull_dir',
  pullLinkOutside: (to: string) => `a symbolic link to ${escapeControl(JSON.stringify(to.slice(0, 200)))}, outside pull_dir: not created`,
  pullBlocked: (p: string) => `${escapeControl(p)} is a file, not a folder`,
  pullFailed: (why: string) => `cannot be written here: ${why}`,
  routingRefused: (p: string, why: string) => `Codex doc ${escapeControl(p)} routes nowhere: its front matter was not read (${why})`,
  codexTreeBounded: (folders: Array<{ path: string; reason: 'paths' | 'depth' }>, bounds: { paths: number; depth: number }) =>
    `Not pulled: codex folder${folders.length === 1 ? '' : 's'} ${folders.slice(0, 5).map((f) => escapeControl(f.path || '(root)')).join(', ')}${folders.length > 5 ? ` and ${folders.length - 5} more` : ''} ` +
    `(${folders.some((f) => f.reason === 'paths') ? `more than ${bounds.paths.toLocaleString('en-US')} paths` : ''}${folders.every((f) => f.reason === 'paths') ? '' : `${folders.some((f) => f.reason === 'paths') ? ', or ' : ''}paths over ${bounds.depth} folders deep`}: ` +
    'a tree no listing of the codex expands); files pulled from there before are kept. Ask the codex\'s owners to fix that folder',
  ownFolderOverBound: (folder: string, skipped: string[]) => `The codex folder ${escapeControl(folder)} holds more than a sync lists (${skipped.slice(0, 3).map(escapeControl).join(', ')}): it is not rewritten`,
  ownFolderOverBoundHint: (folder: string) => `remove what does not belong in ${folder} from the codex (a tree that names one folder many times), then sync again`,
  gitDirRefused: (dir: string) => `Not pulled: codex folder ${escapeControl(dir || '(root)')} looks like a git directory (HEAD, objects/, refs/)`,
  badRefLine: (line: string) => `Not a ref line git gives pre-push: ${JSON.stringify(line)}`,
  badRefLineHint: 'git writes "<local ref> <local sha> <remote ref> <remote sha>" per line; the hook is run by git push, not by hand',
  kept: (env: string) => `The request is kept and will be retried by the next hook run or \`${CH} sync --retry\` (environment ${env}).`,
  keptRefused: (env: string) => `The request is kept (environment ${env}); it is delivered by the next push once the codex accepts it.`,
  /** A failure a retry alone cannot fix: what to run instead of a plain `--retry`. */
  keptHeld: (env: string) =>
    `The request is kept (environment ${env}), but a retry alone is held back again: if the deletions are intended, run \`${CH} sync --retry --allow-deletions\`.`,
  retryHeld: `held back by the deletion guard: run \`${CH} sync --retry --allow-deletions\` if the deletions are intended`,
  retryBadInput: (hint: string | undefined) => `a retry cannot fix this: ${hint ?? 'fix the configuration'}, then run \`${CH} sync --retry\``,
  retryGoneEnv: (env: string, configFile: string | null, file: string) =>
    `environment ${env} is no longer in ${configFile ?? 'the config'}: a retry cannot deliver it; add environments.${env} again, or drop the request by removing ${file}`,
  retryNeedsYes: (env: string, codexBranch: string) =>
    `kept: environment ${env} now writes the production codex branch '${codexBranch}' and this request was never confirmed for it; run \`${CH} sync --retry\` on a terminal, or \`${CH} sync --retry --yes\``,
  pullOnlyFailed: (branch: string, detail: string) => `codex-hooks: shared docs not pulled from codex ${branch}: ${detail}\n  → run \`${CH} sync --direction from-codex\` later`,
  pulledOnly: (project: string, env: string, branch: string, f?: { added: string[]; changed: string[]; removed: string[] }) =>
    `codex-hooks: ${project} [${env}] nothing written; shared docs from codex ${branch}: ${f ? `${f.added.length} added, ${f.changed.length} changed, ${f.removed.length} removed` : 'none'}`,
  matchedNothing: (patterns: string[], configFile: string | null) =>
    `sync_patterns (${patterns.join(', ')}) matched no file of this commit: nothing of this project is synced to the codex (set sync_patterns in ${configFile ?? '.codexrc.json'})`,
  skipped: (p: string, reason: string) => `skipped ${/[\x00-\x1f\x7f"]/.test(p) ? JSON.stringify(p) : p} (${msg.skipReason[reason] ?? reason})`,
  backgroundFailed: (time: string, first: string, hint?: string) =>
    `codex-hooks: the background docs sync after a commit failed (${time}): ${first}\n  ${hint ?? `It is kept and retried by this push or \`${CH} sync --retry\`.`}`,
  // Commands, options and folders (cli.ts, commands/, git/, environment/, install/)
  unknownCommand: (name: string, near?: string) => `Unknown command "${name}"${near ? ` (did you mean "${near}"?)` : ''}`,
  unknownCommandHint: `run \`${CH} --help\` for the list of commands`,
  seeHelp: (command: string, nearOption?: string) => `${nearOption ? `did you mean --${nearOption}? ` : ''}see \`codex-hooks ${command} --help\``,
  optionRepeated: (name: string, times: number) => `--${name} was given ${times} times`,
  optionRepeatedHint: (name: string) => `pass --${name} once`,
  noSuchFolder: (dir: string) => `No such folder: ${dir}`,
  noSuchFolderHint: (option: '--cwd' | '--root') => `pass an existing folder to ${option}`,
  envNeedsName: '--env needs an environment name',
  envOneOf: (known: string[]) => `pass --env with one of: ${known.join(', ')}`,
  noConfigIn: (root: string) => `No codex-hooks configuration in ${root}`,
  noConfigInHint: `run \`${CH} init\` (or add a .codexrc.json)`,
  unknownDirection: (value: string) => `Unknown direction "${value}"`,
  directionOneOf: (directions: readonly string[]) => `pass --direction with one of: ${directions.join(', ')}`,
  huskyFailed: (problem: string) => `husky could not install the hooks: ${problem}`,
  huskyFailedHint: (problem: string) => (problem.startsWith('HUSKY=0') ? `unset HUSKY and run \`${CH} install\` again` : `run \`${CH} install\` at the root of a git checkout`),
  installUnchanged: 'codex-hooks: hooks already installed, nothing changed.',
  uninstallUnchanged: 'codex-hooks: nothing to remove.',
  unknownHook: (name: string) => `Unknown hook "${name}"`,
  unknownHookHint: 'codex-hooks hook <post-commit|pre-push>',
  mcpNoArguments: (first: string) => `mcp takes no arguments (got "${first}")`,
  mcpNoJson: 'mcp speaks JSON-RPC on stdout: --json does not apply',
  mcpUsage: `${CH} mcp [--codex URL] [--http [HOST:]PORT]`,
  setupClient: (given: string) => `mcp setup needs a client: claude-code, claude-desktop, cursor, vscode${given ? ` (not "${given}")` : ''}`,
  mcpWriteOnlySetup: '--write belongs to mcp setup',
  setupUsage: `${CH} mcp setup <claude-code|claude-desktop|cursor|vscode> [--write] [--codex URL]`,
  setupPrint: (client: string, file: string) => `The ${client} entry for the codex reader (in ${file}):`,
  setupClaudeCode: (command: string) => `Or add it with Claude Code's own command:\n  ${command}`,
  setupWriteHint: (client: string) => `Add it to that file with: ${CH} mcp setup ${client} --write (other servers are kept)`,
  setupWrote: (outcome: string, name: string, file: string) =>
    outcome === 'unchanged' ? `The server "${name}" is already there in ${file}: nothing changed.` : `${outcome === 'added' ? 'added' : 'updated'} the server "${name}" ${outcome === 'added' ? 'to' : 'in'} ${file}; restart the client to load it.`,
  setupBadFile: (file: string, why: string) => `${file} is not a JSON object (${why}); it was left as it is.`,
  setupBadFileHint: 'fix or move that file and run again, or add the printed entry by hand (run without --write to see it)',
  mcpBadListen: (text: string) => `--http takes [HOST:]PORT (e.g. 8080, 127.0.0.1:8080, 0.0.0.0:8080, [::1]:8080), not "${text}"`,
  mcpNeedsToken: (host: string) => `Refusing to serve ${host}, which is not a loopback address, without a token: anyone who can reach it could read the docs.`,
  mcpNeedsTokenHint: 'set CODEX_MCP_TOKEN to a long random secret (clients send Authorization: Bearer <token>), or listen on 127.0.0.1',
  mcpListening: (url: string, token: boolean) => `codex-hooks mcp: listening on ${url}${token ? ' (Bearer token required)' : ''}; /health answers without a token`,
  badUri: (uri: string, why: string) => `Malformed codex URI "${uri}": ${why}`,
  badUriHint: 'use codex://<org>/<project>/<path>, e.g. codex://acme/api/docs/intro.md',

  initNotJsonHint: 'add the missing keys to it by hand (see README "Configuration")',
  initCannotParse: (file: string, why: string) => `Cannot parse ${file}: ${why}`,
  initCannotParseHint: `fix its syntax, then run \`${CH} init\` again to fill in missing keys`,
  initInvalidOrg: (org: string) => `"${org}" is not a valid organisation`,
  initInvalidCodex: (url: string) => `"${url}" is not a codex URL`,
  initInvalidProject: (name: string) => `"${name}" is not a valid project name`,
  initInvalidProjectHint: (base: string) => `${base} (e.g. --project api-docs)`,
  initNextInstall: `Next: \`${CH} install\` to sync on every push.`,

  createBranchUsage: 'create-branch takes one branch name',
  createBranchUsageHint: `${CH} create-branch <branch> [--from main | --empty]`,
  badBranchName: (branch: string) => `"${escapeControl(branch)}" is not a valid branch name (git check-ref-format --branch refuses it)`,
  badBranchNameHint: 'use a name git accepts, e.g. test or release/2026',
  fromBranchGone: (from: string) => `The codex branch '${from}' went away meanwhile`,
  fromBranchGoneHint: `run \`${CH} create-branch\` again`,
  branchCreatedMeanwhile: (branch: string) => `Someone created '${branch}' on the codex meanwhile`,
  branchCreatedMeanwhileHint: `run \`${CH} status\` to see it`,
  createRefusedHint: (branch: string) => `let the identity you push with create '${branch}' on the codex (its branch rules, the server's hooks)`,
  branchCreated: (branch: string, from: string | null, commit: string, codexUrl: string) =>
    `created codex branch '${branch}'${from ? ` from '${from}'` : ' (empty codex: new root commit)'} at ${commit.slice(0, 7)} on ${codexUrl}`,

  fetchUsage: 'fetch takes one codex:// URI',
  fetchUsageHint: `${CH} fetch codex://<org>/<project>/<path> [--env E]`,
  fetchOtherOrg: (configured: string, given: string) => `This project's codex belongs to organisation "${configured}", not "${given}"`,
  fetchOtherOrgHint: (org: string, project: string, p: string) => `use codex://${org}/${project}/${p}`,
  fetchUnknownProject: (project: string, branch: string, env: string, known: string[]) =>
    `Unknown project "${project}" on codex branch ${branch} (environment ${env})${known.length ? `; known projects: ${known.join(', ')}` : ''}`,
  fetchUnknownProjectHint: (known: string[]) => (known.length ? `known projects: ${known.join(', ')}` : 'no project has synced to this branch yet'),
  fetchNoDocument: (p: string, project: string, branch: string, env: string) => `No document "${p}" in project "${project}" on codex branch ${branch} (environment ${env})`,
  fetchNoDocumentHint: (org: string, project: string) => `list the project's docs with ${CH} fetch codex://${org}/${project}/`,

  orgRootAndFolders: 'Give folders or --root, not both',
  orgRootAndFoldersHint: `${CH} sync-org --root DIR   or   ${CH} sync-org DIR...`,
  orgNoCheckouts: 'sync-org needs checkouts to sync',
  orgNoCheckoutsHint: `${CH} sync-org DIR... or --root DIR`,
  orgBadParallel: (given: unknown) => `--parallel must be a whole number from 1 to 64 (got ${given})`,
  orgBadParallelHint: 'e.g. --parallel 4',
  orgFailedRow: (name: string, message: string) => `${name}: ${message}`,
  orgRejectedHint: `run \`${CH} sync-org\` again in a moment`,

  // sync: its report, kept requests
  noKeptSyncs: 'No kept syncs to retry.',
  retryOutcome: (env: string, message: string) => `${env}: ${message}`,
  syncHead: (project: string, env: string, codexUrl: string, branch: string, dryRun?: boolean) =>
    `${project} [${env}] ↔ ${codexUrl} (branch ${branch})${dryRun ? ' — dry run, nothing written' : ''}`,
  syncListHead: (label: string, count: number) => `  ${label} (${count}):`,
  /** A name with a line break or control character is shown quoted, as git does, so it stays one line. */
  syncListItem: (p: string) => `    ${/[\x00-\x1f\x7f"]/.test(p) ? JSON.stringify(p) : p}`,
  syncListMore: (more: number) => `    … ${more} more`,
  toCodexCounts: (t: { added: string[]; changed: string[]; removed: string[]; codexCommit: string | null }) => {
    const n = t.added.length + t.changed.length + t.removed.length;
    return `to codex: ${t.added.length} added, ${t.changed.length} changed, ${t.removed.length} removed${t.codexCommit ? ` → ${t.codexCommit.slice(0, 7)}` : n === 0 ? ' (up to date)' : ''}`;
  },
  fromCodexCounts: (f: { added: string[]; changed: string[]; removed: string[] }) => `from codex: ${f.added.length} added, ${f.changed.length} changed, ${f.removed.length} removed`,
  rejectedHint: `run \`${CH} sync --retry\` in a moment`,
  projectObjectUnreadable: (oid: string, p: string) => `The project's object ${oid} (${p}) cannot be read`,
  projectObjectUnreadableHint: 'run `git fsck` in the project',
  locked: (what: string, file: string) => `${what} (${file})`,
  pullDirThrough: (pullDir: string, dir: string) => `pull_dir "${pullDir}" passes through ${dir}, which is not a folder`,
  pullDirThroughHint: 'set pull_dir to a plain folder inside the project',
  pullDirNotFolder: (pullDir: string, symlink: boolean) => `pull_dir "${pullDir}" is not a folder (${symlink ? 'a symbolic link' : 'a file'})`,
  pullDirNotFolderHint: (target: string) => `remove ${target} or set pull_dir to another folder`,

  noCommits: 'This repository has no commits yet',
  noCommitsHint: 'commit your docs first (git commit), then sync',
  noCommitNamed: (rev: string) => `No commit named "${rev}" in this repository`,
  noCommitNamedHint: 'pass --ref <branch|tag|sha> that exists here',
  unknownEnv: (env: string, source: string, near: string | undefined, known: string[]) =>
    `Unknown environment "${env}" (from ${source})${near ? `. Did you mean "${near}"?` : ''}\nKnown environments: ${known.join(', ')}`,
  unknownEnvHint: (source: string, known: string[], configFile: string | null) =>
    source === 'CODEX_ENV' ? `set CODEX_ENV to one of: ${known.join(', ')}` : source === '--env' ? msg.envOneOf(known) : `fix ${source} in ${configFile ?? 'the config'}`,
  envOnProdBranch: (env: string, codexBranch: string, configFile: string | null) =>
    `Environment "${env}" is configured to the production codex branch "${codexBranch}" (environments.${env}.branch in ${configFile ?? 'the config'}).`,
  noConfigFound: 'No codex-hooks configuration found',
  runInitHint: `run \`${CH} init\``,
  noProjectName: (folder: string) => `Cannot derive a project name from the folder "${folder}"`,
  noProjectNameHint: (configFile: string | null) => `set project_name in ${configFile ?? '.codexrc.json'} (letters, digits, ".", "_", "-")`,
  configSyntaxHint: 'fix the syntax at the line and column shown',
  readerNoCodex: (cwd: string) => `No codex to read: no codex-hooks configuration in ${cwd}`,
  readerNoCodexHint: `pass --codex <url or path>, set CODEX_URL, or set codex_url in the config (\`${CH} init\`)`,
  /** Why a codex URL is refused (core/url.ts urlProblem): a config line (`codex_url: …`) or a sentence's end. */
  urlProblem: (problem: 'option' | 'control') =>
    problem === 'option'
      ? 'starts with "-", which git would read as an option (write a folder named so as ./-name)'
      : 'holds a control character (a newline, a tab, NUL), which no git URL has',
  badCodexUrl: (where: string, url: string, problem: 'option' | 'control') =>
    `The codex URL given by ${where} ${msg.urlProblem(problem)}: ${JSON.stringify(escapeControl(redactUrl(url)))}`,
  badCodexUrlHint: (where: string) => `give ${where} a git URL or a path, e.g. git@github.com:acme/codex.git, https://github.com/acme/codex.git or ../codex.git`,

  notACheckout: (cwd: string) => `Not a git repository: ${cwd}`,
  notACheckoutHint: 'run codex-hooks inside a git checkout, or pass --cwd <checkout>',
  /** An error with its hint, as the CLI prints it. */
  withHint: (message: string, hint?: string) => message + (hint ? `\n  → ${hint}` : ''),
  unexpectedError: (detail: unknown) => `codex-hooks: unexpected error (a bug; please report it):\n${detail}\n`,

  // install / uninstall: what they changed, one line each
  installSetHooksPath: (wanted: string, before?: string | null) => `set core.hooksPath to ${wanted}${before ? ` (was ${before})` : ''}`,
  installRestoredHusky: (dir: string) => `restored husky's files in ${dir}`,
  installKeptHooks: (replaced: string) => `kept the hooks of ${replaced}: each runs first in the .husky hook file of its name`,
  installLandingHook: 'added the reference-transaction hook (a push\'s docs are written once it has landed)',
  uninstallLandingHook: 'removed the reference-transaction hook',
  installHookLine: (existed: boolean, file: string) => `${existed ? 'added the codex-hooks line to' : 'created'} ${file}`,
  prepareNoCheckout: 'not in a git checkout: no hooks to set up',
  prepareSkipped: (problem: string) => `husky was not set up here (${problem}); git runs no codex-hooks hook in this clone until it is`,
  installPrepare: (command: string, file: string) => `added "prepare": "${command}" to ${file}`,
  installWrote: (existed: boolean, label: string) => `${existed ? 'updated' : 'created'} ${label}`,
  uninstallRemoved: (file: string) => `removed ${file}`,
  uninstallRemovedLine: (file: string) => `removed the codex-hooks line from ${file}`,
  uninstallHooksPath: (previous?: string | null) => (previous ? `restored core.hooksPath to ${previous}` : 'unset core.hooksPath'),
  uninstallPrepare: (command: string, file: string) => `removed "prepare": "${command}" from ${file}`,

  // status: one row each
  statusDetached: `HEAD is detached: hooks skip; \`${CH} sync --env <env>\` syncs by hand`,
  statusRow: (key: string, value: string) => `${(key + ':').padEnd(16)} ${value}`,
  statusNoConfig: `(none: run \`${CH} init\`)`,
  statusNoCodex: `(not set: set codex_url or run \`${CH} init\`)`,
  statusBranch: (branch: string | null, e: { name: string; explicit: boolean; source: string; codexBranch: string; mode: string }) =>
    `${branch ?? '(detached)'} → ${e.name} (${e.explicit ? 'explicit' : 'assumed'}, from ${e.source}) → codex ${e.codexBranch} (${e.mode})`,
  statusConfirmation: (needed: boolean, fromCodexOnly: boolean) =>
    !needed ? 'not needed' : fromCodexOnly ? 'not needed: sync_direction from-codex only reads production' : 'needed: a push asks on the terminal (CODEX_ENV=prod git push does not ask)',
  statusUnknown: '(unknown)',
  statusHooksOk: 'installed (pre-push, post-commit)',
  statusHooksProblem: (problem: string | undefined, fix: string | undefined) => `${problem}: run \`${fix}\``,
  statusHooksProblems: (problems: Array<{ problem: string; fix: string }>) => problems.map((p) => `${p.problem}: run \`${p.fix}\``).join('; '),
  statusNoCache: '(unknown: no local codex cache yet)',
  statusLastSync: (s: { time: string; sourceBranch: string; sourceCommit: string; codexBranch: string; codexCommit: string; author?: string }) =>
    `${s.time} ${s.sourceBranch}@${s.sourceCommit.slice(0, 7)}${s.author ? ` by ${s.author}` : ''} → ${s.codexBranch} ${s.codexCommit.slice(0, 7)}`,
  statusNever: 'never',
  statusPendingRelease: (p: { commit: string; ref: string; added: string[]; changed: string[]; removed: string[] }) => {
    const n = p.added.length + p.changed.length + p.removed.length;
    const docs = [...p.added, ...p.changed, ...p.removed];
    return n === 0 ? `nothing: production has the production branch's docs (${p.commit.slice(0, 7)})` : `${n} doc${n === 1 ? '' : 's'} from ${p.commit.slice(0, 7)}: ${docs.slice(0, 5).join(', ')}${n > 5 ? ', …' : ''} — ${CH} sync --env prod --ref ${p.ref}`;
  },
  statusOverlap: (path: string, branches: string[], shown: string) => `overlap: ${path} is changed by ${branches.join(' and ')}; test shows ${shown}'s`,
  statusTestVsProd: (c: { onlyTest: string[]; onlyProd: string[]; differ: string[] }) =>
    c.onlyTest.length + c.onlyProd.length + c.differ.length === 0 ? 'the same docs' : `${c.onlyTest.length} only on test, ${c.onlyProd.length} only on prod, ${c.differ.length} different`,
  statusSyncUnknown: (branch: string) => `unknown (the local cache has not fetched codex branch ${branch})`,
  statusRetryCommand: (deletions: boolean) => (deletions ? `\`${CH} sync --retry --allow-deletions\`` : `\`${CH} sync --retry\``),
  statusPending: (p: { env: string; commit: string; attempts: number; error: string }, retry: string) =>
    `${p.env} (${p.commit.slice(0, 7)}, ${p.attempts} attempt(s): ${p.error.split('\n')[0]}) — ${retry}`,
  statusNone: 'none',
  statusBackground: (ok: boolean, time: string, message: string) => `${ok ? 'ok' : 'FAILED'} at ${time}: ${message.split('\n')[0]}`,
  statusWouldChange: (toCodex?: { added: string[]; changed: string[]; removed: string[] }, fromCodex?: { added: string[]; changed: string[]; removed: string[] }) => {
    const n = (x?: { added: string[]; changed: string[]; removed: string[] }) => (x ? `${x.added.length} added, ${x.changed.length} changed, ${x.removed.length} removed` : 'n/a');
    return `to codex: ${n(toCodex)}; from codex: ${n(fromCodex)}`;
  },
  statusWouldChangeUnknown: (error: string) => `unknown: ${error.split('\n').join(' ')}`,

  retryDelivered: (commit: string, codexBranch: string, codexCommit?: string | null) =>
    `delivered ${commit.slice(0, 7)}${codexCommit ? ` → codex ${codexBranch} ${codexCommit.slice(0, 7)}` : ' (already up to date)'}`,
  retryStillFailing: (message: string, why: string | null) => `still failing: ${message.split('\n')[0]}${why ? `\n  → ${why}` : ''}`,
  /** Why a codex:// URI is refused (the second half of `badUri`). */
  uriWhy: {
    notString: 'expected a string',
    tooLong: (max: number) => `longer than ${max} characters`,
    control: 'it contains control characters',
    shape: 'expected codex://<org>/<project>/<path>',
    percent: 'a "%" must start an escape such as %20 (write a literal "%" as %25)',
    org: 'the organisation may hold only letters, digits, ".", "_" and "-"',
    project: 'the project may hold only letters, digits, ".", "_" and "-"',
    dots: 'the organisation and the project cannot be . or ..',
    segments: 'the path may not contain ., .. or empty segments',
  },

  invalidConfig: (file: string, problems: string[]) => `Invalid configuration in ${file}:\n${problems.map((p) => `  ${p}`).join('\n')}`,
  invalidConfigHint: (file: string) => `fix the keys above in ${file} (reference: README "Configuration")`,
  fractaryConfigHint: (file: string) => `fix the keys above in ${file} (codex-hooks reads its codex: section as it is; README "fractary's config")`,
  tokenInFile: (file: string) =>
    `${file} holds the codex token itself (codex.remotes.…token), and the file is committed: write \`token: \${GITHUB_TOKEN}\` and keep the value in the environment or .fractary/env/.env`,
  initFractary: (file: string, keys: string[], own: string) =>
    `using ${file} (codex:) as it is, never rewritten${keys.length ? `: ${keys.join(', ')}` : ''}; codex-hooks' own keys go in ${own}, and win over it`,
  configSources: (files: string[]) => (files.length > 1 ? `${files[0]} (over ${files.slice(1).join(', ')})` : files[0]),

  // hooks
  noCodexConfigured: (file: string | null) => `No codex is configured in ${file}`,
  hookNoCodex: (file: string | null) => `codex-hooks: no codex_url in ${file}; docs not synced (${msg.setCodexHint})`,
  pushSyncFailed: (branch: string, message: string, hint: string | undefined, kept: string) =>
    `codex-hooks: docs sync to ${branch} failed; the push goes on.\n${message}${hint ? `\n  → ${hint}` : ''}\n${kept}`,
  keptOutcome: (env: string, message: string) => `codex-hooks: kept sync for ${env}: ${message}`,
  commitSyncFailed: (message: string, held?: string) => `codex-hooks: docs sync after commit failed; ${held ?? 'kept for retry.'}\n${message}`,
  backgroundWarned: (time: string, warnings: string[]) => `codex-hooks: the background docs sync after a commit (${time}) warned:\n  ${warnings.join('\n  ')}`,
};

/** What a sync skipped or found odd, one line each: shown by hooks, kept by a background run (design §6). */
export function syncWarnings(r: ShownResult, o: { syncPatterns: string[]; configFile: string | null; branch?: string }): string[] {
  const out: string[] = [];
  if (r.toCodex?.matchedNothing) out.push(msg.matchedNothing(o.syncPatterns, o.configFile));
  for (const s of r.toCodex?.skipped ?? []) out.push(msg.skipped(s.path, s.reason));
  if (r.toCodex?.layers) out.push(...layerNotes(r.toCodex.layers, o.branch));
  return out;
}

/** A layered sync's notes: overlaps with the pushed branch, layers that left, origin not asked. */
function layerNotes(l: NonNullable<NonNullable<ShownResult['toCodex']>['layers']>, branch: string | undefined): string[] {
  const out: string[] = [];
  const who = new Map(l.live.map((x) => [x.branch, x]));
  for (const o of l.overlaps) {
    if (!branch || !o.branches.includes(branch)) continue;
    const others = o.branches.filter((b) => b !== branch).map((b) => who.get(b) ?? { branch: b, author: 'unknown', time: new Date().toISOString() });
    out.push(layerMsg.overlap(o.path, others, o.shown, branch));
  }
  for (const d of l.dropped) out.push(layerMsg.dropped(d.branch, d.why));
  if (l.origin && l.origin !== 'no remote named origin') out.push(layerMsg.originUnknown(l.origin));
  return out;
}

/**
 * Text from the codex (paths, trailers) made safe to show on a terminal: control characters, which could
 * clear the screen or rewrite a line, are shown as escapes (`\x1b`).
 */
export function escapeControl(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => {
    const code = c.charCodeAt(0);
    return c === '\n' ? '\\n' : c === '\t' ? '\\t' : code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/** The one line a hook prints for a sync; without a result, the environment was already up to date. */
export function summaryLine(s: { project: string; env: string; codexBranch: string }, r?: ShownResult): string {
  const t = r?.toCodex;
  const n = t ? t.added.length + t.changed.length + t.removed.length : 0;
  const what = t?.codexCommit ? `${n} file${n === 1 ? '' : 's'} → codex ${s.codexBranch} (${t.codexCommit.slice(0, 7)})` : `up to date on codex ${s.codexBranch}`;
  const pulled = r?.fromCodex ? r.fromCodex.added.length + r.fromCodex.changed.length : 0;
  return `codex-hooks: ${s.project} [${s.env}] ${what}${pulled ? `, ${pulled} pulled` : ''}`;
}

const ago = (seconds: number) =>
  seconds < 90 ? `${Math.round(seconds)} s` : seconds < 5400 ? `${Math.round(seconds / 60)} min` : seconds < 172800 ? `${Math.round(seconds / 3600)} h` : `${Math.round(seconds / 86400)} days`;

/** What the reader for agents (`codex-hooks mcp`, design §8) and `fetch` say. */
export const readerMsg = {
  busy: (most: number) => `Busy: ${most} searches are running or waiting already`,
  busyHint: 'try again in a moment, or narrow the search (project)',
  gitUnavailable: (detail: string) => `The codex could not be read just now: ${detail}`,
  gitUnavailableHint: 'try again; if it persists, restart the MCP server (too many open files: raise `ulimit -n`)',
  ago,
  notFound: (uri: string, branch: string) => `Not found: ${uri} is not in the released docs (codex branch ${branch}).`,
  notFoundHint: (listUri: string) => `List what is released with codex_list {"uri": "${listUri}"}, or search with codex_search.`,
  notReleased: (uri: string, branches: string[], prodBranch: string) =>
    `Not released yet: ${uri} exists on the codex branch ${branches.join(', ')} but not on production (${prodBranch}). Only released docs are served here.`,
  notReleasedHint: `It is released when its project syncs production (\`${CH} sync --env prod\` in that project).`,
  unknownProject: (name: string, branch: string) => `No project or folder "${name}" in the released docs (codex branch ${branch}).`,
  unknownOrg: (org: string, configured: string) => `Unknown organisation "${org}": this codex belongs to "${configured}".`,
  isFolder: (uri: string) => `${uri} is a folder, not a document: list it with codex_list {"uri": "${uri}"}.`,
  isLink: (uri: string) => `${uri} is a symbolic link in the codex; links are not followed.`,
  tooLarge: (uri: string, size: number, limit: number) => `${uri} is ${size} bytes, more than the ${limit} bytes served here.`,
  truncated: (shown: number, size: number) => `[cut: the first ${shown} of ${size} bytes are shown]`,
  binary: (uri: string, size: number, mime: string) => `${uri} is a binary file (${mime}, ${size} bytes): it is attached as a resource.`,
  unreachable: (url: string, detail: string) => `Codex unreachable: ${redactUrl(url)} could not be fetched and no copy of production was fetched before (${detail}).`,
  unreachableHint: 'Check the codex URL (--codex, CODEX_URL or codex_url in the config) and the network; codex_status shows the last error.',
  branchMissing: (branch: string) => `The codex has no production branch '${branch}' yet: nothing is released.`,
  staleNote: (detail: string, seconds: number, tip: string) =>
    `Note: the codex could not be fetched (${detail}); these are the released docs as fetched ${ago(seconds)} ago (production tip ${tip.slice(0, 12)}).`,
  emptyList: (uri: string) => `Nothing released under ${uri}.`,
  listMore: (shown: number) => `… more entries: only the first ${shown} are listed; narrow the uri.`,
  noHits: (query: string) => `No released doc contains "${query}".`,
  httpHostRefused: 'Refused: the Host header does not name this loopback server (DNS rebinding protection).',
  httpOriginRefused: (origin: string) => `Refused: the Origin ${origin} is not allowed (set CODEX_MCP_ORIGINS on the server to allow it).`,
  httpUnauthorized: 'Unauthorized: send Authorization: Bearer <the server\'s CODEX_MCP_TOKEN>.',
  httpNotFound: 'Not found: the MCP endpoint is /mcp (and /health).',
  httpPostOnly: 'This stateless server takes POST /mcp only (no SSE stream, no session).',
  httpTooLarge: (max: number) => `The request body is over ${max} bytes.`,
  httpBadJson: 'Parse error: the body is not JSON.',
  httpInternal: 'Internal error: see the server log.',
  noRankedHits: (query: string) => `No released doc matches "${query}".`,
  indexProgress: (done: number, total: number) => (total ? ` (${done} of ${total} documents read)` : ''),
  searchByGrep: (progress: string, error: string | null) =>
    error
      ? `Note: the search index could not be built (${error}); these are git grep's matches of the whole query as one phrase, unranked.`
      : `Note: the search index of this production tip is being built${progress}; meanwhile these are git grep's matches of the whole query as one phrase, unranked. Ask again shortly for ranked results.`,
  searchByOldIndex: (indexed: string, tip: string, progress: string) =>
    `Note: ranked by the index of the previous production tip ${indexed.slice(0, 12)} while the index of ${tip.slice(0, 12)} is being updated${progress}; snippets are read from the docs as released then.`,
  searchMore: (limit: number) => `… more matches: only the first ${limit} are shown (raise limit, up to 200, or narrow with project).`,
  searchStopped: (seconds: number) => `… the search was stopped after ${seconds} s; the matches found until then are shown.`,
  queryControl: 'the query may not contain control characters (one line of text)',
  queryTooLong: (length: number, max: number) => `The query is ${length} characters long, more than ${max}.`,
  queryTooLongHint: 'search for a shorter phrase',
  queryEmpty: 'The query is empty.',
  queryEmptyHint: 'search for a word or a phrase',
  queryRefused: (why: string) => `The query is refused: ${why}.`,
  queryRefusedHint: 'search for one line of text',
  listProjectsHint: 'list the projects with codex_list {}',
  unknownProjectHint: (near: string | undefined, known: string[], more: boolean) =>
    `${near ? `did you mean ${near}? ` : ''}${known.length ? `Released: ${known.join(', ')}${more ? ', …' : ''}. ` : ''}List the projects and folders with codex_list {}.`,
  otherOrgHint: (org: string, project: string) => `use codex://${org}/${project}/…`,
};

/** What the layered environments say (design §4 layer, §6): overlaps, dropped layers, the `layers` command. */
export const layerMsg = {
  shallowClone: (branch: string, prod: string) => `This clone is shallow: the merge base of ${branch} with ${prod} is not in it, so ${branch}'s changes cannot be told from ${prod}'s.`,
  shallowCloneHint: 'fetch the whole history: `git fetch --unshallow` (in GitHub Actions: actions/checkout with `fetch-depth: 0`)',
  overlap: (path: string, others: Array<{ branch: string; author: string; time: string }>, shown: string, mine: string) =>
    `codex-hooks: ${path} is also changed by ${others.map((o) => `${o.branch} (${o.author}, ${ago(Math.max(0, (Date.now() - Date.parse(o.time)) / 1000))} ago)`).join(', ')}; test shows ${shown === mine ? 'yours' : `${shown}'s`}`,
  dropped: (branch: string, why: string) => `codex-hooks: layer ${branch} left the folder (${why})`,
  originUnknown: (why: string) => `codex-hooks: could not ask origin which branches it has (${why}); layers of deleted branches stay until a later sync`,
  usage: (word: string) => `Unknown layers argument "${word}".`,
  usageHint: 'usage: codex-hooks layers [--env E] | layers drop <branch> [--env E] [--dry-run] | layers prune [--env E] [--dry-run]',
  dropNeedsBranch: 'layers drop needs the branch whose layer to drop.',
  notLayered: (env: string, branch: string) => `Environment ${env} (codex branch ${branch}) mirrors one commit: it has no layers.`,
  notLayeredHint: (config: { environments: Record<string, { branch: string; mode?: string }>; filepath: string | null }) =>
    `name a layered environment with --env (environments.<name>.mode in ${config.filepath ?? 'the config'})`,
  head: (project: string, env: string, branch: string) => `${project} [${env}] on codex ${branch}: the base, then each live branch in the order it was first pushed`,
  base: (branch: string, commit: string, time: string) => `  base      ${branch}@${commit.slice(0, 7)} (since ${time.slice(0, 16).replace('T', ' ')})`,
  noBase: '  base      none yet (the production branch is not known to the codex)',
  noLayers: '  no live layers: test shows the base alone',
  live: (branch: string, tip: string, author: string, time: string, files: number, docs: string[]) =>
    `  layer     ${branch}@${tip.slice(0, 7)}  ${author}, ${ago(Math.max(0, (Date.now() - Date.parse(time)) / 1000))} ago  ${files} doc${files === 1 ? '' : 's'}${docs.length ? `: ${docs.slice(0, 5).join(', ')}${docs.length > 5 ? ', …' : ''}` : ''}`,
  overlapRow: (path: string, branches: string[], shown: string) => `  overlap   ${path}: ${branches.join(', ')} — shows ${shown}'s`,
  stale: (branch: string, why: string) => `stale layer ${branch} (${why}): it leaves with the next write`,
  pruneHint: '  → remove stale layers now: codex-hooks layers prune',
  wouldChange: (n: number) => `dry run: ${n} file${n === 1 ? '' : 's'} of the folder would change; nothing written`,
  written: (branch: string, commit: string) => `written to codex ${branch} (${commit.slice(0, 7)})`,
  nothingWritten: 'the folder is unchanged (the record of layers may have been updated)',
  detachedLayer: (env: string) => `HEAD is detached and no branch is named: a layer of ${env} belongs to a branch, so nothing was written.`,
  detachedLayerHint: 'name the branch: --branch <name> (in GitHub Actions GITHUB_HEAD_REF or GITHUB_REF_NAME name it), or sync another environment with --env',
  baseNotMoved: (env: string, why: string) => `codex-hooks: the base of ${env} did not move to this release (${why}); the next sync of the project moves it`,
  beforeLanding: (branch: string, remote: string, named: boolean) =>
    named
      ? `codex-hooks: ${branch} has no remote-tracking ref in this clone (a single-branch clone): its docs are written before the push lands. To write them after: git config --add remote.${remote}.fetch '+refs/heads/*:refs/remotes/${remote}/*'`
      : `codex-hooks: a push to a URL has no remote-tracking ref: ${branch}'s docs are written before the push lands (push to a named remote to write them after)`,
  prodOnStaging: (env: string, branch: string) => `codex-hooks: ${env} writes the production codex branch (${branch}): what it syncs is released.`,
};
