import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/normalize.js';
import { requireCodexUrl } from '../config/normalize.js';
import { resolveEnvironment, type EnvironmentDecision } from '../environment/resolve.js';
import type { Project } from '../git/project.js';
import { checkedOutBranch, headCommit, openCheckout } from '../sync/source.js';
import type { SyncResult } from '../sync/options.js';
import type { BatchOutcome } from '../sync/org-batch.js';
import { colorEnabled, makeStyle, recordingLogger } from '../ui/logger.js';
import { msg } from '../core/messages.js';
import { isFinished, naturalCompare, orgCounts, orgSummaryLine, orgTable, renderFrame, rowName, statusLabel, type OrgRow } from '../ui/org-table.js';
import { trace } from '../core/trace.js';
import { explicitEnv } from './common.js';
import type { CommandResult, Context, Values } from '../core/edge.js';

export type { OrgRow };

/** The checkouts to sync: the folders given, or every git checkout directly under --root (natural order). */
function checkouts(ctx: Context, values: Values, positionals: string[]): string[] {
  if (values.root && positionals.length) throw new UsageError(msg.orgRootAndFolders, msg.orgRootAndFoldersHint);
  if (values.root) {
    const root = path.resolve(ctx.cwd, values.root as string);
    if (!fs.existsSync(root)) throw new UsageError(msg.noSuchFolder(root), msg.noSuchFolderHint('--root'));
    const found = fs
      .readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(root, e.name, '.git')))
      .map((e) => e.name)
      .sort(naturalCompare)
      .map((name) => path.join(root, name));
    if (found.length === 0) throw new UsageError(msg.orgNoRepositories(root), msg.orgNoRepositoriesHint);
    return found;
  }
  if (positionals.length === 0) throw new UsageError(msg.orgNoCheckouts, msg.orgNoCheckoutsHint);
  return positionals.map((p) => path.resolve(ctx.cwd, p));
}

/** A checkout with its config: what the environment is checked against and a sync starts from. */
interface Loaded {
  row: OrgRow;
  project: Project;
  config: Config;
}

/** A checkout ready to sync. */
export interface Member extends Loaded {
  decision: EnvironmentDecision;
  commit: string;
  sourceBranch: string;
}

const oneLine = (error: unknown) => (error as Error).message.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');

async function load(ctx: Context, row: OrgRow, trustCode: boolean): Promise<Loaded | null> {
  try {
    const project = await openCheckout(row.dir, ctx.env);
    // a checkout's code config is anyone's program: run only when asked (issue 19)
    const config = await loadConfig(project, trustCode ? 'run' : 'refuse');
    if (!config.filepath) {
      row.status = 'skipped';
      row.message = msg.orgNoConfig;
      return null;
    }
    row.project = config.projectName;
    return { row, project, config };
  } catch (error) {
    row.status = 'failed';
    row.message = oneLine(error);
    return null;
  }
}

/**
 * `--env`/CODEX_ENV checked once, before any git work: a name no configured checkout knows is bad input
 * (exit 2, one message with every known name), not one failure per project. A name only some know fails
 * the rows of the others.
 */
function checkEnvOnce(explicit: { flag?: string; envVar?: string }, loaded: Loaded[]): void {
  const name = explicit.flag ?? explicit.envVar;
  if (name === undefined || loaded.length === 0) return;
  if (loaded.some((l) => name in l.config.environments)) return;
  const environments = Object.assign({}, ...loaded.map((l) => l.config.environments)) as Config['environments'];
  resolveEnvironment({ explicit, branch: null, config: { ...loaded[0].config, environments, filepath: null } }); // throws its UsageError
}

async function decide(l: Loaded, explicit: { flag?: string; envVar?: string }): Promise<Member | null> {
  const { row, project, config } = l;
  try {
    const branch = await checkedOutBranch(project);
    const decision = resolveEnvironment({ explicit, branch, config });
    row.env = decision.env;
    row.codexBranch = decision.codexBranch;
    if (decision.needsConfirmation) {
      row.status = 'skipped';
      row.message = msg.orgNeedsProd;
      return null;
    }
    requireCodexUrl(config);
    const commit = await headCommit(project);
    return { ...l, decision, commit, sourceBranch: branch ?? 'HEAD' };
  } catch (error) {
    row.status = 'failed';
    row.message = oneLine(error);
    return null;
  }
}

/** A row's outcome from its sync's result. */
export function settle(row: OrgRow, r: SyncResult): void {
  const t = r.toCodex;
  row.changed = t ? t.added.length + t.changed.length + t.removed.length : 0;
  row.status = t?.codexCommit ? 'synced' : 'up-to-date';
  row.codexCommit = t?.codexCommit ?? null;
  row.message = t?.codexCommit ? `→ ${t.codexCommit.slice(0, 7)}` : r.dryRun ? `dry run: ${row.changed ? `${row.changed} would change` : 'nothing to change'}` : 'nothing to change';
}

export function fail(row: OrgRow, error: unknown): void {
  row.status = 'failed';
  row.message = oneLine(error);
}

/** `codex-hooks sync-org` (design §5, §9): one failure never stops the others; exit 1 if any failed. */
export async function run(ctx: Context, values: Values, positionals: string[]): Promise<CommandResult> {
  // A checkout's config may name any host: CODEX_TOKEN goes only to the one CODEX_TOKEN_HOST names (issue 19)
  const withheld = Boolean(ctx.env.CODEX_TOKEN) && !ctx.env.CODEX_TOKEN_HOST?.trim();
  if (withheld) ctx = { ...ctx, env: { ...ctx.env, CODEX_TOKEN: undefined } };
  const explicit = explicitEnv(ctx, values);
  const parallel = values.parallel === undefined ? 4 : Number(values.parallel);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) throw new UsageError(msg.orgBadParallel(values.parallel), msg.orgBadParallelHint);
  const dryRun = Boolean(values['dry-run']);
  const dirs = checkouts(ctx, values, positionals);
  const { default: pLimit } = await import('p-limit');
  const limit = pLimit(parallel);
  const rows: OrgRow[] = dirs.map((dir) => ({ dir, project: null, env: null, codexBranch: null, status: 'waiting', changed: 0, message: '', codexCommit: null }));

  const loaded = (await Promise.all(rows.map((row) => limit(() => load(ctx, row, Boolean(values['trust-config-code'])))))).filter((l): l is Loaded => l !== null);
  trace(ctx.env, 'configs loaded');
  checkEnvOnce(explicit, loaded);
  const progress = await startProgress(ctx, rows);
  try {
    const members = (await Promise.all(loaded.map((l) => limit(() => decide(l, explicit))))).filter((member): member is Member => member !== null);
    trace(ctx.env, 'environments decided');
    progress.update();
    // One batch per codex and codex branch (design §9): one fetch, a commit per project, one push.
    const batches = new Map<string, Member[]>();
    for (const member of members) {
      const key = `${requireCodexUrl(member.config)}\n${member.decision.codexBranch}`;
      const batch = batches.get(key) ?? [];
      // Two checkouts writing one folder would overwrite each other within the push: the first keeps it.
      const same = batch.find((b) => b.config.projectName === member.config.projectName);
      if (same) fail(member.row, new UsageError(msg.orgSameProject(member.config.projectName, same.row.dir, member.decision.codexBranch)));
      else batches.set(key, [...batch, member]);
    }
    const { syncBatch } = await import('../sync/org-batch.js');
    await Promise.all(
      [...batches.values()].map(async (batch) => {
        for (const member of batch) member.row.status = 'syncing';
        progress.update();
        const options = batch.map((member) => ({ project: member.project, config: member.config, decision: member.decision, commit: member.commit, sourceBranch: member.sourceBranch, direction: member.config.sync_direction, dryRun, logger: recordingLogger() }));
        try {
          const show = (i: number, o: BatchOutcome) => (o.ok ? settle(batch[i].row, o.result) : fail(batch[i].row, o.error));
          const outcomes = await syncBatch(options, limit, (i, o) => {
            show(i, o);
            progress.update();
          });
          outcomes.forEach((o, i) => show(i, o));
        } catch (error) {
          for (const member of batch) fail(member.row, error);
        }
        progress.update();
      }),
    );
  } finally {
    progress.done();
  }

  const summary = orgCounts(rows);
  const style = makeStyle(colorEnabled(ctx.stdout, ctx.settings));
  return {
    data: { summary, projects: rows },
    exitCode: summary.failed ? 1 : 0,
    render: (log) => {
      // --quiet hides the table, never a failure (design §5)
      if (withheld) log.warn(msg.orgTokenWithheld);
      if (ctx.quiet) for (const r of rows.filter((x) => x.status === 'failed')) log.error(msg.orgFailedRow(rowName(r), r.message));
      log.info(orgTable(rows, style));
      log.info(orgSummaryLine(rows));
    },
  };
}

/** A live table on a terminal (log-update redraws it in place, cut to the terminal's height); plain lines otherwise (CI, pipes). */
async function startProgress(ctx: Context, rows: OrgRow[]) {
  const stream = ctx.stderr;
  const live = !ctx.json && !ctx.quiet && Boolean(stream.isTTY) && !ctx.settings.dumbTerminal && !ctx.settings.ci;
  if (!live) {
    const said = new Set<OrgRow>();
    const update = () => {
      if (ctx.quiet || ctx.json) return;
      for (const r of rows)
        if (isFinished(r) && !said.has(r)) {
          said.add(r);
          stream.write(`${statusLabel(r.status).padEnd(10)} ${rowName(r)}: ${r.message}\n`);
        }
    };
    update(); // rows settled before any sync (no config, a broken config)
    return { update, done: () => {} };
  }
  const style = makeStyle(colorEnabled(stream, ctx.settings));
  const { createLogUpdate } = await import('log-update');
  const draw = createLogUpdate(stream);
  const frame = () => draw(renderFrame(rows, { height: stream.rows || 24, width: stream.columns || 80, style }));
  // at most one frame every 50 ms: a batch settles many rows at once
  let pending: NodeJS.Timeout | null = null;
  const update = () => {
    pending ??= setTimeout(() => {
      pending = null;
      frame();
    }, 50);
  };
  frame();
  return {
    update,
    done: () => {
      if (pending) clearTimeout(pending);
      draw.clear();
    },
  };
}
