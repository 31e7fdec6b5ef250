import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Reader, type ReaderSettings } from '../reader/reader.js';
import { createServer, type Session } from './server.js';
import type { HttpOptions } from './http.js';

export interface ServeOptions {
  /** The codex and what the configuration says of it; loaded after the server is up (see below). */
  setup: () => Promise<{ settings: ReaderSettings; org: string; checkOrg: string | null }>;
  version: string;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  log?: (line: string) => void;
  /** The environment whose cache folder keeps the server's compiled code (read by the bundle's loader). */
  env?: NodeJS.ProcessEnv;
  /** Serve Streamable HTTP instead of stdio (`--http`). */
  http?: Omit<HttpOptions, 'session' | 'version' | 'log'>;
}

/**
 * Serves MCP on stdio until the client goes; stdout carries only protocol messages. The SDK's stdio
 * transport does not notice a closed stdin (typescript-sdk#2002): its end is the client's goodbye.
 *
 * Clients time a server's start, so the configuration (a git process, cosmiconfig, zod) is read only once
 * the server listens, while the client's `initialize` is answered. A configuration that cannot be read
 * ends the server with its error, as a failed start would. The bundle builds this file into dist/mcp.cjs
 * (scripts/bundle.mjs): only `codex-hooks mcp` loads the SDK.
 */
export async function serve(o: ServeOptions): Promise<void> {
  if (o.http) return serveOverHttp(o, o.http);
  const stdin = o.stdin ?? process.stdin;
  const stdout = o.stdout ?? process.stdout;
  let session: Promise<Session> | null = null;
  let failure: unknown = null;
  let stop: () => void = () => {};
  const open = () =>
    (session ??= o.setup().then(({ settings, org, checkOrg }) => ({ reader: new Reader(settings), org, checkOrg })));
  const server = createServer({ session: open, version: o.version, log: o.log });
  const transport = new StdioServerTransport(stdin as never, stdout as never);
  server.server.onerror = (error) => o.log?.(`codex-hooks mcp: ${error.message}`);
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    stop = resolve;
    const sdkClose = transport.onclose;
    transport.onclose = () => {
      sdkClose?.();
      resolve();
    };
    stdin.once('end', resolve);
    stdin.once('close', resolve);
    setImmediate(() =>
      open().catch((error) => {
        failure = error;
        stop();
      }),
    );
  });
  await server.close().catch(() => {});
  if (session) (await (session as Promise<Session>).catch(() => null))?.reader.close();
  if (failure) throw failure;
}

/**
 * Over HTTP the configuration is read before listening (a bad one exits 2 before any client sees a port),
 * and the search index is started at once: replicas behind a load balancer answer ranked from the start.
 */
async function serveOverHttp(o: ServeOptions, h: NonNullable<ServeOptions['http']>): Promise<void> {
  // Loaded only for --http: its HTTP server's request and response classes load node's fetch (undici), ~12 ms of
  // the stdio server's start, which clients time.
  const { serveHttp } = await import('./http.js');
  const { settings, org, checkOrg } = await o.setup();
  const reader = new Reader(settings);
  const session: Session = { reader, org, checkOrg };
  const log = o.log ?? (() => {});
  reader
    .production()
    .then(({ snapshot }) => reader.searchIndex.view(snapshot.tip))
    .catch(() => {}); // a codex that cannot be read yet: the first call says why
  try {
    await serveHttp({ ...h, session: async () => session, version: o.version, log });
  } finally {
    reader.close();
  }
}
