import { readBackground, writeBackground } from '../sync/state.js';
import type { Project } from '../git/project.js';
import { msg } from '../core/messages.js';
import type { Logger } from '../core/edge.js';

/** Tells once about a background post-commit sync that failed or warned (design §6). */
export function reportBackground(project: Project, log: Logger): void {
  const last = readBackground(project);
  if (!last || last.reported) return;
  if (!last.ok) log.warn(msg.backgroundFailed(last.time, last.message.split('\n')[0], last.hint));
  if (last.warnings?.length) log.warn(msg.backgroundWarned(last.time, last.warnings));
  if (last.ok && !last.warnings?.length) return;
  writeBackground(project, { ...last, reported: true });
}
