// What MCP clients expect of the reader (issue 22): annotated and titled tools with output schemas, errors
// that say something new, resources/read errors prefixed once, and `codex-hooks mcp setup <client>`.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { createServer } from '../dist/mcp/server.js';
import { Reader } from '../dist/reader/reader.js';
import { BIN, cleanup, cli, isolatedEnv, makeCodex, tmpdir, writeConfig } from './helpers.js';

const t = suite('mcp-clients');
const open = [];
t.after.each(async () => {
  while (open.length) await open.pop()();
  cleanup();
});

async function connect(files = { 'projects/api/docs/a.md': '# A\n', 'projects/apps/x.md': '# X\n', 'shared/s.md': '# S\n' }) {
  const env = isolatedEnv();
  const bare = makeCodex(env, files, ['main']);
  const reader = new Reader({ url: bare, branch: 'main', unreleasedBranches: [], refreshSeconds: 60, timeoutMs: 20_000, env });
  const server = createServer({ session: async () => ({ reader, org: 'acme', checkOrg: 'acme' }), version: 'test' });
  const [c, s] = InMemoryTransport.createLinkedPair();
  await server.connect(s);
  const client = new Client({ name: 'test', version: '1' });
  await client.connect(c);
  open.push(async () => {
    await client.close();
    reader.close();
  });
  return { client, call: (name, args) => client.callTool({ name, arguments: args }) };
}
const textOf = (r) => r.content.filter((c) => c.type === 'text').map((c) => c.text).join('\n');

t('every tool has a title, read-only closed-world annotations; structured results have an output schema', async () => {
  const { client, call } = await connect();
  const { tools } = await client.listTools();
  for (const tool of tools) {
    assert.ok(tool.title, tool.name);
    assert.equal(tool.annotations, { readOnlyHint: true, openWorldHint: false }, tool.name);
  }
  const byName = Object.fromEntries(tools.map((x) => [x.name, x]));
  for (const name of ['codex_list', 'codex_search', 'codex_status']) assert.ok(byName[name].outputSchema, `${name} has an output schema`);
  // the client validates structuredContent against the schema: a status call that passes is one that fits
  const s = await call('codex_status', {});
  assert.not.ok(s.isError, textOf(s));
  assert.is(s.structuredContent.production_branch, 'main');
});

t('resources/read of a missing doc: the error code is said once, not twice', async () => {
  const { client } = await connect();
  try {
    await client.readResource({ uri: 'codex://acme/api/docs/nope.md' });
    assert.unreachable('read');
  } catch (error) {
    assert.is(error.code, -32002);
    assert.match(error.message, /^MCP error -32002: Not found: codex:\/\/acme\/api\/docs\/nope\.md/);
    assert.not.match(error.message, /MCP error -32002: MCP error/);
  }
});

t('an unknown project: the hint is another call than the one that failed, and names the nearest projects', async () => {
  const { call } = await connect();
  const list = await call('codex_list', { uri: 'codex://acme/appz/' });
  assert.ok(list.isError);
  assert.not.match(textOf(list), /codex_list \{"uri": "codex:\/\/acme\/appz\/"\}/);
  assert.match(textOf(list), /No project or folder "appz"/);
  assert.match(textOf(list), /codex:\/\/acme\/apps\/.*codex:\/\/acme\/api\//s);
  assert.match(textOf(list), /codex_list \{\}/);
  const fetch = await call('codex_fetch', { uri: 'codex://acme/appz/x.md' });
  assert.match(textOf(fetch), /did you mean codex:\/\/acme\/apps\//);
  // a known project and a missing doc: listing the project is a different call, and still the hint
  const doc = await call('codex_fetch', { uri: 'codex://acme/api/docs/nope.md' });
  assert.match(textOf(doc), /codex_list \{"uri": "codex:\/\/acme\/api\/"\}/);
});

t('mcp setup <client>: prints the configuration with absolute paths; --write merges without clobbering', async () => {
  const env = isolatedEnv();
  const project = tmpdir('project-');
  writeConfig(project, { codex_url: 'https://git.example.com/acme/codex.git', organization: 'acme' });
  const home = env.HOME;
  const printed = await cli(['mcp', 'setup', 'claude-desktop'], { cwd: project, env });
  assert.is(printed.code, 0, printed.stderr);
  const desktop = JSON.parse(/\{[\s\S]*\}/.exec(printed.stdout)[0]);
  assert.equal(desktop.mcpServers.codex, { command: process.execPath, args: [fs.realpathSync(BIN), '--cwd', project, 'mcp'] });
  assert.ok(path.isAbsolute(desktop.mcpServers.codex.command));
  const code = await cli(['mcp', 'setup', 'claude-code'], { cwd: project, env });
  assert.match(code.stdout, new RegExp(`claude mcp add codex -- ${process.execPath.replace(/[/.]/g, '\\$&')} \\S+codex-hooks\\.cjs --cwd ${project.replace(/[/.]/g, '\\$&')} mcp`));
  // vscode: the workspace's .vscode/mcp.json; what is there stays
  const vscodeFile = path.join(project, '.vscode', 'mcp.json');
  fs.mkdirSync(path.dirname(vscodeFile));
  fs.writeFileSync(vscodeFile, JSON.stringify({ servers: { other: { type: 'stdio', command: 'other' } }, inputs: [] }, null, 2));
  const wrote = await cli(['mcp', 'setup', 'vscode', '--write'], { cwd: project, env });
  assert.is(wrote.code, 0, wrote.stderr);
  const merged = JSON.parse(fs.readFileSync(vscodeFile, 'utf8'));
  assert.equal(merged.servers.other, { type: 'stdio', command: 'other' });
  assert.equal(merged.inputs, []);
  assert.equal(merged.servers.codex, { type: 'stdio', command: process.execPath, args: [fs.realpathSync(BIN), '--cwd', project, 'mcp'] });
  assert.match(wrote.stdout, /added the server "codex" to .*\.vscode\/mcp\.json/);
  const again = await cli(['mcp', 'setup', 'vscode', '--write'], { cwd: project, env });
  assert.match(again.stdout, /already there/);
  // cursor: ~/.cursor/mcp.json; a file that is not JSON is never overwritten
  const cursorFile = path.join(home, '.cursor', 'mcp.json');
  fs.mkdirSync(path.dirname(cursorFile), { recursive: true });
  fs.writeFileSync(cursorFile, '{ not json');
  const refused = await cli(['mcp', 'setup', 'cursor', '--write'], { cwd: project, env });
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /mcp\.json/);
  assert.is(fs.readFileSync(cursorFile, 'utf8'), '{ not json');
  // --codex URL instead of a project folder
  const byUrl = await cli(['mcp', 'setup', 'cursor', '--codex', 'https://git.example.com/acme/codex.git'], { cwd: home, env });
  assert.equal(JSON.parse(/\{[\s\S]*\}/.exec(byUrl.stdout)[0]).mcpServers.codex.args.slice(1), ['mcp', '--codex', 'https://git.example.com/acme/codex.git']);
  const unknown = await cli(['mcp', 'setup', 'emacs'], { cwd: project, env });
  assert.is(unknown.code, 2);
  assert.match(unknown.stderr, /claude-code, claude-desktop, cursor, vscode/);
});

t.run();
