// Pure functions that bound what codex content and config values can do (design §2, §4).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { wildcardMatch } from '../dist/sync/from-codex/wildcard.js';
import { parseRouting, routesTo, FRONT_MATTER_MAX } from '../dist/sync/from-codex/routes.js';
import { gitDirectories } from '../dist/sync/from-codex/from-codex.js';
import { refusedComponent, safeRelativePath } from '../dist/core/names.js';
import { pullDirProblem } from '../dist/config/validate.js';
import { escapeControl } from '../dist/core/messages.js';
import { selectFiles } from '../dist/sync/to-codex/select.js';
import { aliasBomb, globBomb } from './hostile-helpers.js';

const t = suite('untrusted input');

t('wildcardMatch: *, ?, classes and escapes, no extglobs or braces', () => {
  const cases = [
    ['*', 'api', true], ['api-*', 'api-web', true], ['api-*', 'web-api', false], ['a?i', 'api', true],
    ['[ab]pi', 'api', true], ['[!a]pi', 'api', false], ['[a-c]pi', 'bpi', true], ['\\*', '*', true], ['\\*', 'a', false],
    ['{api,web}', 'api', false], ['+(api)', 'api', false], ['*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(60), false],
  ];
  for (const [p, name, want] of cases) assert.is(wildcardMatch(p, name), want, `${p} ~ ${name}`);
});

t('routesTo matches include minus exclude with the bounded matcher', () => {
  assert.ok(routesTo({ include: ['*'], exclude: [] }, 'api'));
  assert.not.ok(routesTo({ include: ['*'], exclude: ['ap?'] }, 'api'));
  assert.ok(routesTo({ include: ['web', 'api-*'], exclude: [] }, 'api-x'));
});

t('parseRouting reads plain YAML and refuses anchors, js, oversize and malformed values', async () => {
  const doc = (fm) => Buffer.from(`---\n${fm}\n---\n# body\n`);
  assert.equal(await parseRouting(doc('codex_sync_include: [api, web]\ncodex_sync_exclude: web')), { include: ['api', 'web'], exclude: ['web'] });
  assert.equal(await parseRouting(doc('codex_sync_include: "*"')), { include: ['*'], exclude: [] });
  assert.is(await parseRouting(doc('title: no routing')), null);
  assert.is(await parseRouting(Buffer.from('# no front matter\ncodex_sync_include: [x]\n')), null);
  assert.match((await parseRouting(Buffer.from(aliasBomb()))).refused, /anchors/);
  assert.match((await parseRouting(doc('x: &a [api]\ncodex_sync_include: *a'))).refused, /anchors/);
  assert.is(await parseRouting(Buffer.from('---js\n{ codex_sync_include: ["api"] }\n---\n')), null);
  assert.match((await parseRouting(doc(`codex_sync_include: [${Array.from({ length: 101 }, (_, i) => `p${i}`).join(',')}]`))).refused, /101 values/);
  assert.match((await parseRouting(doc(`codex_sync_include: ["${'x'.repeat(201)}"]`))).refused, /200 characters/);
  assert.match((await parseRouting(doc('codex_sync_include: [[nested]]'))).refused, /list of strings/);
  assert.match((await parseRouting(doc(`codex_sync_include: [api]\npad: "${'p'.repeat(FRONT_MATTER_MAX)}"`))).refused, /64 KiB/);
  assert.match((await parseRouting(Buffer.from('---\ncodex_sync_include: [api]\n'))).refused, /not closed/);
  // The glob bomb parses (it is plain YAML); the matcher is what keeps it harmless.
  const bomb = await parseRouting(Buffer.from(globBomb()));
  assert.is(bomb.include.length, 2);
  assert.not.ok(routesTo(bomb, 'payments-api-service-with-a-long-name'));
});

t('names git refuses on checkout, in every spelling', () => {
  for (const bad of ['.git', '.GIT', '.Git', '.git.', '.git  ', 'git~1', 'GIT~1', '.g\u200cit', '.git::$INDEX_ALLOCATION', '..', '.', '']) assert.ok(refusedComponent(bad), JSON.stringify(bad));
  for (const ok of ['.github', '.gitignore', 'git', 'x.git', '.gitkeep', 'docs']) assert.not.ok(refusedComponent(ok), ok);
  assert.ok(safeRelativePath('shared/guide.md'));
  assert.not.ok(safeRelativePath('/etc/passwd'));
  assert.not.ok(safeRelativePath('shared/../x'));
});

t('gitDirectories finds folders that git would take for a repository', () => {
  assert.equal(gitDirectories(['shared/evil/HEAD', 'shared/evil/objects/x', 'shared/evil/refs/heads/main', 'shared/ok.md']), ['shared/evil']);
  assert.equal(gitDirectories(['HEAD', 'objects/info/packs', 'refs/x']), ['']);
  assert.equal(gitDirectories(['shared/HEAD', 'shared/objects.md', 'shared/refs/x']), []);
});

t('pullDirProblem: resolved paths, .git in any case, overlap with sync_patterns', () => {
  const patterns = ['docs/**', 'README.md', 'CLAUDE.md'];
  for (const ok of ['.codex', '.codex/', 'vendor/docs', '.cache/codex', 'x/../.codex']) assert.is(pullDirProblem(ok, patterns), null, ok);
  const bad = { './': 'root', './/': 'root', '.': 'root', 'x/../': 'root', '': 'empty', '/abs': 'absolute', 'C:/x': 'absolute', '../x': 'outside', '.GIT': '.git', 'a/.Git/b': '.git', docs: 'overlaps', 'docs/pulled': 'overlaps', 'DOCS': 'overlaps', 'README.md': 'overlaps' };
  for (const [p, why] of Object.entries(bad)) assert.match(pullDirProblem(p, patterns) ?? '', why, p);
  assert.is(pullDirProblem('.codex', ['**']), null, 'a glob-first pattern names no folder; pull_dir is left out of the selection instead');
});

t('the to-codex selection never sends pull_dir back, even with **', () => {
  const entry = (p) => ({ path: p, mode: '100644', type: 'blob', oid: 'a'.repeat(40), size: 1 });
  const { files } = selectFiles([entry('docs/a.md'), entry('.codex/shared/x.md'), entry('.codexrc.json')], { sync_patterns: ['**'], exclude_patterns: [], deny_patterns: [], max_file_size: 100, pull_dir: './.codex/' });
  assert.equal(files.map((f) => f.path), ['docs/a.md', '.codexrc.json']);
});

t('a denied folder name catches every file inside it, at any depth, in any letter case; its siblings pass', () => {
  const entry = (p) => ({ path: p, mode: '100644', type: 'blob', oid: 'a'.repeat(40), size: 1 });
  const paths = ['docs/.secrets/a.md', 'docs/.secrets/b.md', 'docs/.Secrets/deep/c.md', 'docs/ok.md', 'docs/keys/ok.md', 'docs/keys/id_rsa', 'docs/x/.env/y.md', 'docs/x/z.md'];
  const { files, skipped } = selectFiles(paths.map(entry), { sync_patterns: ['docs/**'], exclude_patterns: [], deny_patterns: ['**/.secrets', '**/id_rsa*', '**/.env'], max_file_size: 100 });
  assert.equal(files.map((f) => f.path), ['docs/ok.md', 'docs/keys/ok.md', 'docs/x/z.md']);
  assert.equal(skipped.map((s) => s.path), ['docs/.secrets/a.md', 'docs/.secrets/b.md', 'docs/.Secrets/deep/c.md', 'docs/keys/id_rsa', 'docs/x/.env/y.md']);
});

t('escapeControl shows control characters as escapes', () => {
  assert.is(escapeControl('\u001b[2J\u001b[Hmain'), '\\x1b[2J\\x1b[Hmain');
  assert.is(escapeControl('a\nb\tc\u2028'), 'a\\nb\\tc\\u2028');
  assert.is(escapeControl('plain ü'), 'plain ü');
});

t.run();

import { fixedBase } from '../dist/config/patterns.js';
const p = suite('patterns');
p('fixedBase: one answer for every reader of patterns', () => {
  const cases = { 'docs/**': 'docs', 'docs/api/*.md': 'docs/api', 'README.md': 'README.md', './docs/**': 'docs', 'docs/': 'docs', '**/*.md': null, '*.md': null, '!docs/x': null, '../x/**': null, '/abs/**': null, 'a\\b/*': null };
  for (const [pattern, base] of Object.entries(cases)) assert.is(fixedBase(pattern), base, pattern);
});
p.run();
