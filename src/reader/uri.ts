import { UsageError } from '../core/errors.js';
import { msg } from '../core/messages.js';

export interface CodexUri {
  org: string;
  project: string;
  /** Below the project's folder, without a trailing slash; '' names the whole project. */
  path: string;
}

/** Longer URIs are refused before anything is looked up: no codex path comes near it. */
export const MAX_URI_LENGTH = 4096;
const NAME = /^[A-Za-z0-9._-]+$/;
// C0 controls, DEL and the C1 range: never part of a document name an agent should be sent to
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const bad = (uri: string, why: string) =>
  new UsageError(msg.badUri(printable(uri), why), msg.badUriHint);

/** The URI as it can be shown: control characters escaped, cut to a readable length. */
export function printable(text: string, max = 200): string {
  const shown = JSON.stringify(text.length > max ? text.slice(0, max) : text).slice(1, -1);
  return text.length > max ? `${shown}…` : shown;
}

/**
 * `codex://org/project/path/to/doc.md` (design §5, §8). Percent-escapes are decoded (an MCP client sends
 * `a%20b.md` for `a b.md`); `..`, `.`, empty segments and control characters are refused after decoding,
 * so no spelling reaches outside the project's folder. Pure.
 */
export function parseCodexUri(uri: string): CodexUri {
  if (typeof uri !== 'string') throw bad(String(uri), msg.uriWhy.notString);
  if (uri.length > MAX_URI_LENGTH) throw bad(uri, msg.uriWhy.tooLong(MAX_URI_LENGTH));
  if (CONTROL.test(uri)) throw bad(uri, msg.uriWhy.control);
  const m = /^codex:\/\/([^/]*)\/([^/]*)(?:\/(.*))?$/.exec(uri);
  if (!m) throw bad(uri, msg.uriWhy.shape);
  const [, org, project, raw = ''] = m;
  let rest: string;
  try {
    rest = decodeURIComponent(raw);
  } catch {
    throw bad(uri, msg.uriWhy.percent);
  }
  if (!NAME.test(org)) throw bad(uri, msg.uriWhy.org);
  if (!NAME.test(project)) throw bad(uri, msg.uriWhy.project);
  if (org === '.' || org === '..' || project === '.' || project === '..') throw bad(uri, msg.uriWhy.dots);
  if (CONTROL.test(rest)) throw bad(uri, msg.uriWhy.control);
  const p = rest.replace(/\/+$/, '');
  if (p !== '' && p.split('/').some((s) => s === '' || s === '.' || s === '..')) throw bad(uri, msg.uriWhy.segments);
  return { org, project, path: p };
}

/** The URI of a codex path: segments percent-encoded where needed, so parseCodexUri gives the path back. */
export function formatCodexUri(org: string, project: string, path: string): string {
  return `codex://${org}/${project}/${path.split('/').map(encodeURIComponent).join('/')}`;
}
