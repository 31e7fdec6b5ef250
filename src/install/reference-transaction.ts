import fs from 'node:fs';
import path from 'node:path';
import { runGit } from '../git/exec.js';
import type { Project } from '../git/project.js';
import { packageRoot } from '../core/paths.js';
import { HOOK_ENTRY, WITHOUT_CA_CERTS_READ } from '../core/settings.js';

const MARK = '# codex-hooks: reference-transaction';

/**
 * The `reference-transaction` hook, in the folder git runs hooks from (husky's `.husky/_`, which husky does
 * not fill for this hook): written by `install` and again by any pre-push that finds it missing or old (a
 * teammate's clone, after `npm install`), before the push it is needed for. It starts node only in the
 * `committed` state while a landing is kept, so other ref updates (commits, checkouts) cost a shell test.
 */
export function referenceTransactionScript(nodePath: string, bin: string, hookEntry = false): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  return [
    '#!/usr/bin/env sh',
    `${MARK} (written by codex-hooks; writes the codex once a push has landed)`,
    'if [ -d .git ]; then codex_hooks_dir=.git; else codex_hooks_dir=$(git rev-parse --git-common-dir 2>/dev/null) || exit 0; fi',
    'codex_hooks_chain=$codex_hooks_dir/hooks/reference-transaction',
    `{ [ -x "$codex_hooks_chain" ] && ! grep -q ${q(MARK)} "$codex_hooks_chain"; } || codex_hooks_chain=`,
    'codex_hooks_run=',
    `if [ "$1" = committed ] && [ "\${CODEX_HOOKS:-}" != 0 ] && [ "\${HUSKY:-}" != 0 ] && [ -f "$codex_hooks_dir/codex-hooks/landing.json" ] && [ -x ${q(nodePath)} ] && [ -f ${q(bin)} ]; then codex_hooks_run=1; fi`,
    '[ -n "$codex_hooks_run$codex_hooks_chain" ] || exit 0',
    'codex_hooks_in=$(cat)',
    `[ -z "$codex_hooks_run" ] || printf '%s\\n' "$codex_hooks_in" | ${hookEntry ? `${WITHOUT_CA_CERTS_READ} ` : ''}${q(nodePath)} ${q(bin)} hook reference-transaction "$@" || true`,
    '[ -z "$codex_hooks_chain" ] || printf \'%s\\n\' "$codex_hooks_in" | "$codex_hooks_chain" "$@"',
    '',
  ].join('\n');
}

/** Puts the hook in place when it is missing or differs; a hook of someone else's there is left alone ('foreign'). */
export async function ensureReferenceTransaction(p: Project): Promise<'written' | 'same' | 'foreign'> {
  const { stdout } = await runGit(['rev-parse', '--git-path', 'hooks/reference-transaction'], { cwd: p.root, env: p.env });
  const file = path.resolve(p.root, stdout.toString().trim());
  // the hooks' entry, which gives NODE_EXTRA_CA_CERTS back (core/settings.ts), else the bin as it is
  const entry = path.join(packageRoot(), 'bin', HOOK_ENTRY);
  const hookEntry = fs.existsSync(entry);
  const want = referenceTransactionScript(process.execPath, hookEntry ? entry : path.join(packageRoot(), 'bin', 'codex-hooks.cjs'), hookEntry);
  let have: string | null = null;
  try {
    have = fs.readFileSync(file, 'utf8');
  } catch {
    // missing
  }
  if (have === want) return 'same';
  if (have !== null && !have.includes(MARK)) return 'foreign';
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, want, { mode: 0o755 });
  return 'written';
}

/** Removes the hook if it is ours (uninstall). */
export async function removeReferenceTransaction(p: Project): Promise<boolean> {
  const { stdout } = await runGit(['rev-parse', '--git-path', 'hooks/reference-transaction'], { cwd: p.root, env: p.env });
  const file = path.resolve(p.root, stdout.toString().trim());
  try {
    if (!fs.readFileSync(file, 'utf8').includes(MARK)) return false;
  } catch {
    return false;
  }
  fs.rmSync(file, { force: true });
  return true;
}
