// `codex-hooks mcp` in a process of its own (the built bin), asked for one tool over raw JSON-RPC.
import { spawn } from 'node:child_process';
import { BIN } from './helpers.js';

/**
 * Starts `codex-hooks mcp ...args` in `cwd`, calls `tool` once, and closes its stdin when it answered:
 * resolves with its exit code, stdout, stderr and whether the call was answered. A server that ends on
 * its own (a bad start) resolves as well.
 */
export function mcpCall(cwd, env, args = [], tool = 'codex_status', toolArgs = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'mcp', ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let answered = false;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!answered && stdout.split('\n').some((l) => l.includes('"id":2'))) {
        answered = true;
        child.stdin.end();
      }
    });
    child.stdin.on('error', () => {});
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, stdout, answered }));
    const send = (m) => child.stdin.write(JSON.stringify({ jsonrpc: '2.0', ...m }) + '\n');
    send({ id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } } });
    send({ method: 'notifications/initialized' });
    send({ id: 2, method: 'tools/call', params: { name: tool, arguments: toolArgs } });
  });
}
