// Issue 23: CI and the CODEX_HOOKS_* variables are read once, at the edge, into one settings object
// (src/core/settings.ts) that every part reads. The CI rule: unset, empty, 0 and false are not CI (as ci-info
// and is-in-ci read them); colour, sync-org's live table and the production question all follow it.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, git, isolatedEnv, makeCodex, tmpdir, writeConfig } from './helpers.js';
import { isCI, readSettings } from '../dist/core/settings.js';

const t = suite('settings');
t.after.each(cleanup);
const { main } = createRequire(import.meta.url)('../dist/codex-hooks.cjs');

// [CI's value, a CI run]
const CI_VALUES = [[undefined, false], ['', false], ['0', false], ['false', false], ['FALSE', false], [' false ', false], ['true', true], ['1', true], ['yes', true], ['github', true]];

t('the CI rule: unset, empty, 0 and false (any case) are not CI; any other value is', () => {
  for (const [value, ci] of CI_VALUES) {
    assert.is(isCI(value), ci, JSON.stringify(value));
    assert.is(readSettings(value === undefined ? {} : { CI: value }).ci, ci, JSON.stringify(value));
  }
});

t('the settings: CODEX_HOOKS_* read once, with their defaults', () => {
  assert.equal(readSettings({}), { ci: false, noColor: false, forceColor: false, dumbTerminal: false, timeoutSeconds: 60, trace: false, cacheDir: undefined, bin: undefined, backgroundChild: false });
  const s = readSettings({ CODEX_HOOKS_TIMEOUT: '5', CODEX_HOOKS_TRACE: '1', CODEX_HOOKS_CACHE_DIR: '/c', CODEX_HOOKS_BIN: '/b', CODEX_HOOKS_BACKGROUND_CHILD: '1', NO_COLOR: '', TERM: 'dumb', FORCE_COLOR: '0' });
  assert.equal(s, { ci: false, noColor: true, forceColor: false, dumbTerminal: true, timeoutSeconds: 5, trace: true, cacheDir: '/c', bin: '/b', backgroundChild: true });
  assert.is(readSettings({ CODEX_HOOKS_TIMEOUT: 'abc' }).timeoutSeconds, 60); // the edge refuses it first (exit 2)
});

/** A terminal-like stream (colour and live drawing are for terminals only). */
const terminalStream = () => ({ text: '', isTTY: true, rows: 24, columns: 100, write(s) { this.text += s; return true; }, on() { return this; }, once() { return this; }, removeListener() { return this; } });

async function runOnTerminal(args, { cwd, env }) {
  const stdout = terminalStream();
  const stderr = terminalStream();
  const code = await main(args, { cwd, env, stdout, stderr, stdin: async () => '', confirm: async () => 'no-terminal', ask: async () => null });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

t('on a terminal, the error line is coloured exactly when it is not a CI run', async () => {
  for (const [value, ci] of CI_VALUES) {
    const env = isolatedEnv(value === undefined ? {} : { CI: value });
    delete env.NO_COLOR;
    env.TERM = 'xterm';
    const r = await runOnTerminal(['no-such-command'], { cwd: tmpdir(), env });
    assert.is(r.code, 2);
    assert.is(/\u001b\[31m✖/.test(r.stderr), !ci, `CI=${JSON.stringify(value)}: ${JSON.stringify(r.stderr.slice(0, 80))}`);
  }
});

t('on a terminal, sync-org draws its live table and colours its final one exactly when it is not a CI run', async () => {
  const env = isolatedEnv();
  delete env.NO_COLOR;
  env.TERM = 'xterm';
  const codex = makeCodex(env);
  const root = tmpdir('org-');
  const dir = path.join(root, 'svc');
  fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
  git(dir, ['init', '-q', '-b', 'main'], env);
  fs.writeFileSync(path.join(dir, 'docs/index.md'), '# svc\n');
  writeConfig(dir, { codex_url: codex });
  git(dir, ['add', '-A'], env);
  git(dir, ['commit', '-q', '-m', 'docs'], env);
  git(dir, ['checkout', '-q', '-b', 'feat'], env);
  for (const [value, ci] of [['false', false], ['0', false], ['1', true]]) {
    const r = await runOnTerminal(['sync-org', '--root', root, '--env', 'test'], { cwd: root, env: { ...env, CI: value } });
    assert.is(r.code, 0, r.stderr);
    assert.is(/\u001b\[2K/.test(r.stderr), !ci, `live table, CI=${value}: ${JSON.stringify(r.stderr.slice(0, 200))}`);
    assert.is(/\u001b\[\d+m(synced|up to date)/.test(r.stdout), !ci, `coloured table, CI=${value}: ${JSON.stringify(r.stdout.slice(0, 200))}`);
  }
});

t.run();
