import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { readerMsg } from '../core/messages.js';
import { createServer, type Session } from './server.js';
import { isLoopback } from './listen.js';

export interface HttpOptions {
  host: string;
  port: number;
  /** CODEX_MCP_TOKEN: every request but /health needs `Authorization: Bearer <token>`. */
  token: string | null;
  /** Origins a browser may call from (CODEX_MCP_ORIGINS); a request without Origin is no browser's. */
  origins: string[];
  session: () => Promise<Session>;
  version: string;
  log: (line: string) => void;
  /** Aborted: stop accepting, let the requests in flight finish (at most drainMs), close. */
  signal: AbortSignal;
  drainMs?: number;
  /** Called once listening, with the address (port 0 picks one). */
  listening?: (url: string) => void;
}

/** Bytes of a request body read at most: a JSON-RPC call of this server is a few hundred. */
const MAX_BODY = 1 << 20;

/** Compares digests, so neither the time nor an early exit tells how much of a token was right. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token)) && given.length > 0;
}

/** The Host a loopback server answers to: a name that resolves elsewhere (DNS rebinding) is refused. */
function hostAllowed(hostHeader: string | undefined, bound: string): boolean {
  if (!isLoopback(bound)) return true;
  const name = (hostHeader ?? '').replace(/:\d+$/, '');
  return isLoopback(name);
}

function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** What the log line names of a JSON-RPC body: its methods, and a tool's name. */
function describe(body: unknown): string {
  const one = (m: { method?: unknown; params?: { name?: unknown } }) =>
    typeof m?.method === 'string' ? `${m.method}${m.method === 'tools/call' && typeof m.params?.name === 'string' ? ` ${m.params.name.slice(0, 40)}` : ''}` : '';
  const all = Array.isArray(body) ? body.map(one) : [one(body as never)];
  return all.filter(Boolean).join(',').replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}

/**
 * `codex-hooks mcp --http [HOST:]PORT` (design §8): the same tools over the MCP Streamable HTTP transport at
 * /mcp, stateless (a server and a transport per request, sharing one reader: any replica answers any
 * request, no session to stick to), JSON responses. Token, Origin and Host checks come before the SDK
 * sees a request; /health answers without a token. One line per request on stderr.
 */
export async function serveHttp(o: HttpOptions): Promise<void> {
  const inFlight = new Set<http.ServerResponse>();
  const jsonSchemaValidator = new AjvJsonSchemaValidator();
  let drained: (() => void) | null = null;
  const server = http.createServer(async (req, res) => {
    const started = Date.now();
    let what = '';
    inFlight.add(res);
    res.on('close', () => {
      inFlight.delete(res);
      if (inFlight.size === 0) drained?.();
      o.log(`${new Date(started).toISOString()} ${req.method} ${(req.url ?? '').slice(0, 100).replace(/[^\x20-\x7e]/g, '?')} ${res.statusCode} ${Date.now() - started} ms${what ? ` ${what}` : ''}`);
    });
    const plain = (status: number, message: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://x');
      if (!hostAllowed(req.headers.host, o.host)) return plain(403, readerMsg.httpHostRefused);
      const origin = req.headers.origin;
      if (origin !== undefined && !o.origins.includes(origin)) return plain(403, readerMsg.httpOriginRefused(origin.slice(0, 100)));
      if (url.pathname === '/health' && req.method === 'GET') {
        res.writeHead(o.signal.aborted ? 503 : 200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ status: o.signal.aborted ? 'draining' : 'ok', version: o.version }));
      }
      if (o.token !== null && !tokenMatches(req.headers.authorization, o.token)) return plain(401, readerMsg.httpUnauthorized, { 'www-authenticate': 'Bearer' });
      if (url.pathname !== '/mcp') return plain(404, readerMsg.httpNotFound);
      if (req.method !== 'POST') return plain(405, readerMsg.httpPostOnly, { allow: 'POST' });
      const raw = await readBody(req);
      if (raw === null) return plain(413, readerMsg.httpTooLarge(MAX_BODY));
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return plain(400, readerMsg.httpBadJson);
      }
      what = describe(body);
      const mcp = createServer({ session: o.session, version: o.version, log: o.log, jsonSchemaValidator });
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => {
        transport.close().catch(() => {});
        mcp.close().catch(() => {});
      });
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body);
    } catch (error) {
      o.log(`codex-hooks mcp: unexpected error: ${(error as Error)?.stack ?? error}`);
      if (!res.headersSent) plain(500, readerMsg.httpInternal);
      else res.end();
    }
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  o.listening?.(`http://${shownHost}:${address.port}/mcp`);
  await new Promise<void>((resolve) => (o.signal.aborted ? resolve() : o.signal.addEventListener('abort', () => resolve(), { once: true })));
  // Drain: no new connection, idle keep-alive connections closed, the requests in flight answered (at most
  // drainMs), then every connection closed.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const idle = new Promise<void>((resolve) => (inFlight.size === 0 ? resolve() : (drained = resolve)));
  await Promise.race([idle, new Promise<void>((r) => (timer = setTimeout(r, o.drainMs ?? 10_000)))]);
  clearTimeout(timer);
  server.closeAllConnections();
  await closed;
}
