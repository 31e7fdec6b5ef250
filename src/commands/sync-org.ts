import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { loadConfig } from '../config/load.js';
import { requireCodexUrl } from '../config/normalize.js';
import { resolveEnvironment } from '../env/resolve.js';
import { currentBranch, openProject, resolveCommit } from '../git/project.js';
import { runSync } from '../sync/engine.js';
import { colorEnabled, recordingLogger } from '../ui/logger.js';
import { explicitEnv } from './common.js';
import type { CommandResult, Context, Values } from './context.js';

export interface OrgRow {
  dir: string;
  project: string | null;
  env: string | null;
  codexBranch: string | null;
  status: 'synced' | 'up-to-date' | 'failed' | 'skipped';
  changed: number;
  message: string;
}

/** The checkouts to sync: the folders given, or every git checkout directly under --root. */
function checkouts(ctx: Context, values: Values, positionals: string[]): string[] {
  if (values.root && positionals.length) throw new UsageError('Give folders or --root, not both', 'codex-hooks sync-org --root DIR   or   codex-hooks sync-org DIR...');
  if (values.root) {
    const root = path.resolve(ctx.cwd, values.root as string);
    if (!fs.existsSync(root)) throw new UsageError(`No such folder: ${root}`, 'pass an existing folder to --root');
    return fs
      .readdirSync(root, { withFileTypes: true })
      .filter((e) => e.isDirectory() && fs.existsSync(path.join(root, e.name, '.git')))
      .map((e) => path.join(root, e.name))
      .sort();
  }
  if (positionals.length === 0) throw new UsageError('sync-org needs checkouts to sync', 'codex-hooks sync-org DIR... or --root DIR');
  return positionals.map((p) => path.resolve(ctx.cwd, p));
}

/** `codex-hooks sync-org` (SPEC §5): one failure never stops the others; exit 1 if any failed. */
export async function run(ctx: Context, values: Values, positionals: string[]): Promise<CommandResult> {
  const explicit = explicitEnv(ctx, values);
  const parallel = values.parallel === undefined ? 4 : Number(values.parallel);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) throw new UsageError(`--parallel must be a whole number from 1 to 64 (got ${values.parallel})`, 'e.g. --parallel 4');
  const dirs = checkouts(ctx, values, positionals);
  const { default: pLimit } = await import('p-limit');
  const limit = pLimit(parallel);
  const rows: OrgRow[] = dirs.map((dir) => ({ dir, project: null, env: null, codexBranch: null, status: 'skipped', changed: 0, message: 'waiting' }));
  const progress = await startProgress(ctx, rows);

  await Promise.all(
    rows.map((row) =>
      limit(async () => {
        row.message = 'syncing';
        progress.update();
        try {
          const project = await openProject(row.dir, ctx.env);
          const config = await loadConfig(project);
          if (!config.filepath) throw new UsageError('no codex-hooks configuration', 'run `codex-hooks init` in it');
          row.project = config.projectName;
          const branch = await currentBranch(project);
          const decision = resolveEnvironment({ explicit, branch, config });
          row.env = decision.env;
          row.codexBranch = decision.codexBranch;
          if (decision.needsConfirmation) {
            row.status = 'skipped';
            row.message = 'production: pass --env prod (no assumption across many projects)';
            return;
          }
          requireCodexUrl(config);
          const commit = await resolveCommit(project, 'HEAD');
          const r = await runSync({ project, config, decision, commit, sourceBranch: branch ?? 'HEAD', direction: config.sync_direction, dryRun: Boolean(values['dry-run']), logger: recordingLogger() });
          const t = r.toCodex;
          row.changed = t ? t.added.length + t.changed.length + t.removed.length : 0;
          row.status = t?.codexCommit ? 'synced' : 'up-to-date';
          row.message = t?.codexCommit ? `→ ${t.codexCommit.slice(0, 7)}` : r.dryRun ? 'dry run' : 'nothing to change';
        } catch (error) {
          row.status = 'failed';
          row.message = (error as Error).message.split('\n').join(' ');
        } finally {
          progress.update();
        }
      }),
    ),
  );
  progress.done();
  const failed = rows.filter((r) => r.status === 'failed').length;
  const summary = { total: rows.length, synced: rows.filter((r) => r.status === 'synced').length, upToDate: rows.filter((r) => r.status === 'up-to-date').length, skipped: rows.filter((r) => r.status === 'skipped').length, failed };
  return {
    data: { summary, projects: rows },
    exitCode: failed ? 1 : 0,
    render: (log) => {
      log.info(table(rows));
      log.info(`${summary.synced} synced, ${summary.upToDate} up to date, ${summary.skipped} skipped, ${summary.failed} failed (of ${summary.total})`);
    },
  };
}

export function table(rows: OrgRow[]): string {
  const head = ['project', 'env', 'codex branch', 'status', 'files', 'detail'];
  const body = rows.map((r) => [r.project ?? path.basename(r.dir), r.env ?? '-', r.codexBranch ?? '-', r.status, String(r.changed), r.message]);
  const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...body.map((b) => b[i].length))));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.slice(0, widths[i]).padEnd(widths[i]))).join('  ');
  return [fmt(head), fmt(widths.map((w) => '-'.repeat(w))), ...body.map(fmt)].join('\n');
}

/** A live table on a terminal (log-update redraws it in place); plain lines otherwise (CI, pipes). */
async function startProgress(ctx: Context, rows: OrgRow[]) {
  const stream = process.stderr;
  const live = !ctx.json && !ctx.quiet && colorEnabled(stream, ctx.env);
  if (!live) {
    const said = new Set<OrgRow>();
    return {
      update: () => {
        if (ctx.quiet || ctx.json) return;
        for (const r of rows) if (r.message !== 'waiting' && r.message !== 'syncing' && !said.has(r)) {
          said.add(r);
          stream.write(`${r.status.padEnd(10)} ${r.project ?? path.basename(r.dir)}: ${r.message}\n`);
        }
      },
      done: () => {},
    };
  }
  const { createLogUpdate } = await import('log-update');
  const draw = createLogUpdate(stream);
  const update = () => {
    const finished = rows.filter((r) => r.message !== 'waiting' && r.message !== 'syncing').length;
    draw(`${finished}/${rows.length} projects\n${table(rows)}`);
  };
  return { update, done: () => draw.clear() };
}
