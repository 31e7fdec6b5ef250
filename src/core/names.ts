/**
 * Names that must never be written: in the codex (git refuses them on checkout, so one such file makes the
 * whole codex unclonable) nor in a project's pull_dir (a planted `.git` would be run by the next git
 * command there). Mirrors git's verify_path with core.protectNTFS and core.protectHFS on, as on the
 * machines a codex is cloned to.
 */

// Code points HFS+ ignores when comparing names (git's is_hfs_dotgit): `.g\u200cit` is `.git` on a Mac.
const HFS_IGNORED = /[\u200c-\u200f\u202a-\u202e\u206a-\u206f\ufeff]/g;

/** One path component that git refuses on checkout: empty, `.`, `..`, or `.git` in any of its spellings. */
export function refusedComponent(segment: string): boolean {
  if (segment === '' || segment === '.' || segment === '..') return true;
  if (segment.includes('\0')) return true;
  // NTFS drops trailing dots and spaces and has 8.3 short names (`GIT~1`); HFS ignores some code points.
  const folded = segment.replace(HFS_IGNORED, '').replace(/[. ]+$/, '').toLowerCase();
  return folded === '.git' || folded === 'git~1' || folded.startsWith('.git:'); // `.git::$INDEX_ALLOCATION`
}

/** A relative path every component of which git accepts: nothing absolute, no `..`, no `.git`. */
export function safeRelativePath(p: string): boolean {
  if (p.startsWith('/')) return false;
  return p.split('/').every((segment) => !refusedComponent(segment));
}

/**
 * A branch name git accepts (`git check-ref-format --branch`, refs.c check_refname_component): no
 * component starting with `.` or ending in `.lock`, no empty component, no `..`, `@{`, control
 * characters, space, `~ ^ : ? * [ \`, no trailing `.` or `/`, and not `-…` (an option) or `HEAD`.
 * Environment branches come from a committed config: `*` would be a refspec pattern, `x@{1}` a reflog.
 */
export function validBranchName(name: string): boolean {
  if (name === '' || name === 'HEAD' || name === '@' || name.startsWith('-')) return false;
  // eslint-disable-next-line no-control-regex -- the characters git refuses in a ref
  if (/[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{/.test(name)) return false;
  if (name.endsWith('.')) return false;
  return name.split('/').every((c) => c !== '' && !c.startsWith('.') && !c.endsWith('.lock'));
}
