import path from 'node:path';
import type { Style } from './logger.js';

/** A row of `sync-org`: one checkout, in the state it is in now (design §9). */
export type OrgStatus = 'waiting' | 'syncing' | 'synced' | 'up-to-date' | 'skipped' | 'failed';

export interface OrgRow {
  dir: string;
  project: string | null;
  env: string | null;
  codexBranch: string | null;
  status: OrgStatus;
  changed: number;
  message: string;
  /** The codex commit made for this row (full id), null when none. */
  codexCommit: string | null;
}

const LABEL: Record<OrgStatus, string> = { waiting: 'waiting', syncing: 'syncing', synced: 'synced', 'up-to-date': 'up to date', skipped: 'skipped', failed: 'failed' };
const FINISHED: ReadonlySet<OrgStatus> = new Set(['synced', 'up-to-date', 'skipped', 'failed']);
export const isFinished = (r: OrgRow) => FINISHED.has(r.status);
export const statusLabel = (s: OrgStatus) => LABEL[s];
export const rowName = (r: OrgRow) => r.project ?? path.basename(r.dir);

/**
 * Folder names in the order people count: svc1, svc2, svc10 (runs of digits compared as numbers, the rest
 * without regard to case). By hand: ICU's numeric collator costs ~10 ms to set up, more than a sort.
 */
export function naturalCompare(a: string, b: string): number {
  const split = (s: string) => s.toLowerCase().match(/\d+|\D+/g) ?? [];
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] === y[i]) continue;
    if (/^\d/.test(x[i]) && /^\d/.test(y[i])) {
      const d = Number(x[i]) - Number(y[i]);
      if (d) return d;
      continue; // 09 and 9: the rest decides
    }
    return x[i] < y[i] ? -1 : 1;
  }
  return x.length - y.length || (a < b ? -1 : a > b ? 1 : 0);
}

export function orgCounts(rows: OrgRow[]) {
  const n = (s: OrgStatus) => rows.filter((r) => r.status === s).length;
  return { total: rows.length, synced: n('synced'), upToDate: n('up-to-date'), skipped: n('skipped'), failed: n('failed') };
}

export function orgSummaryLine(rows: OrgRow[]): string {
  const c = orgCounts(rows);
  return `${c.synced} synced, ${c.upToDate} up to date, ${c.skipped} skipped, ${c.failed} failed (of ${c.total})`;
}

const HEAD = ['project', 'env', 'codex branch', 'status', 'files', 'detail'];
const cells = (r: OrgRow) => [rowName(r), r.env ?? '-', r.codexBranch ?? '-', LABEL[r.status], String(r.changed), r.message];

function colourOf(style: Style, status: OrgStatus): (s: string) => string {
  if (status === 'failed') return style.red;
  if (status === 'synced') return style.green;
  if (status === 'skipped') return style.yellow;
  if (status === 'waiting' || status === 'up-to-date') return style.dim;
  return style.bold;
}

/** Lines of the table: widths from every row (a stable layout while rows change), lines cut at `width`. */
function lines(all: OrgRow[], shown: OrgRow[], style: Style, width = Infinity): string[] {
  const body = all.map(cells);
  const widths = HEAD.map((h, i) => Math.min(40, Math.max(h.length, ...body.map((b) => b[i].length))));
  const fmt = (c: string[], status?: OrgStatus) => {
    const padded = c.map((s, i) => (i === c.length - 1 ? s : s.slice(0, widths[i]).padEnd(widths[i])));
    const plain = padded.join('  ');
    if (plain.length > width) return plain.slice(0, Math.max(0, width - 1)) + '…';
    if (status) padded[3] = colourOf(style, status)(padded[3]);
    return padded.join('  ').trimEnd();
  };
  return [fmt(HEAD), fmt(widths.map((w) => '-'.repeat(w))), ...shown.map((r) => fmt(cells(r), r.status))];
}

/** The summary table printed at the end. */
export function orgTable(rows: OrgRow[], style: Style): string {
  return lines(rows, rows, style).join('\n');
}

/**
 * One frame of the live display, at most `height - 1` lines (the cursor keeps the last): the counter, then
 * the rows being synced, then the failed ones, then as many others as fit (in their order), and a line
 * saying how many are not shown. Pure: given the rows and the terminal's size.
 */
export function renderFrame(rows: OrgRow[], o: { height: number; width: number; style: Style }): string {
  const done = rows.filter(isFinished).length;
  const counter = `${done}/${rows.length} projects · ${orgSummaryLine(rows).replace(/ \(of \d+\)$/, '')}`.slice(0, o.width);
  const budget = Math.max(1, o.height - 1) - 1 - 2; // the counter and the table's two head lines
  const chosen = new Set<OrgRow>();
  const take = (list: OrgRow[], room: number) => {
    for (const r of list) if (chosen.size < room && !chosen.has(r)) chosen.add(r);
  };
  if (budget >= rows.length) take(rows, rows.length);
  else {
    const room = Math.max(0, budget - 1); // one line says how many more
    take(rows.filter((r) => r.status === 'syncing'), room);
    take(rows.filter((r) => r.status === 'failed'), room);
    // then the most recently finished (the end of the list of finished ones), then the next waiting
    take(rows.filter(isFinished).reverse(), Math.min(room, chosen.size + Math.ceil((room - chosen.size) / 2)));
    take(rows, room);
  }
  const shown = rows.filter((r) => chosen.has(r));
  if (budget < 1) return counter;
  const out = [counter, ...lines(rows, shown, o.style, o.width)];
  const hidden = rows.length - shown.length;
  if (hidden > 0) {
    const count = (s: OrgStatus) => rows.filter((r) => !chosen.has(r) && r.status === s).length;
    const kinds = ([['syncing', count('syncing')], ['waiting', count('waiting')], ['done', rows.filter((r) => !chosen.has(r) && isFinished(r)).length]] as const).filter(([, n]) => n > 0);
    out.push(o.style.dim(`… ${hidden} more (${kinds.map(([k, n]) => `${n} ${k}`).join(', ')})`.slice(0, o.width)));
  }
  return out.join('\n');
}
