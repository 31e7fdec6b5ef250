/**
 * The edge (design §7): parses the arguments, reads the process's state once (its `Edge`: folder,
 * environment, streams, terminal) and maps errors to exit codes; bin/codex-hooks.cjs hands it
 * process.argv and sets the exit code. Tests pass an Edge of their own and run a command in-process.
 * Kept light: a hook run imports only what its command needs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CodexError, UsageError, exitCodeOf } from './core/errors.js';
import { COMMANDS, commandHelp, rootHelp } from './commands/registry.js';
import { createLogger } from './ui/logger.js';
import { lazyOutput } from './ui/output.js';
import { stopGitOnSignals } from './git/exec.js';
import { packageRoot } from './core/paths.js';
import { terminalConfirm, terminalAsk } from './ui/prompt.js';
import { nearest } from './config/suggest.js';
import { msg } from './core/messages.js';
import { MAX_TIMEOUT_SECONDS, timeoutProblem } from './core/timeout.js';
import { readSettings } from './core/settings.js';
import type { Ask, Confirm, Context, Env, Output } from './core/edge.js';

const COMMON = {
  cwd: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const;

function version(): string {
  return JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).version;
}

/**
 * All of stdin (git's ref lines); read synchronously, which spares a hook the stream machinery. Not from a
 * terminal, nor any character device (a terminal is one; /dev/null has nothing to read): told by a stat,
 * which spares a hook node:tty and the node:net it loads.
 */
async function readProcessStdin(): Promise<string> {
  try {
    if (fs.fstatSync(0).isCharacterDevice()) return '';
  } catch {
    return ''; // no stdin at all
  }
  try {
    return fs.readFileSync(0, 'utf8');
  } catch {
    return ''; // closed or not readable: no ref lines
  }
}

/**
 * Global flags may come before the command name (`codex-hooks --cwd DIR status`): they are moved after
 * it, where each command's parser reads them.
 */
export function hoistGlobalFlags(argv: string[]): string[] {
  const globals: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json' || a === '--quiet' || a === '-q' || a.startsWith('--cwd=')) globals.push(a);
    else if (a === '--cwd' && i + 1 < argv.length) globals.push(a, argv[++i]);
    else break;
  }
  if (i === argv.length) return argv; // only flags: no command to move them after
  return [argv[i], ...globals, ...argv.slice(i + 1)];
}

/** parseArgs' own message quotes unevenly (`as in '-- "--x"`): say it plainly, with the nearest option. */
function optionError(error: Error & { code?: string }, name: string, known: string[]): UsageError {
  const unknown = /^Unknown option '([^']+)'/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && unknown) {
    const near = unknown.startsWith('--') ? nearest(unknown.slice(2), known) : undefined;
    return new UsageError(msg.unknownOption(unknown, name), msg.seeHelp(name, near));
  }
  return new UsageError(error.message, msg.seeHelp(name));
}

/**
 * CODEX_HOOKS_TIMEOUT is read at the edge: a value that is not a positive number of seconds, or more than a
 * timer can wait (core/timeout.ts), is bad input.
 */
function checkTimeout(env: NodeJS.ProcessEnv): void {
  const value = env.CODEX_HOOKS_TIMEOUT;
  const problem = timeoutProblem(value);
  if (problem === 'not-a-number') throw new UsageError(msg.badTimeout(value!), msg.badTimeoutHint);
  if (problem === 'too-large') throw new UsageError(msg.timeoutTooLarge(value!, MAX_TIMEOUT_SECONDS), msg.badTimeoutHint);
}

/**
 * What a run reads of its process: the folder, the environment, the streams and the terminal. `main`
 * reads the real ones; a test passes its own and runs a command in-process, as the CLI would run it.
 */
export interface Edge {
  cwd: string;
  env: Env;
  stdout: Output;
  stderr: Output;
  stdin: () => Promise<string>;
  confirm: Confirm;
  ask: Ask;
}

function processEdge(): Edge {
  stopGitOnSignals(); // Ctrl-C ends the git processes a sync started: an interrupted push never lands later
  const settings = readSettings(process.env);
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: lazyOutput(1, () => process.stdout),
    stderr: lazyOutput(2, () => process.stderr),
    stdin: readProcessStdin,
    confirm: terminalConfirm(settings),
    ask: terminalAsk(settings),
  };
}

export async function main(rawArgv: string[], edge: Edge = processEdge()): Promise<number> {
  const argv = hoistGlobalFlags(rawArgv);
  const { stdout, stderr } = edge;
  const wantsJson = argv.includes('--json');
  // CI and the CODEX_HOOKS_* variables, read once here; a bad CODEX_HOOKS_TIMEOUT is refused below
  const settings = readSettings(edge.env);
  const logger = createLogger({ quiet: argv.includes('--quiet') || argv.includes('-q'), json: wantsJson, settings, stdout, stderr });
  try {
    const [name, ...rest] = argv;
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      stdout.write(rootHelp(version()) + '\n');
      return name === undefined ? 2 : 0;
    }
    if (name === '--version' || name === '-v') {
      stdout.write(version() + '\n');
      return 0;
    }
    const spec = COMMANDS[name];
    if (!spec) {
      const near = nearest(name, Object.keys(COMMANDS));
      throw new UsageError(msg.unknownCommand(name, near), msg.unknownCommandHint);
    }
    checkTimeout(edge.env);
    let values: Record<string, unknown>;
    let positionals: string[];
    if (name === 'hook') {
      // git's own arguments pass through untouched
      const cwdAt = rest.indexOf('--cwd');
      values = { cwd: cwdAt >= 0 ? rest[cwdAt + 1] : undefined, help: rest.includes('--help') };
      positionals = rest.filter((a, i) => !['--help', '--json', '--quiet', '-q'].includes(a) && (cwdAt < 0 || (i !== cwdAt && i !== cwdAt + 1)));
    } else {
      try {
        ({ values, positionals } = parseArgs({ args: rest, options: { ...COMMON, ...spec.options }, allowPositionals: true, strict: true }));
      } catch (error) {
        throw optionError(error as Error, name, Object.keys({ ...COMMON, ...spec.options }));
      }
    }
    if (values.help) {
      stdout.write(commandHelp(name) + '\n');
      return 0;
    }
    const json = Boolean(values.json);
    const ctx: Context = {
      cwd: path.resolve(edge.cwd, typeof values.cwd === 'string' ? values.cwd : '.'),
      env: edge.env,
      settings,
      namedEnvironment: edge.env.CODEX_ENV || undefined,
      json,
      quiet: Boolean(values.quiet),
      logger,
      confirm: edge.confirm,
      ask: edge.ask,
      stdin: edge.stdin,
      stdout,
      stderr,
    };
    const { run } = await spec.load();
    const result = await run(ctx, values as never, positionals);
    // A result document says `ok: true`, as an error document says `ok: false` with its error; a result
    // with failed parts (sync-org's rows) says which in its own fields.
    if (json) stdout.write(JSON.stringify({ ok: true, ...(result.data as object) }, null, 2) + '\n');
    else if (result.render) result.render(logger);
    return result.exitCode ?? 0;
  } catch (error) {
    const code = exitCodeOf(error);
    if (wantsJson) {
      const e = error as CodexError;
      stdout.write(JSON.stringify({ ok: false, error: { type: e.name, kind: (e as { kind?: string }).kind, message: e.message, hint: e.hint } }, null, 2) + '\n');
    }
    if (error instanceof CodexError) {
      logger.error(msg.withHint(error.message, error.hint));
    } else {
      stderr.write(msg.unexpectedError((error as Error)?.stack ?? error));
    }
    return code;
  }
}
