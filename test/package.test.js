// What npm users get (issue 11 item 16): the packed tarball's manifest and files, and `npm run demo`
// (its production question answered on a real pseudo-terminal, nothing secret committed).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, cleanup, git, isolatedEnv, run, tmpdir } from './helpers.js';
import { packedTarball } from './e2e-helpers.js';

const t = suite('package');
t.after.each(cleanup);

t('the tarball: no prepare script in its package.json, a LICENSE (MIT); the repo keeps its own prepare', async () => {
  const dir = tmpdir('codex-hooks-pack-');
  // packedTarball's npm pack has already checked that packing left the repository's package.json as it was
  execFileSync('tar', ['-xzf', packedTarball(), '-C', dir]);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package/package.json'), 'utf8'));
  assert.is(manifest.scripts?.prepare, undefined, 'npm would warn installers about a prepare script');
  assert.is(manifest.license, 'MIT');
  assert.match(fs.readFileSync(path.join(dir, 'package/LICENSE'), 'utf8'), /MIT License[\s\S]*Permission is hereby granted, free of charge/);
  assert.is(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts.prepare, 'husky', 'the repository still sets up its own hooks');
});

t('npm run demo: the production question answered on a terminal, no .env committed', async () => {
  const env = isolatedEnv();
  const r = await run('node', [path.join(ROOT, 'scripts/demo.mjs')], { cwd: ROOT, env, timeoutMs: 180_000 });
  assert.is(r.code, 0, r.stdout + r.stderr);
  const base = /Everything is in (\S+)/.exec(r.stdout)?.[1];
  assert.ok(base, r.stdout);
  try {
    const hasScript = (() => {
      try {
        execFileSync('sh', ['-c', 'command -v script'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
    if (hasScript) {
      assert.match(r.stdout, /Sync to production\?/);
      assert.match(r.stdout, /projects\/payments-api\/docs\/refunds\.md/);
    } else assert.match(r.stdout, /skipped: no `script` command/);
    const project = path.join(base, 'payments-api');
    const committed = git(project, ['log', '--all', '--name-only', '--format='], env).split('\n');
    assert.not.ok(committed.some((f) => /(^|\/)\.env/.test(f)), committed.join(' '));
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
});

t.run();
