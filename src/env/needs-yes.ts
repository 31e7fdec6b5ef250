/** What decides whether a person must say yes before a sync (design §3, §6). */
export interface YesQuestion {
  /**
   * The environment was named (`--env`, `CODEX_ENV`), or the request was kept from a sync that was
   * named or already confirmed: nobody is asked twice.
   */
  explicit: boolean;
  /** The codex branch the environment writes, and the production environment's. */
  codexBranch: string;
  prodBranch: string;
  /** sync_direction (or --direction); unset when not yet known (the environment decision): counts as a write. */
  direction?: string;
  /** A dry run writes nothing. */
  dryRun?: boolean;
  /** `--yes` was given. */
  yes?: boolean;
}

/**
 * The one "needs a yes" rule: a sync writes the production codex branch for an environment nobody named
 * (assumed from the branch), and nothing has said yes yet. A pull from production, a dry run, `--yes`
 * and a named environment need none. Pure.
 */
export function needsYes(q: YesQuestion): boolean {
  if (q.explicit || q.yes || q.dryRun) return false;
  if (q.direction === 'from-codex') return false;
  return q.codexBranch === q.prodBranch;
}
