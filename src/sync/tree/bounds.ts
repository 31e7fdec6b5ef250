/**
 * How much of the codex's tree is ever expanded (design §4: the codex is untrusted input). A tree is a list
 * of names and ids, and many names may point at one subtree: 12 objects of 48 KB can stand for 64⁵
 * paths. Every listing of the codex — the pull's selection, the routing scan, the project's own folder,
 * the MCP reader's lists — is sized before it is expanded (each distinct tree read once) and stays within
 * these bounds; what lies beyond them is skipped with a warning naming the folder. The time bound is
 * CODEX_HOOKS_TIMEOUT (deadline.ts), which the walks yield to. Documented in README, "The codex tree".
 */
export const CODEX_TREE = {
  /** Paths (files and folders) one listing expands; a folder that would take it past this is skipped whole. */
  paths: 200_000,
  /** Folders below the codex's root; a folder holding anything deeper is skipped whole. */
  depth: 64,
} as const;

export type CodexTreeBounds = { paths: number; depth: number };
