/** Reading results CSVs back: the only input the report, compare and merge stages need. */
import { readFileSync, existsSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { COLUMNS, EPOCH_COLUMNS, type EpochRow, type ResultRow } from './columns.ts';

/** A results file that can't be used as it is: wrong schema, unreadable. */
export class ResultsError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'ResultsError';
  }
}

/**
 * Parse CSV text whose header must equal `expected` exactly. A final line without its newline is a row
 * cut short by a crash mid-write; it is ignored here and truncated by the writer before it appends.
 */
export function parseCsv<C extends string>(text: string, expected: readonly C[], file: string): Record<C, string>[] {
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  if (complete.trim() === '') return [];
  const records: string[][] = parse(complete, { relax_column_count: true });
  const header = records[0];
  if (header.length !== expected.length || header.some((h, i) => h !== expected[i])) {
    const missing = expected.filter((c) => !header.includes(c));
    const extra = header.filter((h) => !(expected as readonly string[]).includes(h));
    const what = missing.length || extra.length
      ? `${missing.length ? `missing ${few(missing)}` : ''}${missing.length && extra.length ? '; ' : ''}${extra.length ? `unexpected ${few(extra)}` : ''}`
      : 'columns in a different order';
    throw new ResultsError(file, `header: written by a different results schema (${what}); move the file aside or rerun with --fresh`);
  }
  return records.slice(1).map((cells, i) => {
    if (cells.length !== expected.length) throw new ResultsError(file, `line ${i + 2}: expected ${expected.length} cells, got ${cells.length}`);
    const row = {} as Record<C, string>;
    expected.forEach((c, j) => (row[c] = cells[j]));
    return row;
  });
}

/** Up to five names, then how many more: keeps a schema error on one readable line. */
function few(names: string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}

/** Every row of a results CSV; a missing file has none. */
export function readResults(file: string): ResultRow[] {
  if (!existsSync(file)) return [];
  return parseCsv(readFileSync(file, 'utf8'), COLUMNS, file);
}

/** Every row of a per-epoch CSV (results/<name>.epochs.csv); a missing file has none. */
export function readEpochs(file: string): EpochRow[] {
  if (!existsSync(file)) return [];
  return parseCsv(readFileSync(file, 'utf8'), EPOCH_COLUMNS, file);
}

/** A numeric cell; empty or unparsable cells are NaN so they drop out of charts and statistics. */
export function num(cell: string | undefined): number {
  return cell === undefined || cell === '' ? NaN : Number(cell);
}
