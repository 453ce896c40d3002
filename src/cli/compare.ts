/**
 * `scalebench compare OLD.csv NEW.csv` or `scalebench compare results/x.csv --rev main`: read two runs, build the
 * comparison (src/compare), print it in one format, and exit 1 when --fail-on finds a significant regression.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { COLUMNS } from '../results/columns.ts';
import { parseCsv, ResultsError } from '../results/read.ts';
import { compareRuns, DEFAULT_OPTIONS } from '../compare/build.ts';
import { environmentNotes } from '../compare/environment.ts';
import { FORMAT_NAMES, FORMATS, type Format } from '../compare/format/index.ts';
import type { SideInput } from '../compare/join.ts';
import { parseFailOn, ThresholdError, violations, type Threshold } from '../compare/thresholds.ts';
import { formatDelta } from '../compare/format/values.ts';
import { UsageError, type Command, type Io } from './context.ts';

export interface CompareArgs {
  /** OLD.csv NEW.csv, or the one file that --rev compares with its committed version. */
  files: string[];
  rev?: string;
  format: Format;
  failOn?: string;
  alpha: number;
}

/** A results CSV from disk; a missing or empty file is an input error. */
export function readSide(file: string): SideInput {
  if (!existsSync(file)) throw new ResultsError(file, 'no such file');
  return checked({ name: file, rows: parseCsv(readFileSync(file, 'utf8'), COLUMNS, file) });
}

/** The results CSV as committed at `rev` (git show rev:./file, run beside the file). */
export function readCommitted(file: string, rev: string): SideInput {
  const name = `${rev}:${file}`;
  return checked({ name, rows: parseCsv(committedText(file, rev), COLUMNS, name) });
}

/** A file's text as committed at `rev`; every way it can fail is a UsageError saying what to do. */
export function committedText(file: string, rev: string): string {
  try {
    return execFileSync('git', ['show', `${rev}:./${basename(file)}`], { cwd: dirname(resolve(file)), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    const why = String(e.stderr ?? '').trim();
    if (e.code === 'ENOENT') throw new UsageError('--rev needs git, which is not installed; compare two files instead: scalebench compare OLD.csv NEW.csv');
    if (/not a git repository/i.test(why)) throw new UsageError(`--rev ${rev}: ${file} is not inside a git repository; compare two files instead: scalebench compare OLD.csv NEW.csv`);
    if (/invalid object name|unknown revision|bad revision|not a valid object name/i.test(why)) throw new UsageError(`--rev ${rev}: no such revision in this repository`);
    if (/does not exist|exists on disk, but not in/i.test(why)) throw new UsageError(`--rev ${rev}: ${file} is not committed at ${rev} (commit it there, or compare two files)`);
    throw new UsageError(`--rev ${rev}: git show failed: ${why.split('\n')[0] || e.message}`);
  }
}

function checked(side: SideInput): SideInput {
  if (side.rows.length === 0) throw new ResultsError(side.name, 'no results rows to compare');
  return side;
}

/** Check the arguments before reading anything, so that a typo fails first. */
function validate(args: CompareArgs): Threshold[] {
  if (args.rev !== undefined && args.files.length !== 1) throw new UsageError(`--rev compares one file with its committed version; got ${args.files.length} files`);
  if (args.rev === undefined && args.files.length !== 2) throw new UsageError(`compare needs two results files (OLD.csv NEW.csv), or one file and --rev REV; got ${args.files.length}`);
  if (!(args.alpha > 0 && args.alpha < 1)) throw new UsageError(`--alpha: expected a number between 0 and 1, got ${args.alpha}`);
  try {
    return args.failOn === undefined ? [] : parseFailOn(args.failOn);
  } catch (err) {
    if (err instanceof ThresholdError) throw new UsageError(err.message);
    throw err;
  }
}

/** Run a comparison and print it; returns the exit code (0, or 1 when a --fail-on threshold was crossed). */
export function compareFiles(args: CompareArgs, io: Io): number {
  const thresholds = validate(args);
  const newSide = readSide(args.files[args.files.length - 1]);
  const oldSide = args.rev !== undefined ? readCommitted(args.files[0], args.rev) : readSide(args.files[0]);
  const cmp = compareRuns(oldSide, newSide, { ...DEFAULT_OPTIONS, alpha: args.alpha });
  io.out(FORMATS[args.format](cmp));
  // CSV and JSON go to files and pipes: say the environment differs where a person will see it too.
  if ((args.format === 'csv' || args.format === 'json') && cmp.environment.differences.length > 0) {
    io.err(`compare: environment differs (${cmp.environment.differences.map((d) => d.column).join(', ')}): ${environmentNotes(cmp.environment).join('; ')}\n`);
  }
  const crossed = violations(cmp, thresholds);
  for (const v of crossed) {
    io.err(`compare: ${v.threshold.metric} at ${v.label}: ${formatDelta(v.threshold.metric, v.delta)} (p=${v.p.toFixed(3)}) is worse than --fail-on ${v.threshold.text}\n`);
  }
  return crossed.length > 0 ? 1 : 0;
}

export const compare: Command = ({ io, exit }) => ({
  command: 'compare <first> [second]',
  describe: 'Compare two results CSVs (or one against its committed version) with medians, 95% intervals and U tests',
  builder: (y) =>
    y
      .positional('first', { type: 'string', demandOption: true, describe: 'OLD.csv, or with --rev the file to check' })
      .positional('second', { type: 'string', describe: 'NEW.csv' })
      .option('rev', { type: 'string', describe: 'Compare the file with its version committed at this git revision (old side)' })
      .option('format', { choices: FORMAT_NAMES, default: 'text' as Format, describe: 'Output format' })
      .option('fail-on', { type: 'string', describe: 'Exit 1 on a significant regression past a limit, e.g. time=+5%,accuracy=-1pt' })
      .option('alpha', { type: 'number', default: DEFAULT_OPTIONS.alpha, describe: 'Significance level of the Mann–Whitney U test' })
      .example('$0 compare results/quickstart.csv --rev main', 'this checkout against main')
      .example('$0 compare old.csv new.csv --format markdown --fail-on time=+5%,accuracy=-1pt', 'for a pull request check'),
  handler: (a: unknown) => {
    const { first, second, ...rest } = a as Omit<CompareArgs, 'files'> & { first: string; second?: string }; // yargs checked the types above
    exit(compareFiles({ ...rest, files: second === undefined ? [first] : [first, second] }, io));
  },
});
