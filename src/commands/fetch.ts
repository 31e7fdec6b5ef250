import { codexEnv } from '../config/token.js';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError, SyncError } from '../errors.js';
import { resolveEnvironment } from '../env/resolve.js';
import { runGit } from '../git/exec.js';
import { parseLsTree } from '../git/parse.js';
import { cacheRoot, local, openCache, remoteBranches, startFetch } from '../sync/cache.js';
import { msg } from '../ui/messages.js';
import { parseCodexUri } from '../mcp/uri.js';
import { codexSource } from './codex-source.js';
import { explicitEnv } from './common.js';
import { single, type CommandResult, type Context, type Values } from './context.js';
import { PROJECTS, projectDir } from '../sync/layout.js';

/** `codex-hooks fetch` (SPEC §5): reads the prod codex branch unless --env names another. */
export async function run(ctx: Context, values: Values, positionals: string[]): Promise<CommandResult> {
  if (positionals.length !== 1) throw new UsageError(msg.fetchUsage, msg.fetchUsageHint);
  const uri = parseCodexUri(positionals[0]);
  const { url, config } = await codexSource(ctx, single(values, 'codex'), Boolean(values['trust-config-code']));
  const flag = explicitEnv(ctx, values).flag;
  // The reader that agents and servers use must only see released docs: CODEX_ENV is not consulted.
  const decision = resolveEnvironment({ explicit: { flag: flag ?? 'prod' }, branch: null, config });
  if (config.organization && uri.org !== config.organization) {
    throw new UsageError(msg.fetchOtherOrg(config.organization, uri.org), msg.fetchOtherOrgHint(config.organization, uri.project, uri.path));
  }
  // fractary's token goes to the codex its config names, not to a --codex or CODEX_URL given instead
  const cache = await openCache(url, url === config.codexUrl ? await codexEnv(ctx.env, config) : ctx.env);
  const tip = await startFetch(cache, decision.codexBranch).done;
  if (!tip) throw new SyncError('branch-missing', msg.branchMissing(decision.codexBranch, decision.env, config.filepath, await remoteBranches(cache).catch(() => null), config.environments.prod.branch));
  const blobsUnder = async (folder: string) => parseLsTree((await runGit(['ls-tree', '-r', '-z', tip, '--', `${folder}/`], local(cache))).stdout).filter((e) => e.type === 'blob');
  // codex://org/<project>/… is projects/<project>/…; a top-level folder (codex://org/shared/…) when no project has the name
  let base = projectDir(uri.project);
  let entries = await blobsUnder(base);
  if (entries.length === 0 && uri.project !== PROJECTS) {
    const top = await blobsUnder(uri.project);
    if (top.length) [base, entries] = [uri.project, top];
  }
  if (entries.length === 0) {
    const { stdout: all } = await runGit(['ls-tree', '-z', '--name-only', `${tip}:projects`], local(cache, { okCodes: [128] }));
    const known = all.toString().split('\0').filter(Boolean);
    const hint = decision.env === 'prod' && !flag ? msg.fetchUnreleasedHint(positionals[0]) : msg.fetchUnknownProjectHint(known);
    throw new UsageError(msg.fetchUnknownProject(uri.project, decision.codexBranch, decision.env, known), hint);
  }
  if (uri.path === '') {
    const files = entries.map((e) => e.path.slice(base.length + 1));
    return { data: { env: decision.env, codexBranch: decision.codexBranch, project: uri.project, files }, render: (log) => files.forEach((f) => log.info(f)) };
  }
  const entry = entries.find((e) => e.path === `${base}/${uri.path}`);
  if (!entry) {
    const under = entries.filter((e) => e.path.startsWith(`${base}/${uri.path}/`)).map((e) => e.path.slice(base.length + 1));
    if (under.length) return { data: { env: decision.env, codexBranch: decision.codexBranch, project: uri.project, files: under }, render: (log) => under.forEach((f) => log.info(f)) };
    const hint = decision.env === 'prod' && !flag ? msg.fetchUnreleasedHint(positionals[0]) : msg.fetchNoDocumentHint(uri.org, uri.project);
    throw new UsageError(msg.fetchNoDocument(uri.path, uri.project, decision.codexBranch, decision.env), hint);
  }
  // Fetched documents are kept by blob id: the same content is never read out of git twice.
  const blobFile = path.join(cacheRoot(ctx.env), 'blobs', entry.oid.slice(0, 2), entry.oid.slice(2));
  let content: Buffer;
  if (fs.existsSync(blobFile)) content = fs.readFileSync(blobFile);
  else {
    content = (await runGit(['cat-file', 'blob', entry.oid], local(cache))).stdout;
    fs.mkdirSync(path.dirname(blobFile), { recursive: true });
    fs.writeFileSync(`${blobFile}.tmp-${process.pid}`, content);
    fs.renameSync(`${blobFile}.tmp-${process.pid}`, blobFile);
  }
  return {
    data: { env: decision.env, codexBranch: decision.codexBranch, project: uri.project, path: uri.path, oid: entry.oid, content: content.toString('utf8') },
    render: () => void ctx.stdout.write(content),
  };
}
