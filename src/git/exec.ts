import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { SyncError } from '../core/errors.js';
import { gitEnv } from './env.js';
import { traceOn } from '../core/settings.js';
import { traceLine } from '../core/trace.js';
import { childProcess } from '../core/builtin.js';
import type { Env } from '../core/edge.js';

/** A git command that exited non-zero. Its stderr is kept for classification, never shown raw with URLs. */
export class GitError extends SyncError {
  args: string[];
  code: number | null;
  stderr: string;
  constructor(args: string[], code: number | null, stderr: string, redact: (s: string) => string) {
    const shown = redact(stderr.trim().split('\n').slice(-3).join('\n'));
    super('git', `git ${args.find((a) => !a.startsWith('-')) ?? ''} failed (exit ${code}): ${shown}`);
    this.args = args;
    this.code = code;
    this.stderr = redact(stderr);
  }
}

export interface RunOptions {
  cwd: string;
  /** The parent environment; local git variables are removed from it (see env.ts). */
  env: Env;
  /** Extra variables for this child only. */
  extraEnv?: Env;
  input?: string | Buffer;
  /** Exit codes that are answers, not failures (e.g. 1 for `cat-file -e`). */
  okCodes?: number[];
  /** Kill the child after this many milliseconds (network commands in hooks). */
  timeoutMs?: number;
  /** Removes credentials from anything that may be shown. */
  redact?: (s: string) => string;
  /** Nothing is read from stdout (`fetch -q`): no pipe is made for it. */
  discardStdout?: boolean;
  /** Ends the child (its whole group, for network commands) when aborted; nothing starts once it is. */
  signal?: AbortSignal;
}

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

const identity = (s: string) => s;

/** How to end each git process still running: what a Ctrl-C (or SIGTERM, SIGHUP) ends too. */
const running = new Set<() => void>();

/**
 * Ends every git process this process started, network ones with their whole group (ssh, a remote helper,
 * a local receive-pack and its hooks): they run in groups of their own, which a terminal's Ctrl-C does
 * not reach, so without this an interrupted push would still land afterwards.
 */
export function stopAllGit(): void {
  for (const stop of running) stop();
}

let watching = false;
/** A command that ends gracefully on a signal (the MCP HTTP server drains): it takes the first one. */
let taker: ((signal: NodeJS.Signals) => void) | null = null;

/** Until the returned function is called, the first SIGINT/SIGTERM/SIGHUP goes to `fn`; a second one exits. */
export function takeSignals(fn: (signal: NodeJS.Signals) => void): () => void {
  taker = fn;
  return () => {
    if (taker === fn) taker = null;
  };
}

/**
 * On SIGINT, SIGTERM and SIGHUP: end the git processes, then exit as a killed process would
 * (130, 143, 129). Installed by the entry, once.
 */
export function stopGitOnSignals(exit: (code: number) => void = (code) => process.exit(code)): void {
  if (watching) return;
  watching = true;
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const [signal, code] of Object.entries(codes)) {
    process.on(signal, () => {
      const take = taker;
      taker = null;
      if (take) return take(signal as NodeJS.Signals);
      stopAllGit();
      exit(code);
    });
  }
}


/**
 * CODEX_HOOKS_TRACE=1 shows each git process, when it ran and for how long: where a slow sync spends its
 * time. (The clock is only read then: it is a module of its own to load.)
 */
function traceChild(child: { on(event: 'close', listener: () => void): unknown }, args: string[], options: RunOptions): void {
  if (!traceOn(options.env)) return;
  const started = performance.now();
  child.on('close', () => {
    const ended = performance.now();
    traceLine(`${(ended - started).toFixed(0)} ms (at ${started.toFixed(0)}–${ended.toFixed(0)})  git ${(options.redact ?? identity)(args.join(' ')).slice(0, 120)}`);
  });
}

/**
 * Git at work, as one handle: `started` resolves once its process has been spawned, `done` with what it
 * came to. A caller that has other work to do while git runs (the sync: its preparation during the fetch,
 * its pull during the push) waits for `started`, so that work never delays git's start. `started` never
 * resolves for git that is never spawned (it failed first): race it with `done`.
 *
 * `work` is handed the handle itself, to mark it started (`began`) or to start with other git (`follow`):
 * a fetch that first waits for the cache's lock, or a push loop, started with its first push.
 */
export class Running<T> {
  readonly started: Promise<void>;
  readonly done: Promise<T>;
  private start!: () => void;
  constructor(work: (self: Running<T>) => Promise<T>) {
    this.started = new Promise<void>((resolve) => (this.start = resolve));
    this.done = work(this);
  }
  began(): void {
    this.start();
  }
  /** Started when `other` has started (the first one of several). */
  follow(other: Running<unknown>): void {
    void other.started.then(this.start);
  }
}

/** Runs one git command. Every git call of codex-hooks goes through here. */
export function runGit(args: string[], options: RunOptions): Promise<RunResult> {
  return startGit(args, options).done;
}

/** Starts one git command: its handle (see Running). */
export function startGit(args: string[], options: RunOptions): Running<RunResult> {
  return new Running((git) => spawnAndWait(git, args, options));
}

async function spawnAndWait(git: Running<RunResult>, args: string[], options: RunOptions): Promise<RunResult> {
  const redact = options.redact ?? identity;
  // node:child_process loaded on first use (a hook that finds nothing to do starts no process), synchronously:
  // a git process starts as it is asked for, not a turn of the event loop later behind queued work
  const { spawn } = childProcess();
  options.signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: gitEnv(options.env, options.extraEnv) as NodeJS.ProcessEnv,
      // No stdin pipe unless there is input: each pipe costs the main thread to make and to tear down.
      stdio: [options.input === undefined ? 'ignore' : 'pipe', options.discardStdout ? 'ignore' : 'pipe', 'pipe'],
      // A network command runs in its own process group, so a time-out ends its helpers too (ssh, a
      // remote helper): they hold the pipes open, and killing git alone would leave us waiting on them.
      detached: Boolean(options.timeoutMs),
    });
    // A spawn that fails (EMFILE, EAGAIN, ENOENT) gives a child without a pid or pipes and an 'error' event
    // on the next tick: heard first, so it is a GitError for this call, never an uncaught crash.
    if (child.pid === undefined) {
      child.once('error', (e) => reject(new GitError(args, null, `cannot run git: ${e.message}`, redact)));
      return;
    }
    git.began();
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    if (options.timeoutMs) {
      timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, options.timeoutMs);
    }
    options.signal?.addEventListener('abort', kill, { once: true });
    running.add(kill);
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      reject(new GitError(args, null, `cannot run git: ${e.message}`, redact));
    });
    traceChild(child, args, options);
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      running.delete(kill);
      options.signal?.removeEventListener('abort', kill);
      if (options.signal?.aborted) {
        reject(options.signal.reason);
        return;
      }
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(new GitError(args, code, `timed out after ${options.timeoutMs} ms\n${stderr}`, redact));
        return;
      }
      const result = { stdout: Buffer.concat(out), stderr, code: code ?? -1 };
      if (code === 0 || options.okCodes?.includes(code ?? -1)) resolve(result);
      else reject(new GitError(args, code, stderr, redact));
    });
    if (child.stdin) {
      // A child that exits before reading its stdin makes the write fail with EPIPE; the exit code tells.
      child.stdin.on('error', () => {});
      child.stdin.end(options.input);
    }
  });
}

/**
 * Starts a long-lived git command whose stdin and stdout the caller drives (`cat-file --batch`): one
 * process answers many requests. Its environment is built as for runGit; stderr is kept for the error.
 */
export async function spawnGit(args: string[], options: RunOptions): Promise<{ child: ChildProcessWithoutNullStreams; stderr: () => string }> {
  const { spawn } = childProcess();
  const child = spawn('git', args, { cwd: options.cwd, env: gitEnv(options.env, options.extraEnv) as NodeJS.ProcessEnv });
  if (child.pid === undefined) {
    // not started (EMFILE, EAGAIN, ENOENT): its 'error' event comes on the next tick (see spawnAndWait)
    const e = await new Promise<Error>((resolve) => child.once('error', resolve));
    throw new GitError(args, null, `cannot run git: ${e.message}`, options.redact ?? identity);
  }
  const stop = () => child.kill('SIGKILL');
  running.add(stop);
  child.on('close', () => running.delete(stop));
  const err: Buffer[] = [];
  child.stderr.on('data', (d: Buffer) => err.push(d));
  child.stdin.on('error', () => {}); // a child that died is reported by its exit, not by EPIPE
  traceChild(child, args, options);
  return { child, stderr: () => (options.redact ?? identity)(Buffer.concat(err).toString('utf8')) };
}

/** Runs git and returns stdout as text without the trailing newline. */
export async function gitText(args: string[], options: RunOptions): Promise<string> {
  const { stdout } = await runGit(args, options);
  return stdout.toString('utf8').replace(/\n$/, '');
}

let version: Promise<number[]> | null = null;
/** git's version is at least major.minor (asked once per process). */
export async function gitVersionAtLeast(env: Env, major: number, minor: number): Promise<boolean> {
  version ??= runGit(['--version'], { cwd: process.cwd(), env }).then(
    (r) => (/(\d+)\.(\d+)/.exec(r.stdout.toString()) ?? []).slice(1).map(Number),
    () => [],
  );
  const [a = 0, b = 0] = await version;
  return a > major || (a === major && b >= minor);
}
