/** Typed errors; `src/cli.ts` maps them to exit codes in one place (design §5). */

export class CodexError extends Error {
  /** A command or config key that fixes the problem, printed under the message. */
  hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
}

/** Bad input: usage, configuration, environment name. Exit 2, raised before any git work. */
export class UsageError extends CodexError {}

/** What is wrong with a configuration file: its keys (it parsed), its syntax, or it is code that was not run. */
export type ConfigProblem = 'keys' | 'syntax' | 'code';

/** The configuration file is invalid or does not parse (a UsageError: exit 2). */
export class ConfigError extends UsageError {
  /** The file at fault, when one is known: `init` fills in a file whose keys are wrong instead of replacing it. */
  file?: string;
  problem?: ConfigProblem;
  constructor(message: string, hint?: string, at: { file?: string; problem?: ConfigProblem } = {}) {
    super(message, hint);
    this.file = at.file;
    this.problem = at.problem;
  }
}

/** Confirmation was needed and not given (declined, or no terminal). Exit 3. */
export class NeedsConfirmation extends CodexError {}

/** The person pressed Ctrl-C at a question: stop here, like Ctrl-C anywhere else. Exit 130 (128 + SIGINT). */
export class Interrupted extends CodexError {
  constructor(message = 'Stopped (Ctrl-C at the question)', hint?: string) {
    super(message, hint);
  }
}

export type SyncFailure = 'branch-missing' | 'unreachable' | 'auth' | 'rejected' | 'refused' | 'git' | 'deletions' | 'locked' | 'timeout';

/** The sync or a git operation failed. Exit 1. */
export class SyncError extends CodexError {
  kind: SyncFailure;
  constructor(kind: SyncFailure, message: string, hint?: string) {
    super(message, hint);
    this.kind = kind;
  }
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return 2;
  if (error instanceof NeedsConfirmation) return 3;
  if (error instanceof SyncError) return 1;
  if (error instanceof Interrupted) return 130;
  return 1; // anything else is a bug: the entry prints its stack too
}
