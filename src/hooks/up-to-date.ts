import type { Config } from '../config/normalize.js';
import type { EnvironmentDecision } from '../environment/resolve.js';
import { readLooseObject } from '../git/objects/loose.js';
import { commitTree, treeEntries } from '../git/objects/objects.js';
import { projectObjects, readRefFile, type Project } from '../git/project.js';
import { listForSync } from '../sync/to-codex/listing.js';
import type { TreeEntry } from '../git/objects/parse.js';
import { probeKey, probeNames, selectionConfigKey } from '../sync/to-codex/probe.js';
import { selectFiles, selectionKey } from '../sync/to-codex/select.js';
import { readSynced, syncTarget } from '../sync/state.js';

/**
 * `upToDate` when the last successful sync of this environment wrote exactly the files this commit
 * would: the hook then skips the codex (no network). Cheapest first: the same commit; then the root
 * tree's entries for the synced folders, read from loose objects without a git process; then the full
 * listing, which is handed back (`entries`) so the sync that follows does not list the commit again.
 */
export async function alreadySynced(project: Project, config: Config, decision: EnvironmentDecision, commit: string, branch: string): Promise<{ upToDate: boolean; entries?: TreeEntry[]; matchedNothing?: boolean }> {
  const no = { upToDate: false };
  if (!config.codexUrl || config.sync_direction === 'from-codex') return no;
  const record = readSynced(project)[decision.env];
  if (!record || record.target !== syncTarget(config.codexUrl, decision.codexBranch, config.projectName)) return no;
  if (record.configKey !== selectionConfigKey(config)) return no;
  // A layered folder holds what several branches wrote: the same selection from another branch may
  // still change it.
  if (decision.mode === 'layer' && record.branch !== branch) return no;
  // ... and a production branch that moved on origin (a merge, a hotfix) moves the folder's base.
  if (decision.mode === 'layer' && (record.baseTip ?? null) !== readRefFile(project, `refs/remotes/origin/${config.prod_branches[0] ?? 'main'}`)) return no;
  const yes = { upToDate: true, matchedNothing: !!record.matchedNothing };
  if (record.commit === commit) return yes;
  const names = probeNames(config.sync_patterns);
  if (names && record.probe) {
    const objects = `${project.commonDir}/objects`;
    const c = readLooseObject(objects, commit);
    const tree = c?.type === 'commit' ? readLooseObject(objects, commitTree(c.body) ?? '') : null;
    if (tree?.type === 'tree' && probeKey(names, treeEntries(tree.body)) === record.probe) return yes;
  }
  const objects = projectObjects(project);
  let entries: TreeEntry[];
  try {
    entries = await listForSync(project, objects, commit, config);
  } finally {
    objects.close();
  }
  const upToDate = selectionKey(selectFiles(entries, config).files) === record.selectionKey;
  return { ...(upToDate ? yes : no), entries };
}
