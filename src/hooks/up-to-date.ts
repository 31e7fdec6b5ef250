import type { Config } from '../config/normalize.js';
import type { EnvDecision } from '../env/resolve.js';
import { commitTree, readLooseObject, treeEntries } from '../git/loose.js';
import { listCommit, type Project } from '../git/project.js';
import { probeKey, probeNames, selectionConfigKey } from '../sync/probe.js';
import { selectFiles, selectionKey } from '../sync/select.js';
import { readSynced, syncTarget } from '../sync/state.js';

/**
 * True when the last successful sync of this environment wrote exactly the files this commit would: the
 * hook then skips the codex (no network). Cheapest first: the same commit; then the root tree's entries
 * for the synced folders, read from loose objects without a git process; then the full selection.
 */
export async function alreadySynced(project: Project, config: Config, decision: EnvDecision, commit: string): Promise<boolean> {
  if (!config.codexUrl || config.sync_direction === 'from-codex') return false;
  const record = readSynced(project)[decision.env];
  if (!record || record.target !== syncTarget(config.codexUrl, decision.codexBranch, config.projectName)) return false;
  if (record.configKey !== selectionConfigKey(config)) return false;
  if (record.commit === commit) return true;
  const names = probeNames(config.sync_patterns);
  if (names && record.probe) {
    const c = readLooseObject(project.commonDir, commit);
    const tree = c?.type === 'commit' ? readLooseObject(project.commonDir, commitTree(c.body) ?? '') : null;
    if (tree?.type === 'tree' && probeKey(names, treeEntries(tree.body)) === record.probe) return true;
  }
  const { files } = selectFiles(await listCommit(project, commit), config);
  return selectionKey(files) === record.selectionKey;
}
