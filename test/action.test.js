// The GitHub Action's step (scripts/action.mjs) run as the runner runs it: inputs as INPUT_* variables,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY as files, against a real local codex.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import yaml from 'js-yaml';
import { cleanup, codexFiles, commit, git, isolatedEnv, makeCodex, makeRepo, refOf, ROOT, run, tmpdir, writeConfig } from './helpers.js';
import { argsFor, readInputs } from '../scripts/action.mjs';

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
  // in the Action's own terms (its inputs), not the command line's
  const prod = await step(dir, env, { command: 'sync' });
  assert.is(prod.code, 3);
  assert.match(prod.summary, /codex-hooks sync failed/);
  assert.match(prod.summary, /set the input `environment: prod`/);
  assert.not.match(prod.summary, /--env|--yes/);
  assert.is(prod.outputs['codex-commit'], '');
});

t('a dry run\'s summary says what would be pushed and pulled, nothing as done', async () => {
  const env = isolatedEnv({ CI: 'true' });
  const codex = makeCodex(env);
  const dir = makeRepo(env, { 'docs/a.md': 'a\n' }, 'site');
  writeConfig(dir, { codex_url: codex });
  commit(dir, env, { 'docs/b.md': 'b\n' });
  const r = await step(dir, env, { command: 'sync', environment: 'test', 'dry-run': 'true' });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.summary, /dry run: nothing written/);
  assert.match(r.summary, /Would push 2 files to the codex/);
  assert.match(r.summary, /Would pull from the codex: 1 added, 0 changed, 0 removed/);
  assert.match(r.summary, /\| from codex: would add \| `shared\/guide\.md` \|/);
  assert.not.match(r.summary, /Pulled from the codex|Nothing to change/);
  assert.is(r.outputs['codex-commit'], '');
  assert.equal(codexFiles(codex, 'test', env)['projects/site/docs/a.md'], undefined);
});

t('command auto: the job follows github.event_name (push, delete, release, workflow_dispatch); the branch comes from the event', () => {
  const cwd = '/w';
  const run = (event, extra = {}, payload = {}) =>
    argsFor(readInputs({ INPUT_COMMAND: 'auto', INPUT_PRODUCTION_BRANCH: 'main', ...extra }), cwd, { GITHUB_EVENT_NAME: event, GITHUB_REF_NAME: extra.ref ?? 'main', GITHUB_REF_TYPE: 'branch', ...extra.runner }, payload);
  // a push to the production branch moves the base of the layered environments: test, never prod
  assert.equal(run('push'), ['sync', '--json', '--cwd', '/w', '--env', 'test']);
  // a feature branch: its own layer, the environment from the branch
  assert.equal(run('push', { ref: 'feat/x' }), ['sync', '--json', '--cwd', '/w']);
  assert.equal(run('pull_request', { runner: { GITHUB_HEAD_REF: 'feat/y' } }), ['sync', '--json', '--cwd', '/w']);
  // a deleted branch drops its layer; a deleted tag is nothing to do
  assert.equal(run('delete', {}, { ref: 'feat/x', ref_type: 'branch' }), ['layers', 'drop', 'feat/x', '--json', '--cwd', '/w']);
  assert.is(run('delete', {}, { ref: 'v1.0.0', ref_type: 'tag' }), null);
  // a release, or a run by hand, is production, named explicitly
  assert.equal(run('release'), ['sync', '--json', '--cwd', '/w', '--env', 'prod']);
  assert.equal(run('workflow_dispatch'), ['sync', '--json', '--cwd', '/w', '--env', 'prod']);
  // the environment input always wins; the branch input names a detached HEAD's branch
  assert.equal(run('release', { INPUT_ENVIRONMENT: 'staging' }), ['sync', '--json', '--cwd', '/w', '--env', 'staging']);
  assert.equal(run('push', { ref: 'feat/x', INPUT_BRANCH: 'feat/x' }), ['sync', '--json', '--cwd', '/w', '--branch', 'feat/x']);
  assert.throws(() => run('schedule'), /input "command"/);
  // named commands as before, and layers-drop by name
  assert.equal(argsFor(readInputs({ INPUT_COMMAND: 'layers-drop', INPUT_BRANCH: 'old' }), cwd, {}), ['layers', 'drop', 'old', '--json', '--cwd', '/w']);
  assert.throws(() => argsFor(readInputs({ INPUT_COMMAND: 'layers-drop' }), cwd, {}), /input "branch"/);
  assert.equal(argsFor(readInputs({ INPUT_COMMAND: 'sync', INPUT_ENVIRONMENT: 'test', INPUT_ALLOW_DELETIONS: 'true' }), cwd, {}), ['sync', '--json', '--cwd', '/w', '--env', 'test', '--allow-deletions']);
});

t('command auto on a release, run as the runner runs it: production, explicitly, without a question', async () => {
  const env = isolatedEnv({ CI: 'true' });
  const codex = makeCodex(env);
  const dir = makeRepo(env, { 'docs/a.md': 'a\n' }, 'site');
  writeConfig(dir, { codex_url: codex });
  commit(dir, env, { 'docs/b.md': 'b\n' });
  git(dir, ['checkout', '-q', '--detach'], env);
  const r = await step(dir, { ...env, GITHUB_EVENT_NAME: 'release', GITHUB_REF_NAME: 'v1.0.0', GITHUB_REF_TYPE: 'tag' }, { command: 'auto' });
  assert.is(r.code, 0, r.stderr);
  assert.equal(r.outputs, { 'codex-commit': refOf(codex, 'main', env), 'files-changed': '2', environment: 'prod' });
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
  assert.equal(inputs, ['command', 'environment', 'direction', 'dry-run', 'ref', 'branch', 'production-branch', 'allow-deletions', 'working-directory', 'root', 'parallel', 'token']);
  assert.is(action.inputs.command.default, 'auto');
  for (const c of ['auto', 'sync', 'sync-org', 'layers-drop', 'push', 'delete', 'release']) assert.match(action.inputs.command.description, c);
  assert.is(action.inputs.token.default, '${{ github.token }}');
  assert.is(action.inputs['production-branch'].default, '${{ github.event.repository.default_branch }}');
  assert.is(action.runs.using, 'composite');
  const [setup, build, sync] = action.runs.steps;
  assert.match(setup.uses, /^actions\/setup-node@v[5-9]/);
  assert.is(String(setup.with['node-version']), '24');
  // setup-node's package-manager cache fails in a pnpm or yarn `packageManager` repository (and caches nothing of ours)
  assert.is(setup.with['package-manager-cache'], false);
  assert.not.ok('cache' in setup.with);
  assert.match(build.run, /npm ci/);
  assert.is(build['working-directory'], '${{ github.action_path }}');
  assert.is(sync.id, 'sync');
  const script = fs.readFileSync(path.join(ROOT, 'scripts/action.mjs'), 'utf8');
  for (const name of inputs.filter((n) => n !== 'token')) {
    assert.is(sync.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`], `\${{ inputs.${name} }}`);
    assert.match(script, new RegExp(`get\\('${name}'\\)`));
  }
  assert.is(sync.env.GITHUB_TOKEN, '${{ inputs.token }}');
  for (const step of action.runs.steps) if (step.run) assert.not.match(step.run, /\$\{\{/, step.run);
  for (const out of ['codex-commit', 'files-changed', 'environment']) assert.is(action.outputs[out].value, `\${{ steps.sync.outputs.${out} }}`);
  // the shipped workflows run through the action
  const examples = fs.readdirSync(path.join(ROOT, 'examples/github-actions')).sort();
  assert.equal(examples, ['docs-delete.yml', 'docs-push.yml', 'docs-release.yml', 'org-sync.yml']);
  const load = (file) => yaml.load(fs.readFileSync(path.join(ROOT, 'examples/github-actions', file), 'utf8'));
  for (const file of examples) {
    const steps = Object.values(load(file).jobs).flatMap((j) => j.steps);
    const uses = steps.filter((st) => /\/codex-hooks@/.test(st.uses ?? ''));
    assert.is(uses.length, 1, file);
    assert.not.ok(steps.some((st) => /node-version: 20|npx codex-hooks|npm install --global/.test(JSON.stringify(st))), file);
  }
  // the team model: push to the production branch, delete, release; full history for the layers' merge bases
  const team = { 'docs-push.yml': 'push', 'docs-delete.yml': 'delete', 'docs-release.yml': 'release' };
  for (const [file, event] of Object.entries(team)) {
    const workflow = load(file);
    // js-yaml reads the key `on` as true (YAML 1.1)
    const on = workflow.on ?? workflow[true];
    assert.ok(event in on, file);
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const checkout = steps.find((st) => /^actions\/checkout@/.test(st.uses ?? ''));
    assert.is(checkout?.with?.['fetch-depth'], 0, file);
  }
  const push = load('docs-push.yml');
  assert.ok((push.on ?? push[true]).push.branches.includes('main'));
  const releaseStep = Object.values(load('docs-release.yml').jobs).flatMap((j) => j.steps).find((st) => /\/codex-hooks@/.test(st.uses ?? ''));
  assert.is(releaseStep.with.environment, 'prod');
});

t.run();
