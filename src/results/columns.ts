/**
 * The results CSV schema: one row per (trial, seed), columns in this pinned order.
 * Changing the order or the set is a schema change: bump SCHEMA_VERSION so old files are refused, not misread.
 */

export const SCHEMA_VERSION = 1;

/** Column name → what it holds. The README's column table is generated from this list's order. */
export const COLUMN_DOCS = {
  experiment: 'Experiment name (file stem of results/<name>.csv)',
  trial_id: "Hash of the trial's resolved settings, seed excluded: the join key across runs",
  trial_index: 'Position of the configuration in the pinned grid order',
  seed: 'Seed for data, weight initialisation and shuffling',
  dataset: 'Dataset family',
  features: 'Input features',
  classes: 'Classes (2 = one sigmoid output, else softmax)',
  train_size: 'Training examples',
  test_size: 'Held-out examples',
  width: 'Units per hidden layer',
  depth: 'Hidden layers (0 = linear model)',
  activation: 'Hidden activation',
  optimizer: 'adam | sgd | rmsprop',
  learning_rate: 'Learning rate',
  batch_size: 'Batch size',
  epochs: 'Training epochs',
  params: 'Trainable parameters, Σ(in·out + out)',
  train_flops: 'Analytic training FLOPs: 3 × 2·Σ(in·out) × train_size × epochs',
  status: 'ok | diverged | failed',
  error: 'Why a trial diverged or failed (empty when ok)',
  train_time_s: 'Training wall time, warm-up step excluded (median of repeats)',
  train_time_repeats_s: 'Each timed repeat, space-separated (one value unless repeats > 1)',
  epoch_time_s: 'Mean wall time per epoch',
  samples_per_s: 'train_size × epochs / train_time_s',
  flops_per_s: 'train_flops / train_time_s',
  train_loss: 'Final loss on the training set',
  train_accuracy: 'Final accuracy on the training set',
  test_loss: 'Final loss on the test set',
  test_accuracy: 'Final accuracy on the test set',
  eval_time_s: 'Wall time to evaluate the test set',
  latency_ms_mean: 'Inference latency of one batch (tinybench mean)',
  latency_ms_p50: 'Inference latency, median',
  latency_ms_p99: 'Inference latency, 99th percentile',
  latency_samples: 'tinybench samples behind the latency figures',
  latency_rme: 'Relative margin of error of the latency mean, percent',
  peak_tensor_bytes: 'Peak bytes held in tensors during one training step',
  peak_rss_bytes: "Peak resident set size of the trial's process",
  leaked_tensors: 'Tensors left alive after the trial (0 = no leak)',
  backend: 'TensorFlow.js backend actually used: tensorflow | wasm | cpu',
  tuned: 'Whether scalebench kernel tuning was on',
  tfjs_version: 'TensorFlow.js version',
  node_version: 'Node.js version',
  cpu: 'CPU model',
  cores: 'Logical cores',
  os: 'Platform, release and architecture',
  git_commit: 'Commit of scalebench that ran the trial',
  git_dirty: 'Whether the work tree had uncommitted changes',
  jobs: 'Worker processes running trials concurrently',
  started_at: 'When the trial started (ISO 8601, UTC)',
  settings: "The trial's full resolved settings, as JSON",
} as const;

export type Column = keyof typeof COLUMN_DOCS;
export const COLUMNS = Object.keys(COLUMN_DOCS) as Column[];

/** A results row as stored: every cell a string (empty = not measured). */
export type ResultRow = Record<Column, string>;

/** Per-epoch learning curves: results/<name>.epochs.csv. */
export const EPOCH_COLUMNS = ['experiment', 'trial_id', 'seed', 'epoch', 'train_loss', 'test_loss', 'epoch_time_s'] as const;
export type EpochColumn = (typeof EPOCH_COLUMNS)[number];
export type EpochRow = Record<EpochColumn, string>;
