import { codexEnv } from '../config/token.js';
import fs from 'node:fs';
import path from 'node:path';
import { UsageError, SyncError } from '../errors.js';
import { resolveEnvironment } from '../env/resolve.js';
import { createHash } from 'node:crypto';
import { isTreeMode, listedEntry, parseTree } from '../git/objects.js';
import { ObjectStore } from '../git/store.js';
import { cacheRoot, local, openCache, remoteBranches, startFetch } from '../sync/cache.js';
import { CODEX_TREE } from '../sync/bounds.js';
import { listFiles, pathChain, rootTree } from '../sync/codex-tree.js';
import type { EnvDecision } from '../env/resolve.js';
import type { Logger } from '../ui/logger.js';
import type { CodexUri } from '../mcp/uri.js';
import { msg } from '../ui/messages.js';
import { parseCodexUri } from '../mcp/uri.js';
import { codexSource } from './codex-source.js';
import { explicitEnv } from './common.js';
import { single, type CommandResult, type Context, type Values } from './context.js';
import { PROJECTS, projectDir } from '../sync/layout.js';

/** `codex-hooks fetch` (design §5): reads the prod codex branch unless --env names another. */
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
  const reader = ObjectStore.open(cache.dir, local(cache));
  try {
    return await serve(ctx, reader, tip, uri, { decision, flag, shown: positionals[0], filepath: config.filepath });
  } finally {
    reader.close();
  }
}

/**
 * The document (or the files of the folder) a URI names on `tip`. Only the trees on its path are read,
 * and a folder is listed within the bounds of sync/bounds.ts (a tree bomb is never expanded).
 */
async function serve(ctx: Context, reader: ObjectStore, tip: string, uri: CodexUri, o: { decision: EnvDecision; flag: string | undefined; shown: string; filepath: string | null }): Promise<CommandResult> {
  const { decision, flag } = o;
  const root = await rootTree(reader, tip);
  const folderAt = async (p: string) => {
    const { target } = await pathChain(reader, root, p.split('/'));
    return target && isTreeMode(target.mode) ? target.oid : null;
  };
  const blobsUnder = async (p: string, tree: string | null) => {
    if (!tree) return [];
    const { files, skipped } = await listFiles(reader, tree, `${p}/`, p.split('/').length);
    if (skipped.length) ctx.logger.warn(msg.codexTreeBounded(skipped, CODEX_TREE));
    return files.filter((e) => e.type === 'blob');
  };
  // codex://org/<project>/… is projects/<project>/…; a top-level folder (codex://org/shared/…) when no project has the name
  let base = projectDir(uri.project);
  let tree = await folderAt(base);
  if (!tree && uri.project !== PROJECTS) {
    const top = await folderAt(uri.project);
    if (top) [base, tree] = [uri.project, top];
  }
  if (!tree) {
    const projects = await folderAt(PROJECTS);
    const known = projects ? (await reader.read(projects).then((t) => (t ? parseTree(t.body) : []))).filter((e) => isTreeMode(e.mode)).map((e) => e.name.toString('utf8')) : [];
    const hint = decision.env === 'prod' && !flag ? msg.fetchUnreleasedHint(o.shown) : msg.fetchUnknownProjectHint(known);
    throw new UsageError(msg.fetchUnknownProject(uri.project, decision.codexBranch, decision.env, known), hint);
  }
  const listing = (files: string[]) => ({ data: { env: decision.env, codexBranch: decision.codexBranch, project: uri.project, files }, render: (log: Logger) => files.forEach((f) => log.info(f)) });
  if (uri.path === '') return listing((await blobsUnder(base, tree)).map((e) => e.path.slice(base.length + 1)));
  const { target } = await pathChain(reader, tree, uri.path.split('/'));
  const entry = target && !isTreeMode(target.mode) ? listedEntry(target, `${base}/${uri.path}`) : null;
  if (!entry || entry.type !== 'blob') {
    const under = target && isTreeMode(target.mode) ? (await blobsUnder(`${base}/${uri.path}`, target.oid)).map((e) => e.path.slice(base.length + 1)) : [];
    if (under.length) return listing(under);
    const hint = decision.env === 'prod' && !flag ? msg.fetchUnreleasedHint(o.shown) : msg.fetchNoDocumentHint(uri.org, uri.project);
    throw new UsageError(msg.fetchNoDocument(uri.path, uri.project, decision.codexBranch, decision.env), hint);
  }
  // Fetched documents are kept by blob id: the same content is never read out of git twice. What the
  // folder holds is checked against the id before it is served (another user, a disk, a tool may have
  // changed it); a file that does not match is read from git again and replaced.
  const blobFile = path.join(cacheRoot(ctx.env), 'blobs', entry.oid.slice(0, 2), entry.oid.slice(2));
  let content = readCachedBlob(blobFile, entry.oid);
  if (!content) {
    const blob = await reader.read(entry.oid);
    if (!blob || blob.type !== 'blob') throw new SyncError('git', msg.cacheLacks('blob', entry.oid), msg.cacheLacksHint);
    content = blob.body;
    try {
      fs.mkdirSync(path.dirname(blobFile), { recursive: true });
      fs.writeFileSync(`${blobFile}.tmp-${process.pid}`, content);
      fs.renameSync(`${blobFile}.tmp-${process.pid}`, blobFile);
    } catch {
      fs.rmSync(`${blobFile}.tmp-${process.pid}`, { force: true }); // only a speed-up: served all the same
    }
  }
  const served = content;
  return {
    data: { env: decision.env, codexBranch: decision.codexBranch, project: uri.project, path: uri.path, oid: entry.oid, content: served.toString('utf8') },
    render: () => void ctx.stdout.write(served),
  };
}

/** A blob kept by id, or null when there is none or its content does not hash to the id. */
function readCachedBlob(file: string, oid: string): Buffer | null {
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch {
    return null;
  }
  return blobId(content, oid.length === 64 ? 'sha256' : 'sha1') === oid ? content : null;
}

/** git's id of a blob: the hash of `blob <size>\0<content>`. */
function blobId(content: Buffer, algorithm: 'sha1' | 'sha256'): string {
  return createHash(algorithm).update(`blob ${content.length}\0`).update(content).digest('hex');
}
