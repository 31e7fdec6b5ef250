// How long a sync takes to fail against real servers on 127.0.0.1: a wrong CODEX_TOKEN (Smart HTTP), a wrong
// ssh key (sshd), a listener that never answers (CODEX_HOOKS_TIMEOUT=2). Run: npm run build && node scripts/transport-times.mjs
import path from 'node:path';
import { cli, isolatedEnv, makeCodex, makeRepo, tmpdir, writeConfig, cleanup } from '../test/helpers.js';
import { startHttpCodex, startSilentListener, startSshd } from '../test/servers.js';
const time = async (label, f) => { const t = Date.now(); const r = await f(); console.log(`${label}: ${Date.now() - t} ms, exit ${r.code}, ${r.stderr.split("\n").find((l) => l.startsWith("✖")) ?? "ok"}`); };
const env = isolatedEnv();
const codex = makeCodex(env);
const http = await startHttpCodex({ root: path.dirname(codex), user: 'x-access-token', password: 'right' });
const dir = makeRepo(env);
writeConfig(dir, { codex_url: http.url('codex.git'), project_name: 'api' });
await time('http, wrong CODEX_TOKEN', () => cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, CODEX_TOKEN: 'wrong' } }));
await time('http, right CODEX_TOKEN', () => cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, CODEX_TOKEN: 'right' } }));
await http.stop();
const sshd = await startSshd(tmpdir('sshd-'));
writeConfig(dir, { codex_url: `codexhost:${codex}`, project_name: 'api' });
await time('ssh, wrong key', () => cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, GIT_SSH_COMMAND: `ssh -F ${sshd.sshConfig(sshd.wrongKey)}` } }));
await time('ssh, right key', () => cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, GIT_SSH_COMMAND: `ssh -F ${sshd.sshConfig()}` } }));
await sshd.stop();
const silent = await startSilentListener();
writeConfig(dir, { codex_url: `http://127.0.0.1:${silent.port}/codex.git`, project_name: 'api' });
await time('http, silent listener, CODEX_HOOKS_TIMEOUT=2', () => cli(['sync', '--env', 'test'], { cwd: dir, env: { ...env, CODEX_HOOKS_TIMEOUT: '2' } }));
await silent.stop();
cleanup();
