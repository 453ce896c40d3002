/** `scalebench sweep`: run every trial not yet recorded, appending rows as they finish. */
import { BACKENDS, type BackendChoice } from '../experiment/types.ts';
import { costOf, shardStem, shardTrials } from '../run/shard.ts';
import { BackendUnavailable } from '../run/process.ts';
import { interruptSweep, runSweep } from '../run/sweep.ts';
import { renderReport } from '../report/index.ts';
import { dirname, join, resolve } from 'node:path';
import { UsageError, type Command, type Io } from './context.ts';
import { axesOf } from './plan.ts';
import { prepare } from './prepare.ts';
import { progressReporter } from './progress.ts';
import { resolveShard, type Env } from './shard-spec.ts';

export interface SweepArgs {
  files: string[];
  backend?: BackendChoice;
  jobs: string;
  fresh: boolean;
  failFast: boolean;
  /** Seconds; see parseTimeout. */
  trialTimeout?: string;
  yes: boolean;
  tune: boolean;
  resultsDir: string;
  /** Render reports/<name>/ when an experiment's sweep completes (not for shards: merge first). */
  report: boolean;
  /** Default: a `reports` folder beside the results folder. */
  reportsDir?: string;
  /** `i/n`: run shard i of n (see src/cli/shard-spec.ts for the environment fallbacks). */
  shard?: string;
  shardCount?: string;
}

/** An option given twice counts once, the last time (yargs would make it an array). */
const last = <T>(value: T | T[]): T => (Array.isArray(value) ? value[value.length - 1] : value);

/** `--jobs`: a positive integer, or `auto` (resolved once the backend is known: cores for wasm and cpu, 1 for tensorflow). */
export function parseJobs(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`--jobs: expected a positive integer or auto, got ${value}`);
  return jobs;
}

/** `--trial-timeout`: seconds, a number > 0. */
export function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const s = Number(value);
  if (value.trim() === '' || !Number.isFinite(s) || s <= 0) throw new UsageError(`--trial-timeout: expected a number of seconds > 0, got ${value}`);
  return s;
}

export async function sweepFiles(args: SweepArgs, io: Io, env: Env = process.env): Promise<number> {
  const prepared = args.files.map((f) => prepare(f, args)); // validate every file before running any
  const jobs = parseJobs(args.jobs);
  const trialTimeoutS = parseTimeout(args.trialTimeout);
  const shard = resolveShard(args, env);
  if (args.resultsDir.trim() === '') throw new UsageError('--results-dir: expected a folder, got ""');
  let code = 0;
  const onSigint = () => interruptSweep();
  process.on('SIGINT', onSigint);
  try {
    for (const { exp, trials: all } of prepared) {
      const trials = shard ? shardTrials(all, shard, costOf(exp)) : all;
      if (shard) io.err(`${exp.name}: shard ${shard.index}/${shard.count} (${shard.source}): ${trials.length} of ${all.length} trials\n`);
      const progress = progressReporter(axesOf(exp));
      const s = await runSweep(exp, trials, {
        resultsDir: args.resultsDir,
        backend: args.backend ?? exp.backend,
        tune: args.tune,
        jobs,
        fresh: args.fresh,
        failFast: args.failFast,
        trialTimeoutS,
        stem: shard ? shardStem(exp.name, shard) : undefined,
        onEvent: progress.onEvent,
      }).catch((err) => {
        // Name where the backend was chosen: the flag, or the experiment file's field.
        throw err instanceof BackendUnavailable ? new BackendUnavailable(`${args.backend ? '--backend' : `${exp.file}: backend`}: ${err.message}`) : err;
      });
      progress.stop();
      if (s.interrupted) {
        io.err(`Interrupted: unfinished trials were abandoned; ${s.skipped + s.ran} of ${s.total} are recorded in ${s.csv}. Run the same command again to resume.\n`);
        return 130;
      }
      io.err(`${exp.name}: ${s.ran} run (${s.ok} ok, ${s.diverged} diverged, ${s.failed} failed), ${s.skipped} already done, ${s.wallS.toFixed(1)} s → ${s.csv}\n`);
      if (s.failed > 0) {
        code = 1;
        if (args.failFast) break;
      }
      if (args.report && !shard && s.total > 0) {
        const reportsDir = args.reportsDir ?? join(dirname(resolve(args.resultsDir)), 'reports');
        try {
          const { files } = await renderReport({ inputs: [s.csv], outDir: reportsDir, name: exp.name });
          io.err(`${exp.name}: report → ${dirname(files[0])}/ (index.html, README.md, charts)\n`);
        } catch (err) {
          // The rows are safe whatever happens to the report: one line and exit 1, never a stack trace after a sweep.
          io.err(`scalebench: ${exp.name}: the report could not be rendered (${(err as Error).message.split('\n')[0]}); the results are in ${s.csv}\n`);
          code = Math.max(code, 1);
        }
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  return code;
}

export const sweep: Command = ({ io, exit }) => ({
  command: 'sweep [files..]',
  describe: 'Train and evaluate every trial of one or more experiments, appending rows to results/<name>.csv',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, default: ['experiments/quickstart.yaml'], describe: 'Experiment files (YAML or JSON)' })
      .option('backend', { choices: BACKENDS, coerce: last, describe: "Force a backend (default: the experiment's, else auto)" })
      .option('jobs', { type: 'string', default: '1', coerce: last, describe: 'Worker processes running trials at once (a number, or auto = cores on wasm/cpu, 1 on tensorflow)' })
      .option('fresh', { type: 'boolean', default: false, describe: 'Delete earlier results of the experiment and start over' })
      .option('fail-fast', { type: 'boolean', default: false, describe: 'Stop at the first failed trial' })
      .option('trial-timeout', { type: 'string', coerce: last, describe: 'Kill a trial whose process runs longer than this many seconds; it becomes a failed row (default: no limit)' })
      .option('yes', { type: 'boolean', default: false, describe: 'Run grids larger than limits.maxTrials' })
      .option('tune', { type: 'boolean', default: true, describe: 'Backend kernel tuning (--no-tune for stock tfjs kernels)' })
      .option('results-dir', { type: 'string', coerce: last, default: 'results', describe: 'Where results CSVs go' })
      .option('report', { type: 'boolean', default: true, describe: 'Render the report when the sweep completes (--no-report to skip)' })
      .option('reports-dir', { type: 'string', coerce: last, describe: 'Where reports go (default: reports/ beside the results folder)' })
      .option('shard', { type: 'string', coerce: last, describe: 'Run shard i of n (0 ≤ i < n), cost-balanced, into <results-dir>/<name>/shards/<i>-of-<n>.csv; default from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID' })
      .option('shard-count', { type: 'string', coerce: last, describe: 'Shards in all, with an index from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID (or set SCALEBENCH_SHARDS)' }),
  handler: async (a) => exit(await sweepFiles(a as unknown as SweepArgs, io)),
});
