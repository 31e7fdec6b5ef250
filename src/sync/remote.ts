import { SyncError } from '../errors.js';
import { configEnv, type Env } from '../git/env.js';
import { GitError } from '../git/exec.js';
import { msg, redactUrl } from '../ui/messages.js';

/**
 * The extra environment for talking to the codex: an https GitHub URL without credentials of its own gets
 * GITHUB_TOKEN/GH_TOKEN as an Authorization header through GIT_CONFIG_* variables, so the token is never on
 * a command line, in a config file or in a URL git might print.
 */
export function authEnv(url: string, env: Env): Env {
  const token = env.GITHUB_TOKEN || env.GH_TOKEN;
  if (!token || !/^https:\/\/github\.com\//i.test(url)) return {};
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  return configEnv([['http.https://github.com/.extraheader', `Authorization: Basic ${basic}`]]);
}

/** Removes every credential we know of from text that may be shown. */
export function makeRedactor(url: string, env: Env): (s: string) => string {
  const secrets = [env.GITHUB_TOKEN, env.GH_TOKEN].filter((s): s is string => !!s && s.length >= 4);
  const shown = redactUrl(url);
  return (s) => {
    let out = s.split(url).join(shown).replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
    for (const secret of secrets) out = out.split(secret).join('***');
    return out;
  };
}

/** Maps a failed fetch/push/ls-remote to one of the three failures users must tell apart (SPEC §4). */
export function classifyRemoteError(error: unknown, url: string): unknown {
  if (!(error instanceof GitError)) return error;
  const text = error.stderr;
  if (/Authentication failed|could not read Username|could not read Password|terminal prompts disabled|Permission denied \(publickey|HTTP (401|403)|The requested URL returned error: 40[13]|invalid credentials/i.test(text)) {
    return new SyncError('auth', msg.authFailed(url));
  }
  if (/does not appear to be a git repository|Could not resolve host|unable to access|Connection refused|Could not read from remote repository|No such file or directory|not found|timed out|unable to connect|Network is unreachable/i.test(text)) {
    const lines = text.trim().split('\n');
    const detail = lines.find((l) => /^(fatal|error): /.test(l) || /timed out/.test(l)) ?? lines.pop() ?? '';
    return new SyncError('unreachable', msg.unreachable(url, detail.replace(/^(fatal|error): /, '')));
  }
  return error;
}

export { redactUrl };
