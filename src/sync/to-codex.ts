import { runGit, gitText } from '../git/exec.js';
import fs from 'node:fs';
import path from 'node:path';
import { parseBatch, parseLsTree, quoteFastImportPath, type TreeEntry } from '../git/parse.js';
import type { Project } from '../git/project.js';
import { local, type CodexCache } from './cache.js';

export interface FilePlan {
  added: string[];
  changed: string[];
  removed: string[];
  /** Files of the project in the codex before the sync. */
  before: number;
}

export const projectDir = (projectName: string) => `projects/${projectName}`;

/**
 * What `projects/<name>/` holds on a codex commit. `ls-tree` with a path walks only the trees on that
 * path, so this costs the size of the project's folder, not of the codex.
 */
export async function codexProjectFiles(cache: CodexCache, tip: string, projectName: string): Promise<Map<string, TreeEntry>> {
  const prefix = projectDir(projectName) + '/';
  const { stdout } = await runGit(['ls-tree', '-r', '-z', tip, '--', prefix], local(cache));
  const files = new Map<string, TreeEntry>();
  for (const e of parseLsTree(stdout)) if (e.path.startsWith(prefix)) files.set(e.path.slice(prefix.length), e);
  return files;
}

/** Compares the selection with the codex folder. Pure. */
export function planToCodex(selection: TreeEntry[], existing: Map<string, TreeEntry>): FilePlan {
  const plan: FilePlan = { added: [], changed: [], removed: [], before: existing.size };
  const wanted = new Set<string>();
  for (const f of selection) {
    wanted.add(f.path);
    const old = existing.get(f.path);
    if (!old) plan.added.push(f.path);
    else if (old.oid !== f.oid || old.mode !== f.mode) plan.changed.push(f.path);
  }
  for (const p of existing.keys()) if (!wanted.has(p)) plan.removed.push(p);
  return plan;
}

/** The contents of these blobs from the project (one `cat-file --batch`); they go to the codex inline. */
export async function readBlobs(project: Project, files: TreeEntry[]): Promise<Map<string, Buffer>> {
  const oids = [...new Set(files.map((f) => f.oid))];
  if (oids.length === 0) return new Map();
  const { stdout } = await runGit(['cat-file', '--batch'], { cwd: project.root, env: project.env, input: oids.join('\n') + '\n' });
  return parseBatch(stdout);
}

export interface CommitSpec {
  tip: string;
  projectName: string;
  files: TreeEntry[];
  /** Contents of the blobs the codex lacks; every other file is referred to by its object id. */
  blobs: Map<string, Buffer>;
  message: string;
  identity: { name: string; email: string };
}

/**
 * Writes one codex commit on top of `tip` whose `projects/<name>/` is exactly `files`, everything else
 * untouched. git fast-import loads only the trees on the paths it changes, so neither the codex's size
 * nor an index of it enters the cost.
 */
export async function writeCommit(cache: CodexCache, spec: CommitSpec): Promise<string> {
  const ref = `refs/codex-hooks/work/${process.pid}-${Date.now()}`;
  const when = `${Math.floor(Date.now() / 1000)} +0000`;
  const who = `${spec.identity.name.replace(/[<>\n]/g, '')} <${spec.identity.email.replace(/[<>\n]/g, '')}>`;
  const dir = projectDir(spec.projectName);
  const message = Buffer.from(spec.message);
  const lines = [
    `commit ${ref}`,
    `author ${who} ${when}`,
    `committer ${who} ${when}`,
    `data ${message.length}`,
  ];
  const parts: Buffer[] = [Buffer.from(lines.join('\n') + '\n'), message, Buffer.from(`\nfrom ${spec.tip}\nD ${quoteFastImportPath(dir)}\n`)];
  for (const f of spec.files) {
    const target = quoteFastImportPath(`${dir}/${f.path}`);
    const content = spec.blobs.get(f.oid);
    if (content) parts.push(Buffer.from(`M ${f.mode} inline ${target}\ndata ${content.length}\n`), content, Buffer.from('\n'));
    else parts.push(Buffer.from(`M ${f.mode} ${f.oid} ${target}\n`));
  }
  parts.push(Buffer.from('\ndone\n'));
  await runGit(['fast-import', '--quiet', '--done'], local(cache, { input: Buffer.concat(parts) }));
  // The scratch ref is ours alone: read and drop its file directly, sparing two git processes.
  const file = path.join(cache.dir, ref);
  try {
    const commit = fs.readFileSync(file, 'utf8').trim();
    fs.unlinkSync(file);
    return commit;
  } catch {
    const commit = await gitText(['rev-parse', ref], local(cache));
    await runGit(['update-ref', '-d', ref], local(cache, { okCodes: [1, 128] }));
    return commit;
  }
}

export function commitMessage(o: { projectName: string; count: number; branch: string; commit: string; env: string }): string {
  return [
    `docs(${o.projectName}): sync ${o.count} files from ${o.branch}@${o.commit.slice(0, 7)} [${o.env}]`,
    '',
    `Codex-Project: ${o.projectName}`,
    `Codex-Source-Commit: ${o.commit}`,
    `Codex-Source-Branch: ${o.branch}`,
    `Codex-Env: ${o.env}`,
    '',
  ].join('\n');
}
