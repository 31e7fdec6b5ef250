import fs from 'node:fs';
import { Interrupted } from '../core/errors.js';
import { tty } from '../core/builtin.js';
import type { Ask, Confirm, NoTerminal } from '../core/edge.js';
import type { Settings } from '../core/settings.js';



type PromptClass = new (options: object) => {
  run(): Promise<unknown>;
};

type TerminalSettings = Pick<Settings, 'ci'>;

/** Where a question could be asked: the controlling terminal, or why not. */
function openTerminal(s: TerminalSettings): number | NoTerminal {
  if (s.ci) return 'ci';
  try {
    return fs.openSync('/dev/tty', 'r+');
  } catch {
    return 'no-terminal'; // no controlling terminal (GUI clients, editors, `setsid`): ENXIO
  }
}

/**
 * Runs an enquirer prompt on the controlling terminal. Git gives pre-push its ref lines on stdin, so
 * prompts go to /dev/tty, never to stdin/stdout. A hook never waits for nobody: with no terminal the
 * reason comes back at once.
 */
async function onTerminal(s: TerminalSettings, make: (enquirer: Record<string, PromptClass>) => PromptClass, options: object, preamble?: string): Promise<{ answer: unknown } | NoTerminal> {
  const fd = openTerminal(s);
  if (typeof fd !== 'number') return fd;
  const input = new (tty().ReadStream)(fd);
  const output = new (tty().WriteStream)(fd);
  try {
    if (preamble) output.write(preamble + '\n');
    const { default: Enquirer } = await import('enquirer');
    // enquirer's typings omit the prompt classes it exports at run time.
    const Prompt = make(Enquirer as unknown as Record<string, PromptClass>);
    return { answer: await new Prompt({ name: 'answer', ...options, stdin: input, stdout: output }).run() };
  } catch {
    // enquirer rejects when the prompt is cancelled: Ctrl-C (raw mode turns it into a key, not a
    // signal), or a terminal that went away. Either way nobody said yes, and nobody said "go on".
    throw new Interrupted();
  } finally {
    input.destroy();
    output.destroy();
  }
}

// enquirer's prompt internals are untyped: `any` below is deliberate.
/**
 * A [y/N] question answered by a line: `y` or `n` only chooses, Enter submits (so the Enter typed after
 * `y` is read here, never left for the shell), Enter alone is No. A No is shown as declined, not with
 * the green tick of a success.
 */
function lineConfirm(enquirer: Record<string, PromptClass>): PromptClass {
  const Confirm = enquirer.Confirm as any;
  return class LineConfirm extends Confirm {
    dispatch(ch: string) {
      if (!this.isValue(ch)) return this.alert();
      this.input = ch;
      this.value = this.cast(ch);
      return this.render();
    }
    format(value: boolean) {
      const word = value ? 'yes' : 'no';
      if (!this.state.submitted) return this.keypressed ? this.styles.primary(word) : '';
      return value ? this.styles.success(word) : this.styles.warning(word);
    }
    async prefix() {
      if (this.state.submitted && !this.state.cancelled && this.value !== true) return this.styles.warning('–');
      return super.prefix();
    }
  } as unknown as PromptClass;
}

export function terminalConfirm(s: TerminalSettings): Confirm {
  return async (message, preamble) => {
    const r = await onTerminal(s, lineConfirm, { message, initial: false, default: '[y/N]' }, preamble);
    return typeof r === 'string' ? r : r.answer === true;
  };
}


export function terminalAsk(s: TerminalSettings): Ask {
  return async (message, o = {}) => {
    const r = await onTerminal(s, (e) => e.Input, { message, initial: o.initial, validate: o.validate });
    return typeof r === 'string' ? null : typeof r.answer === 'string' ? r.answer : null;
  };
}
