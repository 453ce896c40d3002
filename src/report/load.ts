/** Reading a report's inputs: results CSVs, their per-epoch siblings, and the labels that tell sources apart. */
import { existsSync } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';
import { readEpochs, readResults, ResultsError } from '../results/read.ts';
import { ReportError } from './errors.ts';
import type { SourceInput } from './model.ts';

/** results/<name>.csv → results/<name>.epochs.csv */
export const epochsPath = (csv: string) => csv.replace(/(\.csv)?$/, '.epochs.csv');

/** The file stem of each input; inputs whose stems collide are told apart by their parent folder ("a/quick", "b/quick"). */
export function sourceLabels(inputs: readonly string[]): string[] {
  const stem = (f: string) => basename(f).replace(/\.csv$/, '');
  const labels = inputs.map((f) => {
    const s = stem(f);
    return inputs.filter((g) => stem(g) === s).length > 1 ? `${basename(dirname(f))}/${s}` : s;
  });
  return labels.map((l, i) => (labels.indexOf(l) === i ? l : `${l} (${i + 1})`));
}

/** A path as the README shows it: relative to the report folder, with forward slashes, so it is a working link. */
export const linkFrom = (reportDir: string, file: string) => relative(reportDir, file).split(sep).join('/');

/** An error's message on one line. */
export const oneLine = (e: unknown) => String((e as Error)?.message ?? e).replace(/\s*\n\s*/g, ' ').trim();

/**
 * Read a CSV; a file that can't be read or parsed (a folder, a stray quote) is a ReportError naming it.
 * A ResultsError (wrong schema, short row) is already one line with its fix, and passes through.
 */
function read<T>(file: string, reader: (file: string) => T): T {
  try {
    return reader(file);
  } catch (e) {
    if (e instanceof ResultsError) throw e;
    throw new ReportError(`${file}: cannot read it as a results CSV (${oneLine(e)})`);
  }
}

/** Read every input (a missing file is an error: a report of nothing is a mistake), with its per-epoch rows when present. */
export function loadSources(inputs: readonly string[], labels: readonly string[], reportDir: string): SourceInput[] {
  return inputs.map((file, i) => {
    if (!existsSync(file)) throw new ReportError(`${file}: no such results file (run a sweep first, or check the path)`);
    return { label: labels[i], file: linkFrom(reportDir, file), rows: read(file, readResults), epochs: read(epochsPath(file), readEpochs) };
  });
}
