import { UsageError } from '../core/errors.js';
import { msg } from '../core/messages.js';

/** One line git gives pre-push on stdin: `<local ref> SP <local sha> SP <remote ref> SP <remote sha>`. */
export interface RefUpdate {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

const OBJECT_ID = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

/** Every ref line, or a UsageError naming the first one that is not what git writes. */
export function parseRefLines(input: string): RefUpdate[] {
  return input
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const fields = l.split(' ');
      const [localRef, localSha, remoteRef, remoteSha] = fields;
      if (fields.length !== 4 || !localRef || !remoteRef || !OBJECT_ID.test(localSha) || !OBJECT_ID.test(remoteSha)) {
        throw new UsageError(msg.badRefLine(l), msg.badRefLineHint);
      }
      return { localRef, localSha, remoteRef, remoteSha };
    });
}

export const isDeletion = (u: RefUpdate) => /^0+$/.test(u.localSha);
