import { escapeControl, readerMsg } from '../core/messages.js';
import { LIMITS } from './docs.js';
import type { Reader } from './reader.js';
import { lastReleases, utcTime } from './provenance.js';

export interface LastSync {
  commit: string;
  date: string;
  source_branch: string | null;
  source_commit: string | null;
  env: string | null;
}


/** codex_status: where the docs come from, how fresh they are, and each project's last release. */
export async function status(reader: Reader, org: string) {
  const s = await reader.tip();
  const age = reader.ageSeconds(s);
  const base = {
    codex_url: reader.shownUrl,
    organization: org,
    production_branch: reader.settings.branch,
    tip: s.tip,
    fetched_at: s.fetchedAt === null ? null : new Date(s.fetchedAt).toISOString(),
    age_seconds: age === null ? null : Math.round(age),
    age: age === null ? null : readerMsg.ago(age),
    reachable: s.error === null,
    last_error: s.error,
    refresh_seconds: reader.settings.refreshSeconds,
    projects: [] as Array<{ project: string; uri: string; last_sync: LastSync | null }>,
  };
  if (!s.tip) return base;
  const snapshot = reader.snapshot(s.tip);
  const names = (await snapshot.bases()).filter((b) => b.kind === 'project').map((b) => b.name);
  const released = await lastReleases((oid) => reader.object(oid), s.tip, names, LIMITS.historyCommits);
  // Trailers are codex text: shown with their control characters escaped (a terminal, an agent's log).
  const shown = (value: string | null) => (value === null ? null : escapeControl(value));
  const last = new Map<string, LastSync>();
  for (const [project, c] of released) {
    last.set(project, { commit: c.oid, date: utcTime(c), source_branch: shown(c.trailers.sourceBranch), source_commit: shown(c.trailers.sourceCommit), env: shown(c.trailers.env) });
  }
  base.projects = names.map((name) => ({ project: name, uri: `codex://${org}/${name}/`, last_sync: last.get(name) ?? null }));
  return base;
}
