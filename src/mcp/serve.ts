import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { Reader, type ReaderSettings } from './reader.js';
import { createServer, type Session } from './server.js';

export interface ServeOptions {
  /** The codex and what the configuration says of it; loaded after the server is up (see below). */
  setup: () => Promise<{ settings: ReaderSettings; org: string; checkOrg: string | null }>;
  version: string;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream;
  log?: (line: string) => void;
  /** The environment whose cache folder keeps the server's compiled code (read by the bundle's loader). */
  env?: NodeJS.ProcessEnv;
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
