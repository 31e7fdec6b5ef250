/** One line git gives pre-push on stdin: `<local ref> SP <local sha> SP <remote ref> SP <remote sha>`. */
export interface RefUpdate {
  localRef: string;
  localSha: string;
  remoteRef: string;
  remoteSha: string;
}

export function parseRefLines(input: string): RefUpdate[] {
  return input
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [localRef, localSha, remoteRef, remoteSha] = l.split(' ');
      return { localRef, localSha, remoteRef, remoteSha };
    });
}

export const isDeletion = (u: RefUpdate) => /^0+$/.test(u.localSha);
