// The codex over the transports users have, against real servers on 127.0.0.1: git's Smart HTTP
// (http-backend behind Basic auth, plain and TLS), OpenSSH's sshd, and a listener that never answers.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, codexFiles, git, isolatedEnv, makeCodex, makeRepo, tmpdir, writeConfig } from './helpers.js';
import { startHttpCodex, startSilentListener, startSshd } from './servers.js';

const DOC = 'projects/api/docs/intro.md';
const lands = (codex, branch, env) => DOC in (codexFiles(codex, branch, env) ?? {});
const pulled = (dir) => fs.existsSync(path.join(dir, '.codex/shared/guide.md'));
const TOKEN = 'Tok3n@S3cret-9f2c'; // an '@' in it: redaction must handle any password
const USER = 'x-access-token';

/** Every process's command line, as often as the loop turns, until stop() — what `ps` shows everyone. */
function watchCommandLines() {
  const seen = new Set();
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const pid of fs.readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        try {
          const line = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
          if (line) seen.add(line);
        } catch {
          // the process ended meanwhile
        }
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  return async () => {
    running = false;
    await loop;
    return [...seen];
  };
}

/** Every file under `dir` whose bytes contain one of `needles`. */
function filesHolding(dir, needles) {
  const hits = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const bytes = fs.readFileSync(p);
        for (const n of needles) if (bytes.includes(n)) hits.push(`${p}: ${n}`);
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return hits;
}

// ---------------------------------------------------------------- Smart HTTP

const h = suite('transport: Smart HTTP behind Basic auth');
let server;
h.after.each(async () => {
  await server?.stop();
  server = null;
  cleanup();
});

async function httpSetup({ tls = false, latencyMs = 0, codexUrl } = {}) {
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '30' });
  const codex = makeCodex(env);
  server = await startHttpCodex({ root: path.dirname(codex), user: USER, password: TOKEN, tls, latencyMs });
  if (server.caFile) env.GIT_SSL_CAINFO = server.caFile;
  const dir = makeRepo(env);
  const url = server.url('codex.git');
  writeConfig(dir, { codex_url: codexUrl ? codexUrl(url) : url, project_name: 'api' });
  return { env, codex, dir, url };
}

h('git credential helper `store` → lands', async () => {
  const { env, codex, dir } = await httpSetup();
  fs.writeFileSync(path.join(env.HOME, '.git-credentials'), `http://${USER}:${encodeURIComponent(TOKEN)}@127.0.0.1:${server.port}\n`);
  git(env.HOME, ['config', '--global', 'credential.helper', 'store'], env);
  const r = await cli(['sync', '--env', 'test'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.ok(lands(codex, 'test', env));
  assert.ok(pulled(dir));
});

h('CODEX_TOKEN authenticates the codex whatever the host (https, plain http) → lands', async () => {
  for (const tls of [true, false]) {
    const { env, codex, dir } = await httpSetup({ tls });
    const r = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, CODEX_TOKEN: TOKEN } });
    assert.is(r.code, 0, r.stderr);
    assert.ok(lands(codex, 'test', env), `tls: ${tls}`);
    assert.not.match(r.stdout + r.stderr, TOKEN);
    await server.stop();
  }
});

h('no credentials, or a wrong CODEX_TOKEN → AUTHENTICATION FAILED, never a prompt', async () => {
  const { env, codex, dir } = await httpSetup();
  const before = git(codex, ['for-each-ref'], env);
  for (const extra of [{}, { CODEX_TOKEN: 'wrong-token' }]) {
    const r = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, ...extra } });
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /✖ AUTHENTICATION FAILED/);
    assert.match(r.stderr, /CODEX_TOKEN/);
    assert.not.match(r.stderr, /wrong-token/);
  }
  assert.is(git(codex, ['for-each-ref'], env), before);
});

h('token in codex_url → lands; never on a command line, in a file the sync writes, or in output', async () => {
  const { env, codex, dir } = await httpSetup({ latencyMs: 150, codexUrl: (u) => u.replace('://', `://${USER}:${TOKEN}@`) });
  const stop = watchCommandLines();
  const r = await cli(['sync', '--env', 'test'], { cwd: dir, env });
  const lines = await stop();
  assert.is(r.code, 0, r.stderr);
  assert.ok(lands(codex, 'test', env));
  // the watch saw git talk to the server (else it proves nothing)
  const transport = lines.filter((l) => l.includes(`127.0.0.1:${server.port}`));
  assert.ok(transport.some((l) => /remote-http|git push|git fetch/.test(l)), lines.filter((l) => l.includes('git')).join('\n'));
  const encoded = encodeURIComponent(TOKEN);
  const basic = Buffer.from(`${USER}:${TOKEN}`).toString('base64');
  for (const l of lines) for (const n of [TOKEN, 'S3cret-9f2c', encoded, basic]) assert.not.ok(l.includes(n), `command line holds the token: ${l}`);
  const needles = [TOKEN, 'S3cret-9f2c', encoded, basic];
  assert.equal(filesHolding(path.join(dir, '.git/codex-hooks'), needles), []);
  assert.equal(filesHolding(env.CODEX_HOOKS_CACHE_DIR, needles), []);
  assert.not.match(r.stdout + r.stderr, 'S3cret');
  // status warns that the committed config carries credentials, and shows the URL without them
  const s = await cli(['status', '--offline'], { cwd: dir, env });
  assert.is(s.code, 0, s.stderr);
  assert.match(s.stdout + s.stderr, /codex_url carries credentials/);
  assert.match(s.stdout, `http://127.0.0.1:${server.port}/codex.git`);
  assert.not.match(s.stdout + s.stderr, 'S3cret');
  assert.equal(filesHolding(path.join(dir, '.git/codex-hooks'), needles), []);
});

h('server stopped → CODEX UNREACHABLE', async () => {
  const { env, dir } = await httpSetup();
  await server.stop();
  const r = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, CODEX_TOKEN: TOKEN } });
  assert.is(r.code, 1);
  assert.match(r.stderr, /✖ CODEX UNREACHABLE/);
  assert.not.match(r.stderr, /AUTHENTICATION/);
});

h('a pre-receive hook refusing main (GH006) → THE CODEX REFUSED THE PUSH with the server\'s lines, tried once', async () => {
  const { env, codex, dir } = await httpSetup();
  const hook = path.join(codex, 'hooks', 'pre-receive');
  fs.writeFileSync(
    hook,
    '#!/bin/sh\nwhile read old new ref; do\n  if [ "$ref" = refs/heads/main ]; then\n    echo "GH006: Protected branch update failed for refs/heads/main." >&2\n    echo "Changes must be made through a pull request." >&2\n    exit 1\n  fi\ndone\n',
    { mode: 0o755 },
  );
  const before = git(codex, ['rev-parse', 'main'], env);
  const r = await cli(['sync', '--env', 'prod'], { cwd: dir, env: { ...env, CODEX_TOKEN: TOKEN } });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /✖ THE CODEX REFUSED THE PUSH/);
  assert.match(r.stderr, /remote: GH006: Protected branch update failed for refs\/heads\/main\./);
  assert.match(r.stderr, /remote: Changes must be made through a pull request\./);
  assert.match(r.stderr, /environments\.prod\.branch/);
  assert.not.match(r.stderr, /--retry/);
  assert.is(server.requests.filter((q) => q.startsWith('POST') && q.includes('git-receive-pack')).length, 1, server.requests.join('\n'));
  assert.is(git(codex, ['rev-parse', 'main'], env), before);
  // the other branch is not protected: it lands
  const t = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, CODEX_TOKEN: TOKEN } });
  assert.is(t.code, 0, t.stderr);
  assert.ok(lands(codex, 'test', env));
});

h.run();

// ---------------------------------------------------------------- never answers

const n = suite('transport: a server that accepts and never answers');
let silent;
n.after.each(async () => {
  await silent?.stop();
  silent = null;
  cleanup();
});

n('http and ssh: ended by CODEX_HOOKS_TIMEOUT → CODEX UNREACHABLE (timed out)', async () => {
  silent = await startSilentListener();
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '2' });
  const dir = makeRepo(env);
  for (const url of [`http://127.0.0.1:${silent.port}/codex.git`, `ssh://git@127.0.0.1:${silent.port}/codex.git`]) {
    writeConfig(dir, { codex_url: url, project_name: 'api' });
    const r = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, GIT_SSH_COMMAND: 'ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null' }, timeoutMs: 30_000 });
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, /✖ CODEX UNREACHABLE/, url);
    assert.match(r.stderr, /timed out after 2000 ms/, url);
  }
  assert.ok(silent.accepted() >= 2, 'both connected and were left waiting');
});

n.run();

// ---------------------------------------------------------------- SSH

const s = suite('transport: OpenSSH');
let sshd;
s.before(async () => {
  sshd = await startSshd(tmpdir('codex-hooks-sshd-'));
});
s.after(async () => {
  await sshd?.stop();
  cleanup();
});

function sshSetup() {
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '30' });
  const codex = makeCodex(env);
  const dir = makeRepo(env);
  return { env, codex, dir };
}

s('ssh://user@127.0.0.1:PORT/path through core.sshCommand: push and pull', async () => {
  const { env, codex, dir } = sshSetup();
  git(env.HOME, ['config', '--global', 'core.sshCommand', `ssh -F ${sshd.sshConfig()}`], env);
  writeConfig(dir, { codex_url: `ssh://${sshd.user}@127.0.0.1:${sshd.port}${codex}`, project_name: 'api' });
  const r = await cli(['sync', '--env', 'test'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr + sshd.log());
  assert.ok(lands(codex, 'test', env));
  assert.ok(pulled(dir));
});

s('scp-like host alias from an ssh config (GIT_SSH_COMMAND="ssh -F …"), with and without a user', async () => {
  for (const form of ['codexhost:', `${sshd.user}@codexhost:`]) {
    const { env, codex, dir } = sshSetup();
    writeConfig(dir, { codex_url: `${form}${codex}`, project_name: 'api' });
    const r = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, GIT_SSH_COMMAND: `ssh -F ${sshd.sshConfig()}` } });
    assert.is(r.code, 0, `${form}\n${r.stderr}`);
    assert.ok(lands(codex, 'test', env), form);
    assert.ok(pulled(dir), form);
  }
});

s('a wrong key → AUTHENTICATION FAILED at once: ssh never asks for a password (BatchMode)', async () => {
  const { env, codex, dir } = sshSetup();
  const marker = path.join(env.HOME, 'askpass-was-run');
  const askpass = path.join(env.HOME, 'askpass.sh');
  fs.writeFileSync(askpass, `#!/bin/sh\necho "$@" >> '${marker}'\necho not-the-password\n`, { mode: 0o755 });
  // what a GUI client gives ssh: a program to ask with, used even without a terminal
  const gui = { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' };
  writeConfig(dir, { codex_url: `codexhost:${codex}`, project_name: 'api' });
  const before = git(codex, ['for-each-ref'], env);
  const r = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, ...gui, GIT_SSH_COMMAND: `ssh -F ${sshd.sshConfig(sshd.wrongKey)}` } });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /✖ AUTHENTICATION FAILED/);
  assert.not.ok(fs.existsSync(marker), `ssh prompted: ${fs.existsSync(marker) && fs.readFileSync(marker, 'utf8')}`);
  assert.is(git(codex, ['for-each-ref'], env), before);
});

s.run();
