// `npm run demo`: a throwaway local codex and project, the hooks installed from this checkout, a feature
// push (docs appear on the codex's test branch), then a push of main whose production question is
// answered on a terminal (a pseudo-terminal made with util-linux `script`; skipped with a note when there
// is none), then `CODEX_ENV=prod git push` (explicit: no question). Everything lives in one temp folder,
// named at the end; your own git config and cache are untouched.
import { execFileSync, spawn } from 'node:child_process';
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

function hasCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs git in a real pseudo-terminal and types `answer` once the production question is on screen. */
function pushAnsweringOnTerminal(cwd, gitArgs, answer) {
  return new Promise((resolve, reject) => {
    const command = ['git', ...gitArgs].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'inherit'] });
    let seen = '';
    let answered = false;
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      seen += d;
      // eslint-disable-next-line no-control-regex -- colour codes between the words
      if (!answered && /Sync to production\?/.test(seen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, ''))) {
        answered = true;
        child.stdin.write(answer);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      child.stdin.end();
      process.stdout.write('\n');
      resolve(code);
    });
  });
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
// A credentials file inside docs/ (a placeholder, no real secret): matched by sync_patterns, never synced.
write(project, 'docs/credentials.json', '{ "example": "placeholder, never synced" }\n');
fs.mkdirSync(path.join(project, 'node_modules/.bin'), { recursive: true });
fs.symlinkSync(ROOT, path.join(project, 'node_modules/codex-hooks'));
fs.symlinkSync(path.join(ROOT, 'bin/codex-hooks.cjs'), path.join(project, 'node_modules/.bin/codex-hooks'));
const cli = (args, extraEnv) => sh(project, path.join(project, 'node_modules/.bin/codex-hooks'), args, extraEnv);
cli(['init', '--codex', '../codex.git', '--project', 'payments-api', '--yes']);
const rc = JSON.parse(fs.readFileSync(path.join(project, '.codexrc.json'), 'utf8'));
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

step('Releasing: main is merged and pushed; the hook asks on the terminal, and the answer is y');
sh(project, 'git', ['checkout', '-q', 'main']);
sh(project, 'git', ['merge', '-q', '--ff-only', 'feat/refunds']);
if (hasCommand('script')) {
  console.log('$ git push origin main        (in a pseudo-terminal; the demo types y and Enter at the question)');
  const code = await pushAnsweringOnTerminal(project, ['push', 'origin', 'main'], 'y\r');
  if (code !== 0) throw new Error(`git push exited ${code}`);
} else {
  console.log('(skipped: no `script` command to make a terminal with — install util-linux/bsdutils to see the question)');
  sh(project, 'git', ['push', '-q', 'origin', 'main'], { CODEX_ENV: 'prod' });
}
showCodex(codex);

step('Next release without a question: CODEX_ENV=prod names production explicitly');
write(project, 'docs/overview.md', '# Overview\n\nNow with refunds.\n');
sh(project, 'git', ['commit', '-q', '-am', 'Overview mentions refunds']);
sh(project, 'git', ['push', '-q', 'origin', 'main'], { CODEX_ENV: 'prod' });

step('What the codex says about it');
console.log(execFileSync('git', ['log', '--format=%h %s%n%(trailers:only,unfold)', 'main', '-1'], { cwd: codex, env, encoding: 'utf8' }).trimEnd());
cli(['status', '--offline']);
console.log(`\ndocs/credentials.json matched sync_patterns and was still never synced (deny_patterns).`);
console.log(`Everything is in ${base} — remove it when done:  rm -rf ${base}`);
