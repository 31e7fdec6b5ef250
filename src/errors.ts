/** Typed errors; `src/cli.ts` maps them to exit codes in one place (SPEC §5). */

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

/** Confirmation was needed and not given (declined, or no terminal). Exit 3. */
export class NeedsConfirmation extends CodexError {}

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
  return 1; // anything else is a bug: the entry prints its stack too
}
