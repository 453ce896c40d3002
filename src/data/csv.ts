/**
 * The user's own CSV file: a header row, numeric feature columns and one label column
 * (`label`, default the last column). Distinct labels, strings or numbers, become class
 * indices in sorted order (numerically when all are numbers, so "10" follows "9").
 * Seeded shuffle and split, then features standardised with training-split statistics.
 * Errors name the row as the spreadsheet shows it: the header is row 1.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { DatasetSpec } from '../experiment/types.ts';
import { DatasetError } from './types.ts';
import { shuffleSplit, standardise, type Family } from './common.ts';

interface Table {
  header: string[];
  rows: string[][];
  /** File row (line) of each record, header = 1. */
  lineOf: number[];
  labelColumn: number;
  /** Distinct labels in class-index order. */
  labels: string[];
}

const cache = new Map<string, { stamp: string; table: Table }>();

/** Read and check the file once per version (plan asks for the shape of every trial). */
function readTable(spec: DatasetSpec, baseDir: string): Table {
  if (!spec.path) throw new DatasetError('dataset.path', 'csv needs a path to the file');
  const file = resolve(baseDir, spec.path);
  let stamp: string;
  try {
    const s = statSync(file);
    stamp = `${s.mtimeMs}/${s.size}`;
  } catch {
    throw new DatasetError('dataset.path', `file not found: ${file}`);
  }
  const key = `${file}\0${spec.label ?? ''}`;
  const hit = cache.get(key);
  if (hit?.stamp === stamp) return hit.table;

  let records: { record: string[]; info: { lines: number } }[];
  try {
    // With `info: true` each record comes with its position; csv-parse's types don't model that.
    records = parse(readFileSync(file, 'utf8'), { bom: true, trim: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (e) {
    throw new DatasetError('dataset.path', `${file}: ${(e as Error).message}`);
  }
  if (records.length === 0) throw new DatasetError('dataset.path', `${file} is empty; expected a header row`);
  const header = records[0].record;
  const labelColumn = spec.label === undefined ? header.length - 1 : header.indexOf(spec.label);
  if (labelColumn < 0) {
    throw new DatasetError('dataset.label', `no column "${spec.label}" in ${file}; columns are: ${header.join(', ')}`);
  }
  if (header.length < 2) throw new DatasetError('dataset.path', `${file} needs at least one feature column besides the label`);
  const rows = records.slice(1).map((r) => r.record);
  const lineOf = records.slice(1).map((r) => r.info.lines);
  rows.forEach((row, i) => {
    if (row[labelColumn] === '') throw new DatasetError('dataset.path', `row ${lineOf[i]}, column "${header[labelColumn]}": empty label`);
    // Every feature cell is checked here, at plan time, so a bad cell stops the sweep before anything runs.
    row.forEach((cell, col) => {
      if (col !== labelColumn && !isNumber(cell)) {
        throw new DatasetError('dataset.path', `row ${lineOf[i]}, column "${header[col]}": expected a number, got "${cell}"`);
      }
    });
  });
  const labels = [...new Set(rows.map((row) => row[labelColumn]))];
  const numeric = labels.every(isNumber);
  labels.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (labels.length < 2) {
    throw new DatasetError('dataset.label', `column "${header[labelColumn]}" has ${labels.length} distinct value(s); need at least 2 classes`);
  }
  const table = { header, rows, lineOf, labelColumn, labels };
  cache.set(key, { stamp, table });
  return table;
}

/** A finite number written out in full: '', 'NaN' and 'Infinity' are not accepted. */
const isNumber = (s: string) => s !== '' && Number.isFinite(Number(s));

export const csv: Family = {
  /** Nothing to default but `label`, which is the last column when omitted. */
  defaults: {},
  shape(spec, baseDir) {
    const t = readTable(spec, baseDir);
    return { features: t.header.length - 1, classes: t.labels.length };
  },
  examples: (spec, baseDir) => readTable(spec, baseDir).rows.length,
  load(spec, seed, baseDir) {
    const t = readTable(spec, baseDir);
    const features = t.header.length - 1;
    const classOf = new Map(t.labels.map((l, c) => [l, c]));
    const x = new Float32Array(t.rows.length * features);
    const y = new Int32Array(t.rows.length);
    t.rows.forEach((row, i) => {
      let j = 0;
      row.forEach((cell, col) => {
        if (col !== t.labelColumn) x[i * features + j++] = Number(cell); // numeric: checked by readTable
      });
      y[i] = classOf.get(row[t.labelColumn])!;
    });
    return standardise(shuffleSplit(spec, seed, { features, classes: t.labels.length }, x, y));
  },
};
