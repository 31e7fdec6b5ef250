import { resolveEnvironment, DetachedHead, type EnvironmentDecision } from '../environment/resolve.js';
import { checkedOutBranch, headCommit } from '../sync/source.js';
import { hooksHealth } from '../install/health.js';
import { cachePathFor } from '../sync/cache/cache.js';
import { readBackground, readPending, readSynced, type BackgroundOutcome, type PendingRequest } from '../sync/state.js';
import { hasCredentials } from '../core/url.js';
import { tokenInFile } from '../config/token.js';
import { escapeControl, msg } from '../core/messages.js';
import { redactUrl } from '../core/url.js';
import { explicitEnv, projectAndConfig } from './common.js';
import { lastSyncs, type LastSyncOrUnknown } from '../reader/provenance.js';
import { overview, type Overview } from '../sync/layers-overview.js';
import type { CommandResult, Context, Values } from '../core/edge.js';

const undelivered = (b: BackgroundOutcome | null) => (b && !b.reported ? b : null);

export async function run(ctx: Context, values: Values): Promise<CommandResult> {
  const explicit = explicitEnv(ctx, values);
  const { project, config } = await projectAndConfig(ctx);
  const branch = await checkedOutBranch(project);
  let decision: EnvironmentDecision | null = null;
  let decisionNote: string | null = null;
  try {
    decision = resolveEnvironment({ explicit, branch, config });
  } catch (error) {
    if (!(error instanceof DetachedHead)) throw error;
    decisionNote = msg.statusDetached;
  }
  type Counts = { added: string[]; changed: string[]; removed: string[] };
  let wouldChange: { toCodex?: Counts; fromCodex?: Counts } | null = null;
  let wouldChangeError: string | null = null;
  if (!values.offline && decision && config.filepath && config.codexUrl) {
    try {
      const { runSync } = await import('../sync/engine.js');
      const commit = await headCommit(project);
      const r = await runSync({ project, config, decision, commit, sourceBranch: branch ?? 'HEAD', direction: config.sync_direction, dryRun: true, logger: ctx.logger });
      wouldChange = { toCodex: r.toCodex && { added: r.toCodex.added, changed: r.toCodex.changed, removed: r.toCodex.removed }, fromCodex: r.fromCodex };
    } catch (error) {
      wouldChangeError = (error as Error).message;
    }
  }
  // What the environments are now, from the codex itself (fetched): never "never" for "unknown".
  let environments: Overview | null = null;
  let environmentsError: string | null = null;
  if (!values.offline && config.filepath && config.codexUrl && config.sync_direction !== 'from-codex') {
    try {
      environments = await overview(project, config, ctx.logger);
    } catch (error) {
      environmentsError = (error as Error).message.split('\n')[0];
    }
  }
  const hooks = await hooksHealth(project, ctx.env, ctx.settings.bin);
  const data = {
    configFile: config.filepath,
    // every file read, the one that wins first (fractary's .fractary/config.yaml fills in: design §2)
    configFiles: config.sources ?? (config.filepath ? [config.filepath] : []),
    project: config.projectName,
    codexUrl: config.codexUrl ? redactUrl(config.codexUrl) : null,
    warnings: [
      ...(config.codex_url && hasCredentials(config.codex_url) ? [msg.secretInUrl(config.codex_url, config.filepath)] : []),
      ...(tokenInFile(config) ? [msg.tokenInFile(config.sources?.at(-1) ?? config.filepath ?? '')] : []),
    ],
    branch,
    environment: decision && { name: decision.env, codexBranch: decision.codexBranch, explicit: decision.explicit, source: decision.source, needsConfirmation: decision.needsConfirmation, warning: decision.warning ?? null, mode: decision.mode },
    environmentNote: decisionNote,
    direction: config.sync_direction,
    hooksInstalled: hooks.ok,
    hooks,
    // read from the codex trailers in the local cache (fetched just before, unless --offline)
    lastSync: config.codexUrl ? await lastSyncs(cachePathFor(config.codexUrl, ctx.env), ctx.env, config.projectName, config.environments) : {},
    recorded: readSynced(project),
    pending: readPending(project),
    // a background run's outcome until a hook run has delivered it (design §6: shown once)
    background: undelivered(readBackground(project)),
    wouldChange,
    wouldChangeError,
    environments,
    environmentsError,
  };
  return { data, render: (log) => renderStatus(data, log) };
}

type StatusData = {
  configFile: string | null;
  configFiles: string[];
  project: string;
  codexUrl: string | null;
  warnings: string[];
  branch: string | null;
  environment: { name: string; codexBranch: string; explicit: boolean; source: string; needsConfirmation: boolean; warning: string | null; mode: string } | null;
  environmentNote: string | null;
  direction: string;
  hooks: Awaited<ReturnType<typeof hooksHealth>>;
  lastSync: Record<string, LastSyncOrUnknown>;
  environments: Overview | null;
  environmentsError: string | null;
  pending: PendingRequest[];
  background: BackgroundOutcome | null;
  wouldChange: { toCodex?: { added: string[]; changed: string[]; removed: string[] }; fromCodex?: { added: string[]; changed: string[]; removed: string[] } } | null;
  wouldChangeError: string | null;
};

function renderStatus(d: StatusData, log: Context['logger']): void {
  const row = (k: string, v: string) => log.info(msg.statusRow(k, v));
  // Problems are warnings: --quiet hides the rows, never a problem (design §5).
  const problem = (k: string, v: string) => log.warn(msg.statusRow(k, v));
  if (d.configFile) row('config', msg.configSources(d.configFiles));
  else problem('config', msg.statusNoConfig);
  row('project', d.project);
  if (d.codexUrl) row('codex', d.codexUrl);
  else problem('codex', msg.statusNoCodex);
  for (const w of d.warnings) log.warn(w);
  if (d.environment) {
    const e = d.environment;
    row('branch', msg.statusBranch(d.branch, e));
    row('confirmation', msg.statusConfirmation(e.needsConfirmation, d.direction === 'from-codex'));
    if (e.warning) log.warn(e.warning);
  } else row('branch', d.environmentNote ?? msg.statusUnknown);
  if (d.hooks.ok) row('hooks', msg.statusHooksOk);
  else problem('hooks', msg.statusHooksProblems(d.hooks.problems));
  if (d.hooks.notRunning.length) problem('other hooks', msg.hooksNotRunning(d.hooks.notRunning, d.hooks.chainedFrom));
  const syncs = Object.entries(d.lastSync);
  if (syncs.length === 0) row('last syncs', msg.statusNoCache);
  // Trailers are codex text, written by anybody: shown with their control characters escaped.
  for (const [env, s] of syncs) row(`last ${env}`, s === null ? msg.statusNever : 'unknown' in s ? msg.statusSyncUnknown(s.codexBranch) : escapeControl(msg.statusLastSync(s)));
  const e = d.environments;
  if (e) {
    if (e.pendingRelease) row('pending release', msg.statusPendingRelease(e.pendingRelease));
    if (e.layers) {
      const l = e.layers.report;
      row(`${e.layers.env} base`, l.base ? `${l.base.branch}@${l.base.commit.slice(0, 7)}` : msg.statusUnknown);
      row(`${e.layers.env} layers`, l.live.length ? escapeControl(l.live.map((x) => `${x.branch} (${x.files})`).join(', ')) : msg.statusNone);
      for (const o of l.overlaps) log.warn(escapeControl(msg.statusOverlap(o.path, o.branches, o.shown)));
      for (const x of l.dropped) row('stale layer', escapeControl(`${x.branch} (${x.why}) — codex-hooks layers prune`));
    }
    if (e.testVsProd) row('test vs prod', msg.statusTestVsProd(e.testVsProd));
  } else if (d.environmentsError) problem('environments', msg.statusWouldChangeUnknown(d.environmentsError));
  const retry = (p: PendingRequest) => msg.statusRetryCommand(p.kind === 'deletions');
  if (d.pending.length) problem('pending', d.pending.map((p) => msg.statusPending(p, retry(p))).join('; '));
  else row('pending', msg.statusNone);
  if (d.background) {
    (d.background.ok ? row : problem)('background', msg.statusBackground(d.background.ok, d.background.time, d.background.message));
    for (const w of d.background.warnings ?? []) log.warn(w);
  }
  if (d.wouldChange) {
    row('would change', msg.statusWouldChange(d.wouldChange.toCodex, d.wouldChange.fromCodex));
  } else if (d.wouldChangeError) problem('would change', msg.statusWouldChangeUnknown(d.wouldChangeError));
}
