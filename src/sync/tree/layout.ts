/**
 * The codex's layout (design §4), in one place: where a project's docs live, and the trailers each sync
 * commit carries, which say (to any machine) what was synced from where.
 */
export const PROJECTS = 'projects';

/** `projects/<name>`: the only folder a project's sync changes. */
export const projectDir = (projectName: string) => `${PROJECTS}/${projectName}`;
export const projectSegments = (projectName: string) => [PROJECTS, projectName];

export const TRAILER = {
  project: 'Codex-Project',
  sourceCommit: 'Codex-Source-Commit',
  sourceBranch: 'Codex-Source-Branch',
  env: 'Codex-Env',
} as const;

/** A sync commit's trailer lines. */
export function trailerLines(t: { project: string; sourceCommit: string; sourceBranch: string; env: string }): string[] {
  return [`${TRAILER.project}: ${t.project}`, `${TRAILER.sourceCommit}: ${t.sourceCommit}`, `${TRAILER.sourceBranch}: ${t.sourceBranch}`, `${TRAILER.env}: ${t.env}`];
}
