import type { Config } from '../config/normalize.js';
import type { EnvDecision } from '../env/resolve.js';
import { listCommit, type Project } from '../git/project.js';
import { selectFiles, selectionKey } from '../sync/select.js';
import { readSynced, syncTarget } from '../sync/state.js';

/**
 * True when the last successful sync of this environment wrote exactly the files this commit would:
 * the hook then skips the codex (no network) — one `git ls-tree`, nothing more.
 */
export async function alreadySynced(project: Project, config: Config, decision: EnvDecision, commit: string): Promise<boolean> {
  if (!config.codexUrl || config.sync_direction === 'from-codex') return false;
  const record = readSynced(project)[decision.env];
  if (!record || record.target !== syncTarget(config.codexUrl, decision.codexBranch, config.projectName)) return false;
  const { files } = selectFiles(await listCommit(project, commit), config);
  return selectionKey(files) === record.selectionKey;
}
