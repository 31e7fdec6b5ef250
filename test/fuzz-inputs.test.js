// Properties over untrusted input (issue 19, "Also"): config values, codex URLs, branch names and the
// timeout. Seeded fast-check, bounded runs. The pure checks run many cases; the end-to-end one runs real
// commands against a real codex: no input makes a command run something, write outside its folders,
// hang or crash ("unexpected error").
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { urlProblem, splitUrl, redactUrl } from '../dist/core/url.js';
import { validBranchName } from '../dist/core/names.js';
import { validateConfig } from '../dist/config/validate.js';
import { checkCodexUrl } from '../dist/config/normalize.js';
import { connectionFor, makeRedactor } from '../dist/sync/cache/remote.js';
import { timeoutProblem, timeoutSeconds, MAX_TIMEOUT_SECONDS } from '../dist/core/timeout.js';
import { UsageError } from '../dist/core/errors.js';
import { cleanup, cli, git, isolatedEnv, makeCodex, tmpdir, writeConfig, writeFiles } from './helpers.js';
import { snapshot } from './hostile-helpers.js';

const t = suite('fuzz-inputs');
t.after.each(cleanup);

const SEED = 19;
const chars = (set, maxLength = 12, minLength = 0) => fc.string({ unit: fc.constantFrom(...set), minLength, maxLength });
/** The characters that matter to git's ref rules, plus plain ones. */
const REF_CHARS = ['a', 'b', 'l', 'o', 'c', 'k', 'H', 'E', 'A', 'D', '.', '/', '@', '{', '}', '-', '*', ' ', '~', '^', ':', '?', '[', '\\', '\t', '\u007f', 'é'];

t('validBranchName agrees with git check-ref-format (refs/heads/<name>, not -…, HEAD or @)', () => {
  const gitSays = (name) => spawnSync('git', ['check-ref-format', `refs/heads/${name}`]).status === 0 && !name.startsWith('-') && name !== 'HEAD' && name !== '@';
  fc.assert(
    fc.property(chars(REF_CHARS, 10), (name) => {
      if (name.includes('\0')) return;
      assert.is(validBranchName(name), gitSays(name), JSON.stringify(name));
    }),
    { seed: SEED, numRuns: 300 },
  );
});

t('a URL that passes checkCodexUrl never reads as an option and holds no control character', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 30 }), chars(['-', '-', 'u', ':', '@', '/', '=', '\n', '\0', ' ', 'x'], 20)), (url) => {
      let ok;
      try {
        ok = checkCodexUrl(url, 'codex_url');
      } catch (error) {
        assert.instance(error, UsageError);
        assert.ok(urlProblem(url));
        return;
      }
      assert.not.ok(ok.startsWith('-'));
      assert.not.match(ok, /[\x00-\x1f\x7f]/);
    }),
    { seed: SEED, numRuns: 500 },
  );
});

t('a password in a URL (https or scp-like, any characters) never reaches git, the shown URL or the redactor', () => {
  const word = chars(['a', 'b', 'c', 'x', 'y', '1', '-', '.'], 8, 1);
  const password = chars(['Q', 'Z', '9', '@', ':', '!', '%', '#', '$', ' ', '/'], 10, 1).map((p) => `Pw${p}`);
  fc.assert(
    fc.property(word, password, word, chars(['a', 'b', '/', '.', '-', '@', ':'], 12), fc.boolean(), (user, pw, host, rest, https) => {
      const secret = https ? pw.replace(/[/?#]/g, '') : pw;
      const url = https ? `https://${user}:${secret}@${host}.example/${rest}` : `${user}:${secret}@${host}.example:${rest}`;
      const parts = splitUrl(url);
      // a path holding `@host:` is ambiguous: more is taken for the password then, never less
      if (!rest.includes('@')) assert.is(parts.password, secret, url);
      else assert.ok(parts.password.includes(secret), url);
      for (const shown of [connectionFor(url, {}).url, redactUrl(url), makeRedactor(url, {})(`fatal: ${url}`)]) assert.not.ok(shown.includes(secret), `${url} → ${shown}`);
    }),
    { seed: SEED, numRuns: 500 },
  );
});

t('CODEX_HOOKS_TIMEOUT: whatever passes fits a timer; whatever does not is said to be bad', () => {
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 12 }), fc.double().map(String), fc.integer({ min: 2_147_000, max: 2_148_000 }).map(String)), (value) => {
      const ms = timeoutSeconds({ CODEX_HOOKS_TIMEOUT: value }) * 1000;
      assert.ok(ms > 0 && ms <= 2 ** 31 - 1, `${value} → ${ms} ms`);
      if (timeoutProblem(value) === null && value.trim() !== '' && value !== '') assert.is(ms, Number(value) * 1000, value);
    }),
    { seed: SEED, numRuns: 500 },
  );
  assert.is(timeoutProblem(String(MAX_TIMEOUT_SECONDS)), null);
  assert.is(timeoutProblem(String(MAX_TIMEOUT_SECONDS + 1)), 'too-large');
});

/** Codex URLs an attacker would commit: options to git, the ext:: transport, a newline, a password. */
const hostileUrl = (codex) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('--upload-pack=touch "$CODEX_TEST_MARKER";:a/b.git', '--receive-pack=touch "$CODEX_TEST_MARKER";:a/b.git', '-oProxyCommand=touch "$CODEX_TEST_MARKER":a/b', 'ext::sh -c touch% "$CODEX_TEST_MARKER"', `${codex}\n--upload-pack=x`, 'u:pw@-oProxyCommand=x:a') },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  );

/** Config values an attacker would commit: option-like URLs, ext:: commands, hostile branches and folders. */
const hostileConfig = (codex) =>
  fc.record(
    {
      codex_url: fc.oneof(fc.constant(codex), hostileUrl(codex)),
      environments: fc.record({ test: fc.record({ branch: fc.oneof(fc.constant('test'), chars(REF_CHARS, 8, 1)) }) }),
      pull_dir: fc.oneof(fc.constant('.codex'), fc.constantFrom('../outside', '/tmp', '.git/hooks', './', 'x/../..'), fc.string({ maxLength: 8 })),
      project_name: fc.oneof(fc.constant('api'), fc.string({ maxLength: 8 })),
      from_codex_patterns: fc.oneof(fc.constant(['shared/**']), fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 })),
    },
    { requiredKeys: [] },
  );

/** A valid config with one hostile value: each run reaches the code that value would attack. */
const oneHostileValue = (codex) =>
  fc
    .oneof(
      { weight: 3, arbitrary: hostileUrl(codex).map((codex_url) => ({ codex_url })) },
      { weight: 2, arbitrary: chars(REF_CHARS, 8, 1).map((branch) => ({ environments: { test: { branch } } })) },
      { weight: 1, arbitrary: fc.oneof(fc.constantFrom('../outside', '/tmp', '.git/hooks', './', 'x/../..', '../outside/x'), fc.string({ maxLength: 8 })).map((pull_dir) => ({ pull_dir })) },
      { weight: 1, arbitrary: fc.string({ maxLength: 8 }).map((project_name) => ({ project_name })) },
    )
    .map((hostile) => ({ codex_url: codex, project_name: 'api', ...hostile }));

t('validateConfig takes any value: a UsageError or a config whose URL and branches git can be given', () => {
  fc.assert(
    fc.property(fc.oneof(hostileConfig('/srv/codex.git'), fc.jsonValue()), (raw) => {
      let parsed;
      try {
        parsed = validateConfig(raw, '.codexrc.json');
      } catch (error) {
        assert.instance(error, UsageError, String(error?.stack));
        return;
      }
      if (parsed.codex_url !== undefined) assert.is(urlProblem(parsed.codex_url), null);
      for (const e of Object.values(parsed.environments)) assert.ok(validBranchName(e.branch), e.branch);
    }),
    { seed: SEED, numRuns: 400 },
  );
});

t('end to end: a hostile committed config never runs a command, writes outside the project, hangs or crashes', async () => {
  const base = tmpdir('fuzz-');
  const marker = path.join(base, 'outside', 'ran');
  const env = isolatedEnv({ CODEX_TEST_MARKER: marker, CODEX_HOOKS_TIMEOUT: '20' });
  const codex = makeCodex(env);
  let n = 0;
  await fc.assert(
    fc.asyncProperty(fc.oneof(oneHostileValue(codex), hostileConfig(codex)), async (config) => {
      const dir = path.join(base, `p${n++}`);
      const outside = path.join(base, 'outside');
      fs.rmSync(outside, { recursive: true, force: true }); // each run (and each shrink) starts clean
      fs.mkdirSync(outside, { recursive: true });
      writeFiles(outside, { 'keep.txt': 'mine\n' });
      fs.mkdirSync(dir);
      git(dir, ['init', '-q', '-b', 'feat'], env);
      writeFiles(dir, { 'docs/a.md': '# A\n' });
      writeConfig(dir, config);
      git(dir, ['add', '-A'], env);
      git(dir, ['commit', '-q', '-m', 'hostile config'], env);
      const before = { outside: snapshot(outside), base: fs.readdirSync(base).sort() };
      for (const args of [['status'], ['sync', '--env', 'test'], ['fetch', 'codex://acme/api/docs/a.md']]) {
        const r = await cli(args, { cwd: dir, env });
        assert.ok([0, 1, 2, 3].includes(r.code), `${args[0]} exit ${r.code}: ${r.stderr}`);
        assert.not.match(r.stderr, /unexpected error/, `${JSON.stringify(config)}\n${r.stderr}`);
      }
      assert.not.ok(fs.existsSync(marker), `a command ran: ${JSON.stringify(config)}`);
      assert.equal(snapshot(outside), before.outside, JSON.stringify(config));
      assert.equal(fs.readdirSync(base).sort(), before.base, `written beside the project: ${JSON.stringify(config)}`);
      fs.rmSync(dir, { recursive: true, force: true });
    }),
    { seed: SEED, numRuns: 20 },
  );
});

t.run();
