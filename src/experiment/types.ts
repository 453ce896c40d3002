/** The shapes that flow through the pipeline: experiment file → Experiment → Trial[]. */

export const DATASET_NAMES = ['spirals', 'gaussians', 'teacher', 'parity', 'random-labels', 'mnist', 'iris', 'csv'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];
export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'elu', 'selu', 'gelu', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];
export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];
export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKENDS)[number];
export type BackendName = Exclude<BackendChoice, 'auto'>;

/** Which data to train on. Family options are optional; each family fills its own defaults. */
export interface DatasetSpec {
  name: DatasetName;
  /** Training examples. */
  train: number;
  /** Held-out examples. */
  test: number;
  /** Input features (synthetic families). */
  features?: number;
  /** Classes (gaussians, teacher, random-labels). */
  classes?: number;
  /** Label or position noise (synthetic families). */
  noise?: number;
  /** Relevant bits for sparse parity. */
  bits?: number;
  /** CSV file path, relative to the experiment file. */
  path?: string;
  /** CSV label column name. */
  label?: string;
}

export interface ModelSpec {
  /** Units per hidden layer. */
  width: number;
  /** Hidden layers; 0 is a linear model. */
  depth: number;
  activation: Activation;
}

export interface TrainSpec {
  optimizer: OptimizerName;
  learningRate: number;
  batchSize: number;
  epochs: number;
}

/** Every setting a single trial resolves to. */
export interface Settings {
  dataset: DatasetSpec;
  model: ModelSpec;
  train: TrainSpec;
}

export interface LatencySpec {
  /** tinybench time budget per trial, ms. */
  time: number;
  /** Minimum iterations. */
  iterations: number;
  /** Examples per inference batch. */
  batch: number;
}

export interface Limits {
  /** Largest model a trial may build. */
  maxParams: number;
  /** Largest grid that runs without --yes. */
  maxTrials: number;
}

/** Settings keyed by leaf path, e.g. { 'model.width': 64, 'train.optimizer': 'adam' }. */
export type FlatSettings = Record<string, number | string>;

/** A validated experiment file. */
export interface Experiment {
  name: string;
  description: string;
  /** The file it came from, as given. */
  file: string;
  /** Base settings by leaf path (e.g. 'train.learningRate'), defaults filled in; grid axes override them. */
  base: FlatSettings;
  /** Axis leaf path (aliases resolved, e.g. 'model.width') → values, in file order. */
  grid: Record<string, (number | string)[]>;
  /** Extra points, keys resolved to leaf paths. */
  include: FlatSettings[];
  /** Points to drop: any trial matching every key of one of them. */
  exclude: FlatSettings[];
  seeds: number[];
  backend: BackendChoice;
  latency: LatencySpec;
  limits: Limits;
  /** How many times each trial's training is timed. */
  repeats: number;
}

/** One configuration at one seed: the unit the runner trains. */
export interface Trial {
  experiment: string;
  /** Hash of the resolved settings (seed excluded), stable across file reformatting. */
  id: string;
  /** Position in the expanded, pinned order. */
  index: number;
  seed: number;
  settings: Settings;
  params: number;
  /** Analytic training FLOPs: 3 × forward × train examples × epochs. */
  trainFlops: number;
}
