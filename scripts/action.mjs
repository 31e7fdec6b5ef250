#!/usr/bin/env node
// The GitHub Action's one step (action.yml): runs `codex-hooks sync` or `sync-org` with --json, then writes
// the step's outputs ($GITHUB_OUTPUT) and a job summary ($GITHUB_STEP_SUMMARY) from that document, and exits
// with the command's exit code. Inputs come as INPUT_* environment variables (never pasted into a shell).
// Runs anywhere: without GITHUB_OUTPUT/GITHUB_STEP_SUMMARY it only prints.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'codex-hooks.cjs');

/** The action's inputs, as the runner passes them to this step's environment. */
export function readInputs(env = process.env) {
  const get = (name) => (env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] ?? '').trim();
  return {
    command: get('command') || 'sync',
    environment: get('environment'),
    direction: get('direction'),
    dryRun: /^(true|yes|1)$/i.test(get('dry-run')),
    ref: get('ref'),
    workingDirectory: get('working-directory') || '.',
    root: get('root'),
    parallel: get('parallel'),
  };
}

/** The command line for those inputs; a wrong combination is refused before anything runs. */
export function argsFor(inputs, cwd = process.cwd()) {
  const dir = path.resolve(cwd, inputs.workingDirectory);
  const args = [inputs.command, '--json', '--cwd', dir];
  if (inputs.environment) args.push('--env', inputs.environment);
  if (inputs.dryRun) args.push('--dry-run');
  if (inputs.command === 'sync') {
    if (inputs.root) throw new Error('input "root" is for command: sync-org');
    if (inputs.direction) args.push('--direction', inputs.direction);
    if (inputs.ref) args.push('--ref', inputs.ref);
  } else if (inputs.command === 'sync-org') {
    if (inputs.direction || inputs.ref) throw new Error('inputs "direction" and "ref" are for command: sync (sync-org uses each project\'s config and HEAD)');
    if (inputs.parallel) args.push('--parallel', inputs.parallel);
    args.push('--root', path.resolve(dir, inputs.root || '.'));
  } else {
    throw new Error(`input "command" must be sync or sync-org (got "${inputs.command}")`);
  }
  return args;
}

/** A markdown table cell: one line, pipes and backticks made harmless (file names come from many people). */
const cell = (s) => String(s).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/\|/g, '\\|').replace(/`/g, "'");

/**
 * Text someone else wrote (a file name, a project, a message quoting a config key or the codex server's
 * lines), for the job summary (issue 19): as it is when it holds only characters markdown renders as
 * themselves and nothing GitHub would link (`://`, `www.`); else a code span, where markdown renders no
 * link, image, emphasis or HTML — one line, its pipes escaped for a table, its backticks made quotes.
 * '-' for nothing.
 */
export function markdownText(s) {
  const text = s === undefined || s === null ? '' : String(s);
  if (text === '') return '-';
  if (/^[\p{L}\p{N} .,;:=→'"()/+-]*$/u.test(text) && !/:\/\/|www\./i.test(text)) return text;
  return `\`${cell(text)}\``;
}

/** A workflow command's data, escaped as the runner reads it back (`%`, CR, LF): one command, one line. */
export const escapeData = (s) => String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const LIMIT = 200;

/** Outputs and summary of a `sync --json` document. */
export function reportSync(doc) {
  const t = doc.toCodex;
  const f = doc.fromCodex;
  const rows = [];
  if (t) for (const [what, list] of [['added', t.added], ['changed', t.changed], ['removed', t.removed]]) for (const p of list) rows.push([`to codex: ${what}`, p]);
  if (f) for (const [what, list] of [['added', f.added], ['changed', f.changed], ['removed', f.removed]]) for (const p of list) rows.push([`from codex: ${what}`, p]);
  const n = t ? t.added.length + t.changed.length + t.removed.length : 0;
  const lines = [`### codex-hooks sync: ${markdownText(doc.project)} [${markdownText(doc.env)}] → codex \`${cell(doc.codexBranch)}\`${doc.dryRun ? ' (dry run: nothing written)' : ''}`, ''];
  lines.push(t?.codexCommit ? `Codex commit \`${t.codexCommit}\`: ${n} file${n === 1 ? '' : 's'} changed.` : t ? `Nothing to change in the codex${doc.dryRun && n ? ` (${n} would change)` : ''}.` : 'No push to the codex (direction from-codex).');
  if (f) lines.push(`Pulled from the codex: ${f.added.length} added, ${f.changed.length} changed, ${f.removed.length} removed.`);
  if (rows.length) {
    lines.push('', '| change | file |', '|---|---|');
    for (const [what, p] of rows.slice(0, LIMIT)) lines.push(`| ${what} | \`${cell(p)}\` |`); // always a code span: no markdown in a file name
    if (rows.length > LIMIT) lines.push(`| … | ${rows.length - LIMIT} more |`);
  }
  return { outputs: { 'codex-commit': t?.codexCommit ?? '', 'files-changed': String(n), environment: doc.env }, summary: lines.join('\n') + '\n' };
}

/** Outputs and summary of a `sync-org --json` document: the organisation's rows. */
export function reportOrg(doc) {
  const { summary: s, projects } = doc;
  const lines = [`### codex-hooks sync-org: ${s.synced} synced, ${s.upToDate} up to date, ${s.skipped} skipped, ${s.failed} failed (of ${s.total})`, ''];
  lines.push('| project | env | codex branch | status | files | detail |', '|---|---|---|---|---|---|');
  for (const r of projects) lines.push(`| ${markdownText(r.project ?? path.basename(r.dir))} | ${markdownText(r.env)} | ${markdownText(r.codexBranch)} | ${r.status === 'failed' ? '**failed**' : markdownText(r.status)} | ${Number(r.changed) || 0} | ${markdownText(r.message)} |`);
  // The head of each codex branch's chain: the last commit the batch pushed there.
  const heads = new Map();
  for (const r of projects) if (r.codexCommit) heads.set(`${r.codexBranch}`, r.codexCommit);
  const envs = [...new Set(projects.map((r) => r.env).filter(Boolean))];
  const changed = projects.reduce((a, r) => a + (r.status === 'synced' || r.status === 'up-to-date' ? r.changed : 0), 0);
  return { outputs: { 'codex-commit': [...heads.values()].join(' '), 'files-changed': String(changed), environment: envs.join(' ') }, summary: lines.join('\n') + '\n' };
}

export function reportError(doc, command) {
  const e = doc.error ?? {};
  const lines = (s) => String(s).split('\n').map(markdownText).join('<br>');
  const summary = [`### codex-hooks ${command} failed`, '', `> ${lines(e.message ?? 'unknown error')}`, ...(e.hint ? ['', `Fix: ${lines(e.hint)}`] : [])].join('\n') + '\n';
  return { outputs: { 'codex-commit': '', 'files-changed': '0', environment: '' }, summary };
}

export function report(doc, command) {
  if (doc.ok === false) return reportError(doc, command);
  return command === 'sync-org' ? reportOrg(doc) : reportSync(doc);
}

/** Appends `name=value` lines to $GITHUB_OUTPUT (values are single lines: ids, counts, names). */
export function writeOutputs(file, outputs) {
  fs.appendFileSync(file, Object.entries(outputs).map(([k, v]) => `${k}=${String(v).replace(/[\r\n]+/g, ' ')}\n`).join(''));
}

async function main() {
  const inputs = readInputs();
  let args;
  try {
    args = argsFor(inputs);
  } catch (error) {
    process.stderr.write(`::error::${escapeData(error.message)}\n`);
    return 2;
  }
  // Whatever codex-hooks prints, and the summary echoed below, quote text others wrote (config keys, file
  // names, the codex server's lines): the runner acts on no workflow command in it until the token is
  // given back (https://docs.github.com/actions/reference/workflow-commands-for-github-actions#stopping-and-starting-workflow-commands).
  const token = randomUUID();
  process.stdout.write(`::stop-commands::${token}\n`);
  process.stderr.write(`codex-hooks ${args.filter((a) => a !== '--json').join(' ')}\n`);
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c) => resolve(c ?? 1));
  });
  let doc;
  try {
    doc = JSON.parse(stdout);
  } catch {
    process.stdout.write(`${stdout}\n::${token}::\n::error::codex-hooks printed no JSON document (exit ${code})\n`);
    return code || 1;
  }
  const { outputs, summary } = report(doc, inputs.command);
  process.stdout.write(summary);
  process.stdout.write(`::${token}::\n`);
  if (process.env.GITHUB_OUTPUT) writeOutputs(process.env.GITHUB_OUTPUT, outputs);
  if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary);
  if (doc.ok === false) process.stdout.write(`::error::${escapeData(doc.error?.message?.split('\n')[0] ?? 'codex-hooks failed')}\n`);
  return code;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
