/**
 * scalebench's command line: the only place that reads argv, writes to the terminal and picks exit codes.
 * Exit codes: 0 done, 1 a trial failed (or a compare threshold was crossed), 2 bad input, 130 interrupted.
 */
import { dirname } from 'node:path';
import yargs from 'yargs';
import { datasetShape } from './data/index.ts';
import { DatasetError } from './data/types.ts';
import { ExperimentError } from './experiment/errors.ts';
import { expandGrid } from './experiment/grid.ts';
import { loadExperiment } from './experiment/load.ts';
import { BACKENDS, type BackendChoice, type Experiment, type Trial } from './experiment/types.ts';
import { ResultsError } from './results/read.ts';
import { BackendUnavailable } from './run/process.ts';
import { interruptSweep, runSweep } from './run/sweep.ts';
import { axesOf, formatPlan } from './cli/plan.ts';
import { progressReporter } from './cli/progress.ts';

/** An input mistake the user can fix: printed as one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const INPUT_ERRORS = [ExperimentError, DatasetError, ResultsError, BackendUnavailable, UsageError];

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}
const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Load, validate and expand an experiment: every input error surfaces here, before anything runs. */
export function prepare(file: string, opts: { yes?: boolean } = {}): { exp: Experiment; trials: Trial[] } {
  const exp = loadExperiment(file);
  const trials = expandGrid(exp, (spec) => {
    try {
      return datasetShape(spec, dirname(file));
    } catch (err) {
      if (err instanceof DatasetError) throw new ExperimentError(file, err.field, err.message);
      throw err;
    }
  });
  if (trials.length > exp.limits.maxTrials && !opts.yes) {
    throw new ExperimentError(file, 'limits.maxTrials', `the grid expands to ${trials.length} trials, over the limit of ${exp.limits.maxTrials}; pass --yes to run it anyway, or raise limits.maxTrials`);
  }
  return { exp, trials };
}

async function sweepCommand(args: { files: string[]; backend?: BackendChoice; jobs: string; fresh: boolean; failFast: boolean; yes: boolean; tune: boolean; resultsDir: string }, io: Io): Promise<number> {
  const prepared = args.files.map((f) => prepare(f, args));
  const jobs = args.jobs === 'auto' ? (await import('node:os')).availableParallelism() : Number(args.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs: expected a positive integer or auto, got ${args.jobs}`);
  let code = 0;
  const onSigint = () => interruptSweep();
  process.on('SIGINT', onSigint);
  try {
    for (const { exp, trials } of prepared) {
      const progress = progressReporter(axesOf(exp));
      const s = await runSweep(exp, trials, {
        resultsDir: args.resultsDir,
        backend: args.backend ?? exp.backend,
        tune: args.tune,
        jobs,
        fresh: args.fresh,
        failFast: args.failFast,
        onEvent: progress.onEvent,
      });
      progress.stop();
      if (s.interrupted) {
        io.err(`Interrupted: ${s.total - s.skipped - s.ran} trial(s) abandoned; ${s.skipped + s.ran} of ${s.total} are recorded in ${s.csv}. Run the same command again to resume.\n`);
        return 130;
      }
      io.err(`${exp.name}: ${s.ran} run (${s.ok} ok, ${s.diverged} diverged, ${s.failed} failed), ${s.skipped} already done, ${s.wallS.toFixed(1)} s → ${s.csv}\n`);
      if (s.failed > 0) code = 1;
      if (s.failed > 0 && args.failFast) break;
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  return code;
}

/** Run the CLI on `argv`; resolves to the exit code. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  let code = 0;
  const parser = yargs(argv)
    .scriptName('scalebench')
    .usage('$0 <command> [options]')
    .command(
      'sweep [files..]',
      'Train and evaluate every trial of one or more experiments, appending rows to results/<name>.csv',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, default: ['experiments/quickstart.yaml'], describe: 'Experiment files (YAML or JSON)' })
          .option('backend', { choices: BACKENDS, describe: "Force a backend (default: the experiment's, else auto)" })
          .option('jobs', { type: 'string', default: '1', describe: 'Worker processes running trials at once (a number, or auto = cores)' })
          .option('fresh', { type: 'boolean', default: false, describe: 'Delete earlier results of the experiment and start over' })
          .option('fail-fast', { type: 'boolean', default: false, describe: 'Stop at the first failed trial' })
          .option('yes', { type: 'boolean', default: false, describe: 'Run grids larger than limits.maxTrials' })
          .option('tune', { type: 'boolean', default: true, describe: 'Backend kernel tuning (--no-tune for stock tfjs kernels)' })
          .option('results-dir', { type: 'string', default: 'results', describe: 'Where results CSVs go' }),
      async (a) => {
        code = await sweepCommand({ ...a, files: a.files as string[] }, io);
      },
    )
    .command(
      'plan <file>',
      'Show the trials, parameter counts and training FLOPs of an experiment without training',
      (y) => y.positional('file', { type: 'string', demandOption: true }),
      (a) => {
        const { exp, trials } = prepare(a.file, { yes: true });
        io.out(`${formatPlan(exp, trials)}\n`);
      },
    )
    .demandCommand(1, 'Name a command: sweep, plan')
    .strict()
    .help()
    .version(false)
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    if (INPUT_ERRORS.some((E) => err instanceof E)) {
      io.err(`scalebench: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
  return code;
}
