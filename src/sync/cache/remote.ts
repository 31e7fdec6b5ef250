import { SyncError } from '../../core/errors.js';
import { configEnv } from '../../git/env.js';
import { GitError } from '../../git/exec.js';
import { isHttpUrl, splitUrl } from '../../core/url.js';
import { msg } from '../../core/messages.js';
import { redactUrl } from '../../core/url.js';
import type { Env } from '../../core/edge.js';

/**
 * How git is given the codex (design §4): the URL without its secrets, and what authenticates it through
 * git's environment — never a command line (`/proc/<pid>/cmdline` is readable by everyone), a config file
 * or a state file. `secrets` are removed from anything shown.
 */
export interface Connection {
  /** The URL handed to git: an http(s) URL without user info, another without its password. */
  url: string;
  /** Variables for the network git commands only (GIT_CONFIG_* header or credential user name). */
  env: Env;
  secrets: string[];
}

/**
 * CODEX_TOKEN when it is for this origin: CODEX_TOKEN_HOST, when set, names the one host it goes to
 * (`host` any port, `host:port`, or a URL of it); unset, the token is for the codex at hand (sync-org
 * withholds it then: commands/sync-org.ts). A codex URL comes from a config anyone may have committed, so
 * the token must never follow it to another host (issue 19).
 */
export function codexTokenFor(origin: string, env: Env): string | undefined {
  const token = env.CODEX_TOKEN || undefined;
  const named = env.CODEX_TOKEN_HOST?.trim();
  if (!token || !named) return token;
  const host = origin.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  const want = named.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '').replace(/^[^@]*@/, '').toLowerCase();
  const hostname = (h: string) => h.replace(/:\d+$/, '');
  return want === host || (!/:\d+$/.test(want) && want === hostname(host)) ? token : undefined;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/**
 * For http(s): the password of the URL, else CODEX_TOKEN (for the host CODEX_TOKEN_HOST names, or any when unset), else
 * GITHUB_TOKEN/GH_TOKEN for https://github.com/, goes as an `Authorization: Basic` header scoped to the
 * codex's origin (`http.<origin>.extraheader`) with the URL's user name, else `x-access-token`. A user
 * name without a token goes to git's credential helper as `credential.<origin>.username`. Other URLs
 * (ssh) keep their user and lose a password, which ssh never takes from a URL anyway.
 */
export function connectionFor(url: string, env: Env): Connection {
  const parts = splitUrl(url);
  const secrets = [parts.password, parts.password !== undefined ? parts.rawUserInfo : undefined, env.CODEX_TOKEN, env.GITHUB_TOKEN, env.GH_TOKEN];
  const done = (extra: Array<[string, string]>, header?: string): Connection => ({
    url: parts.url,
    env: extra.length ? configEnv(extra) : {},
    secrets: [...secrets, header?.slice('Basic '.length)].filter((s): s is string => !!s && s.length >= 4),
  });
  if (!isHttpUrl(url) || !parts.origin) return done([]);
  // Without a terminal git still asks core.askPass, else SSH_ASKPASS (a desktop session's dialog): an
  // empty core.askPass ends that chain. GIT_ASKPASS, a GUI client's own credential provider, still answers.
  const noAskPass: [string, string] = ['core.askPass', ''];
  const github = /^https:\/\/github\.com\/$/i.test(parts.origin);
  const token = parts.password ?? codexTokenFor(parts.origin, env) ?? (github ? env.GITHUB_TOKEN || env.GH_TOKEN || undefined : undefined);
  if (token !== undefined) {
    const header = basic(parts.user ?? 'x-access-token', token);
    return done([[`http.${parts.origin}.extraheader`, `Authorization: ${header}`], noAskPass], header);
  }
  return done(parts.user ? [[`credential.${parts.origin}.username`, parts.user], noAskPass] : [noAskPass]);
}

/** Removes every credential we know of from text that may be shown. */
export function makeRedactor(url: string, env: Env): (s: string) => string {
  const { secrets } = connectionFor(url, env);
  const shown = redactUrl(url);
  return (s) => {
    let out = s.split(url).join(shown).replace(/([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, '$1');
    for (const secret of secrets) out = out.split(secret).join('***');
    return out;
  };
}

/** Maps a failed fetch/push/ls-remote to one of the failures users must tell apart (design §4). */
export function classifyRemoteError(error: unknown, url: string): unknown {
  if (!(error instanceof GitError)) return error;
  const text = error.stderr;
  if (/Authentication failed|could not read Username|could not read Password|terminal prompts disabled|Permission denied \((publickey|password|keyboard)|HTTP (401|403)|The requested URL returned error: 40[13]|invalid credentials/i.test(text)) {
    return new SyncError('auth', msg.authFailed(url));
  }
  if (/Host key verification failed/.test(text)) return new SyncError('unreachable', msg.unreachable(url, msg.hostKeyUnknown));
  if (/does not appear to be a git repository|Could not resolve host|unable to access|Connection refused|Could not read from remote repository|No such file or directory|not found|timed out|unable to connect|Network is unreachable|Connection (closed|reset)/i.test(text)) {
    const lines = text.trim().split('\n');
    const detail = lines.find((l) => /^(fatal|error): /.test(l) || /timed out/.test(l)) ?? lines.pop() ?? '';
    return new SyncError('unreachable', msg.unreachable(url, detail.replace(/^(fatal|error): /, '')));
  }
  return error;
}

/** A push the codex refused: its reason (`pre-receive hook declined`) and the server's `remote:` lines. */
export interface Refusal {
  reason: string;
  remoteLines: string[];
}

/** THE CODEX REFUSED THE PUSH, with the server's own lines; `hint` says what to do (never `--retry`). */
export const refusedPush = (url: string, branch: string, refusal: Refusal, hint: string) =>
  new SyncError('refused', msg.pushRefused(url, branch, refusal.reason, refusal.remoteLines), hint);

/**
 * Reads `git push --porcelain` for the one ref pushed. 'moved': the branch changed since the fetch, or a
 * concurrent push held its lock (re-apply on the new tip and try again). A refusal (a protected branch,
 * a `pre-receive` hook, a policy) is returned as such: trying again cannot change the server's mind.
 */
export function readPushOutcome(stdout: string, stderr: string): 'moved' | Refusal {
  const line = stdout.split('\n').find((l) => l.startsWith('!\t')) ?? '';
  const summary = line.split('\t')[2] ?? '';
  const reason = /\((.*)\)\s*$/.exec(summary)?.[1] ?? '';
  // An atomic push (a layered folder and its state) names the ref that moved in stderr, the rest 'atomic … failed'.
  const atomicMoved = /atomic (?:transaction|push) failed/i.test(reason) && /cannot lock ref|incorrect old value|non-fast-forward|fetch first|\[rejected\]/i.test(stdout + stderr);
  const moved = atomicMoved || /^\[rejected\]/.test(summary) || /cannot lock ref|failed to update ref|incorrect old value|unable to update local ref|reference already exists|failed to lock|stale info/i.test(reason);
  if (moved || (!line && /\[rejected\]|fetch first|non-fast-forward|cannot lock ref/.test(stderr))) return 'moved';
  const remoteLines = stderr
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => /^remote: ?\S/.test(l))
    .slice(-20);
  return { reason: reason || (summary ? summary.replace(/^\[|\]$/g, '') : stderr.trim().split('\n').pop() ?? ''), remoteLines };
}

