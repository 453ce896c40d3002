/** Trial + outcome + environment → one results row (and its per-epoch rows). Pure. */
import { canonicalJson } from '../experiment/grid.ts';
import type { Trial } from '../experiment/types.ts';
import type { TrialOutcome } from '../run/types.ts';
import type { Column, EpochRow, ResultRow } from './columns.ts';
import { COLUMNS } from './columns.ts';
import type { Environment } from './env.ts';
import { safeCell } from './write.ts';

/** What the runner knows about how a trial ran, beyond its outcome. */
export interface RunContext {
  env: Environment;
  backend: string;
  tuned: boolean;
  tfjsVersion: string;
  jobs: number;
  startedAt: string;
  /** Dataset shape as loaded. */
  features: number;
  classes: number;
}

export function toRow(trial: Trial, outcome: TrialOutcome, ctx: RunContext): ResultRow {
  const s = trial.settings;
  const m = outcome.metrics ?? {};
  const epochTimes = m.epochTimesS ?? [];
  const values: Record<Column, string | number | boolean | undefined> = {
    experiment: trial.experiment,
    trial_id: trial.id,
    trial_index: trial.index,
    seed: trial.seed,
    dataset: s.dataset.name,
    features: ctx.features,
    classes: ctx.classes,
    train_size: s.dataset.train,
    test_size: s.dataset.test,
    width: s.model.width,
    depth: s.model.depth,
    activation: s.model.activation,
    optimizer: s.train.optimizer,
    learning_rate: s.train.learningRate,
    batch_size: s.train.batchSize,
    epochs: s.train.epochs,
    params: trial.params,
    train_flops: trial.trainFlops,
    status: outcome.status,
    error: outcome.status === 'ok' ? '' : outcome.error.replace(/\s+/g, ' ').trim(),
    train_time_s: m.trainTimeS,
    train_time_repeats_s: m.repeatTimesS?.join(' '),
    epoch_time_s: epochTimes.length ? epochTimes.reduce((a, b) => a + b, 0) / epochTimes.length : undefined,
    samples_per_s: m.samplesPerS,
    flops_per_s: m.flopsPerS,
    train_loss: m.trainLoss,
    train_accuracy: m.trainAccuracy,
    test_loss: m.testLoss,
    test_accuracy: m.testAccuracy,
    eval_time_s: m.evalTimeS,
    latency_ms_mean: m.latency?.meanMs,
    latency_ms_p50: m.latency?.p50Ms,
    latency_ms_p99: m.latency?.p99Ms,
    latency_samples: m.latency?.samples,
    latency_rme: m.latency?.rme,
    peak_tensor_bytes: m.peakTensorBytes,
    peak_rss_bytes: m.peakRssBytes,
    leaked_tensors: m.leakedTensors,
    backend: ctx.backend,
    tuned: ctx.tuned,
    tfjs_version: ctx.tfjsVersion,
    node_version: ctx.env.nodeVersion,
    cpu: ctx.env.cpu,
    cores: ctx.env.cores,
    os: ctx.env.os,
    git_commit: ctx.env.gitCommit,
    git_dirty: ctx.env.gitDirty,
    jobs: ctx.jobs,
    started_at: ctx.startedAt,
    settings: canonicalJson(s),
  };
  const row = {} as ResultRow;
  for (const c of COLUMNS) row[c] = c === 'settings' ? String(values[c]) : safeCell(values[c]);
  return row;
}

export function toEpochRows(trial: Trial, outcome: TrialOutcome): EpochRow[] {
  return (outcome.metrics?.epochs ?? []).map((e) => ({
    experiment: trial.experiment,
    trial_id: trial.id,
    seed: String(trial.seed),
    epoch: String(e.epoch),
    train_loss: String(e.trainLoss),
    test_loss: String(e.testLoss),
    epoch_time_s: String(e.timeS),
  }));
}
