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

/**
 * One pass, left to right, with a stack of the `${VAR:-` still open: linear in the template's length
 * whatever it holds. A `}` closes the innermost one; one never closed is text after all (its parts,
 * `${VAR}`s included, stay as they were read).
 */
export function parseTemplate(s: string): Part[] {
  type Frame = { name: string; opening: string; parts: Part[] };
  const root: Part[] = [];
  const stack: Frame[] = [];
  const top = () => (stack.length ? stack[stack.length - 1].parts : root);
  const pushText = (parts: Part[], text: string) => {
    const last = parts[parts.length - 1];
    if (last && 'text' in last) last.text += text;
    else parts.push({ text });
  };
  let i = 0;
  while (i < s.length) {
    if (s[i] === '}' && stack.length) {
      const frame = stack.pop()!;
      top().push({ name: frame.name, fallback: frame.parts });
      i += 1;
      continue;
    }
    if (s.startsWith('${', i)) {
      const name = NAME.exec(s.slice(i + 2, i + 2 + 256))?.[0];
      const after = name ? i + 2 + name.length : -1;
      if (name && s[after] === '}') {
        top().push({ name });
        i = after + 1;
        continue;
      }
      if (name && s.startsWith(':-', after) && stack.length < MAX_DEPTH) {
        stack.push({ name, opening: s.slice(i, after + 2), parts: [] });
        i = after + 2;
        continue;
      }
    }
    pushText(top(), s[i]);
    i += 1;
  }
  // never closed: text after all, around what was read inside
  while (stack.length) {
    const frame = stack.pop()!;
    const parts = top();
    pushText(parts, frame.opening);
    for (const p of frame.parts) if ('text' in p) pushText(parts, p.text);
    else parts.push(p);
  }
  return root;
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
