/**
 * `${VAR}` and `${VAR:-default}` in a config value, as fractary's config writes tokens
 * (`token: ${GITHUB_TOKEN}`). The shell's meaning: `${VAR}` is the variable's value, empty when unset;
 * `${VAR:-default}` is the default when the variable is unset or empty, and the default may itself hold
 * `${…}`. A value that comes from a variable is never expanded again. Anything else — `$VAR` without
 * braces, a `${` that is never closed, a name that is not one — stays as it is written. Pure.
 */

export type Lookup = (name: string) => string | undefined;

/** A template read into parts: literal text, or a variable with an optional default. */
export type Part = { text: string } | { name: string; fallback?: Part[] };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
/** Deeper nesting than this is left as text: no config needs it, and it bounds the recursion. */
export const MAX_DEPTH = 8;

export function parseTemplate(template: string): Part[] {
  return parseFrom(template, 0, false, 0).parts;
}

function parseFrom(s: string, start: number, nested: boolean, depth: number): { parts: Part[]; end: number; closed: boolean } {
  const parts: Part[] = [];
  let text = '';
  let i = start;
  const flush = () => {
    if (text) parts.push({ text });
    text = '';
  };
  while (i < s.length) {
    if (nested && s[i] === '}') {
      flush();
      return { parts, end: i + 1, closed: true };
    }
    if (s.startsWith('${', i) && depth < MAX_DEPTH) {
      const name = NAME.exec(s.slice(i + 2))?.[0];
      const after = name ? i + 2 + name.length : -1;
      if (name && s[after] === '}') {
        flush();
        parts.push({ name });
        i = after + 1;
        continue;
      }
      if (name && s.startsWith(':-', after)) {
        const inner = parseFrom(s, after + 2, true, depth + 1);
        if (inner.closed) {
          flush();
          parts.push({ name, fallback: inner.parts });
          i = inner.end;
          continue;
        }
      }
    }
    text += s[i];
    i += 1;
  }
  flush();
  return { parts, end: i, closed: false };
}

export function evaluate(parts: Part[], lookup: Lookup): string {
  let out = '';
  for (const part of parts) {
    if ('text' in part) out += part.text;
    else {
      const value = lookup(part.name);
      out += value !== undefined && (value !== '' || !part.fallback) ? value : part.fallback ? evaluate(part.fallback, lookup) : '';
    }
  }
  return out;
}

export const expandVars = (template: string, lookup: Lookup): string => evaluate(parseTemplate(template), lookup);

/** True when the template writes some text itself (a token pasted into a committed file), not only `${VAR}`s. */
export function hasLiteral(parts: Part[]): boolean {
  return parts.some((p) => ('text' in p ? p.text.trim() !== '' : p.fallback ? hasLiteral(p.fallback) : false));
}

/** The variables a template reads, defaults included: what a message may name (never their values). */
export function variablesOf(parts: Part[]): string[] {
  return [...new Set(parts.flatMap((p) => ('text' in p ? [] : [p.name, ...(p.fallback ? variablesOf(p.fallback) : [])])))];
}
