// Real servers on 127.0.0.1 for the transport tests: git's Smart HTTP (`git http-backend` as a CGI behind
// HTTP Basic auth), OpenSSH's sshd with generated keys, and a listener that accepts and never answers.
// Each picks its own port; readiness is probed, never slept for; stop() ends what it started.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const gitExecPath = () => execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim();

/**
 * Serves every bare repository under `root` over Smart HTTP at http://127.0.0.1:PORT/<name>, for the
 * user `user` with password `password` only (401 with a Basic challenge otherwise). `requests` counts
 * what it answered, by status.
 */
export async function startHttpCodex({ root, user, password, tls = false, latencyMs = 0 }) {
  const backend = path.join(gitExecPath(), 'git-http-backend');
  const expected = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  const statuses = [];
  const requests = [];
  const children = new Set();
  const handler = (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (latencyMs) setTimeout(() => answer(req, res), latencyMs);
    else answer(req, res);
  };
  const answer = (req, res) => {
    if (req.headers.authorization !== expected) {
      statuses.push(401);
      req.resume();
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="codex"', 'Content-Type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    const env = {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: root,
      REQUEST_METHOD: req.method,
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: user,
      REMOTE_ADDR: '127.0.0.1',
      GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
      ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
      ...(req.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: req.headers['content-encoding'] } : {}),
      ...(req.headers['git-protocol'] ? { GIT_PROTOCOL: req.headers['git-protocol'] } : {}),
    };
    const cgi = spawn(backend, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(cgi);
    cgi.on('close', () => children.delete(cgi));
    cgi.stdin.on('error', () => {});
    req.pipe(cgi.stdin);
    cgi.stderr.resume();
    // CGI output: header lines, a blank line, then the body.
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk) => {
      if (headersDone) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
      if (end < 0) return;
      const sep = head[end] === 0x0d ? 4 : 2;
      let status = 200;
      const headers = {};
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const i = line.indexOf(':');
        const [k, v] = [line.slice(0, i).trim(), line.slice(i + 1).trim()];
        if (/^status$/i.test(k)) status = Number(v.split(' ')[0]);
        else headers[k] = v;
      }
      statuses.push(status);
      res.writeHead(status, headers);
      headersDone = true;
      res.write(head.subarray(end + sep));
    });
    cgi.stdout.on('end', () => {
      if (!headersDone) res.writeHead(502);
      res.end();
    });
  };
  let caFile = null;
  let server;
  if (tls) {
    // A self-signed certificate for 127.0.0.1; git trusts it through GIT_SSL_CAINFO=caFile.
    const key = path.join(root, 'tls.key');
    caFile = path.join(root, 'tls.crt');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', caFile, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(caFile) }, handler);
  } else server = http.createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = server.address().port;
  return {
    port,
    statuses,
    requests,
    caFile,
    url: (name) => `${tls ? 'https' : 'http'}://127.0.0.1:${port}/${name}`,
    stop: () =>
      new Promise((resolve) => {
        for (const c of children) c.kill('SIGKILL');
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** A TCP listener on 127.0.0.1 that accepts every connection and never sends a byte. */
export async function startSilentListener() {
  const sockets = new Set();
  let accepted = 0;
  const server = net.createServer((s) => {
    accepted++;
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    accepted: () => accepted,
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const SSHD = '/usr/sbin/sshd';
export const haveSshd = () => fs.existsSync(SSHD);

function keygen(file, comment) {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { stdio: 'ignore' });
}

/** A free port on 127.0.0.1 (sshd takes a port number, not 0). */
async function freePort() {
  const s = net.createServer();
  await new Promise((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** Resolves once something accepts TCP connections on the port and sends its SSH banner. */
async function waitForBanner(port, child, deadlineMs = 20_000) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode})`);
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.setTimeout(1000);
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('SSH-'));
      });
      s.once('error', () => resolve(false));
      s.once('timeout', () => {
        s.destroy();
        resolve(false);
      });
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`sshd did not come up on port ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50)); // probing again, not waiting for a guess
  }
}

/**
 * OpenSSH's sshd on 127.0.0.1, its own host key, config and authorized keys (in `dir`), logging in the
 * current user with `userKey` only; a second key (`wrongKey`) is generated and not authorised. Password
 * authentication is on, so a client that may prompt is asked (the test makes sure it never is).
 * `sshConfig` is an ssh_config file defining the host alias `codexhost` and pinning the host key.
 */
export async function startSshd(dir) {
  fs.mkdirSync(dir, { recursive: true });
  const user = os.userInfo().username;
  const hostKey = path.join(dir, 'host_key');
  const userKey = path.join(dir, 'user_key');
  const wrongKey = path.join(dir, 'wrong_key');
  keygen(hostKey, 'host');
  keygen(userKey, 'codex-user');
  keygen(wrongKey, 'wrong-user');
  const authorized = path.join(dir, 'authorized_keys');
  fs.writeFileSync(authorized, fs.readFileSync(`${userKey}.pub`), { mode: 0o600 });
  if (process.getuid?.() === 0) fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation
  const port = await freePort();
  const config = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${authorized}`,
      'StrictModes no',
      'PermitRootLogin yes',
      'PubkeyAuthentication yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication yes',
      'UsePAM no',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  );
  const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  try {
    await waitForBanner(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${error.message}\n${log}`);
  }
  const knownHosts = path.join(dir, 'known_hosts');
  const hostPub = fs.readFileSync(`${hostKey}.pub`, 'utf8').split(' ').slice(0, 2).join(' ');
  fs.writeFileSync(knownHosts, `[127.0.0.1]:${port} ${hostPub}\n[codexhost]:${port} ${hostPub}\n`);
  /** An ssh_config with the alias `codexhost` and options every connection to this sshd needs. */
  const sshConfig = (key = userKey) => {
    const file = path.join(dir, `ssh_config-${path.basename(key)}`);
    const common = [`  User ${user}`, `  IdentityFile ${key}`, '  IdentitiesOnly yes', `  UserKnownHostsFile ${knownHosts}`, '  StrictHostKeyChecking yes', '  GlobalKnownHostsFile /dev/null'];
    fs.writeFileSync(file, ['Host codexhost', '  HostName 127.0.0.1', `  Port ${port}`, ...common, 'Host 127.0.0.1', ...common, ''].join('\n'));
    return file;
  };
  return {
    port,
    user,
    userKey,
    wrongKey,
    sshConfig,
    log: () => log,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
