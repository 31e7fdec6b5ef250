import type { Logger } from '../core/edge.js';
import type { Settings } from '../core/settings.js';


export interface Style {
  bold(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
}

export type ColorSettings = Pick<Settings, 'ci' | 'noColor' | 'forceColor' | 'dumbTerminal'>;

/** Colour only on a terminal, never with NO_COLOR or in CI (https://no-color.org); FORCE_COLOR forces it. */
export function colorEnabled(stream: { isTTY?: boolean }, s: ColorSettings): boolean {
  if (s.forceColor) return true;
  return Boolean(stream.isTTY) && !s.noColor && !s.ci && !s.dumbTerminal;
}

export function makeStyle(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { bold: wrap(1, 22), red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22) };
}

export interface LoggerOptions {
  quiet?: boolean;
  /** With --json stdout carries one JSON document, so human lines go to stderr. */
  json?: boolean;
  settings: ColorSettings;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

export function createLogger(options: LoggerOptions): Logger {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const out = options.json ? stderr : stdout;
  // asked when first needed: whether stderr is a terminal makes its stream (ui/output.ts)
  let styled: Style | undefined;
  const style = () => (styled ??= makeStyle(colorEnabled(stderr, options.settings)));
  return {
    info: (m) => void (!options.quiet && out.write(m + '\n')),
    success: (m) => void (!options.quiet && out.write(style().green('✔') + ' ' + m + '\n')),
    warn: (m) => void stderr.write(style().yellow('⚠') + ' ' + m + '\n'),
    error: (m) => void stderr.write(style().red('✖') + ' ' + m + '\n'),
  };
}

/** A logger that records lines, for tests and for hooks that print one summary at the end. */
export function recordingLogger(): Logger & { lines: Array<{ level: string; message: string }> } {
  const lines: Array<{ level: string; message: string }> = [];
  const rec = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, info: rec('info'), success: rec('success'), warn: rec('warn'), error: rec('error') };
}
