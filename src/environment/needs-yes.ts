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
  return writesProductionUnnamed(q) && unanswered(q);
}

/** The rule's first half, known once the environment is decided (resolve.ts keeps it as `needsConfirmation`). */
export const writesProductionUnnamed = (q: Pick<YesQuestion, 'explicit' | 'codexBranch' | 'prodBranch'>): boolean => !q.explicit && q.codexBranch === q.prodBranch;

/** The rule's second half: nothing answered it yet — no `--yes`, no dry run, and the sync writes (a pull needs no yes). */
export const unanswered = (q: Pick<YesQuestion, 'direction' | 'dryRun' | 'yes'>): boolean => !q.yes && !q.dryRun && q.direction !== 'from-codex';
