/**
 * The one place that reads process.argv, maps errors to exit codes and exits (STYLE §1, §5).
 * Kept light: a hook run imports only what its command needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import tty from 'node:tty';
import { parseArgs } from 'node:util';
import { CodexError, UsageError, exitCodeOf } from './errors.js';
import { COMMANDS, commandHelp, rootHelp } from './commands/registry.js';
import type { Context } from './commands/context.js';
import { createLogger } from './ui/logger.js';
import { stopGitOnSignals } from './git/exec.js';
import { packageRoot } from './paths.js';
import { terminalConfirm, terminalAsk } from './ui/prompt.js';

const COMMON = {
  cwd: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

function version(): string {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;
}

/** All of stdin (git's ref lines); read synchronously, which spares a hook the stream machinery. */
async function readStdin(): Promise<string> {
  if (tty.isatty(0)) return '';
  try {
    return fs.readFileSync(0, 'utf8');
  } catch {
    return ''; // closed or not readable: no ref lines
  }
}

export async function main(argv: string[]): Promise<number> {
  stopGitOnSignals(); // Ctrl-C ends the git processes a sync started: an interrupted push never lands later
  const wantsJson = argv.includes('--json');
  const logger = createLogger({ quiet: argv.includes('--quiet') || argv.includes('-q'), json: wantsJson });
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      process.stdout.write(rootHelp(version()) + '\n');
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-v') {
      process.stdout.write(version() + '\n');
      return 0;
    }
    const spec = COMMANDS[name];
    if (!spec) throw new UsageError(`Unknown command "${name}"`, 'run `codex-hooks --help` for the list of commands');
    let values: Record<string, unknown>;
    let positionals: string[];
    if (name === 'hook') {
      // git's own arguments pass through untouched
      const cwdAt = rest.indexOf('--cwd');
      values = { cwd: cwdAt >= 0 ? rest[cwdAt + 1] : undefined, help: rest.includes('--help') };
      positionals = rest.filter((a, i) => a !== '--help' && (cwdAt < 0 || (i !== cwdAt && i !== cwdAt + 1)));
    } else {
      try {
        ({ values, positionals } = parseArgs({ args: rest, options: { ...COMMON, ...spec.options }, allowPositionals: true, strict: true }));
      } catch (error) {
        throw new UsageError((error as Error).message, `see \`codex-hooks ${name} --help\``);
      }
    }
    if (values.help) {
      process.stdout.write(commandHelp(name) + '\n');
      return 0;
    }
    const json = Boolean(values.json);
    const ctx: Context = {
      cwd: path.resolve(typeof values.cwd === 'string' ? values.cwd : process.cwd()),
      env: process.env,
      json,
      quiet: Boolean(values.quiet),
      logger,
      confirm: terminalConfirm(process.env),
      ask: terminalAsk(process.env),
      stdin: readStdin,
    };
    const { run } = await spec.load();
    const result = await run(ctx, values as never, positionals);
    if (json) process.stdout.write(JSON.stringify(result.data, null, 2) + '\n');
    else if (result.render) result.render(logger);
    return result.exitCode ?? 0;
  } catch (error) {
    const code = exitCodeOf(error);
    if (wantsJson) {
      const e = error as CodexError;
      process.stdout.write(JSON.stringify({ ok: false, error: { type: e.name, kind: (e as { kind?: string }).kind, message: e.message, hint: e.hint } }, null, 2) + '\n');
    }
    if (error instanceof CodexError) {
      logger.error(error.message + (error.hint ? `\n  → ${error.hint}` : ''));
    } else {
      process.stderr.write(`codex-hooks: unexpected error (a bug; please report it):\n${(error as Error)?.stack ?? error}\n`);
    }
    return code;
  }
}
