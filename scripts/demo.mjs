// `npm run demo`: a throwaway local codex and project, the hooks installed from this checkout, a feature
// push (docs appear on the codex's test branch), then `CODEX_ENV=prod git push` of main (docs appear on
// main). Everything lives in one temp folder, named at the end; your own git config and cache are untouched.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'codex-hooks-demo-')));
const env = { ...process.env };
for (const k of Object.keys(env)) if (k.startsWith('GIT_') || k.startsWith('CODEX_') || k === 'HUSKY') delete env[k];
Object.assign(env, {
  HOME: base,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Demo Developer',
  GIT_AUTHOR_EMAIL: 'dev@example.com',
  GIT_COMMITTER_NAME: 'Demo Developer',
  GIT_COMMITTER_EMAIL: 'dev@example.com',
  CODEX_HOOKS_CACHE_DIR: path.join(base, 'cache'),
});
const bold = (s) => (process.stdout.isTTY && !('NO_COLOR' in env) ? `\u001b[1m${s}\u001b[22m` : s);
const step = (s) => console.log(`\n${bold(`▶ ${s}`)}`);

function sh(cwd, cmd, args, extraEnv = {}) {
  console.log(`$ ${Object.entries(extraEnv).map(([k, v]) => `${k}=${v} `).join('')}${[cmd, ...args].join(' ')}`);
  const out = execFileSync(cmd, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (out.trim()) console.log(out.trimEnd());
  return out;
}
function write(dir, rel, content) {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
}
function showCodex(codex) {
  for (const branch of ['test', 'main']) {
    console.log(bold(`codex ${branch}:`));
    const files = execFileSync('git', ['ls-tree', '-r', '--name-only', branch], { cwd: codex, env, encoding: 'utf8' }).trim().split('\n');
    for (const f of files) console.log(`  ${f}`);
  }
}

step('A codex with main and test branches and one shared doc');
const codex = path.join(base, 'codex.git');
execFileSync('git', ['init', '-q', '--bare', '-b', 'main', codex], { env });
const seed = path.join(base, 'seed');
execFileSync('git', ['init', '-q', '-b', 'main', seed], { env });
write(seed, 'shared/style-guide.md', '# House style\n');
execFileSync('git', ['add', '-A'], { cwd: seed, env });
execFileSync('git', ['commit', '-q', '-m', 'seed'], { cwd: seed, env });
for (const b of ['main', 'test']) execFileSync('git', ['push', '-q', codex, `HEAD:refs/heads/${b}`], { cwd: seed, env });
showCodex(codex);

step('A project with docs, its origin remote, and codex-hooks from this checkout');
const origin = path.join(base, 'origin.git');
execFileSync('git', ['init', '-q', '--bare', origin], { env });
const project = path.join(base, 'payments-api');
execFileSync('git', ['init', '-q', '-b', 'main', project], { env });
execFileSync('git', ['remote', 'add', 'origin', origin], { cwd: project, env });
write(project, 'package.json', JSON.stringify({ name: 'payments-api', private: true }, null, 2) + '\n');
write(project, 'README.md', '# Payments API\n');
write(project, 'docs/overview.md', '# Overview\n');
write(project, '.env', 'STRIPE_KEY=sk_live_never_synced\n');
fs.mkdirSync(path.join(project, 'node_modules/.bin'), { recursive: true });
fs.symlinkSync(ROOT, path.join(project, 'node_modules/codex-hooks'));
fs.symlinkSync(path.join(ROOT, 'bin/codex-hooks.cjs'), path.join(project, 'node_modules/.bin/codex-hooks'));
const cli = (args, extraEnv) => sh(project, path.join(project, 'node_modules/.bin/codex-hooks'), args, extraEnv);
cli(['init', '--codex', '../codex.git', '--project', 'payments-api', '--yes']);
const rc = JSON.parse(fs.readFileSync(path.join(project, '.codexrc.json'), 'utf8'));
rc.sync_patterns = ['docs/**', 'README.md', '.env'];
rc.hooks.post_commit = 'off'; // so the demo's output reads in order; the default syncs in the background
fs.writeFileSync(path.join(project, '.codexrc.json'), JSON.stringify(rc, null, 2) + '\n');
write(project, '.gitignore', fs.readFileSync(path.join(project, '.gitignore'), 'utf8') + 'node_modules\n');
cli(['install']);
sh(project, 'git', ['add', '-A']);
sh(project, 'git', ['commit', '-q', '-m', 'Payments API with docs']);

step('A feature branch: its push syncs docs to the codex test branch, silently');
sh(project, 'git', ['checkout', '-q', '-b', 'feat/refunds']);
write(project, 'docs/refunds.md', '# Refunds (unreleased)\n');
sh(project, 'git', ['add', '-A']);
sh(project, 'git', ['commit', '-q', '-m', 'Document refunds']);
sh(project, 'git', ['push', '-q', '-u', 'origin', 'feat/refunds']);
showCodex(codex);

step('Releasing: main is merged and pushed with CODEX_ENV=prod (explicit: no question asked)');
sh(project, 'git', ['checkout', '-q', 'main']);
sh(project, 'git', ['merge', '-q', '--ff-only', 'feat/refunds']);
sh(project, 'git', ['push', '-q', 'origin', 'main'], { CODEX_ENV: 'prod' });
showCodex(codex);

step('What the codex says about it');
console.log(execFileSync('git', ['log', '--format=%h %s%n%(trailers:only,unfold)', 'main', '-1'], { cwd: codex, env, encoding: 'utf8' }).trimEnd());
cli(['status', '--offline']);
console.log(`\nThe .env file matched sync_patterns and was still never synced (deny_patterns).`);
console.log(`Everything is in ${base} — remove it when done:  rm -rf ${base}`);
