// A repository's own data config is not trusted (issue 19): a codex URL that git would read as an option
// (`--upload-pack=<command>`) is bad input wherever a URL enters — a committed config, --codex, CODEX_URL,
// init — and git is given `--` before every URL, so nothing ever runs the command.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, git, isolatedEnv, makeCodex, makeRepo, tmpdir, writeConfig } from './helpers.js';
import { installedProject, pushWithoutTerminal } from './e2e-helpers.js';
import { mcpCall } from './mcp-process.js';

const t = suite('hostile-config');
t.after.each(cleanup);

/**
 * A marker file that only the injected command would make, and the URL that would make it. The URL has
 * no slash before its first colon, so it reads as scp-like (`host:path`), never as a local path: the
 * marker's path reaches the shell through the environment (`env` must be given to the command run).
 */
function hostile(option = 'upload-pack') {
  const marker = path.join(tmpdir('marker-'), 'ran');
  return { marker, url: `--${option}=touch "$CODEX_TEST_MARKER";:acme/codex.git` };
}
const markedEnv = (marker, extra = {}) => isolatedEnv({ CODEX_TEST_MARKER: marker, ...extra });

/** A project whose committed .codexrc.json names the hostile URL. */
function hostileProject(env, url) {
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: url, project_name: 'api' });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'a config from someone else'], env);
  return dir;
}

const mcpStatus = (cwd, env, args = []) => mcpCall(cwd, env, args, 'codex_status');

const refused = (r, where, { serverStarted = false } = {}) => {
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, where);
  assert.match(r.stderr, /starts with "-"/);
  // The MCP server reads its config after it starts; its tool handler logs any config error as
  // "unexpected" (src/mcp/server.ts, any invalid config: reported, left to the MCP work of issue 19).
  if (!serverStarted) assert.not.match(r.stderr, /unexpected error/);
};

t('a committed codex_url starting with "-": status, sync --dry-run, fetch, mcp refuse it (exit 2), nothing runs', async () => {
  const { marker, url } = hostile();
  const env = markedEnv(marker);
  const dir = hostileProject(env, url);
  refused(await cli(['status'], { cwd: dir, env }), /codex_url/);
  refused(await cli(['sync', '--dry-run', '--env', 'test'], { cwd: dir, env }), /codex_url/);
  refused(await cli(['sync', '--dry-run'], { cwd: dir, env: { ...env, CODEX_ENV: 'test' } }), /codex_url/);
  refused(await cli(['fetch', 'codex://acme/api/docs/intro.md'], { cwd: dir, env }), /codex_url/);
  refused(await mcpStatus(dir, env), /codex_url/, { serverStarted: true });
  assert.not.ok(fs.existsSync(marker), 'the injected command ran');
});

t('a committed codex_url starting with "-": sync-org fails that row, nothing runs', async () => {
  const { marker, url } = hostile();
  const env = markedEnv(marker);
  const dir = hostileProject(env, url);
  const r = await cli(['sync-org', '--env', 'test', dir], { cwd: path.dirname(dir), env });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stdout + r.stderr, /codex_url/);
  assert.not.ok(fs.existsSync(marker), 'the injected command ran');
});

t('--codex=-…, CODEX_URL=-… (fetch, mcp) and init --codex=-… are bad input naming the flag or variable', async () => {
  const { marker, url } = hostile();
  const env = markedEnv(marker);
  const away = tmpdir('no-checkout-');
  refused(await cli(['fetch', 'codex://acme/api/docs/intro.md', `--codex=${url}`], { cwd: away, env }), /--codex/);
  refused(await cli(['fetch', 'codex://acme/api/docs/intro.md'], { cwd: away, env: { ...env, CODEX_URL: url } }), /CODEX_URL/);
  refused(await mcpStatus(away, env, [`--codex=${url}`]), /--codex/);
  refused(await mcpStatus(away, { ...env, CODEX_URL: url }), /CODEX_URL/);
  const dir = makeRepo(env);
  refused(await cli(['init', '--yes', `--codex=${url}`], { cwd: dir, env }), /--codex/);
  assert.not.ok(fs.existsSync(path.join(dir, '.codexrc.json')), 'init wrote nothing');
  assert.not.ok(fs.existsSync(marker), 'the injected command ran');
  assert.not.ok(fs.existsSync(env.CODEX_HOOKS_CACHE_DIR), 'no cache made: refused before any git work');
});

t('a codex_url with a control character is bad input too (git would take a newline as the end of a line)', async () => {
  const env = isolatedEnv();
  const dir = hostileProject(env, 'https://example.com/acme/codex.git\n--upload-pack=x');
  const r = await cli(['status'], { cwd: dir, env });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /codex_url.*control character/);
});

t('through installed hooks: a plain git commit and git push go on, the command never runs', async () => {
  const { marker, url } = hostile();
  const { env: base, dir } = await installedProject({ config: { hooks: { post_commit: 'foreground' } } });
  const env = { ...base, CODEX_TEST_MARKER: marker };
  writeConfig(dir, { codex_url: url, project_name: 'api', hooks: { post_commit: 'foreground' } });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'a config from someone else'], env);
  fs.writeFileSync(path.join(dir, 'docs/intro.md'), '# Intro, again\n');
  git(dir, ['commit', '-q', '-am', 'a plain commit'], env);
  const push = await pushWithoutTerminal(dir, env, ['origin', 'main']);
  assert.is(push.code, 0, push.stderr);
  assert.match(push.stderr, /codex_url/);
  assert.not.ok(fs.existsSync(marker), 'the injected command ran');
});

t('the git gateway puts -- before the URL: a URL that slipped past the checks is never an option', async () => {
  const { openCache, startFetch, startPush, remoteBranches } = await import('../dist/sync/cache/cache.js');
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const cache = await openCache(codex, env);
  const tip = await startFetch(cache, 'main').done;
  for (const option of ['upload-pack', 'receive-pack']) {
    const { marker, url } = hostile(option);
    cache.env = { ...env, CODEX_TEST_MARKER: marker };
    cache.connection.url = url;
    await startFetch(cache, 'main').done.catch(() => {});
    await remoteBranches(cache).catch(() => {});
    await startPush(cache, tip, 'main').done.catch(() => {});
    assert.not.ok(fs.existsSync(marker), `--${option} ran`);
  }
});

t('--ref starting with "-" names no commit (exit 2), never an option of rev-parse', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  writeConfig(dir, { codex_url: makeCodex(env), project_name: 'api' });
  const r = await cli(['sync', '--dry-run', '--env', 'test', '--ref=--git-dir'], { cwd: dir, env });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /--git-dir/);
});

t.run();
