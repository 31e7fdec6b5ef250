/**
 * How git reads a remote's address, so codex-hooks reads it the same way (git's transport.c
 * `transport_get` and connect.c `url_is_local_not_ssh`).
 */

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
/** `transport::address` runs git-remote-<transport> (`ext::`, `fd::`, a helper of the user's). */
const HELPER = /^[a-z0-9+.-]+::/i;

/**
 * A local path, as git decides: no `scheme://`, no `transport::`, and either no colon or a slash before
 * the first colon; a Windows drive letter (`C:\`, `C:/`) is a path too. Everything else with a colon
 * (`host:path`, `user@host:path`, an ssh config alias such as `codexhost:/srv/codex.git`) is scp-like ssh.
 */
export function isLocalPath(url: string): boolean {
  if (SCHEME.test(url) || HELPER.test(url)) return false;
  const colon = url.indexOf(':');
  if (colon < 0) return true;
  const slash = url.indexOf('/');
  if (slash >= 0 && slash < colon) return true;
  return /^[a-z]:([\\/]|$)/i.test(url);
}

/**
 * Why git must never be given this codex URL, or null. One that starts with `-` is read by git as an
 * option (`--upload-pack=<command>` runs the command; issue 19); a control character (a newline, NUL)
 * breaks the lines git hands its helpers and cannot be a process argument at all. Every place a codex
 * URL enters (a config's codex_url, --codex, CODEX_URL, init) refuses these as bad input.
 */
export function urlProblem(url: string): 'option' | 'control' | null {
  if (url.startsWith('-')) return 'option';
  // eslint-disable-next-line no-control-regex -- the very characters refused
  if (/[\x00-\x1f\x7f]/.test(url)) return 'control';
  return null;
}

/** True for what git treats as a URL rather than a local path (scheme://, transport::address, scp-like). */
export const isRemoteUrl = (url: string): boolean => !isLocalPath(url);

/** True when git reaches the codex through ssh: `ssh://` (and its aliases) or scp-like `[user@]host:path`. */
export function isSshUrl(url: string): boolean {
  const scheme = SCHEME.exec(url)?.[1].toLowerCase();
  if (scheme) return scheme === 'ssh' || scheme === 'git+ssh' || scheme === 'ssh+git';
  return !HELPER.test(url) && !isLocalPath(url);
}

/** True for `http://` and `https://` URLs (git's curl transport). */
export const isHttpUrl = (url: string): boolean => /^https?:\/\//i.test(url);

export interface UrlParts {
  /** The URL with its user info removed (for http/https), or with only the password removed (others). */
  url: string;
  /** `scheme://host[:port]/` of a `scheme://` URL: the key of git's `http.<url>.*` and `credential.<url>.*`. */
  origin?: string;
  user?: string;
  password?: string;
  /** The user info as written in the URL (possibly percent-encoded), when there was any. */
  rawUserInfo?: string;
}

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/**
 * An scp-like URL with a password, `user:password@host:path` (the password may hold `:` and `@`; the host
 * is what follows the last `@` before the path's colon). git itself would split it at its first colon
 * (host `user`), so the only sensible reading is a user and a password, which ssh never takes from a URL.
 */
const SCP_PASSWORD = /^([^@/:]+):(.*)@([^@/:]+|\[[^\]/]+\]):(.*)$/s;

/**
 * Takes the credentials out of a `scheme://user:password@host/…` URL. The host starts after the LAST
 * `@` of the authority, so a password holding a raw `@` (`p@ss`) is taken whole, as browsers and curl do.
 * User and password are percent-decoded. Other forms (scp-like, paths) are returned unchanged.
 */
export function splitUrl(url: string): UrlParts {
  const scheme = SCHEME.exec(url);
  if (!scheme) {
    // scp-like `user:password@host:path`: the password is dropped, never handed to git (issue 19)
    const scp = !HELPER.test(url) && !isLocalPath(url) ? SCP_PASSWORD.exec(url) : null;
    if (!scp) return { url };
    const [, user, password, host, rest] = scp;
    return { url: `${user}@${host}:${rest}`, user, password, rawUserInfo: `${user}:${password}` };
  }
  const start = scheme[0].length;
  const rest = url.slice(start);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const tail = end < 0 ? '' : rest.slice(end);
  const at = authority.lastIndexOf('@');
  const host = authority.slice(at + 1);
  const origin = `${scheme[1].toLowerCase()}://${host}/`;
  if (at < 0) return { url, origin };
  const userInfo = authority.slice(0, at);
  const colon = userInfo.indexOf(':');
  const user = decode(colon < 0 ? userInfo : userInfo.slice(0, colon));
  const password = colon < 0 ? undefined : decode(userInfo.slice(colon + 1));
  const http = isHttpUrl(url);
  // ssh needs its user on the command line (it is no secret); http's goes to git through its config
  const keptUser = !http && user ? `${userInfo.slice(0, colon < 0 ? undefined : colon)}@` : '';
  return { url: `${scheme[0]}${keptUser}${host}${tail}`, origin, user: user || undefined, password, rawUserInfo: userInfo };
}

/** True when a URL carries a password or token (`https://user:token@…`): a secret in a committed file. */
export const hasCredentials = (url: string): boolean => splitUrl(url).password !== undefined;

/**
 * The URL without its user info; the host starts after the last `@` before the path, so `p@ss` goes whole.
 * An scp-like URL keeps its user and loses its password (`user:pass@host:path` → `user@host:path`).
 */
export const redactUrl = (url: string): string => (SCHEME.test(url) ? url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1') : splitUrl(url).url);
