// The Action prints and summarises text that others wrote (config keys, file names, the codex server's
// lines): none of it may become a workflow command (`::error::`, `::add-mask::`…) or render as markdown
// (a link, an image, HTML) in the job summary (issue 19 item 13).
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, git, isolatedEnv, makeCodex, makeRepo, ROOT, run, tmpdir, writeConfig } from './helpers.js';

const t = suite('action-escape');
t.after.each(cleanup);

/** Runs the action's step in `workspace` with `inputs`, as the runner would. */
async function step(workspace, env, inputs) {
  const files = tmpdir('gh-');
  const runnerEnv = { ...env, GITHUB_OUTPUT: path.join(files, 'output'), GITHUB_STEP_SUMMARY: path.join(files, 'summary'), GITHUB_ACTION_PATH: ROOT };
  for (const [k, v] of Object.entries(inputs)) runnerEnv[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  const r = await run(process.execPath, [path.join(ROOT, 'scripts/action.mjs')], { cwd: workspace, env: runnerEnv });
  const summary = fs.existsSync(runnerEnv.GITHUB_STEP_SUMMARY) ? fs.readFileSync(runnerEnv.GITHUB_STEP_SUMMARY, 'utf8') : '';
  return { ...r, summary };
}

/**
 * The workflow commands the runner would act on, reading the step's stdout then its stderr (the step
 * writes its stop-commands line before it starts codex-hooks, and resumes after codex-hooks ended).
 */
function commandsRun({ stdout, stderr }) {
  const lines = stdout.split('\n');
  const first = /^::stop-commands::(.+)$/.exec(lines[0] ?? '');
  const resume = first ? lines.indexOf(`::${first[1]}::`) : -1;
  const active = [];
  const take = (line) => {
    const m = /^::([A-Za-z-]+)( [^:]*)?::(.*)$/.exec(line.trim());
    if (m) active.push({ command: m[1], data: m[3] });
  };
  if (!first || resume < 0) {
    // nothing stopped: every line of both streams counts
    for (const line of [...lines, ...stderr.split('\n')]) take(line);
    return active;
  }
  for (const line of lines.slice(resume + 1)) take(line);
  return active;
}

/** The summary without its code spans: what GitHub renders as markdown. */
const rendered = (summary) => summary.replace(/`[^`\n]*`/g, '');

t('a config key with a newline and ::error:: injects no workflow command; the step still reports the error', async () => {
  const env = isolatedEnv({ CI: 'true' });
  const dir = makeRepo(env);
  fs.writeFileSync(path.join(dir, '.codexrc.json'), JSON.stringify({ codex_url: makeCodex(env), 'x\n::error::injected\n::add-mask::': 1 }));
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'config'], env);
  const r = await step(dir, env, { command: 'sync', environment: 'test' });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stdout + r.stderr, /::error::injected/, 'the hostile key is in the output');
  const commands = commandsRun(r);
  assert.equal(commands.map((c) => c.command), ['error'], JSON.stringify(commands));
  assert.not.match(commands[0].data, /[\r\n]/);
  assert.match(commands[0].data, /Invalid configuration/);
  assert.match(r.stdout, /^::stop-commands::[0-9a-f-]{36}\n/, 'commands stopped before codex-hooks starts');
});

t('file names and messages never render as links, images or HTML in the summary', async () => {
  const env = isolatedEnv({ CI: 'true' });
  const codex = makeCodex(env);
  const names = ['docs/![img](https:__evil.example_p.png).md', 'docs/[link](https:__evil.example).md', 'docs/<img src=x onerror=alert(1)>.md', 'docs/a*b*_c_.md'];
  const dir = makeRepo(env, Object.fromEntries(names.map((n) => [n, 'x\n'])), 'site');
  writeConfig(dir, { codex_url: codex });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'config'], env);
  const r = await step(dir, env, { command: 'sync', environment: 'test' });
  assert.is(r.code, 0, r.stderr);
  const shown = rendered(r.summary);
  assert.not.match(shown, /\]\(|<img|<a /i, shown);
  // sync-org: a failed row's message holds the hostile key
  const root = tmpdir('org-');
  const bad = makeRepo(env, undefined, 'bad');
  fs.renameSync(bad, path.join(root, 'bad'));
  fs.writeFileSync(path.join(root, 'bad/.codexrc.json'), JSON.stringify({ codex_url: codex, '[click](https://evil.example) <img src=x>': 1 }));
  const org = await step(root, env, { command: 'sync-org', environment: 'test' });
  assert.is(org.code, 1, org.stderr);
  assert.match(org.summary, /click/);
  assert.not.match(rendered(org.summary), /\]\(|<img/i, org.summary);
});

t('escapeData and markdownText', async () => {
  const { escapeData, markdownText } = await import('../scripts/action.mjs');
  assert.is(escapeData('50% done\r\nnext'), '50%25 done%0D%0Anext');
  assert.is(markdownText('a|b`c'), '`a\\|b\'c`');
  assert.is(markdownText(''), '-');
  assert.is(markdownText('line\n::error::x'), '`line\\x0a::error::x`');
  assert.is(markdownText('→ abc1234'), '→ abc1234');
  assert.is(markdownText('see https://evil.example'), '`see https://evil.example`');
  assert.is(markdownText('a_b_'), '`a_b_`');
});

t.run();
