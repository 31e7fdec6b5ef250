import { UsageError } from '../core/errors.js';

import { msg } from '../core/messages.js';
import type { Values } from '../core/edge.js';

/** The one value of a string option that may not be repeated (`--env a --env b` is an error). */
export function single(values: Values, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v)) {
    if (v.length > 1) throw new UsageError(msg.optionRepeated(name, v.length), msg.optionRepeatedHint(name));
    return v[0] as string;
  }
  return v as string;
}
