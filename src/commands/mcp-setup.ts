import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { writeJson } from '../core/json-file.js';
import { packageRoot } from '../core/paths.js';
import { msg } from '../core/messages.js';
import type { CommandResult, Context } from '../core/edge.js';

export const CLIENTS = ['claude-code', 'claude-desktop', 'cursor', 'vscode'] as const;
type ClientName = (typeof CLIENTS)[number];

/** The server's name in every client's configuration. */
const NAME = 'codex';

/** Where each client reads its MCP servers, and under which key. */
function target(client: ClientName, ctx: Context): { file: string; key: 'mcpServers' | 'servers' } {
  const home = ctx.env.HOME || ctx.env.USERPROFILE || '';
  switch (client) {
    case 'claude-code':
      return { file: path.join(path.resolve(ctx.cwd), '.mcp.json'), key: 'mcpServers' };
    case 'cursor':
      return { file: path.join(home, '.cursor', 'mcp.json'), key: 'mcpServers' };
    case 'vscode':
      return { file: path.join(path.resolve(ctx.cwd), '.vscode', 'mcp.json'), key: 'servers' };
    case 'claude-desktop': {
      const dir =
        process.platform === 'darwin' ? path.join(home, 'Library', 'Application Support', 'Claude')
        : process.platform === 'win32' ? path.join(ctx.env.APPDATA || path.join(home, 'AppData', 'Roaming'), 'Claude')
        : path.join(ctx.env.XDG_CONFIG_HOME || path.join(home, '.config'), 'Claude');
      return { file: path.join(dir, 'claude_desktop_config.json'), key: 'mcpServers' };
    }
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * `codex-hooks mcp setup <client> [--write]` (issue 22): the client's entry for this server, with node's
 * and the bin's absolute paths (npx starts too slowly for some clients, and GUI clients lack the
 * shell's PATH), the codex given by --codex or by this folder's config (--cwd). Printed; with --write,
 * merged into the client's file: other servers and keys are kept, a file that is not JSON is left alone.
 */
export async function setup(ctx: Context, client: string | undefined, codex: string | undefined, write: boolean): Promise<CommandResult> {
  if (!client || !(CLIENTS as readonly string[]).includes(client)) throw new UsageError(msg.setupClient(client ?? ''), msg.setupUsage);
  const bin = fs.realpathSync(path.join(packageRoot(), 'bin', 'codex-hooks.cjs'));
  const args = codex ? [bin, 'mcp', '--codex', codex] : [bin, '--cwd', path.resolve(ctx.cwd), 'mcp'];
  const entry = client === 'vscode' ? { type: 'stdio', command: process.execPath, args } : { command: process.execPath, args };
  const { file, key } = target(client as ClientName, ctx);
  const snippet = { [key]: { [NAME]: entry } };
  const addCommand = client === 'claude-code' ? `claude mcp add ${NAME} -- ${[process.execPath, ...args].map(shellWord).join(' ')}` : null;
  if (!write) {
    const text = [msg.setupPrint(client, file), JSON.stringify(snippet, null, 2), ...(addCommand ? [msg.setupClaudeCode(addCommand)] : []), msg.setupWriteHint(client)];
    return { data: { client, file, config: snippet, command: addCommand, written: false }, render: () => void ctx.stdout.write(text.join('\n') + '\n') };
  }
  let current: Record<string, unknown> = {};
  if (fs.existsSync(file)) {
    try {
      const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
      current = parsed as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(msg.setupBadFile(file, (error as Error).message.split('\n')[0]), msg.setupBadFileHint);
    }
  }
  const servers = (current[key] && typeof current[key] === 'object' ? current[key] : {}) as Record<string, unknown>;
  const before = servers[NAME];
  const outcome = before === undefined ? 'added' : same(before, entry) ? 'unchanged' : 'updated';
  if (outcome !== 'unchanged') writeJson(file, { ...current, [key]: { ...servers, [NAME]: entry } });
  return { data: { client, file, config: snippet, command: addCommand, written: outcome !== 'unchanged', outcome }, render: () => void ctx.stdout.write(msg.setupWrote(outcome, NAME, file) + '\n') };
}

/** A word as a POSIX shell reads it back. Pure. */
const shellWord = (w: string) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);
