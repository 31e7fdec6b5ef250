// The codex over the transports users have, against real servers on 127.0.0.1: git's Smart HTTP
// (http-backend behind Basic auth, plain and TLS), OpenSSH's sshd, and a listener that never answers.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanup, cli, codexFiles, git, isolatedEnv, makeCodex, makeRepo, tmpdir, writeConfig } from './helpers.js';
import { startHttpCodex, startSilentListener, startSshd } from './servers.js';
import { isLocalPath, isSshUrl, splitUrl, hasCredentials } from '../dist/core/url.js';
import { batchSshCommand } from '../dist/git/ssh.js';
import { connectionFor, makeRedactor, readPushOutcome } from '../dist/sync/cache/remote.js';
import { redactUrl } from '../dist/core/url.js';
import { normalizeConfig } from '../dist/config/normalize.js';
import { validateConfig } from '../dist/config/validate.js';

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

// ---------------------------------------------------------------- the rules, as pure functions

const u = suite('transport: how a codex_url is read');

u('every form git accepts: local paths are resolved from the project root, the rest left to git', () => {
  const resolved = (url) => normalizeConfig(validateConfig({ codex_url: url }, 'x'), '/w/api', '/w/api/.codexrc.json').codexUrl;
  const table = [
    ['https://github.com/acme/codex.git', 'https://github.com/acme/codex.git', false],
    ['http://git.internal:8080/codex.git', 'http://git.internal:8080/codex.git', false],
    ['ssh://git@example.com:2222/srv/codex.git', 'ssh://git@example.com:2222/srv/codex.git', true],
    ['git+ssh://example.com/codex', 'git+ssh://example.com/codex', true],
    ['git@github.com:acme/codex.git', 'git@github.com:acme/codex.git', true],
    ['github.com:acme/codex', 'github.com:acme/codex', true],
    ['codexhost:/srv/codex.git', 'codexhost:/srv/codex.git', true],
    ['[git@host:22]:codex.git', '[git@host:22]:codex.git', true],
    ['file:///srv/codex.git', 'file:///srv/codex.git', false],
    ['ext::ssh -p 22 host %S codex', 'ext::ssh -p 22 host %S codex', false],
    ['/srv/codex.git', '/srv/codex.git', false],
    ['../codex.git', '/w/codex.git', false],
    ['codex.git', '/w/api/codex.git', false],
    ['./odd:name.git', '/w/api/odd:name.git', false],
    ['C:\\codex.git', '/w/api/C:\\codex.git', false],
    ['C:/codex.git', '/w/api/C:/codex.git', false],
  ];
  for (const [url, expected, ssh] of table) {
    assert.is(resolved(url), expected, url);
    assert.is(isSshUrl(url), ssh, url);
  }
  assert.ok(isLocalPath('C:\\codex') && isLocalPath('d:/x') && !isLocalPath('cd:/x'));
});

u('credentials: any password (one holding @ too) is taken out of the URL and never shown', () => {
  assert.is(redactUrl('http://user:p@ssW0rdSecret@host/x'), 'http://host/x');
  assert.is(redactUrl('https://tok%40en@host:8443/a/b.git'), 'https://host:8443/a/b.git');
  assert.is(redactUrl('git@github.com:a/b.git'), 'git@github.com:a/b.git');
  const parts = splitUrl('http://user:p@ssW0rdSecret@host/x');
  assert.equal([parts.url, parts.origin, parts.user, parts.password], ['http://host/x', 'http://host/', 'user', 'p@ssW0rdSecret']);
  assert.is(splitUrl('https://u:s%2Fcr%40t@h/r').password, 's/cr@t');
  assert.is(splitUrl('ssh://git:nope@host/r').url, 'ssh://git@host/r');
  assert.ok(hasCredentials('https://u:t@h/r') && !hasCredentials('https://u@h/r') && !hasCredentials('git@h:r'));
  const redact = makeRedactor('http://user:p@ssW0rdSecret@host/x', {});
  const said = redact("fatal: unable to access 'http://user:p@ssW0rdSecret@host/x/': p@ssW0rdSecret and http://a:b@c@host/y");
  assert.not.match(said, 'ssW0rd');
  assert.not.match(said, 'b@c');
});

u('which credential git is given, through its environment only', () => {
  const header = (c) => Object.entries(c.env).find(([k, v]) => /^GIT_CONFIG_VALUE_/.test(k) && v.startsWith('Authorization'))?.[1];
  const key = (c) => c.env.GIT_CONFIG_KEY_0;
  const decode = (h) => Buffer.from(h.split(' ').pop(), 'base64').toString();
  let c = connectionFor('https://git.example.com/acme/codex.git', { CODEX_TOKEN: 'ct0ken' });
  assert.is(c.url, 'https://git.example.com/acme/codex.git');
  assert.is(key(c), 'http.https://git.example.com/.extraheader');
  assert.is(decode(header(c)), 'x-access-token:ct0ken');
  c = connectionFor('https://alice@git.example.com:8443/codex.git', { CODEX_TOKEN: 'ct0ken' });
  assert.is(c.url, 'https://git.example.com:8443/codex.git');
  assert.is(key(c), 'http.https://git.example.com:8443/.extraheader');
  assert.is(decode(header(c)), 'alice:ct0ken');
  c = connectionFor('https://alice:p@ss@git.example.com/codex.git', { CODEX_TOKEN: 'ignored' });
  assert.is(decode(header(c)), 'alice:p@ss');
  c = connectionFor('https://alice@git.example.com/codex.git', {});
  assert.equal([c.url, key(c), c.env.GIT_CONFIG_VALUE_0], ['https://git.example.com/codex.git', 'credential.https://git.example.com/.username', 'alice']);
  assert.is(decode(header(connectionFor('https://github.com/a/b.git', { GH_TOKEN: 'gh0ken' }))), 'x-access-token:gh0ken');
  assert.equal(connectionFor('https://gitlab.com/a/b.git', { GITHUB_TOKEN: 'gh0ken' }).env, { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.askPass', GIT_CONFIG_VALUE_0: '' }, 'a GitHub token goes to GitHub only; no askpass dialog');
  assert.equal(connectionFor('git@github.com:a/b.git', { CODEX_TOKEN: 'ct0ken' }).env, {}, 'ssh takes no token');
});

u('ssh never prompts: BatchMode added to the command git would run, a wrapper left alone', () => {
  assert.is(batchSshCommand('ssh', true), 'ssh -o BatchMode=yes');
  assert.is(batchSshCommand('ssh -F /x/config -i key', true), 'ssh -o BatchMode=yes -F /x/config -i key');
  assert.is(batchSshCommand('"/opt/my ssh/ssh" -F c', true), '"/opt/my ssh/ssh" -o BatchMode=yes -F c');
  assert.is(batchSshCommand('/usr/bin/ssh.exe', true), '/usr/bin/ssh.exe -o BatchMode=yes');
  assert.is(batchSshCommand("/opt/it's/ssh", false), "'/opt/it'\\''s/ssh' -o BatchMode=yes");
  assert.is(batchSshCommand('plink -P 22', true), 'plink -batch -P 22');
  assert.is(batchSshCommand('my-wrapper --x', true), null);
  assert.is(batchSshCommand('my-wrapper --x', true, 'ssh'), 'my-wrapper -o BatchMode=yes --x');
  assert.is(batchSshCommand('ssh', true, 'simple'), null);
});

u('a refused push is told from a branch that moved', () => {
  const stderr = 'remote: GH006: Protected branch update failed for refs/heads/main.\nremote: error: At least 1 approving review is required.\nerror: failed to push some refs to \'https://github.com/a/b.git\'\n';
  const refused = readPushOutcome('To https://github.com/a/b.git\n!\tabc:refs/heads/main\t[remote rejected] (protected branch hook declined)\nDone\n', stderr);
  assert.equal(refused, { reason: 'protected branch hook declined', remoteLines: ['remote: GH006: Protected branch update failed for refs/heads/main.', 'remote: error: At least 1 approving review is required.'] });
  assert.is(readPushOutcome('!\tabc:refs/heads/main\t[rejected] (fetch first)\n', ''), 'moved');
  assert.is(readPushOutcome('!\tabc:refs/heads/main\t[rejected] (non-fast-forward)\n', ''), 'moved');
  assert.is(readPushOutcome('!\tabc:refs/heads/main\t[remote rejected] (cannot lock ref \'refs/heads/main\': is at x but expected y)\n', ''), 'moved');
  assert.is(readPushOutcome('!\tabc:refs/heads/main\t[remote rejected] (pre-receive hook declined)\n', '').reason, 'pre-receive hook declined');
});

u.run();

// ---------------------------------------------------------------- local paths, for the record

const l = suite('transport: local codex paths');
l.after.each(cleanup);

l('absolute path, relative path and file:// URL all land', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  for (const form of ['absolute', 'relative', 'file://']) {
    const dir = makeRepo(env);
    const url = { absolute: codex, relative: path.relative(dir, codex), 'file://': `file://${codex}` }[form];
    writeConfig(dir, { codex_url: url, project_name: 'api' });
    git(codex, ['update-ref', 'refs/heads/test', git(codex, ['rev-parse', 'main'], env)], env);
    const r = await cli(['sync', '--env', 'test'], { cwd: dir, env });
    assert.is(r.code, 0, `${url}\n${r.stderr}`);
    assert.ok(lands(codex, 'test', env), url);
  }
});

l('init warns when codex_url carries credentials, and never prints them', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  const r = await cli(['init', '--yes', '--codex', 'https://alice:s3cr3t-t0ken@git.example.com/codex.git', '--project', 'api'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /codex_url carries credentials/);
  assert.match(r.stderr, /CODEX_TOKEN/);
  assert.not.match(r.stdout + r.stderr, 's3cr3t');
  const j = await cli(['status', '--offline', '--json'], { cwd: dir, env });
  assert.not.match(j.stdout + j.stderr, 's3cr3t');
  assert.match(JSON.parse(j.stdout).warnings[0], /codex_url carries credentials/);
  const plain = makeRepo(env);
  const q = await cli(['init', '--yes', '--codex', 'https://git.example.com/codex.git', '--project', 'api'], { cwd: plain, env });
  assert.not.match(q.stderr, /credentials/);
});

l.run();

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
  // A desktop session's SSH_ASKPASS: git falls back to it for passwords even with terminal prompts off
  const marker = path.join(env.HOME, 'askpass-was-run');
  const askpass = path.join(env.HOME, 'askpass.sh');
  fs.writeFileSync(askpass, `#!/bin/sh\necho "$@" >> '${marker}'\necho not-the-password\n`, { mode: 0o755 });
  for (const extra of [{}, { CODEX_TOKEN: 'wrong-token' }]) {
    const r = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, SSH_ASKPASS: askpass, DISPLAY: ':0', ...extra } });
    assert.not.ok(fs.existsSync(marker), `git prompted: ${fs.existsSync(marker) && fs.readFileSync(marker, 'utf8')}`);
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

n('http and ssh: ended by CODEX_HOOKS_TIMEOUT', async () => {
  silent = await startSilentListener();
  const env = isolatedEnv({ CODEX_HOOKS_TIMEOUT: '2' });
  const dir = makeRepo(env);
  for (const url of [`http://127.0.0.1:${silent.port}/codex.git`, `ssh://git@127.0.0.1:${silent.port}/codex.git`]) {
    writeConfig(dir, { codex_url: url, project_name: 'api' });
    const r = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, GIT_SSH_COMMAND: 'ssh -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null' }, timeoutMs: 30_000 });
    assert.is(r.code, 1, r.stderr);
    // the whole sync's deadline and the git process's own are the same 2 s: either may speak first
    assert.match(r.stderr, /timed out/, url);
    assert.match(r.stderr, /within 2 s \(CODEX_HOOKS_TIMEOUT\)|✖ CODEX UNREACHABLE[^]*timed out after 2000 ms/, url);
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

s('an unknown host key: no question asked, the message says how to accept it', async () => {
  const { env, codex, dir } = sshSetup();
  const config = fs.readFileSync(sshd.sshConfig(), 'utf8').replace(/UserKnownHostsFile \S+/g, `UserKnownHostsFile ${path.join(env.HOME, 'empty_known_hosts')}`);
  const file = path.join(env.HOME, 'ssh_config');
  fs.writeFileSync(file, config);
  writeConfig(dir, { codex_url: `codexhost:${codex}`, project_name: 'api' });
  const r = await cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, GIT_SSH_COMMAND: `ssh -F ${file} -o StrictHostKeyChecking=ask` } });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /✖ CODEX UNREACHABLE/);
  assert.match(r.stderr, /host key/);
  assert.match(r.stderr, /ssh <host>/);
});

s.run();

// ---------------------------------------------------------------- sync-org batches

const o = suite('transport: a refused push in a sync-org batch');
o.after.each(cleanup);

o('a pre-receive refusing the branch: every row names the refusal, one attempt, never 30', async () => {
  const env = isolatedEnv();
  const codex = makeCodex(env);
  const attempts = path.join(codex, 'attempts');
  fs.writeFileSync(path.join(codex, 'hooks', 'pre-receive'), `#!/bin/sh\necho x >> '${attempts}'\necho "GH006: Protected branch update failed for refs/heads/test." >&2\nexit 1\n`, { mode: 0o755 });
  const root = tmpdir('org-');
  for (const name of ['svc1', 'svc2']) {
    const dir = path.join(root, name);
    fs.mkdirSync(path.join(dir, 'docs'), { recursive: true });
    git(dir, ['init', '-q', '-b', 'main'], env);
    fs.writeFileSync(path.join(dir, 'docs/index.md'), `# ${name}\n`);
    writeConfig(dir, { codex_url: codex });
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '-m', 'docs'], env);
  }
  const before = git(codex, ['rev-parse', 'test'], env);
  const r = await cli(['sync-org', '--env', 'test', '--root', root, '--json'], { cwd: root, env });
  assert.is(r.code, 1, r.stderr);
  assert.is(fs.readFileSync(attempts, 'utf8').split('\n').filter(Boolean).length, 1, 'tried once');
  assert.match(r.stdout, /THE CODEX REFUSED THE PUSH/);
  assert.match(r.stdout, /GH006: Protected branch update failed/);
  assert.not.match(r.stdout, /--retry|kept moving/);
  assert.is(git(codex, ['rev-parse', 'test'], env), before);
});

o.run();
