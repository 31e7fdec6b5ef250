import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { stateDir, type Project } from '../git/project.js';
import { packageRoot } from '../core/paths.js';
import { writeJson } from '../core/json-file.js';
import { chainedDir, chainFile, chainablePath, PACKAGE_DIR_LINE, shellQuote, toolkitDir } from './toolkit.js';
import { HOOKS, HUSKY_DIR, PREPARE, HUSKY_HOOKS, HUSKY_WRAPPER, hooksIn, hooksPath, readRecord, recordFile, runHusky, SCRIPTS, withOurLines, writeIfDifferent, writePackageJson, type InstallRecord, type InstallResult } from './record.js';
import { msg } from '../core/messages.js';
import { ensureReferenceTransaction } from './reference-transaction.js';
import { refuseLinks, refuseLinksIn } from './no-links.js';

/** One install under way: what each step reads, and what it changed (the record and the lines for the user). */
interface Install {
  project: Project;
  record: InstallRecord;
  changed: string[];
  huskyRoot: string;
  /** The folder of the package that has codex-hooks, relative to the root ('' at the root). */
  pkgDir: string;
  pkgRel: string;
  /** core.hooksPath before this install (in effect, and as set in this repository). */
  before: string | null;
  beforeHere: string | null;
}

const HUSKY_HOOKS_PATH = `${HUSKY_DIR}/_`;

/** Installs the hooks (design §5 install), run from `cwd`. Compares before writing; says what it changed. */
export async function install(project: Project, cwd: string = project.root): Promise<InstallResult> {
  const pkgDir = toolkitDir(project, cwd);
  const s: Install = {
    project,
    record: readRecord(project) ?? { hooksPathSet: false, previousHooksPath: null, prepareAdded: false, createdHookFiles: [] },
    changed: [],
    huskyRoot: path.join(project.root, HUSKY_DIR),
    pkgDir,
    pkgRel: pkgDir ? `${pkgDir}/package.json` : 'package.json',
    before: null,
    beforeHere: null,
  };
  refuseLinksBeforeWriting(s);
  await setUpHusky(s);
  chainReplacedHooks(s);
  writeHookScripts(s);
  writeHookFiles(s);
  addPrepareScript(s);
  await addReferenceTransaction(s);
  if (s.changed.length) writeJson(recordFile(project), s.record);
  return { changed: s.changed, unchanged: s.changed.length === 0 };
}

/** Nothing is written through a link the repository holds (issue 19): checked before any write. */
function refuseLinksBeforeWriting({ project, pkgRel }: Install): void {
  refuseLinksIn(project.root, HUSKY_HOOKS_PATH);
  for (const name of HOOKS) for (const rel of [`${HUSKY_DIR}/${name}`, `${HUSKY_DIR}/codex-hooks/${name}`]) refuseLinks(project.root, rel);
  refuseLinks(project.root, pkgRel);
}

/** husky sets core.hooksPath to `.husky/_` and writes its files there, when either is missing. */
async function setUpHusky(s: Install): Promise<void> {
  const { project, record, changed } = s;
  s.before = await hooksPath(project);
  s.beforeHere = await hooksPath(project, true);
  const huskyFilesMissing = !fs.existsSync(path.join(s.huskyRoot, '_', 'h'));
  if (s.before === HUSKY_HOOKS_PATH && !huskyFilesMissing) return;
  const problem = await runHusky(project);
  if (problem) throw new UsageError(msg.huskyFailed(problem), msg.huskyFailedHint(problem));
  if (s.before !== HUSKY_HOOKS_PATH) {
    if (!record.hooksPathSet) {
      record.hooksPathSet = true;
      // husky sets it in this repository's config: uninstall puts back that setting (a global one
      // then applies again by itself)
      record.previousHooksPath = s.beforeHere;
    }
    changed.push(msg.installSetHooksPath(HUSKY_HOOKS_PATH, s.before));
  } else {
    changed.push(msg.installRestoredHusky(HUSKY_HOOKS_PATH));
  }
}

/**
 * The hooks of the core.hooksPath we replace keep running: now, or as recorded by an earlier install
 * that did not chain them yet.
 */
function chainReplacedHooks({ project, record, changed, before }: Install): void {
  const replaced = before !== HUSKY_HOOKS_PATH ? before : record.previousHooksPath;
  const chained = replaced && chainablePath(replaced, project.env);
  if (chained && (fs.existsSync(chainFile(project)) ? fs.readFileSync(chainFile(project), 'utf8') : null) !== chained + '\n') {
    fs.mkdirSync(stateDir(project), { recursive: true });
    fs.writeFileSync(chainFile(project), chained + '\n');
    changed.push(msg.installKeptHooks(replaced));
  }
}

/** The hook scripts (`.husky/codex-hooks/<name>`), told where the package is. */
function writeHookScripts({ huskyRoot, pkgDir, changed }: Install): void {
  for (const name of SCRIPTS) {
    const script = fs.readFileSync(path.join(packageRoot(), 'hooks', name), 'utf8').replace(PACKAGE_DIR_LINE, (line) => line.replace("=''", `=${shellQuote(pkgDir)}`));
    writeIfDifferent(path.join(huskyRoot, 'codex-hooks', name), script, 0o644, changed, `${HUSKY_DIR}/codex-hooks/${name}`);
  }
}

/** Every hook that ran before (design §6): ours, and each one git ran from the folder we replace, by name. */
function writeHookFiles({ project, record, changed, huskyRoot }: Install): void {
  const names = [...HOOKS, ...hooksIn(chainedDir(project)).filter((n) => !(HOOKS as readonly string[]).includes(n))];
  for (const name of names) {
    const hookFile = path.join(huskyRoot, name);
    const exists = fs.existsSync(hookFile);
    const text = exists ? fs.readFileSync(hookFile, 'utf8') : '';
    const next = withOurLines(text, name);
    if (next !== text) {
      if (!exists && !record.createdHookFiles.includes(name)) record.createdHookFiles.push(name);
      fs.writeFileSync(hookFile, next, { mode: 0o755 });
      changed.push(msg.installHookLine(exists, `${HUSKY_DIR}/${name}`));
    }
    // husky makes `.husky/_/<name>` for its own list only; git runs a hook outside it through one we make
    const wrapper = path.join(huskyRoot, '_', name);
    if (!HUSKY_HOOKS.includes(name) && !fs.existsSync(wrapper)) {
      fs.writeFileSync(wrapper, HUSKY_WRAPPER, { mode: 0o755 });
      record.createdWrappers = [...new Set([...(record.createdWrappers ?? []), name])];
      changed.push(msg.installWrote(false, `${HUSKY_DIR}/_/${name}`));
    }
  }
}

/**
 * The package whose `npm install` should set husky up again: the one that has codex-hooks. From a
 * sub-folder husky runs at the root (husky's monorepo recipe: `cd .. && husky`).
 */
function addPrepareScript({ project, record, changed, pkgRel }: Install): void {
  const pkgFile = path.join(project.root, pkgRel);
  if (!fs.existsSync(pkgFile)) return;
  const raw = fs.readFileSync(pkgFile, 'utf8');
  const pkg = JSON.parse(raw);
  const prepare: string | undefined = pkg.scripts?.prepare;
  // Through codex-hooks' own husky (pnpm does not hoist husky; a production install has no dev
  // dependencies: `|| true`, husky's own advice). It finds the git root itself, from a sub-folder too.
  const command = PREPARE;
  // A prepare an earlier install added (`husky`, `cd .. && husky`) becomes this one.
  const older = record.prepareAdded && record.prepareCommand && record.prepareCommand !== command && prepare?.includes(record.prepareCommand) ? record.prepareCommand : null;
  if (older || !prepare || !(prepare.includes(command) || /\bhusky\b/.test(prepare))) {
    const next = older ? prepare!.replace(older, command) : prepare ? `${prepare} && ${command}` : command;
    pkg.scripts = { ...(pkg.scripts ?? {}), prepare: next };
    writePackageJson(pkgFile, raw, pkg);
    Object.assign(record, { prepareAdded: true, prepareFile: pkgRel, prepareCommand: command });
    changed.push(msg.installPrepare(command, pkgRel));
  }
}

/** A push's docs are written once it has landed: git tells through reference-transaction (design §6). */
async function addReferenceTransaction({ project, changed }: Install): Promise<void> {
  if ((await ensureReferenceTransaction(project)) === 'written') changed.push(msg.installLandingHook);
}
