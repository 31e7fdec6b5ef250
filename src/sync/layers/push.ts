import { SyncError } from '../../core/errors.js';
import { Running } from '../../git/exec.js';
import type { TreeEntry } from '../../git/objects/parse.js';
import { branchTip, commitInfo, commitsBetween, hasCommit, isAncestor, isShallow, mergeBase, readRefFile, rememberedMergeBase } from '../../git/project.js';
import { validBranchName } from '../../core/names.js';
import { layerMsg } from '../../core/messages.js';
import { recordPushed, startPush, type CodexCache } from '../cache/cache.js';
import { listForSync } from '../to-codex/listing.js';
import type { SyncOptions, ToCodexResult } from '../options.js';
import { changes, holdDeletions, pushErrors, recordToCodex, type Prepared, type Selected } from '../to-codex/push.js';
import { pushRetrying } from '../to-codex/push-retry.js';
import { matchedNothing, selectFiles } from '../to-codex/select.js';
import { codexIds, codexProjectFiles, commitMessage, planToCodex, stageFolder, writeCommit, writer, type CodexFolder, type FilePlan } from '../to-codex/to-codex.js';
import { buildTree, type Write } from '../tree/codex-tree.js';
import type { ObjectStore } from '../../git/objects/store.js';
import { layerChanges } from './compute.js';
import { layerKey, nextLayers, stateChanged, type LayerEvent, type LayerWrite, type Next } from './next.js';
import type { Layer } from './state.js';
import { fetchFromOrigin, type OriginHeads } from './origin.js';
import { stateRef } from './state.js';
import { readStoredState, stateCommitIn, writeStoredState, type StoredState } from './store.js';
import { trace } from '../../core/trace.js';
import { timeoutSeconds } from '../../core/timeout.js';


/** The event a plain sync of `job.commit` from `job.sourceBranch` stands for. */
export function eventOf(job: Pick<SyncOptions, 'layerEvent' | 'sourceBranch' | 'commit' | 'config'>): LayerEvent {
  if (job.layerEvent) return job.layerEvent;
  if (job.config.prod_branches.includes(job.sourceBranch)) return { kind: 'base', branch: job.sourceBranch, commit: job.commit };
  return { kind: 'layer', branch: job.sourceBranch, commit: job.commit };
}


/** What a layered sync reads once, whatever tip it builds on: the event, origin's branches, the base candidate. */
export interface LayerPrep {
  job: SyncOptions;
  event: LayerEvent;
  heads: OriginHeads;
  candidate: string | null;
  prod: string;
  ref: string;
  selected: Selected | null;
  people: Prepared['people'];
  selectionOf: (commit: string) => Promise<TreeEntry[]>;
  toCodex: (files: TreeEntry[]) => Promise<TreeEntry[]>;
  mergeBaseOf: (a: string, b: string) => Promise<string | null>;
}

/**
 * Asked while the codex is fetched (engine.ts): the pushed branch's merge base with the production branch as
 * this clone knows it, and that commit's selection — what a layer write usually needs once the record is read.
 */
export interface LayerWarmup {
  mergeBase?: { a: string; b: string; mb: Promise<string | null> };
  selections: Map<string, Promise<TreeEntry[]>>;
}

export function warmLayers(job: SyncOptions, source: ObjectStore): LayerWarmup {
  const selections = new Map<string, Promise<TreeEntry[]>>();
  const event = eventOf(job);
  const prod = job.config.prod_branches[0] ?? 'main';
  const base = event.kind === 'layer' ? (readRefFile(job.project, `refs/remotes/origin/${prod}`) ?? readRefFile(job.project, `refs/heads/${prod}`)) : null;
  if (event.kind !== 'layer' || !base) return { selections };
  const mb = rememberedMergeBase(job.project, source, event.commit, base, { remember: !job.dryRun });
  mb.then(
    (c) => {
      if (!c || c === event.commit || selections.has(c)) return;
      const listed = listForSync(job.project, source, c, job.config).then((e) => selectFiles(e, job.config).files);
      listed.catch(() => {}); // asked again, and reported, when it is needed
      selections.set(c, listed);
    },
    () => {},
  );
  return { mergeBase: { a: event.commit, b: base, mb }, selections };
}

type PrepInput = Pick<Prepared, 'cache' | 'reader' | 'source' | 'selected' | 'staged' | 'people'> & { write?: Write };

export async function prepareLayers(job: SyncOptions, prepared: PrepInput, origin: Promise<OriginHeads>, warm?: LayerWarmup | null): Promise<LayerPrep> {
  const event = eventOf(job);
  const prod = job.config.prod_branches[0] ?? 'main';
  const selections = warm?.selections ?? new Map<string, Promise<TreeEntry[]>>();
  const mergeBaseOf = (a: string, b: string) => (warm?.mergeBase && warm.mergeBase.a === a && warm.mergeBase.b === b ? warm.mergeBase.mb : rememberedMergeBase(job.project, prepared.source, a, b, { remember: !job.dryRun }));
  const selectionOf = (commit: string): Promise<TreeEntry[]> => {
    if (!selections.has(commit)) selections.set(commit, commit === job.commit && prepared.selected ? Promise.resolve(prepared.selected.selection.files) : listForSync(job.project, prepared.source, commit, job.config).then((e) => selectFiles(e, job.config).files));
    return selections.get(commit)!;
  };
  // Blobs of other commits (a new base) are copied into the cache when first needed, as the selection's were.
  const ids = new Map(prepared.staged?.ids ?? []);
  const staged = new Set<string>(prepared.selected?.selection.files.map((f) => f.oid) ?? []);
  const toCodex = async (files: TreeEntry[]) => {
    const lacking = files.filter((f) => !staged.has(f.oid));
    if (lacking.length && !job.dryRun) {
      const st = await stageFolder(prepared.cache, (oids) => prepared.reader.sizes(oids).then((known) => new Set(known.keys())), prepared.source, lacking, prepared.write);
      for (const [a, b] of st.ids) ids.set(a, b);
    }
    for (const f of lacking) staged.add(f.oid);
    return codexIds(files, ids);
  };
  // The production branch's newest tip this clone can see: the event's, origin's (when this clone has the
  // commit), its remote-tracking ref, else (no origin at all) the local branch.
  const heads = await origin;
  const candidate = await (async () => {
    if (event.kind === 'base') return event.commit;
    const onOrigin = 'heads' in heads ? heads.heads.get(prod) : undefined;
    // origin moved on (a merge, a hotfix) and this clone has not fetched: its commits are brought in
    if (onOrigin && !(await hasCommit(job.project, onOrigin))) await fetchFromOrigin(job.project, [prod], timeoutSeconds(job.project.env) * 1000, job.signal);
    if (onOrigin && (await hasCommit(job.project, onOrigin))) return onOrigin;
    // read from the ref files (no process), else asked of git (a symbolic or odd ref)
    const tracking = await branchTip(job.project, `refs/remotes/origin/${prod}`);
    if (tracking || !('unknown' in heads && heads.unknown === 'no remote named origin')) return tracking;
    return branchTip(job.project, `refs/heads/${prod}`);
  })();
  return { job: job, event, heads, candidate, prod, ref: stateRef(job.config.projectName, job.decision.codexBranch), selected: prepared.selected, people: prepared.people, selectionOf, toCodex, mergeBaseOf };
}

/** One build of a layered folder on a codex tip: the plan, the folder's tree and message, the new state commit. */
export interface LayerStep {
  plan: FilePlan;
  /** The computed folder's tree (written), when the plan changes anything. */
  tree: string | null;
  message: string;
  /** The new state commit, or null when the record is unchanged. */
  state: string | null;
  result: (codexCommit: string | null, attempts: number) => ToCodexResult;
}

export async function layerStep(p: LayerPrep, cache: CodexCache, folder: CodexFolder, stored: StoredState, write?: Write): Promise<LayerStep> {
  const { job: job, event } = p;
  const plan = await planLayers(job, event, stored, p.candidate, p.heads, p.prod, p.selectionOf, p.toCodex, p.people, p.mergeBaseOf);
  const composed = [...plan.next.composed.files.values()];
  const filePlan = planToCodex(composed, folder.files);
  // The guard counts what this event deletes (the branch's own deletions, docs gone from the base),
  // never a dropped layer's docs leaving with it.
  const guarded = new Set(plan.deletes);
  holdDeletions({ ...filePlan, removed: filePlan.removed.filter((f) => guarded.has(f)) }, job);
  // A first record is written by a write of docs; dropping a branch that has no layer records nothing.
  const writeState = (!stored.commit && event.kind !== 'drop') || !!stored.unreadable || stateChanged(stored.state, plan.next.state);
  const n = changes(filePlan);
  const doWrite = !job.dryRun && (n > 0 || writeState);
  const people = doWrite ? (await p.people)! : null;
  const w = write ?? writer(cache);
  return {
    plan: filePlan,
    tree: doWrite && n > 0 ? buildTree(composed, w) : null,
    message: commitMessage({ projectName: job.config.projectName, count: n, branch: plan.source.branch, commit: plan.source.commit, env: job.decision.env }),
    state: doWrite ? writeStoredState(cache, stored, plan.next.state, plan.next.base, plan.next.files, people!.committer, write) : null,
    result: (codexCommit, attempts) => ({
      added: filePlan.added,
      changed: filePlan.changed,
      removed: filePlan.removed,
      skipped: p.selected?.selection.skipped ?? [],
      codexCommit,
      attempts,
      mode: 'layer',
      matchedNothing: p.selected ? matchedNothing(p.selected.selection) : false,
      layers: {
        event: event.kind,
        base: plan.next.state.base,
        live: plan.next.state.layers.map((l) => {
          const docs = [...(plan.next.files.get(l.key) ?? []).map((f) => f.path), ...l.removed];
          return { branch: l.branch, tip: l.tip, author: l.author, time: l.time, files: docs.length, docs: docs.slice(0, 100) };
        }),
        dropped: plan.next.dropped,
        overlaps: plan.next.composed.overlaps,
        origin: 'unknown' in p.heads ? p.heads.unknown : null,
      },
    }),
  };
}

/**
 * The to-codex half of a layered sync: reads the project's layer state from the codex, applies the event,
 * settles the layers (merged, absorbed, gone from origin), computes the folder and pushes the folder and the
 * state in one atomic push, without force; when either moved meanwhile, all of it is computed again on the
 * new tips.
 */
export function pushLayered(job: SyncOptions, prepared: Prepared, origin: Promise<OriginHeads>, warm?: LayerWarmup | null): Running<ToCodexResult> {
  return new Running((loop) => layeredUntilLanded(job, prepared, origin, loop, warm));
}

async function layeredUntilLanded(job: SyncOptions, prepared: Prepared, origin: Promise<OriginHeads>, loop: Running<ToCodexResult>, warm?: LayerWarmup | null): Promise<ToCodexResult> {
  const { cache, reader } = prepared;
  const { codexBranch } = job.decision;
  const name = job.config.projectName;
  const read = (tip: string) => {
    const both = Promise.all([codexProjectFiles(reader, tip, name), stateCommitIn(cache, name, codexBranch).then((c) => readStoredState(reader, c))]);
    both.catch(() => {}); // awaited by the build
    return both;
  };
  // The first build's reads (the folder on the fetched tip, the layer record) run while the layers are
  // prepared (origin's answer, the base); a build on a newer tip reads both again.
  let first: ReturnType<typeof read> | null = read(prepared.tip);
  const prep = await prepareLayers(job, prepared, origin, warm);
  let step!: LayerStep;
  const { landed, attempts } = await pushRetrying({
    tip: prepared.tip,
    build: async (tip) => {
      const [folder, stored] = await (first ?? read(tip));
      first = null;
      step = await layerStep(prep, cache, folder, stored);
      if (job.dryRun || !step.state) return null;
      const people = (await prepared.people)!;
      const folderCommit = changes(step.plan) > 0 ? writeCommit(cache, { tip, projectName: name, folder, tree: step.tree, message: step.message, people }) : null;
      trace(job.project.env, 'layer commit written');
      return { folderCommit, also: [{ commit: step.state, ref: prep.ref }] };
    },
    push: ({ folderCommit, also }) => {
      const push = startPush(cache, folderCommit, codexBranch, also);
      loop.follow(push);
      return push.done;
    },
    fetchTip: prepared.fetchTip,
    ...pushErrors(job, prepared.url),
  });
  if (landed) await recordPushed(cache, landed.folderCommit ? codexBranch : null, landed.folderCommit, landed.also);
  if (!job.dryRun && prepared.selected) recordToCodex(job, prepared.url, prepared.selected, landed?.folderCommit ?? null);
  return step.result(landed?.folderCommit ?? null, attempts);
}

interface LayerPlan {
  next: Next;
  /** Paths this event deletes on its own account (what the deletion guard weighs). */
  deletes: string[];
  /** The commit the folder commit names (message and trailers). */
  source: { branch: string; commit: string };
}

/** At most this many branches of origin become layers when a codex branch is first layered. */
export const MAX_SEEDED = 50;

/** A branch of origin as a layer would hold it: when, by whom, its merge base with `base` and its changes; null when this clone cannot tell. */
async function layerAt(job: SyncOptions, tip: string, base: string, selectionOf: (commit: string) => Promise<TreeEntry[]>) {
  const info = await commitInfo(job.project, tip);
  const mb = info && (await mergeBase(job.project, tip, base));
  if (!info || !mb) return null;
  return { info, mergeBase: mb, changes: layerChanges(await selectionOf(mb), await selectionOf(tip)) };
}

type Seeding = { job: SyncOptions; heads: Map<string, string>; base: string; pushed: string | null; selectionOf: (commit: string) => Promise<TreeEntry[]>; toCodex: (files: TreeEntry[]) => Promise<TreeEntry[]> };

async function seedFromOrigin(stored: StoredState, { job: job, heads, base, pushed, selectionOf, toCodex }: Seeding): Promise<StoredState> {
  const found: Array<{ layer: Layer; files: TreeEntry[] }> = [];
  for (const [branch, tip] of heads) {
    if (branch === pushed || job.config.prod_branches.includes(branch) || !validBranchName(branch)) continue;
    if ((await isAncestor(job.project, tip, base)) !== false) continue; // merged, or not in this clone
    const at = await layerAt(job, tip, base, selectionOf);
    if (!at || at.changes.files.length + at.changes.removed.length === 0) continue;
    found.push({ layer: { branch, key: layerKey(branch), tip, mergeBase: at.mergeBase, first: at.info.time, time: at.info.time, author: at.info.author, removed: at.changes.removed, seen: true }, files: at.changes.files });
  }
  found.sort((a, b) => (a.layer.first < b.layer.first ? -1 : a.layer.first > b.layer.first ? 1 : 0));
  const kept = found.slice(-MAX_SEEDED);
  const files = new Map(stored.files);
  for (const f of kept) files.set(f.layer.key, await toCodex(f.files));
  return { ...stored, state: { ...stored.state, layers: [...stored.state.layers, ...kept.map((f) => f.layer)] }, files };
}

async function refreshFromOrigin(stored: StoredState, { job: job, heads, base, pushed, selectionOf, toCodex }: Seeding): Promise<StoredState> {
  const moved = stored.state.layers.filter((l) => l.branch !== pushed && heads.has(l.branch) && heads.get(l.branch) !== l.tip);
  if (moved.length === 0) return stored;
  const lacking = [];
  for (const l of moved) if (!(await hasCommit(job.project, heads.get(l.branch)!))) lacking.push(l.branch);
  if (lacking.length) await fetchFromOrigin(job.project, lacking, timeoutSeconds(job.project.env) * 1000, job.signal);
  const files = new Map(stored.files);
  const layers = [];
  for (const l of stored.state.layers) {
    const tip = heads.get(l.branch)!;
    const at = moved.includes(l) ? await layerAt(job, tip, base, selectionOf) : null;
    if (!at) {
      layers.push(l);
      continue;
    }
    files.set(l.key, await toCodex(at.changes.files));
    layers.push({ ...l, tip, mergeBase: at.mergeBase, time: at.info.time, author: at.info.author, removed: at.changes.removed });
  }
  return { ...stored, state: { ...stored.state, layers }, files };
}

async function planLayers(
  job: SyncOptions,
  event: LayerEvent,
  stored: StoredState,
  candidate: string | null,
  heads: OriginHeads,
  prod: string,
  selectionOf: (commit: string) => Promise<TreeEntry[]>,
  toCodex: (files: TreeEntry[]) => Promise<TreeEntry[]>,
  people: Prepared['people'],
  mergeBaseOf: (a: string, b: string) => Promise<string | null>,
): Promise<LayerPlan> {
  const recorded = stored.unreadable ? null : (stored.state.base?.commit ?? null);
  // The newest known base: the event's (a push or release of the production branch), else the newer of
  // the codex's record and what this clone knows of origin.
  let baseCommit = recorded;
  if (candidate && candidate !== recorded) {
    if (event.kind === 'base' || !recorded) baseCommit = candidate;
    else {
      const forward = await isAncestor(job.project, recorded, candidate);
      // null: this clone lacks the recorded base (it is behind): the record stands.
      if (forward === true || (forward === false && (await isAncestor(job.project, candidate, recorded)) === false)) baseCommit = candidate;
    }
  }
  const baseMoved = baseCommit !== recorded;
  const base = baseCommit
    ? {
        branch: event.kind === 'base' ? event.branch : prod,
        commit: baseCommit,
        time: baseMoved || !stored.state.base ? new Date().toISOString() : stored.state.base.time,
        files: baseMoved ? await toCodex(await selectionOf(baseCommit)) : stored.base,
      }
    : null;
  const deletes: string[] = [];
  if (baseMoved && recorded) {
    const now = new Set(base!.files.map((f) => f.path));
    for (const f of stored.base) if (!now.has(f.path)) deletes.push(f.path);
  }

  // A live branch that moved on origin without this clone's hooks (pushed from elsewhere, edited on the
  // server): its layer is computed again from origin's tip.
  const seeding = 'heads' in heads && baseCommit ? { job, heads: heads.heads, base: baseCommit, pushed: event.kind === 'layer' ? event.branch : null, selectionOf, toCodex } : null;
  if (seeding) stored = await refreshFromOrigin(stored, seeding);

  // Layers the base now contains: merged.
  const merged = new Set<string>();
  if (baseMoved && baseCommit) {
    const brought = recorded ? await commitsBetween(job.project, recorded, baseCommit) : null;
    for (const l of stored.state.layers) {
      // the pushed branch is judged by its new tip (below): merged once, it may carry new changes since
      if (event.kind === 'layer' && l.branch === event.branch) continue;
      if (brought ? brought.has(l.tip) : await isAncestor(job.project, l.tip, baseCommit)) merged.add(l.branch);
    }
  }

  // A codex branch from before layers (no record yet): the branches in flight on origin that this clone has
  // become layers first, so migrating loses no live branch's docs (design §4).
  if (!stored.commit && !stored.unreadable && event.kind !== 'drop' && seeding) stored = await seedFromOrigin(stored, seeding);

  let write: LayerWrite | undefined;
  // a landed push (or a kept request of one) whose branch origin no longer has: deleted since, so no layer
  const deletedSince = event.kind === 'layer' && job.onOrigin && 'heads' in heads && !heads.heads.has(event.branch);
  if (event.kind === 'layer' && !deletedSince) {
    // one question to git: the merge base with the base; the branch's own tip means it is merged
    const withBase = baseCommit ? await mergeBaseOf(event.commit, baseCommit) : null;
    if (withBase === event.commit) merged.add(event.branch);
    else {
      let mb = withBase;
      if (!mb && candidate && candidate !== baseCommit) mb = await mergeBaseOf(event.commit, candidate);
      if (!mb && (await isShallow(job.project))) throw new SyncError('git', layerMsg.shallowClone(event.branch, prod), layerMsg.shallowCloneHint);
      const before = mb ? await selectionOf(mb) : null;
      const changes = layerChanges(before, await selectionOf(event.commit));
      // What this push takes away: the branch's deletions, and the docs its last push wrote that it no longer has.
      deletes.push(...changes.removed);
      const previous = stored.state.layers.find((l) => l.branch === event.branch);
      const now = new Set(changes.files.map((f) => f.path));
      if (previous) for (const f of stored.files.get(previous.key) ?? []) if (!now.has(f.path)) deletes.push(f.path);
      write = { branch: event.branch, tip: event.commit, mergeBase: mb, changes: { files: await toCodex(changes.files), removed: changes.removed }, author: (await people)?.author.name ?? 'unknown' };
    }
  }
  const branches = [...stored.state.layers.map((l) => l.branch), ...(event.kind === 'layer' ? [event.branch] : [])];
  const gone = 'heads' in heads ? new Set(branches.filter((b) => !heads.heads.has(b))) : null;
  const drop = event.kind === 'drop' ? { branches: event.branches, why: event.why } : deletedSince ? { branches: [event.branch], why: 'gone from origin' as const } : undefined;
  const next = nextLayers({ stored, base, write, drop, gone, merged, now: new Date().toISOString() });
  const source = event.kind === 'layer' ? { branch: event.branch, commit: event.commit } : { branch: base?.branch ?? prod, commit: base?.commit ?? job.commit };
  return { next, deletes, source };
}

