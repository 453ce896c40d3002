/**
 * Appending rows so that a crash loses nothing finished and leaves no partial line.
 *
 * How: each row is serialised in memory (csv-stringify, full precision) as exactly one line (safeCell
 * turns line breaks inside a cell into spaces) and written with one appendFileSync (a single write(2)
 * under O_APPEND; a new file gets its header in that same write), then fsync'd. A row is therefore
 * whole once it ends in its newline. If the process dies mid-write, at most the final line lacks its
 * newline: the reader ignores such a tail and `repairTail` truncates it before the next append, so
 * every trial appears once, whole, or not at all (and is rerun). The sweep writes a trial's per-epoch
 * rows before its main row, which is the commit point; per-epoch rows without one are pruned on the
 * next start (src/run/sweep.ts).
 */
import { accessSync, appendFileSync, constants, existsSync, mkdirSync, openSync, closeSync, fsyncSync, readFileSync, readSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { ResultsError } from './read.ts';

/** A whole cell that is a plain number, such as -1.5e-3 or -Infinity: no spreadsheet runs it as a formula. */
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$|^[-+]?Infinity$/i;

/**
 * A text cell made safe to store and to open in a spreadsheet: line breaks become spaces (one row,
 * one line), and text a spreadsheet would run as a formula (leading =, +, -, @, tab or carriage
 * return, e.g. `=HYPERLINK(…)` or `-2+3`) gets a leading apostrophe. Whole numbers are left alone.
 */
export function safeCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = value.replace(/[\r\n]+/g, ' ');
  if (/^[=+\-@\t]/.test(text) && !NUMBER.test(text)) return `'${text}`;
  return text;
}

/** Serialise rows to CSV lines in `columns` order (no header). */
export function toCsvLines<C extends string>(columns: readonly C[], rows: Record<C, string>[]): string {
  return stringify(rows.map((r) => columns.map((c) => r[c])), { eof: true, record_delimiter: '\n' });
}

/** Truncate a final line left without its newline by a crash, so the next append starts clean. */
export function repairTail(file: string): void {
  if (!existsSync(file)) return;
  const size = statSync(file).size;
  if (size === 0 || lastByte(file, size) === 0x0a) return;
  const text = readFileSync(file, 'utf8');
  if (text.endsWith('\n')) return;
  truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
}

/**
 * Create the folder `file` goes in and check that it can be written, so a bad results path fails
 * before any trial runs (ResultsError: exit 2), not when the first row is due.
 */
export function openResultsFolder(file: string): void {
  const dir = dirname(file);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EEXIST' || e.code === 'ENOTDIR' ? 'a file is in the way' : e.code === 'EACCES' ? 'permission denied' : e.message;
    throw new ResultsError(dir, `cannot write results here (${why}); expected a folder, or a path where one can be created`);
  }
}

/**
 * Take `file` for this process alone, so two sweeps of one experiment cannot both run (and record)
 * its trials: `<file>.lock` holds the owner's pid. A lock whose process is gone (a sweep that was
 * killed) is taken over. Returns the release function.
 */
export function lockResults(file: string): () => void {
  const lock = `${file}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
      const owner = Number(readFileSync(lock, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
        throw new ResultsError(file, `another sweep (pid ${owner}) is writing this file; wait for it to finish or stop it (if none is running, delete ${lock})`);
      }
      rmSync(lock, { force: true }); // stale: its sweep died without releasing it
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Append rows to `file`, writing the header first if the file is new or empty. One write, then fsync. */
export function appendRows<C extends string>(file: string, columns: readonly C[], rows: Record<C, string>[]): void {
  mkdirSync(dirname(file), { recursive: true });
  repairTail(file);
  const fresh = !existsSync(file) || statSync(file).size === 0;
  const header = fresh ? stringify([columns as readonly string[] as string[]], { eof: true, record_delimiter: '\n' }) : '';
  const text = header + toCsvLines(columns, rows);
  if (TORN_WRITE_MS > 0) appendTorn(file, text, TORN_WRITE_MS);
  else appendFileSync(file, text);
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function lastByte(file: string, size: number): number {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, size - 1);
    return b[0];
  } finally {
    closeSync(fd);
  }
}

/**
 * Test-only hook, never set in real use: SCALEBENCH_TEST_TORN_WRITE_MS=n makes every append two
 * writes n ms apart (first half, pause, second half), so a crash test can kill the sweep while a
 * row is half written (test/crash.test.ts, bench/stress-kill.ts). Without it a row is one write,
 * whose window is too short to hit on purpose.
 */
const TORN_WRITE_MS = Number(process.env.SCALEBENCH_TEST_TORN_WRITE_MS) || 0;

function appendTorn(file: string, text: string, ms: number): void {
  const bytes = Buffer.from(text);
  const half = bytes.length >> 1;
  appendFileSync(file, bytes.subarray(0, half));
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); // a synchronous pause with the row cut in two
  appendFileSync(file, bytes.subarray(half));
}
