import { runGit } from './exec.js';
import type { Env } from '../core/edge.js';

/**
 * Never prompt over ssh (design §4): OpenSSH's `BatchMode=yes`, PuTTY's `-batch`, added to whatever ssh
 * command git would run, so GIT_SSH_COMMAND, core.sshCommand, GIT_SSH and ~/.ssh/config keep working.
 * git picks the command and its "variant" (which options it may pass) as connect.c does:
 * GIT_SSH_COMMAND, else core.sshCommand (both shell command lines), else the program GIT_SSH, else `ssh`;
 * the variant from GIT_SSH_VARIANT or ssh.variant, else the command's first word.
 */

/** The first word of a shell command line as git's split_cmdline reads it, and where it ends. */
function firstWord(command: string): { word: string; end: number } {
  let i = command.length - command.trimStart().length;
  let word = '';
  let quote = '';
  for (; i < command.length; i++) {
    const c = command[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < command.length) word += command[++i];
      else word += c;
    } else if (c === '"' || c === "'") quote = c;
    else if (/\s/.test(c)) break;
    else if (c === '\\' && i + 1 < command.length) word += command[++i];
    else word += c;
  }
  return { word, end: i };
}

type Variant = 'ssh' | 'plink' | 'putty' | 'tortoiseplink' | 'simple' | 'auto';

function variantOf(program: string, override: string | undefined): Variant {
  if (override) return (['auto', 'plink', 'putty', 'tortoiseplink', 'simple'].includes(override) ? override : 'ssh') as Variant;
  const base = program.split(/[\\/]/).pop()!.toLowerCase().replace(/\.exe$/, '');
  if (base === 'ssh') return 'ssh';
  if (base === 'plink') return 'plink';
  if (base === 'tortoiseplink') return 'tortoiseplink';
  return 'auto'; // unknown: git probes it with -G; we leave it as the user wrote it
}

const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The GIT_SSH_COMMAND that runs the user's ssh command with prompts off, or null when its kind is
 * unknown (a wrapper script: changed, it might break). `cmdline` is false for GIT_SSH (a program path).
 */
export function batchSshCommand(command: string, cmdline: boolean, override?: string): string | null {
  const { word, end } = cmdline ? firstWord(command) : { word: command, end: -1 };
  const variant = variantOf(word, override);
  const option = variant === 'ssh' ? '-o BatchMode=yes' : variant === 'plink' || variant === 'putty' ? '-batch' : null;
  if (!option) return null;
  // Right after the program: ssh keeps the first value it is given for an option.
  return cmdline ? `${command.slice(0, end)} ${option}${command.slice(end)}` : `${sq(command)} ${option}`;
}

/** The environment that makes git's ssh never prompt, for git commands run in `cwd` (config read there). */
export async function batchSshEnv(cwd: string, env: Env, signal?: AbortSignal): Promise<Env> {
  let command = env.GIT_SSH_COMMAND || undefined;
  let variant = env.GIT_SSH_VARIANT || undefined;
  if (!command || !variant) {
    const { stdout } = await runGit(['config', '--get-regexp', '^(core\\.sshcommand|ssh\\.variant)$'], { cwd, env, okCodes: [1], signal });
    for (const line of stdout.toString().split('\n')) {
      const space = line.indexOf(' ');
      const [key, value] = [line.slice(0, space).toLowerCase(), line.slice(space + 1)];
      if (key === 'core.sshcommand' && value) command ??= value;
      if (key === 'ssh.variant' && value) variant ??= value;
    }
  }
  const batch = command ? batchSshCommand(command, true, variant) : env.GIT_SSH ? batchSshCommand(env.GIT_SSH, false, variant) : batchSshCommand('ssh', true, variant);
  return batch ? { GIT_SSH_COMMAND: batch } : {};
}
