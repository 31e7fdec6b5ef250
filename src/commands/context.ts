import { UsageError } from '../errors.js';

export type { CommandResult, Context, Output, Values } from '../ui/context.js';
import type { Values } from '../ui/context.js';
import { msg } from '../ui/messages.js';

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
