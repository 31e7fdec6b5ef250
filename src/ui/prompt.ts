import fs from 'node:fs';
import tty from 'node:tty';
import type { Env } from '../git/env.js';

/** Asks a yes/no question; resolves null when there is no terminal to ask on. */
export type Confirm = (message: string, preamble?: string) => Promise<boolean | null>;

type PromptClass = new (options: object) => { run(): Promise<unknown> };

const isCI = (env: Env) => !!env.CI && env.CI !== 'false' && env.CI !== '0';

/**
 * Runs an enquirer prompt on the controlling terminal. Git gives pre-push its ref lines on stdin, so
 * prompts go to /dev/tty, never to stdin/stdout. With no controlling terminal (CI, GUI clients, editors,
 * `setsid`), opening /dev/tty fails (ENXIO) and we answer null at once: a hook never waits for nobody.
 */
async function onTerminal(env: Env, kind: 'Confirm' | 'Input', options: object, preamble?: string): Promise<unknown | null> {
  if (isCI(env)) return null;
  let fd: number;
  try {
    fd = fs.openSync('/dev/tty', 'r+');
  } catch {
    return null;
  }
  const input = new tty.ReadStream(fd);
  const output = new tty.WriteStream(fd);
  try {
    if (preamble) output.write(preamble + '\n');
    const { default: Enquirer } = await import('enquirer');
    // enquirer's typings omit the prompt classes it exports at run time.
    const Prompt = (Enquirer as unknown as Record<string, PromptClass>)[kind];
    return await new Prompt({ name: 'answer', ...options, stdin: input, stdout: output }).run();
  } catch {
    return undefined; // Ctrl-C or a terminal that went away
  } finally {
    input.destroy();
    output.destroy();
  }
}

export function terminalConfirm(env: Env = process.env): Confirm {
  return async (message, preamble) => {
    const answer = await onTerminal(env, 'Confirm', { message, initial: false, default: '[y/N]' }, preamble);
    return answer === null ? null : answer === true;
  };
}

export function terminalAsk(env: Env = process.env) {
  return async (message: string, initial?: string): Promise<string | null> => {
    const answer = await onTerminal(env, 'Input', { message, initial });
    return typeof answer === 'string' ? answer : null;
  };
}
