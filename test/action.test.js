// The GitHub Action's step (scripts/action.mjs) run as the runner runs it: inputs as INPUT_* variables,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files, against a real local codex.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import yaml from 'js-yaml';
import { cleanup, commit, git, isolatedEnv, makeCodex, makeRepo, refOf, ROOT, run, tmpdir, writeConfig } from './helpers.js';

const t = suite('action');
t.after.each(cleanup);

/** Runs the action's step in `workspace` with `inputs`; returns the exit code, outputs and summary. */
async function step(workspace, env, inputs) {
  const files = tmpdir('gh-');
  const runnerEnv = { ...env, GITHUB_OUTPUT: path.join(files, 'output'), GITHUB_STEP_SUMMARY: path.join(files, 'summary'), GITHUB_ACTION_PATH: ROOT };
  for (const [k, v] of Object.entries(inputs)) runnerEnv[`INPUT_${k.toUpperCase().replace(/-/g, '_')}`] = v;
  const r = await run(process.execPath, [path.join(ROOT, 'scripts/action.mjs')], { cwd: workspace, env: runnerEnv });
  const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  const outputs = Object.fromEntries(read(runnerEnv.GITHUB_OUTPUT).split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { ...r, outputs, summary: read(runnerEnv.GITHUB_STEP_SUMMARY) };
}

t('sync: outputs codex-commit, files-changed and environment; the summary lists what changed', async () => {
  const env = isolatedEnv({ CI: 'true' });
  const codex = makeCodex(env);
  const dir = makeRepo(env, { 'docs/a.md': 'a\n', 'docs/b|c.md': 'pipe in the name\n' }, 'site');
  writeConfig(dir, { codex_url: codex });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'config'], env);
  const r = await step(dir, env, { command: 'sync', environment: 'test' });
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.outputs, { 'codex-commit': refOf(codex, 'test', env), 'files-changed': '2', environment: 'test' });
  assert.match(r.summary, /### codex-hooks sync: site \[test\] → codex `test`/);
  assert.match(r.summary, /\| change \| file \|/);
  assert.match(r.summary, /\| to codex: added \| `docs\/a\.md` \|/);
  assert.match(r.summary, /\| to codex: added \| `docs\/b\\\|c\.md` \|/);
  assert.match(r.summary, /\| from codex: added \| `shared\/guide\.md` \|/);
  // nothing new: no commit, zero files; working-directory and dry-run honoured
  const again = await step(path.dirname(dir), env, { command: 'sync', environment: 'test', 'working-directory': 'site', 'dry-run': 'true' });
  assert.is(again.code, 0, again.stderr);
  assert.equal(again.outputs, { 'codex-commit': '', 'files-changed': '0', environment: 'test' });
  assert.match(again.summary, /dry run: nothing written/);
  // production is never assumed: main without an environment is exit 3, the summary says what to do
  const prod = await step(dir, env, { command: 'sync' });
  assert.is(prod.code, 3);
  assert.match(prod.summary, /codex-hooks sync failed/);
  assert.match(prod.summary, /pass --env prod/);
  assert.is(prod.outputs['codex-commit'], '');
});

t('sync-org: the organisation rows in the summary, one codex commit per codex branch, exit 1 when a row failed', async () => {
  const env = isolatedEnv({ CI: 'true' });
  const codex = makeCodex(env);
  const workspace = tmpdir('ws-');
  const repos = path.join(workspace, 'repos');
  for (const n of ['svc1', 'svc2', 'svc10']) {
    const dir = path.join(repos, n);
    fs.mkdirSync(dir, { recursive: true });
    git(dir, ['init', '-q', '-b', 'main'], env);
    writeConfig(dir, n === 'svc10' ? { codex_url: codex, sync_patern: [] } : { codex_url: codex });
    commit(dir, env, { 'docs/index.md': `# ${n}\n` });
  }
  const r = await step(workspace, env, { command: 'sync-org', environment: 'test', root: 'repos' });
  assert.is(r.code, 1, r.stderr);
  assert.equal(r.outputs, { 'codex-commit': refOf(codex, 'test', env), 'files-changed': '2', environment: 'test' });
  assert.match(r.summary, /### codex-hooks sync-org: 2 synced, 0 up to date, 0 skipped, 1 failed \(of 3\)/);
  assert.match(r.summary, /\| svc1 \| test \| test \| synced \| 1 \| → [0-9a-f]{7} \|/);
  assert.match(r.summary, /\| svc10 \| - \| - \| \*\*failed\*\* \| 0 \| .*sync_patern/);
  assert.ok(r.summary.indexOf('| svc2 ') < r.summary.indexOf('| svc10 '));
  // a bad input combination is refused before anything runs
  const bad = await step(workspace, env, { command: 'sync-org', environment: 'test', ref: 'HEAD~1' });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /::error::inputs "direction" and "ref" are for command: sync/);
});

t('action.yml: every input reaches the script through the environment, none is pasted into a shell line; the examples use it', () => {
  const action = yaml.load(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8'));
  const inputs = Object.keys(action.inputs);
  assert.equal(inputs, ['command', 'environment', 'direction', 'dry-run', 'ref', 'working-directory', 'root', 'parallel', 'token']);
  assert.is(action.runs.using, 'composite');
  const [setup, build, sync] = action.runs.steps;
  assert.match(setup.uses, /^actions\/setup-node@v[5-9]/);
  assert.is(String(setup.with['node-version']), '24');
  assert.match(build.run, /npm ci/);
  assert.is(build['working-directory'], '${{ github.action_path }}');
  assert.is(sync.id, 'sync');
  const script = fs.readFileSync(path.join(ROOT, 'scripts/action.mjs'), 'utf8');
  for (const name of inputs.filter((n) => n !== 'token')) {
    assert.is(sync.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`], `\${{ inputs.${name} }}`);
    assert.match(script, new RegExp(`get\\('${name}'\\)`));
  }
  assert.match(sync.env.GITHUB_TOKEN, /inputs\.token/);
  for (const step of action.runs.steps) if (step.run) assert.not.match(step.run, /\$\{\{/, step.run);
  for (const out of ['codex-commit', 'files-changed', 'environment']) assert.is(action.outputs[out].value, `\${{ steps.sync.outputs.${out} }}`);
  // the shipped workflows run through the action, naming the environment
  for (const file of ['docs-sync.yml', 'org-sync.yml']) {
    const workflow = yaml.load(fs.readFileSync(path.join(ROOT, 'examples/github-actions', file), 'utf8'));
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const uses = steps.filter((st) => /\/codex-hooks@/.test(st.uses ?? ''));
    assert.is(uses.length, 1, file);
    assert.ok(uses[0].with.environment, file);
    assert.not.ok(steps.some((st) => /node-version: 20|npx codex-hooks|npm install --global/.test(JSON.stringify(st))), file);
  }
});

t.run();
