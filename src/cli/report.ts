/**
 * `scalebench report`: results CSVs → reports/<name>/ (charts as SVG, PNG and Vega-Lite specs, README.md, index.html).
 * Reads CSVs only. With no argument, every results/*.csv gets its own report.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { renderReport, reportAll } from '../report/index.ts';
import { committedText } from './compare.ts';
import { UsageError, type Command, type Io } from './context.ts';

export interface ReportArgs {
  inputs: string[];
  compare: boolean;
  rev?: string;
  name?: string;
  resultsDir: string;
  reportsDir: string;
}

const stem = (file: string) => basename(file).replace(/\.csv$/, '');

/** An input is a CSV path, or an experiment name meaning <results-dir>/<name>.csv. */
function toCsv(input: string, resultsDir: string): string {
  return input.endsWith('.csv') ? input : join(resultsDir, `${input}.csv`);
}

export async function report(args: ReportArgs, io: Io): Promise<number> {
  const inputs = args.inputs.map((i) => toCsv(i, args.resultsDir));
  if (args.compare && inputs.length !== 2) throw new UsageError(`report --compare needs two results files (A B); got ${inputs.length}`);
  if (args.rev !== undefined && inputs.length !== 1) throw new UsageError(`report --rev overlays one file on its version at a git revision; got ${inputs.length} files`);
  if (inputs.length === 0) {
    const { files } = await reportAll(args.resultsDir, args.reportsDir);
    io.err(`report: ${files.length} files written under ${args.reportsDir}/\n`);
    return 0;
  }
  let labels: string[] | undefined;
  const cleanup: string[] = [];
  try {
    if (args.rev !== undefined) {
      // The committed version goes to a temporary file so the report reads both sides the same way.
      const text = committedText(inputs[0], args.rev);
      const dir = mkdtempSync(join(tmpdir(), 'scalebench-rev-'));
      cleanup.push(dir);
      const old = join(dir, basename(inputs[0]));
      writeFileSync(old, text);
      try {
        writeFileSync(old.replace(/\.csv$/, '.epochs.csv'), committedText(inputs[0].replace(/\.csv$/, '.epochs.csv'), args.rev));
      } catch {
        // No committed learning curves: the old side's charts simply have none.
      }
      inputs.unshift(old);
      labels = [args.rev, 'working tree'];
    }
    const name = args.name ?? (inputs.length === 1 ? stem(inputs[0]) : args.rev !== undefined ? `${stem(inputs[1])}-vs-${args.rev.replace(/[^A-Za-z0-9._-]/g, '_')}` : inputs.map(stem).join('-vs-'));
    const { files } = await renderReport({ inputs, outDir: args.reportsDir, name, labels });
    io.err(`report: ${files.length} files written → ${join(args.reportsDir, name)}/\n`);
  } finally {
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}

export const reportCommand: Command = ({ io, exit }) => ({
  command: 'report [inputs..]',
  describe: 'Render charts, README.md and index.html into reports/<name>/ from results CSVs (several overlay, coloured by source)',
  builder: (y) =>
    y
      .positional('inputs', { type: 'string', array: true, default: [], describe: 'Results CSVs or experiment names (default: every results/*.csv, one report each)' })
      .option('compare', { type: 'boolean', default: false, describe: 'Overlay exactly two runs A B on the same charts' })
      .option('rev', { type: 'string', describe: 'Overlay the file on its version committed at this git revision' })
      .option('name', { type: 'string', describe: 'Report folder name for an overlay (default: the stems joined by -vs-)' })
      .option('results-dir', { type: 'string', default: 'results', describe: 'Where experiment names are looked up' })
      .option('reports-dir', { type: 'string', default: 'reports', describe: 'Where reports go' })
      .example('$0 report', 'a report per results/*.csv')
      .example('$0 report results/bench.csv results/bench-stock.csv', 'two runs overlaid, coloured by source')
      .example('$0 report results/quickstart.csv --rev main', 'this run against the one committed on main'),
  handler: async (a) => exit(await report(a as unknown as ReportArgs, io)),
});
