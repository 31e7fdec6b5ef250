import { readBackground, writeBackground } from '../sync/state.js';
import type { Project } from '../git/project.js';
import type { Logger } from '../ui/logger.js';

/** Tells once about a background post-commit sync that failed (SPEC §6). */
export function reportBackground(project: Project, log: Logger): void {
  const last = readBackground(project);
  if (!last || last.ok || last.reported) return;
  log.warn(`codex-hooks: the background docs sync after a commit failed (${last.time}): ${last.message.split('\n')[0]}\n  It is kept and retried by this push or \`codex-hooks sync --retry\`.`);
  writeBackground(project, { ...last, reported: true });
}
