/** Every sentence codex-hooks says to people, in one place (STYLE §6). */
import { redactUrl } from '../git/url.js';
/**
 * The parts of a sync's result that messages show. Declared here, by shape, so that ui/ imports nothing
 * from sync/ (the layers point one way); sync/engine.ts's SyncResult fits it.
 */
interface ShownResult {
  toCodex?: { added: string[]; changed: string[]; removed: string[]; codexCommit: string | null; matchedNothing?: boolean; skipped: Array<{ path: string; reason: string }> };
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
    if (existing !== null && existing.length === 0) lines.push(`Create it:   codex-hooks create-branch ${branch}`, 'The codex is empty: that starts its first branch.');
    else lines.push(`Create it:   codex-hooks create-branch ${branch}${from ? ` --from ${from}` : ''}`);
    if (branch !== prodBranch && (existing === null || existing.includes(prodBranch))) {
      lines.push(`Or send ${env} to production: set environments.${env}.branch = "${prodBranch}" in ${configFile ?? '.codexrc.json'}`);
    }
    return lines.join('\n');
  },
  branchExists: (branch: string) => `The codex already has a branch '${branch}': nothing to do (sync to it with \`codex-hooks sync\`).`,
  noFromBranch: (from: string, existing: string[]) => `The codex has no branch '${from}' to start from (it has: ${existing.join(', ')})`,
  noFromBranchHint: (branch: string, existing: string[], prodBranch: string) =>
    `pass --from with one of: ${existing.join(', ')} (e.g. codex-hooks create-branch ${branch} --from ${existing.includes(prodBranch) ? prodBranch : existing[0]})`,
  unreachable: (url: string, detail: string) =>
    `CODEX UNREACHABLE\nCannot reach the codex at ${redactUrl(url)}: ${detail}\nCheck codex_url in your config, your network, and that the repository exists.`,
  authFailed: (url: string) =>
    [
      'AUTHENTICATION FAILED',
      `The codex at ${redactUrl(url)} refused the credentials (or none were given; nothing is ever asked for).`,
      /^https?:\/\//i.test(url)
        ? "Set CODEX_TOKEN to a token for that host (GITHUB_TOKEN or GH_TOKEN also work for github.com), or store one in git's credential helper."
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
  pushRejected: (branch: string, attempts: number) =>
    `The codex branch '${branch}' kept moving: the sync was re-applied ${attempts} times and still rejected.`,
  deletionsHeld: (removed: number, total: number, threshold: number) =>
    `This sync would delete ${removed} of ${total} files of the project in the codex (more than ${Math.round(threshold * 100)}%).`,
  deletionsHint: 'if that is intended, run `codex-hooks sync --allow-deletions` (threshold: deletion_threshold)',
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
   * the command to run now is `sync`; CODEX_ENV is only for the next push (SPEC §6).
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
  releaseCommand: (ref?: string) => `codex-hooks sync --env prod${ref ? ` --ref ${ref}` : ''}`,
  needsConfirmationNoTty: (why: 'no-terminal' | 'ci') =>
    why === 'ci' ? 'This sync writes production docs and CI is set, so nobody is asked to confirm' : 'This sync writes production docs and there is no terminal to confirm on',
  needsConfirmationHint: 'pass --env prod to sync production explicitly, or --yes to confirm',
  declinedSync: 'Production sync declined; nothing was written',
  interruptedPush: 'Push stopped at the production question (Ctrl-C); nothing was pushed or synced',
  interruptedPushHint: 'push again to answer; `CODEX_HOOKS=0 git push` pushes without the docs sync',
  interruptedSync: 'Stopped at the production question (Ctrl-C); nothing was written',

  unknownOption: (option: string, command: string) => `Unknown option ${option} for \`codex-hooks ${command}\``,
  badTimeout: (value: string) => `CODEX_HOOKS_TIMEOUT=${JSON.stringify(value)} is not a number of seconds`,
  badTimeoutHint: 'set CODEX_HOOKS_TIMEOUT to a positive number of seconds (e.g. CODEX_HOOKS_TIMEOUT=60), or unset it for the default of 60',

  hooksNotInstalled: 'not installed',
  huskyFilesMissing: "installed, but husky's files (.husky/_) are missing in this worktree: git runs no hook here",
  hookScriptsMissing: 'installed, but the codex-hooks scripts (.husky/codex-hooks/) are missing: the hooks fail',
  toolkitNotFound: (pkgDir: string) =>
    `installed, but the hooks cannot find codex-hooks (no ${pkgDir ? `${pkgDir}/` : ''}node_modules/codex-hooks, none on PATH): they skip every sync`,

  initBadOrg: 'use letters, digits, ".", "_" and "-" (e.g. acme)',
  initBadCodex: 'give the codex as a git URL or a path, without spaces (e.g. git@github.com:acme/codex.git)',
  initBadProject: 'use letters, digits, ".", "_" and "-", not "." or ".."',
  setCodexHint: 'set codex_url (or organization and codex_repo), or run `codex-hooks init --codex <git URL or path>`',
  initNotJson: (file: string) => `${file} is not a JSON file: codex-hooks init fills in JSON configs only`,
  initNothingToFill: (file: string) => `${file} already has every key: nothing to fill in.`,
  initKept: (key: string, file: string) => `${key} is already set in ${file}: kept as it is (edit the file to change it)`,
  initMissingCodex: (file: string) => `no codex_url in ${file} yet: run \`codex-hooks init --codex <git URL or path>\` to fill it in`,

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
  noConfig: 'codex-hooks: no configuration found, nothing to sync (run `codex-hooks init`)',
  fetchUnreleasedHint: (uri: string) =>
    `it may not be released yet: read the unreleased one with \`codex-hooks fetch ${uri} --env test\`, or release it from its project with \`codex-hooks sync --env prod\``,
  orgNoConfig: 'no config',
  orgNoRepositories: (root: string) => `No repositories under ${root}: sync-org --root syncs the git checkouts directly under it`,
  orgNoRepositoriesHint: 'pass the folder that holds the checkouts (e.g. --root repos), or the checkouts themselves: codex-hooks sync-org DIR...',
  orgNeedsProd: 'production: pass --env prod (no assumption across many projects)',
  orgSameProject: (name: string, other: string, branch: string) =>
    `project_name "${name}" is also synced from ${other} to codex branch ${branch}: not synced, so neither overwrites the other (give one of them its own project_name)`,
  skipReason: {
    'too-large': 'over max_file_size',
    denied: 'deny_patterns/exclude_patterns',
    submodule: 'submodule',
    refused: 'a path component git refuses on checkout, such as .git',
  } as Record<string, string>,
  stateUnwritable: (file: string, why: string) => `Cannot write codex-hooks state ${file}: ${why}`,
  stateUnwritableHint: (dir: string) => `free some disk space (or make ${dir} writable), then run \`codex-hooks sync\` again`,
  cacheLocked: 'The codex cache is locked by another codex-hooks run',
  pullLocked: "This worktree's pull_dir is being written by another codex-hooks run",
  lockedHint: (file: string) => `wait for it to finish; if no codex-hooks is running, remove ${file}`,
  syncTimedOut: (seconds: number) => `The sync timed out: it did not finish within ${seconds} s (CODEX_HOOKS_TIMEOUT), so it was stopped and nothing more is written`,
  syncTimedOutHint: 'check the network and the codex, or raise CODEX_HOOKS_TIMEOUT (seconds); then run `codex-hooks sync --retry`',
  pullRefused: (p: string, pullDir: string) => `Refused codex path that would leave ${pullDir} or plant a .git: ${JSON.stringify(p)}`,
  pullKept: (p: string, reason: string) => `Kept ${escapeControl(p)}: ${reason}; the codex's file of that name is not pulled (move yours away to get it)`,
  pullKeptFile: 'a file codex-hooks did not write is there',
  pullKeptFolder: 'a folder is there',
  pullSkipped: (p: string, reason: string) => `Not pulled: ${escapeControl(p)} (${reason}); the rest was pulled`,
  pullTooLarge: (size: number, max: number) => `${size} bytes, over max_file_size ${max}`,
  pullUnreadable: 'the codex cache lacks its content',
  pullOutside: 'it would leave pull_dir',
  pullBlocked: (p: string) => `${escapeControl(p)} is a file, not a folder`,
  pullFailed: (why: string) => `cannot be written here: ${why}`,
  routingRefused: (p: string, why: string) => `Codex doc ${escapeControl(p)} routes nowhere: its front matter was not read (${why})`,
  gitDirRefused: (dir: string) => `Not pulled: codex folder ${escapeControl(dir || '(root)')} looks like a git directory (HEAD, objects/, refs/)`,
  badRefLine: (line: string) => `Not a ref line git gives pre-push: ${JSON.stringify(line)}`,
  badRefLineHint: 'git writes "<local ref> <local sha> <remote ref> <remote sha>" per line; the hook is run by git push, not by hand',
  kept: (env: string) => `The request is kept and will be retried by the next hook run or \`codex-hooks sync --retry\` (environment ${env}).`,
  keptRefused: (env: string) => `The request is kept (environment ${env}); it is delivered by the next push once the codex accepts it.`,
  /** A failure a retry alone cannot fix: what to run instead of a plain `--retry`. */
  keptHeld: (env: string) =>
    `The request is kept (environment ${env}), but a retry alone is held back again: if the deletions are intended, run \`codex-hooks sync --retry --allow-deletions\`.`,
  retryHeld: 'held back by the deletion guard: run `codex-hooks sync --retry --allow-deletions` if the deletions are intended',
  retryBadInput: (hint: string | undefined) => `a retry cannot fix this: ${hint ?? 'fix the configuration'}, then run \`codex-hooks sync --retry\``,
  retryGoneEnv: (env: string, configFile: string | null, file: string) =>
    `environment ${env} is no longer in ${configFile ?? 'the config'}: a retry cannot deliver it; add environments.${env} again, or drop the request by removing ${file}`,
  retryNeedsYes: (env: string, codexBranch: string) =>
    `kept: environment ${env} now writes the production codex branch '${codexBranch}' and this request was never confirmed for it; run \`codex-hooks sync --retry\` on a terminal, or \`codex-hooks sync --retry --yes\``,
  pullOnlyFailed: (branch: string, detail: string) => `codex-hooks: shared docs not pulled from codex ${branch}: ${detail}\n  → run \`codex-hooks sync --direction from-codex\` later`,
  pulledOnly: (project: string, env: string, branch: string, f?: { added: string[]; changed: string[]; removed: string[] }) =>
    `codex-hooks: ${project} [${env}] nothing written; shared docs from codex ${branch}: ${f ? `${f.added.length} added, ${f.changed.length} changed, ${f.removed.length} removed` : 'none'}`,
  matchedNothing: (patterns: string[], configFile: string | null) =>
    `sync_patterns (${patterns.join(', ')}) matched no file of this commit: nothing of this project is synced to the codex (set sync_patterns in ${configFile ?? '.codexrc.json'})`,
  skipped: (p: string, reason: string) => `skipped ${/[\x00-\x1f\x7f"]/.test(p) ? JSON.stringify(p) : p} (${msg.skipReason[reason] ?? reason})`,
  backgroundFailed: (time: string, first: string, hint?: string) =>
    `codex-hooks: the background docs sync after a commit failed (${time}): ${first}\n  ${hint ?? 'It is kept and retried by this push or `codex-hooks sync --retry`.'}`,
  backgroundWarned: (time: string, warnings: string[]) => `codex-hooks: the background docs sync after a commit (${time}) warned:\n  ${warnings.join('\n  ')}`,
};

/** What a sync skipped or found odd, one line each: shown by hooks, kept by a background run (SPEC §6). */
export function syncWarnings(r: ShownResult, o: { syncPatterns: string[]; configFile: string | null }): string[] {
  const out: string[] = [];
  if (r.toCodex?.matchedNothing) out.push(msg.matchedNothing(o.syncPatterns, o.configFile));
  for (const s of r.toCodex?.skipped ?? []) out.push(msg.skipped(s.path, s.reason));
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

/** What the reader for agents (`codex-hooks mcp`, SPEC §8) and `fetch` say. */
export const readerMsg = {
  ago,
  notFound: (uri: string, branch: string) => `Not found: ${uri} is not in the released docs (codex branch ${branch}).`,
  notFoundHint: (listUri: string) => `List what is released with codex_list {"uri": "${listUri}"}, or search with codex_search.`,
  notReleased: (uri: string, branches: string[], prodBranch: string) =>
    `Not released yet: ${uri} exists on the codex branch ${branches.join(', ')} but not on production (${prodBranch}). Only released docs are served here.`,
  notReleasedHint: 'It is released when its project syncs production (`codex-hooks sync --env prod` in that project).',
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
  searchMore: (limit: number) => `… more matches: only the first ${limit} are shown (raise limit, up to 200, or narrow with project).`,
  searchStopped: (seconds: number) => `… the search was stopped after ${seconds} s; the matches found until then are shown.`,
  queryControl: 'the query may not contain control characters (one line of text)',
};
