/**
 * Matches a project name against a routing glob written by somebody else (codex front matter). Only `*`,
 * `?`, `[...]` classes and `\` escapes, no extglobs or braces, and in time proportional to
 * pattern × name: a regular expression built from `*a*a*a…b` backtracks for minutes on a long name.
 */
export function wildcardMatch(pattern: string, name: string): boolean {
  const tokens = tokenize(pattern);
  // reachable[j]: the tokens so far can match name[0..j).
  let reachable = new Array<boolean>(name.length + 1).fill(false);
  reachable[0] = true;
  for (const token of tokens) {
    const next = new Array<boolean>(name.length + 1).fill(false);
    if (token.kind === 'star') {
      let any = false;
      for (let j = 0; j <= name.length; j++) next[j] = any = any || reachable[j];
    } else {
      for (let j = 0; j < name.length; j++) if (reachable[j] && token.test(name[j])) next[j + 1] = true;
    }
    reachable = next;
  }
  return reachable[name.length];
}

type Token = { kind: 'star' } | { kind: 'char'; test: (c: string) => boolean };

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') {
      if (tokens[tokens.length - 1]?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') tokens.push({ kind: 'char', test: () => true });
    else if (c === '\\' && i + 1 < pattern.length) {
      const literal = pattern[++i];
      tokens.push({ kind: 'char', test: (x) => x === literal });
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) tokens.push({ kind: 'char', test: (x) => x === '[' });
      else {
        tokens.push({ kind: 'char', test: charClass(pattern.slice(i + 1, end)) });
        i = end;
      }
    } else tokens.push({ kind: 'char', test: (x) => x === c });
  }
  return tokens;
}

function charClass(body: string): (c: string) => boolean {
  const negated = body[0] === '!' || body[0] === '^';
  const set = negated ? body.slice(1) : body;
  const ranges: Array<[string, string]> = [];
  for (let i = 0; i < set.length; i++) {
    if (set[i + 1] === '-' && i + 2 < set.length) {
      ranges.push([set[i], set[i + 2]]);
      i += 2;
    } else ranges.push([set[i], set[i]]);
  }
  return (c) => ranges.some(([lo, hi]) => c >= lo && c <= hi) !== negated;
}
