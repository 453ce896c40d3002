/**
 * Appending rows so that a crash loses nothing finished and leaves no partial line.
 *
 * How: each row is serialised in memory (csv-stringify, full precision) and written with one
 * appendFileSync (a single write(2) under O_APPEND), then fsync'd. If the process dies mid-write,
 * at most the final line lacks its newline; `repairTail` truncates such a tail before the next append
 * and the reader ignores it, so every trial appears once, whole, or not at all (and is rerun).
 */
import { appendFileSync, existsSync, mkdirSync, openSync, closeSync, fsyncSync, readFileSync, truncateSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify/sync';

/** Escape text cells a spreadsheet would run as a formula (leading = + - @), unless they are numbers. */
export function safeCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (/^[=+\-@\t\r]/.test(value) && !/^[-+]?(\d|\.\d|Infinity)/.test(value)) return `'${value}`;
  return value;
}

/** Serialise rows to CSV lines in `columns` order (no header). */
export function toCsvLines<C extends string>(columns: readonly C[], rows: Record<C, string>[]): string {
  return stringify(rows.map((r) => columns.map((c) => r[c])), { eof: true, record_delimiter: '\n' });
}

/** Truncate a final line left without its newline by a crash, so the next append starts clean. */
export function repairTail(file: string): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0) return;
  const text = readFileSync(file, 'utf8');
  if (text.endsWith('\n')) return;
  truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
}

/** Append rows to `file`, writing the header first if the file is new or empty. One write, then fsync. */
export function appendRows<C extends string>(file: string, columns: readonly C[], rows: Record<C, string>[]): void {
  mkdirSync(dirname(file), { recursive: true });
  repairTail(file);
  const fresh = !existsSync(file) || statSync(file).size === 0;
  const header = fresh ? stringify([columns as readonly string[] as string[]], { eof: true, record_delimiter: '\n' }) : '';
  const text = header + toCsvLines(columns, rows);
  appendFileSync(file, text);
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
