import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { readerMsg } from '../core/messages.js';
import { LIMITS, readDoc } from '../reader/docs.js';
import { listDocs, listResources } from '../reader/listing.js';
import { MAX_QUERY, searchDocs } from '../reader/search/search.js';
import { status } from '../reader/status.js';
import { boundedQueue } from './queue.js';
import { SyncError } from '../core/errors.js';
import { ReaderError, type Reader } from '../reader/reader.js';

/** What the tools read: made once the configuration is known (after the first answer: see serve.ts). */
export interface Session {
  reader: Reader;
  /** The organisation shown in URIs. */
  org: string;
  /** The configured organisation: URIs naming another are refused. Null accepts any. */
  checkOrg: string | null;
}

export interface ServerOptions {
  session: () => Promise<Session>;
  version: string;
  /** Where unexpected failures are logged (stderr: stdout is the protocol's). */
  log?: (line: string) => void;
  /** One validator for servers made per request (HTTP): the SDK would build an Ajv for each. */
  jsonSchemaValidator?: ServerOptionsOfSdk['jsonSchemaValidator'];
}
type ServerOptionsOfSdk = NonNullable<ConstructorParameters<typeof McpServer>[1]>;

/** codex_search calls running at once, and waiting behind them before a call is refused as busy. */
const SEARCHES_RUNNING = 2;
const SEARCHES_WAITING = 32;

/** MCP's "resource not found" (the specification's -32002). */
const RESOURCE_NOT_FOUND = -32002;

const text = (t: string) => ({ type: 'text' as const, text: t });
const withNote = (note: string | null) => (note ? [text(note)] : []);

const EXAMPLE = 'codex://<org>/<project>/<path>';

/** What wraps each tool's body (toolOf): the session, and the reader's errors as results. */
type ToolBody = <A>(fn: (args: A, s: Session) => Promise<CallToolResult>) => (args: A) => Promise<CallToolResult>;

/**
 * The reader for agents (design §8) on the official SDK: four tools and every released document as a
 * resource. Nothing here names a branch or an environment: the reader serves production only.
 */
export function createServer(o: ServerOptions): McpServer {
  const server = new McpServer(
    { name: 'codex-hooks', version: o.version },
    {
      ...(o.jsonSchemaValidator ? { jsonSchemaValidator: o.jsonSchemaValidator } : {}),
      instructions:
        "The released (production) documentation of the organisation's codex: every project's docs and the shared ones. " +
        `Documents are addressed as ${EXAMPLE}. Find them with codex_search or codex_list, read them with codex_fetch; ` +
        'codex_status says which codex and how fresh. Unreleased docs (test branches) are never served.',
    },
  );

  const tool = toolOf(o);
  registerFetch(server, tool);
  registerList(server, tool);
  registerSearch(server, tool);
  registerStatus(server, tool);
  registerDocuments(server, o);
  return server;
}

/** A tool body whose ReaderErrors become isError results an agent can act on. */
const toolOf = (o: ServerOptions): ToolBody => (fn) => async (args) => {
  try {
    return await fn(args, await o.session());
  } catch (error) {
    if (error instanceof ReaderError) {
      return { isError: true, content: [text(`${error.message}${error.hint ? `\n${error.hint}` : ''}`)], _meta: { kind: error.kind } };
    }
    // git that could not start (EMFILE) or died: this call fails, the server stays (the next call starts git anew)
    if (error instanceof SyncError) {
      const e = new ReaderError('unavailable', readerMsg.gitUnavailable(error.message.split('\n')[0].slice(0, 300)), readerMsg.gitUnavailableHint);
      return { isError: true, content: [text(`${e.message}\n${e.hint}`)], _meta: { kind: e.kind } };
    }
    o.log?.(`codex-hooks mcp: unexpected error: ${(error as Error)?.stack ?? error}`);
    throw error;
  }
};

/** codex_fetch: one released document. */
function registerFetch(server: McpServer, tool: ToolBody): void {
  server.registerTool(
    'codex_fetch',
    {
      title: 'Read a released document',
      description:
        `Returns one released document of the organisation's codex by its URI, ${EXAMPLE} (e.g. codex://acme/api/docs/intro.md; ` +
        'codex://<org>/shared/... for shared docs). Use codex_search or codex_list first when you do not know the exact path. ' +
        'Only production docs are served: a doc that exists only on a test branch is reported as "not released yet".',
      inputSchema: { uri: z.string().describe(`The document's URI, ${EXAMPLE}`) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(async ({ uri }: { uri: string }, { reader, checkOrg }) => {
      const doc = await readDoc(reader, checkOrg, uri);
      if (doc.binary) {
        return {
          content: [text(readerMsg.binary(doc.uri, doc.size, doc.mimeType)), { type: 'resource', resource: { uri: doc.uri, mimeType: doc.mimeType, blob: doc.body.toString('base64') } }, ...withNote(doc.note)],
        };
      }
      const body = doc.body.toString('utf8') + (doc.truncated ? `\n\n${readerMsg.truncated(doc.body.length, doc.size)}` : '');
      return { content: [text(body), ...withNote(doc.note)] };
    }),
  );
}

/** codex_list: the projects, or the documents under a folder. */
function registerList(server: McpServer, tool: ToolBody): void {
  const listed = z.object({ uri: z.string(), kind: z.enum(['document', 'project', 'folder']), size: z.number().optional() });
  server.registerTool(
    'codex_list',
    {
      title: 'List released documents',
      description:
        'Without a uri: the projects and shared folders of the codex. With a uri (codex://<org>/<project>/ or a folder below it): ' +
        `the released documents under it, with their sizes in bytes (at most ${LIMITS.listEntries}).`,
      inputSchema: { uri: z.string().optional().describe('A project or folder, e.g. codex://acme/api/ or codex://acme/api/docs/') },
      outputSchema: { entries: z.array(listed), more: z.boolean() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(async ({ uri }: { uri?: string }, { reader, org, checkOrg }) => {
      const r = await listDocs(reader, org, checkOrg, uri);
      const lines = r.entries.map((e) => (e.kind === 'document' ? `${e.uri}  (${e.size ?? '?'} bytes)` : `${e.uri}  (${e.kind})`));
      if (!lines.length) lines.push(readerMsg.emptyList(uri ?? `codex://${org}/`));
      if (r.more) lines.push(readerMsg.listMore(r.entries.length));
      return { content: [text(lines.join('\n')), ...withNote(r.note)], structuredContent: { entries: r.entries, more: r.more } };
    }),
  );
}

/** codex_search: ranked search, a few at once and a bounded queue behind them. */
function registerSearch(server: McpServer, tool: ToolBody): void {
  // each search may run a git grep (or wait on the index): a few at once, a bounded queue behind them
  const searches = boundedQueue(SEARCHES_RUNNING, SEARCHES_WAITING);
  const line = z.object({ line: z.number(), text: z.string() });
  const hit = z.object({
    uri: z.string().nullable(), path: z.string(), project: z.string(), title: z.string(), description: z.string(), tags: z.string(), score: z.number().nullable(), line: z.number(), text: z.string(),
    snippet: z.array(line), production_commit: z.string(), released: z.object({ commit: z.string(), date: z.string() }).nullable(),
  });
  server.registerTool(
    'codex_search',
    {
      title: 'Search the released documents',
      description:
        'Ranked full-text search over every released document of the codex: the words in any order, anywhere in a document ' +
        '(title, headings and path weigh more); put a "quoted phrase" in the query to match it as a phrase. Returns the best ' +
        'documents first, each with its URI, project, title, the best lines (line numbers and text) and the production commit; ' +
        'read a whole document with codex_fetch.',
      inputSchema: {
        query: z.string().min(1).max(MAX_QUERY).describe('A question or some words, e.g. rate limits for the public API; "quoted phrase" for an exact phrase'),
        project: z.string().max(200).optional().describe('Only this project (or shared folder), e.g. "api"'),
        limit: z.number().int().min(1).max(200).optional().describe('Most documents returned (default 10, at most 200)'),
        case_sensitive: z.boolean().optional().describe('Match quoted phrases with their letter case (default false)'),
      },
      outputSchema: { hits: z.array(hit), truncated: z.boolean(), source: z.enum(['index', 'stale-index', 'grep']) },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(async (args: { query: string; project?: string; limit?: number; case_sensitive?: boolean }, { reader, org }) => {
      const r = await searches(() => searchDocs(reader, org, args));
      const lines =
        r.source === 'grep'
          ? r.hits.map((h) => `${h.uri ?? h.path}:${h.line}: ${h.text}`)
          : r.hits.map((h) => [`${h.uri ?? h.path} — ${h.title} (score ${h.score})`, ...(h.description ? [`  ${h.description}`] : []), ...(h.tags ? [`  tags: ${h.tags}`] : []), ...h.snippet.map((s) => `  ${s.line}: ${s.text}`)].join('\n'));
      if (!lines.length) lines.push(r.source === 'grep' ? readerMsg.noHits(args.query.slice(0, 200)) : readerMsg.noRankedHits(args.query.slice(0, 200)));
      if (r.timedOut) lines.push(readerMsg.searchStopped(r.timeoutSeconds));
      else if (r.truncated) lines.push(readerMsg.searchMore(r.limit));
      if (r.indexNote) lines.push(r.indexNote);
      return { content: [text(lines.join('\n')), ...withNote(r.note)], structuredContent: { hits: r.hits, truncated: r.truncated, source: r.source } };
    }),
  );
}

/** codex_status: which codex, how fresh, each project's last release. */
function registerStatus(server: McpServer, tool: ToolBody): void {
  const sync = z.object({ commit: z.string(), date: z.string(), source_branch: z.string().nullable(), source_commit: z.string().nullable(), env: z.string().nullable() });
  const statusSchema = {
    codex_url: z.string(), organization: z.string(), production_branch: z.string(), tip: z.string().nullable(), fetched_at: z.string().nullable(),
    age_seconds: z.number().nullable(), age: z.string().nullable(), reachable: z.boolean(), last_error: z.string().nullable(), refresh_seconds: z.number(),
    projects: z.array(z.object({ project: z.string(), uri: z.string(), last_sync: sync.nullable() })),
  };
  server.registerTool(
    'codex_status',
    {
      title: 'Where the docs come from and how fresh they are',
      description:
        'The codex URL, the production branch and tip, when it was last fetched (and whether the codex answered), ' +
        'and the last release of each project (from the codex commit trailers).',
      outputSchema: statusSchema,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    tool(async (_args: unknown, { reader, org }) => {
      const s = await status(reader, org);
      const lines = [
        `codex: ${s.codex_url} (production branch ${s.production_branch})`,
        s.tip ? `tip: ${s.tip}, fetched ${s.age} ago (${s.fetched_at})` : 'tip: none fetched yet',
        s.reachable ? `the codex answered; fetched at most every ${s.refresh_seconds} s` : `the codex is unreachable: ${s.last_error}`,
        ...s.projects.map((p) => `${p.uri}  ${p.last_sync ? `last released ${p.last_sync.date} from ${p.last_sync.source_branch ?? '?'}@${(p.last_sync.source_commit ?? '').slice(0, 7)}` : 'no release recorded'}`),
      ];
      return { content: [text(lines.join('\n'))], structuredContent: s };
    }),
  );
}

/** Every released document as a resource. */
function registerDocuments(server: McpServer, o: ServerOptions): void {
  server.registerResource(
    'codex-doc',
    new ResourceTemplate('codex://{org}/{project}/{+path}', {
      list: async () => {
        const { reader, org } = await o.session();
        return { resources: await listResources(reader, org) };
      },
    }),
    { title: 'Released documents', description: `Every released document of the codex, ${EXAMPLE}` },
    async (uri) => {
      try {
        const { reader, checkOrg } = await o.session();
        const doc = await readDoc(reader, checkOrg, uri.href);
        const content = doc.binary
          ? { uri: doc.uri, mimeType: doc.mimeType, blob: doc.body.toString('base64') }
          : { uri: doc.uri, mimeType: doc.mimeType, text: doc.body.toString('utf8') };
        return { contents: [content], ...(doc.note ? { _meta: { note: doc.note } } : {}) };
      } catch (error) {
        // McpError's message already starts "MCP error -32002:", and the client adds that again: a plain
        // error with the code says it once
        if (error instanceof ReaderError) throw Object.assign(new Error(error.message), { code: RESOURCE_NOT_FOUND, data: { kind: error.kind } });
        throw error;
      }
    },
  );
}
