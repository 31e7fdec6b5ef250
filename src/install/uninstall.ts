import fs from 'node:fs';
import path from 'node:path';
import { runGit } from '../git/exec.js';
import type { Project } from '../git/project.js';
import { chainFile } from './toolkit.js';
import { CLIENT_HOOKS, HOOKS, HUSKY_DIR, MARKER, SCRIPTS, readRecord, recordFile, writePackageJson, type InstallResult } from './record.js';
import { msg } from '../core/messages.js';
import { removeReferenceTransaction } from './reference-transaction.js';
import { refuseLinks } from './no-links.js';

/** Removes what install added, and nothing else (design §5 uninstall). */
export async function uninstall(project: Project): Promise<InstallResult> {
  const changed: string[] = [];
  const record = readRecord(project);
  const huskyRoot = path.join(project.root, HUSKY_DIR);
  // as install: nothing is written through a link the repository holds (issue 19)
  for (const name of CLIENT_HOOKS) refuseLinks(project.root, `${HUSKY_DIR}/${name}`);
  if (record?.prepareAdded) refuseLinks(project.root, record.prepareFile ?? 'package.json');
  if (await removeReferenceTransaction(project)) changed.push(msg.uninstallLandingHook);
  for (const name of CLIENT_HOOKS) {
    const hookFile = path.join(huskyRoot, name);
    if (fs.existsSync(hookFile)) {
      const text = fs.readFileSync(hookFile, 'utf8');
      const kept = text.split('\n').filter((l) => !l.trimEnd().endsWith(MARKER));
      const next = kept.join('\n');
      if (next !== text) {
        if (record?.createdHookFiles.includes(name) && next.trim() === '') {
          fs.rmSync(hookFile);
          changed.push(msg.uninstallRemoved(`${HUSKY_DIR}/${name}`));
        } else {
          fs.writeFileSync(hookFile, next);
          changed.push(msg.uninstallRemovedLine(`${HUSKY_DIR}/${name}`));
        }
      }
    }
  }
  for (const name of SCRIPTS) {
    const script = path.join(huskyRoot, 'codex-hooks', name);
    if (fs.existsSync(script)) {
      fs.rmSync(script);
      changed.push(msg.uninstallRemoved(`${HUSKY_DIR}/codex-hooks/${name}`));
    }
  }
  for (const name of record?.createdWrappers ?? []) {
    const wrapper = path.join(huskyRoot, '_', name);
    if (fs.existsSync(wrapper) && !fs.existsSync(path.join(huskyRoot, name))) {
      fs.rmSync(wrapper);
      changed.push(msg.uninstallRemoved(`${HUSKY_DIR}/_/${name}`));
    }
  }
  const ours = path.join(huskyRoot, 'codex-hooks');
  if (fs.existsSync(ours) && fs.readdirSync(ours).length === 0) fs.rmdirSync(ours);

  // husky stays for the user's own hook files; it goes only with the last of ours.
  const huskyStays = HOOKS.some((n) => fs.existsSync(path.join(huskyRoot, n))) || otherHuskyHooks(huskyRoot);
  if (record?.hooksPathSet && !huskyStays) {
    if (record.previousHooksPath) await runGit(['config', '--', 'core.hooksPath', record.previousHooksPath], { cwd: project.root, env: project.env });
    else await runGit(['config', '--unset', 'core.hooksPath'], { cwd: project.root, env: project.env, okCodes: [5] });
    fs.rmSync(path.join(huskyRoot, '_'), { recursive: true, force: true });
    if (fs.existsSync(huskyRoot) && fs.readdirSync(huskyRoot).length === 0) fs.rmdirSync(huskyRoot);
    changed.push(msg.uninstallHooksPath(record.previousHooksPath));
  }
  if (fs.existsSync(chainFile(project))) fs.rmSync(chainFile(project));
  if (record?.prepareAdded && !huskyStays) {
    const pkgRel = record.prepareFile ?? 'package.json';
    const command = record.prepareCommand ?? 'husky';
    const pkgFile = path.join(project.root, pkgRel);
    if (fs.existsSync(pkgFile)) {
      const raw = fs.readFileSync(pkgFile, 'utf8');
      const pkg = JSON.parse(raw);
      const prepare: string | undefined = pkg.scripts?.prepare;
      const next = prepare === command ? undefined : prepare?.endsWith(` && ${command}`) ? prepare.slice(0, -` && ${command}`.length) : prepare;
      if (prepare !== next) {
        if (next === undefined) delete pkg.scripts.prepare;
        else pkg.scripts.prepare = next;
        if (pkg.scripts && Object.keys(pkg.scripts).length === 0) delete pkg.scripts;
        writePackageJson(pkgFile, raw, pkg);
        changed.push(msg.uninstallPrepare(command, pkgRel));
      }
    }
  }
  fs.rmSync(recordFile(project), { force: true });
  return { changed, unchanged: changed.length === 0 };
}

/** Hook files of the user's own in .husky: husky stays installed for them. */
function otherHuskyHooks(huskyRoot: string): boolean {
  if (!fs.existsSync(huskyRoot)) return false;
  return fs.readdirSync(huskyRoot, { withFileTypes: true }).some((e) => e.isFile() && !e.name.startsWith('.'));
}
