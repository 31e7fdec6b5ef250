/** The defaults of design §2, in one place: the zod schema, `init` and the fast hook path share them. */

export const DEFAULT_SYNC_PATTERNS = ['docs/**', 'README.md', 'CLAUDE.md'];

export const DEFAULT_DENY_PATTERNS = [
  '**/.env',
  '**/.env.*',
  '**/*.pem',
  '**/*.key',
  '**/id_rsa*',
  '**/id_ed25519*',
  '**/*.p12',
  '**/*.pfx',
  '**/.npmrc',
  '**/.netrc',
  '**/credentials.json',
  '**/*secret*',
  '**/*password*',
];

export const DEFAULT_ENVIRONMENTS: Record<string, { branch: string; description?: string }> = {
  dev: { branch: 'test', description: 'Development: unreleased docs for test systems' },
  test: { branch: 'test', description: 'Test systems' },
  staging: { branch: 'main', description: 'Staging reads production docs' },
  prod: { branch: 'main', description: 'Production' },
};

/**
 * sync_direction's values. zod-free code needs them too (`sync --direction`, which must not load zod), so
 * they are stated here and the schema's enum is made of them (schema.ts).
 */
export const SYNC_DIRECTIONS = ['to-codex', 'from-codex', 'bidirectional'] as const;
export type SyncDirection = (typeof SYNC_DIRECTIONS)[number];

export const ENV_NAME = /^[a-z][a-z0-9_-]*$/;
export const PROJECT_NAME = /^[A-Za-z0-9._-]+$/;

/** Where cosmiconfig looks, in order, relative to the project root (design §2). */
const ROOT_PLACES = [
  'package.json',
  '.codexrc',
  '.codexrc.json',
  '.codexrc.yaml',
  '.codexrc.yml',
  '.codexrc.js',
  '.codexrc.cjs',
  '.codexrc.mjs',
  '.codexrc.ts',
  'codex.config.js',
  'codex.config.cjs',
  'codex.config.mjs',
  'codex.config.ts',
];
export const SEARCH_PLACES = [
  ...ROOT_PLACES,
  ...ROOT_PLACES.filter((p) => p !== 'package.json').map((p) => `.config/${p}`),
  '.fractary/plugins/codex/config.json',
];

/** fractary's current config: its `codex:` section is read as it is, never written (config/fractary.ts). */
export const FRACTARY_FILE = '.fractary/config.yaml';
/** Where fractary keeps the values its `${VAR}`s may name; read for the codex token only, never written. */
export const FRACTARY_ENV_FILE = '.fractary/env/.env';
