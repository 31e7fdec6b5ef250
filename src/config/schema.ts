import { z } from 'zod';
import { DEFAULT_DENY_PATTERNS, DEFAULT_ENVIRONMENTS, DEFAULT_SYNC_PATTERNS, ENV_NAME, PROJECT_NAME, SYNC_DIRECTIONS } from './defaults.js';

const globs = (fallback: string[]) => z.array(z.string().min(1)).default(fallback);

const environment = z.strictObject({
  branch: z.string().min(1).describe('The codex branch this environment writes to'),
  description: z.string().optional(),
  mode: z
    .enum(['mirror', 'layer'])
    .optional()
    .describe("How a sync changes the project's folder: mirror (it mirrors one commit) or layer (each branch's changes are applied; default for environments off the production codex branch)"),
});

/** How a sync changes the project's folder (design §4): the schema's enum, one source for the type. */
export type SyncMode = NonNullable<z.output<typeof environment>['mode']>;

export const hooksSchema = z.strictObject({
  post_commit: z.enum(['background', 'foreground', 'off']).default('background'),
  pre_push: z.enum(['on', 'off']).default('on'),
  on_failure: z.enum(['warn', 'block']).default('warn'),
});

export const mcpSchema = z.strictObject({
  refresh_seconds: z.number().int().min(0).default(60).describe('codex-hooks mcp fetches the production branch at most this often'),
});

/** The configuration file (design §2). Cross-field rules live in `validate.ts`. */
export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  organization: z.string().min(1).optional().describe('The organisation'),
  codex_repo: z.string().min(1).optional().describe("The codex repository's name, e.g. codex.acme.com"),
  codex_url: z.string().min(1).optional().describe("The codex's git URL or path; relative paths are from the project root"),
  project_name: z
    .string()
    .regex(PROJECT_NAME, 'use only letters, digits, ".", "_" and "-"')
    .refine((v) => v !== '.' && v !== '..', 'must not be "." or ".."')
    .optional()
    .describe('Folder of this project in the codex: projects/<project_name>/'),
  sync_patterns: globs(DEFAULT_SYNC_PATTERNS).describe('Globs of project files to push'),
  exclude_patterns: globs([]).describe('Globs never pushed'),
  deny_patterns: globs(DEFAULT_DENY_PATTERNS).describe('Globs never pushed whatever else says (secrets)'),
  from_codex_patterns: globs(['shared/**']).describe('Globs of codex paths to pull'),
  from_codex_exclude_patterns: globs([]).describe('Globs of codex paths never pulled'),
  pull_dir: z.string().min(1).default('.codex').describe('Where pulled files land, inside the project'),
  sync_direction: z.enum(SYNC_DIRECTIONS).default('bidirectional'),
  environments: z.record(z.string(), environment).default({}).describe('Environment name → codex branch'),
  prod_branches: z.array(z.string().min(1)).default(['main', 'master']),
  branch_environments: z.record(z.string(), z.string()).default({}).describe('Branch glob → environment'),
  default_environment: z.string().default('test'),
  max_file_size: z.number().int().positive().default(10485760),
  deletion_threshold: z.number().min(0).max(1).default(0.5),
  // each section's default is its own keys' defaults, taken from the section's schema (stated once)
  hooks: hooksSchema.default(hooksSchema.parse({})),
  mcp: mcpSchema.default(mcpSchema.parse({})).describe('The reader for agents (codex-hooks mcp)'),
});

export type ConfigInput = z.input<typeof configSchema>;
export type ParsedConfig = z.output<typeof configSchema>;

export { DEFAULT_ENVIRONMENTS, ENV_NAME };
