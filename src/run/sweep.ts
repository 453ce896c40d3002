/**
 * The sweep: skip what's done, run the rest (1..N worker processes), append a row per finished trial.
 * The only other place with effects is the CLI; this module reports progress through `onEvent`.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Experiment, Trial } from '../experiment/types.ts';
import { EPOCH_COLUMNS, COLUMNS, type ResultRow } from '../results/columns.ts';
import { fingerprint } from '../results/env.ts';
import { readEpochs, readResults } from '../results/read.ts';
import { toEpochRows, toRow } from '../results/row.ts';
import { appendRows, lockResults, openResultsFolder, toCsvLines } from '../results/write.ts';
import { liveChildren, probeBackend, runTrialProcess } from './process.ts';
import { costOf, longestFirst } from './shard.ts';
import type { BackendInfo, WorkerOptions } from './protocol.ts';
import type { TrialOutcome } from './types.ts';
import { datasetShape } from '../data/index.ts';
import { availableParallelism } from 'node:os';

export interface SweepOptions {
  resultsDir: string;
  backend: Experiment['backend'];
  tune: boolean;
  /** Trials at once; 'auto' = one per core on the single-threaded backends (wasm, cpu), 1 on tensorflow, whose thread pool already uses every core. */
  jobs: number | 'auto';
  fresh: boolean;
  failFast: boolean;
  /** Seconds a trial's process may run (start-up included) before it is killed and recorded as failed; default: no limit. */
  trialTimeoutS?: number;
  /** Results file stem; defaults to the experiment name (shards use their own). */
  stem?: string;
  onEvent?: (e: SweepEvent) => void;
}

export type SweepEvent =
  | { kind: 'plan'; total: number; todo: number; backend: BackendInfo; csv: string }
  | { kind: 'start'; trial: Trial; n: number; todo: number }
  | { kind: 'epoch'; trial: Trial; epoch: number; trainLoss: number }
  | { kind: 'finish'; trial: Trial; n: number; todo: number; outcome: TrialOutcome; row: ResultRow };

export interface SweepSummary {
  csv: string;
  total: number;
  skipped: number;
  ran: number;
  ok: number;
  diverged: number;
  failed: number;
  interrupted: boolean;
  wallS: number;
  /** Σ of each trial's process wall time, to measure harness overhead. */
  trialS: number;
}

export const resultsPath = (dir: string, stem: string) => join(dir, `${stem}.csv`);
export const epochsPath = (csv: string) => csv.replace(/\.csv$/, '.epochs.csv');
const key = (id: string, seed: number | string) => `${id}#${seed}`;

/** Drop per-epoch rows whose trial has no row in the main CSV (a crash between the two writes); atomic rename. */
function pruneEpochs(csv: string, done: Set<string>): void {
  const file = epochsPath(csv);
  const rows = readEpochs(file);
  const kept = rows.filter((r) => done.has(key(r.trial_id, r.seed)));
  if (kept.length === rows.length) return;
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, toCsvLines(EPOCH_COLUMNS, [Object.fromEntries(EPOCH_COLUMNS.map((c) => [c, c])) as never, ...kept]));
  renameSync(tmp, file);
}

let interruptRequested = false;
/** Ask the running sweep to stop: live trials are abandoned, finished rows stay. */
export function interruptSweep(): void {
  interruptRequested = true;
  for (const child of liveChildren) child.kill('SIGKILL');
}

export async function runSweep(exp: Experiment, trials: Trial[], opts: SweepOptions): Promise<SweepSummary> {
  const t0 = performance.now();
  interruptRequested = false;
  const csv = resultsPath(opts.resultsDir, opts.stem ?? exp.name);
  const workerOptions: WorkerOptions = { backend: opts.backend, tune: opts.tune, latency: exp.latency, repeats: exp.repeats, baseDir: dirname(exp.file) };

  // Check what would fail anyway before touching any file: the existing results' schema (unless
  // --fresh replaces them), the backend, the results folder. Only then lock the file (one sweep per
  // results file: two would both run the same trials), read what is done, delete (--fresh) or repair.
  if (!opts.fresh) {
    readResults(csv);
    readEpochs(epochsPath(csv));
  }
  const backend = await probeBackend(workerOptions);
  const jobs = opts.jobs === 'auto' ? (backend.name === 'tensorflow' ? 1 : availableParallelism()) : opts.jobs;
  openResultsFolder(csv);
  const unlock = lockResults(csv);
  process.once('exit', unlock); // released however the process ends, short of SIGKILL (then the next sweep takes it over)
  if (opts.fresh) for (const f of [csv, epochsPath(csv)]) if (existsSync(f)) rmSync(f);
  const done = new Set(readResults(csv).map((r) => key(r.trial_id, r.seed)));
  pruneEpochs(csv, done);
  // One worker runs the trials in grid order; several take the longest first (see longestFirst).
  const pending = trials.filter((t) => !done.has(key(t.id, t.seed)));
  const todo = jobs > 1 ? longestFirst(pending, costOf(exp)) : pending;
  opts.onEvent?.({ kind: 'plan', total: trials.length, todo: todo.length, backend, csv });

  const env = fingerprint();
  const summary: SweepSummary = { csv, total: trials.length, skipped: trials.length - todo.length, ran: 0, ok: 0, diverged: 0, failed: 0, interrupted: false, wallS: 0, trialS: 0 };
  let next = 0;
  let stop = false;

  const runOne = async (trial: Trial, n: number) => {
    opts.onEvent?.({ kind: 'start', trial, n, todo: todo.length });
    const startedAt = new Date().toISOString();
    const ts = performance.now();
    const report = await runTrialProcess(trial, workerOptions, (m) => {
      if (m.kind === 'epoch') opts.onEvent?.({ kind: 'epoch', trial, epoch: m.epoch, trainLoss: m.trainLoss });
    }, opts.trialTimeoutS);
    summary.trialS += (performance.now() - ts) / 1000;
    if (interruptRequested && !report.finished) return; // abandoned: no row, so a rerun trains it again
    const b = report.backend ?? backend;
    // A process that died before loading its data reported no shape: take it from the spec, as planning did.
    const shape = report.features !== undefined && report.classes !== undefined ? { features: report.features, classes: report.classes } : datasetShape(trial.settings.dataset, workerOptions.baseDir);
    const row = toRow(trial, report.outcome, {
      env,
      backend: b.name,
      tuned: b.tuned,
      tfjsVersion: b.version,
      jobs,
      startedAt,
      features: shape.features,
      classes: shape.classes,
    });
    // Epoch rows first, the main row last: the main row is the commit point of a trial.
    const epochRows = toEpochRows(trial, report.outcome);
    if (epochRows.length) appendRows(epochsPath(csv), EPOCH_COLUMNS, epochRows);
    appendRows(csv, COLUMNS, [row]);
    summary.ran++;
    summary[report.outcome.status]++;
    if (report.outcome.status === 'failed' && opts.failFast) stop = true;
    opts.onEvent?.({ kind: 'finish', trial, n, todo: todo.length, outcome: report.outcome, row });
  };

  const lane = async () => {
    while (!stop && !interruptRequested && next < todo.length) {
      const n = ++next;
      await runOne(todo[n - 1], n);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, todo.length)) }, lane));
  summary.interrupted = interruptRequested;
  summary.wallS = (performance.now() - t0) / 1000;
  unlock();
  process.off('exit', unlock);
  return summary;
}
