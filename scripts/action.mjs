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

const yes = (v) => /^(true|yes|1)$/i.test(v);

/** The action's inputs, as the runner passes them to this step's environment. */
export function readInputs(env = process.env) {
  const get = (name) => (env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] ?? '').trim();
  return {
    command: get('command') || 'auto',
    environment: get('environment'),
    direction: get('direction'),
    dryRun: yes(get('dry-run')),
    ref: get('ref'),
    branch: get('branch'),
    productionBranch: get('production-branch') || 'main',
    allowDeletions: yes(get('allow-deletions')),
    workingDirectory: get('working-directory') || '.',
    root: get('root'),
    parallel: get('parallel'),
  };
}

/**
 * `command: auto`: the job the workflow's event asks for (the team model). A push to the production
 * branch moves the base of the layered environments (`sync --env test`: a push is not a release); a
 * push of another branch, or a pull request, syncs that branch's layer (its environment from the
 * branch); a deleted branch drops its layer; a release or a run by hand is production, named explicitly.
 * Returns the command and the environment it implies, or null when the event needs nothing (a deleted tag).
 */
export function jobFor(inputs, runner, payload) {
  const event = runner.GITHUB_EVENT_NAME ?? '';
  if (event === 'push') {
    const branch = runner.GITHUB_REF_TYPE === 'tag' ? null : runner.GITHUB_REF_NAME;
    return { command: 'sync', environment: branch === inputs.productionBranch ? 'test' : '' };
  }
  if (event === 'pull_request' || event === 'pull_request_target') return { command: 'sync', environment: '' };
  if (event === 'delete') return payload?.ref_type === 'branch' && payload.ref ? { command: 'layers-drop', branch: payload.ref } : null;
  if (event === 'release' || event === 'workflow_dispatch') return { command: 'sync', environment: 'prod' };
  throw new Error(`input "command" is auto, and the event "${event || '(none)'}" names no job: set command to sync, sync-org or layers-drop`);
}

/**
 * The command line for those inputs (`runner`: the runner's GITHUB_* variables; `payload`: the event's
 * JSON), or null when there is nothing to do. A wrong combination is refused before anything runs.
 * A detached HEAD's branch is the `branch` input, else what codex-hooks reads from GITHUB_HEAD_REF /
 * GITHUB_REF_NAME itself.
 */
export function argsFor(inputs, cwd = process.cwd(), runner = process.env, payload = null) {
  let { command, environment, branch } = inputs;
  if (command === 'auto') {
    const job = jobFor(inputs, runner, payload);
    if (!job) return null;
    command = job.command;
    environment ||= job.environment ?? '';
    branch ||= job.branch ?? '';
  }
  const dir = path.resolve(cwd, inputs.workingDirectory);
  if (command === 'layers-drop') {
    if (!branch) throw new Error('input "branch" names the branch whose layer command layers-drop drops');
    return ['layers', 'drop', branch, '--json', '--cwd', dir, ...(inputs.dryRun ? ['--dry-run'] : [])];
  }
  const args = [command, '--json', '--cwd', dir];
  if (environment) args.push('--env', environment);
  if (inputs.dryRun) args.push('--dry-run');
  if (command === 'sync') {
    if (inputs.root) throw new Error('input "root" is for command: sync-org');
    if (inputs.direction) args.push('--direction', inputs.direction);
    if (inputs.ref) args.push('--ref', inputs.ref);
    if (branch) args.push('--branch', branch);
    if (inputs.allowDeletions) args.push('--allow-deletions');
  } else if (command === 'sync-org') {
    if (inputs.direction || inputs.ref) throw new Error('inputs "direction" and "ref" are for command: sync (sync-org uses each project\'s config and HEAD)');
    if (inputs.parallel) args.push('--parallel', inputs.parallel);
    args.push('--root', path.resolve(dir, inputs.root || '.'));
  } else {
    throw new Error(`input "command" must be auto, sync, sync-org or layers-drop (got "${command}")`);
  }
  return args;
}

const INPUT_OF = { env: 'environment', 'dry-run': 'dry-run', direction: 'direction', ref: 'ref', branch: 'branch', parallel: 'parallel', root: 'root', 'allow-deletions': 'allow-deletions' };
const TAKES_VALUE = new Set(['env', 'direction', 'ref', 'branch', 'parallel', 'root']);
// `pass --env with one of: …`: the word after a flag is its value unless it is plain English
const NOT_A_VALUE = /^(with|to|or|and|for|the|a|an|if|when|that|is|of)$/;

const flagsAsInputs = (text) =>
  text.replace(/(^|\s)--([a-z-]+)(?:([ =])([^\s`'",;)]+))?/g, (all, lead, flag, sep, value) => {
    const input = INPUT_OF[flag];
    if (!input) return all;
    if (TAKES_VALUE.has(flag) && value && !value.startsWith('-') && !NOT_A_VALUE.test(value)) return `${lead}the input \`${input}: ${value}\``;
    const named = `${lead}the input \`${input}${TAKES_VALUE.has(flag) ? '' : ': true'}\``;
    return value === undefined ? named : `${named}${sep}${value}`;
  });

/**
 * codex-hooks' hints name its flags (`pass --env prod`); in a workflow they are the Action's inputs
 * (`set the input \`environment: prod\``). A terminal's `--yes` has no place in CI: dropped.
 */
export function inActionTerms(text) {
  const commands = String(text)
    .replace(/,? or --yes to confirm/g, '')
    .replace(/\b(?:run|rerun) `(?:npx |pnpm exec |yarn )?codex-hooks (?:sync|sync-org)((?: --[^`]+)?)`/g, (_, flags) => (flags.trim() ? `set${flagsAsInputs(flags)}` : 'run this step again'))
    .replace(/\bpass (--[a-z-]+)/g, 'set $1');
  return flagsAsInputs(commands);
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
  const dry = !!doc.dryRun;
  // a dry run did nothing: every line says what would be done
  const verb = { added: dry ? 'would add' : 'added', changed: dry ? 'would change' : 'changed', removed: dry ? 'would remove' : 'removed' };
  const rows = [];
  if (t) for (const [what, list] of [['added', t.added], ['changed', t.changed], ['removed', t.removed]]) for (const p of list) rows.push([`to codex: ${verb[what]}`, p]);
  if (f) for (const [what, list] of [['added', f.added], ['changed', f.changed], ['removed', f.removed]]) for (const p of list) rows.push([`from codex: ${verb[what]}`, p]);
  const n = t ? t.added.length + t.changed.length + t.removed.length : 0;
  const files = (k) => `${k} file${k === 1 ? '' : 's'}`;
  const lines = [`### codex-hooks sync: ${markdownText(doc.project)} [${markdownText(doc.env)}] → codex \`${cell(doc.codexBranch)}\`${dry ? ' (dry run: nothing written)' : ''}`, ''];
  if (!t) lines.push(`No push to the codex (input \`direction\`: from-codex).`);
  else if (dry) lines.push(n ? `Would push ${files(n)} to the codex.` : 'Would change nothing in the codex.');
  else lines.push(t.codexCommit ? `Codex commit \`${t.codexCommit}\`: ${files(n)} changed.` : 'Nothing to change in the codex.');
  if (f) lines.push(`${dry ? 'Would pull from the codex' : 'Pulled from the codex'}: ${f.added.length} added, ${f.changed.length} changed, ${f.removed.length} removed.`);
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
  // The Action's own inputs, as inActionTerms names them (`environment: prod`), stay code; the rest is others' text.
  const hintText = (s) => String(s).split('\n').map((l) => l.split(/(`[a-z-]+: [A-Za-z0-9._/-]*`)/).map((part, i) => (i % 2 ? part : part && markdownText(part))).join('')).join('<br>');
  const summary = [`### codex-hooks ${command} failed`, '', `> ${lines(inActionTerms(e.message ?? 'unknown error'))}`, ...(e.hint ? ['', `Fix: ${hintText(inActionTerms(e.hint))}`] : [])].join('\n') + '\n';
  return { outputs: { 'codex-commit': '', 'files-changed': '0', environment: '' }, summary };
}

export function report(doc, command) {
  if (doc.ok === false) return reportError(doc, command);
  if (command === 'layers') return reportLayers(doc);
  return command === 'sync-org' ? reportOrg(doc) : reportSync(doc);
}

/** `layers drop --json` (the command comes with the layered environments): what was dropped, by name. */
export function reportLayers(doc) {
  const dropped = [].concat(doc.dropped ?? doc.branch ?? []).map(String);
  const lines = [`### codex-hooks layers drop${dropped.length ? `: ${dropped.map((b) => `\`${cell(b)}\``).join(', ')}` : ''}`, ''];
  lines.push(doc.codexCommit ? `Codex commit \`${doc.codexCommit}\`.` : 'Nothing to change in the codex.');
  return { outputs: { 'codex-commit': doc.codexCommit ?? '', 'files-changed': String(doc.filesChanged ?? doc.changed ?? 0), environment: doc.env ?? '' }, summary: lines.join('\n') + '\n' };
}

/** Appends `name=value` lines to $GITHUB_OUTPUT (values are single lines: ids, counts, names). */
export function writeOutputs(file, outputs) {
  fs.appendFileSync(file, Object.entries(outputs).map(([k, v]) => `${k}=${String(v).replace(/[\r\n]+/g, ' ')}\n`).join(''));
}

/** The event's JSON ($GITHUB_EVENT_PATH), or null outside a runner. */
function eventPayload(env = process.env) {
  try {
    return env.GITHUB_EVENT_PATH ? JSON.parse(fs.readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) : null;
  } catch {
    return null;
  }
}

async function main() {
  const inputs = readInputs();
  let args;
  try {
    args = argsFor(inputs, process.cwd(), process.env, eventPayload());
  } catch (error) {
    process.stderr.write(`::error::${escapeData(error.message)}\n`);
    return 2;
  }
  if (args === null) {
    const summary = `### codex-hooks: nothing to do for this ${process.env.GITHUB_EVENT_NAME} event (a deleted tag has no layer)\n`;
    process.stdout.write(summary);
    if (process.env.GITHUB_OUTPUT) writeOutputs(process.env.GITHUB_OUTPUT, { 'codex-commit': '', 'files-changed': '0', environment: '' });
    if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary);
    return 0;
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
  const { outputs, summary } = report(doc, args[0]);
  process.stdout.write(summary);
  process.stdout.write(`::${token}::\n`);
  if (process.env.GITHUB_OUTPUT) writeOutputs(process.env.GITHUB_OUTPUT, outputs);
  if (process.env.GITHUB_STEP_SUMMARY) fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary);
  if (doc.ok === false) process.stdout.write(`::error::${escapeData(inActionTerms(doc.error?.message?.split('\n')[0] ?? 'codex-hooks failed'))}\n`);
  return code;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
