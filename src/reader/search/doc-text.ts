import yaml from 'js-yaml';
import { FRONT_MATTER_MAX } from '../../sync/from-codex/routes.js';

/** What codex_search indexes of one document (design §8): weighted fields, each bounded. */
export interface DocFields {
  path: string;
  title: string;
  description: string;
  tags: string;
  headings: string;
  body: string;
}

/** Bounds on what is indexed of a document: the codex is untrusted, an index must stay small. */
export const TEXT_LIMITS = {
  /** Bytes of a document read for the index; the rest of a longer one is not searchable. */
  bodyBytes: 256 * 1024,
  field: 500,
  tags: 50,
};

/** Files worth indexing: text formats an agent reads. Anything else is still fetchable, never searched. */
const TEXT = /\.(md|mdx|markdown|txt|rst|adoc|asciidoc|org|html?|ya?ml|json|toml|csv|tsv|xml|ini|cfg|conf|sh|py|ts|js|go|rs|java|rb|sql|graphql|proto)$/i;
export const isIndexable = (codexPath: string) => TEXT.test(codexPath) || !/\.[^/]*$/.test(codexPath.slice(codexPath.lastIndexOf('/') + 1));

const clip = (s: unknown, n = TEXT_LIMITS.field) => (typeof s === 'string' ? s.slice(0, n) : typeof s === 'number' ? String(s) : '');

/**
 * Front matter read as routing reads it (sync/from-codex/routes.ts): YAML only, within FRONT_MATTER_MAX, no anchors
 * or aliases; returns the data (or {}) and where the document's own text begins.
 */
export function frontMatter(text: string): { data: Record<string, unknown>; rest: number } {
  if (!/^---[ \t]*\r?\n/.test(text)) return { data: {}, rest: 0 };
  const close = /\r?\n---[ \t]*(\r?\n|$)/.exec(text.slice(3, FRONT_MATTER_MAX + 8));
  if (!close) return { data: {}, rest: 0 };
  const end = 3 + close.index + close[0].length;
  try {
    const data = yaml.load(text.slice(3, 3 + close.index), {
      schema: yaml.CORE_SCHEMA,
      listener(event: string, state: { anchor: string | null }) {
        if (event === 'close' && state.anchor !== null) throw new Error('anchors are not read');
      },
    } as never);
    return { data: data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {}, rest: end };
  } catch {
    return { data: {}, rest: end };
  }
}

/** Binary (a NUL, as git decides) or not UTF-8: not indexed. */
function asText(body: Buffer): string | null {
  const head = body.subarray(0, TEXT_LIMITS.bodyBytes);
  if (head.subarray(0, 8000).includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return null;
  }
}

/**
 * The fields of one document: front-matter `title`, `description` and `tags`; its headings (markdown `#`
 * lines); a title from the first heading or the file name when the front matter has none. Null: not text.
 */
export function docFields(codexPath: string, body: Buffer): DocFields | null {
  const text = asText(body);
  if (text === null) return null;
  const { data, rest } = frontMatter(text);
  const content = text.slice(rest);
  const headings: string[] = [];
  for (const m of content.matchAll(/^#{1,6}[ \t]+(.+)$/gm)) if (headings.push(m[1].slice(0, 200)) >= 200) break;
  const name = codexPath.slice(codexPath.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
  const tags = Array.isArray(data.tags) ? data.tags.slice(0, TEXT_LIMITS.tags).map((t) => clip(t, 100)) : [clip(data.tags)];
  return {
    path: codexPath.replace(/[/_.-]+/g, ' '),
    title: clip(data.title) || headings[0] || name.replace(/[-_]+/g, ' '),
    description: clip(data.description),
    tags: tags.filter(Boolean).join(' '),
    headings: headings.join('\n'),
    body: content,
  };
}
