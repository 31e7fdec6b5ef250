// Ctrl-C (SIGINT), SIGTERM and SIGHUP end the git processes a sync started, so an interrupted production
// sync is never pushed afterwards (design §4). The codex's pre-receive hook holds the push long enough to
// interrupt it while it runs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { BIN, cleanup, git, isolatedEnv, makeCodex, makeRepo, refOf, writeConfig } from './helpers.js';

const t = suite('signals');
t.after.each(cleanup);

const waitFor = async (file, ms) => {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (fs.existsSync(file)) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
};

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  t(`${signal} during the push: the production branch never moves, not even once the server would have finished`, async () => {
    const env = isolatedEnv();
    const codex = makeCodex(env);
    const marks = path.join(path.dirname(codex), 'marks');
    fs.writeFileSync(path.join(codex, 'hooks/pre-receive'), `#!/bin/sh\ncat >/dev/null\ntouch '${marks}.started'\nsleep 3\ntouch '${marks}.done'\n`, { mode: 0o755 });
    const dir = makeRepo(env, { 'docs/intro.md': '# Intro\n' });
    writeConfig(dir, { codex_url: codex, project_name: 'api' });
    git(dir, ['add', '-A'], env);
    git(dir, ['commit', '-q', '-m', 'config'], env);
    const before = refOf(codex, 'main', env);
    const child = spawn(process.execPath, [BIN, 'sync', '--env', 'prod'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((r) => child.on('close', (code, sig) => r({ code, sig })));
    assert.ok(await waitFor(`${marks}.started`, 30_000), 'the push never reached the codex');
    child.kill(signal);
    const { code } = await exited;
    // The server's hook would have finished by now, had it not been ended with the push.
    const finished = await waitFor(`${marks}.done`, 4_500);
    assert.is(refOf(codex, 'main', env), before, 'production moved after the sync was interrupted');
    assert.not.ok(finished, 'the push went on after the interrupt');
    assert.is(code, { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 }[signal], 'exits as an interrupted process does');
  });
}

t.run();
