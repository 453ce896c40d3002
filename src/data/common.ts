/** What every family shares: the family contract, option checks, synthetic sampling, and splitting real data. */
import type { DatasetSpec } from '../experiment/types.ts';
import { DatasetError, type Dataset } from './types.ts';
import { permutation, rng, type Rng } from './random.ts';

export interface Shape {
  features: number;
  classes: number;
}

/** One dataset family. `defaults` documents, and is the single source of, the options it reads. */
export interface Family {
  defaults: Readonly<Partial<DatasetSpec>>;
  /** Pure and instant, except csv, which reads its file's header and label column. */
  shape(spec: DatasetSpec, baseDir: string): Shape;
  load(spec: DatasetSpec, seed: number, baseDir: string): Dataset | Promise<Dataset>;
  /** Finite families only: how many examples there are, known without loading them (csv reads its file). */
  examples?(spec: DatasetSpec, baseDir: string): number;
}

/** An integer option with its default, checked against a lower bound. */
export function intOption(spec: DatasetSpec, key: 'features' | 'classes' | 'bits', fallback: number, min: number): number {
  const value = spec[key] ?? fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new DatasetError(`dataset.${key}`, `${spec.name}: ${key} must be an integer ≥ ${min}, got ${value}`);
  }
  return value;
}

/** A probability-like option (noise as a label-flip rate) with its default. */
export function noiseOption(spec: DatasetSpec, fallback: number, max = Infinity): number {
  const value = spec.noise ?? fallback;
  if (!(value >= 0 && value <= max)) {
    throw new DatasetError('dataset.noise', `${spec.name}: noise must be in [0, ${max}], got ${value}`);
  }
  return value;
}

/** For families whose shape is fixed: accept the option only if it agrees (a silent override would mislead). */
export function fixedOption(spec: DatasetSpec, key: 'features' | 'classes', value: number): number {
  if (spec[key] !== undefined && spec[key] !== value) {
    throw new DatasetError(`dataset.${key}`, `${spec.name} has ${value} ${key}, got ${spec[key]}; remove ${key} or set it to ${value}`);
  }
  return value;
}

/**
 * Sample a synthetic dataset: `draw` fills one row and returns its label. Train and test
 * come from separate streams, so each set depends only on (seed, its own size), and a
 * larger train set extends a smaller one.
 */
export function synthesize(
  spec: DatasetSpec,
  seed: number,
  { features, classes }: Shape,
  draw: (r: Rng, row: Float32Array, index: number) => number,
): Dataset {
  const sample = (n: number, split: string) => {
    const r = rng(seed, `${spec.name}/${split}`);
    const x = new Float32Array(n * features);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) y[i] = draw(r, x.subarray(i * features, (i + 1) * features), i);
    return { x, y };
  };
  const train = sample(spec.train, 'train');
  const test = sample(spec.test, 'test');
  return {
    name: spec.name, features, classes, trainSize: spec.train, testSize: spec.test,
    xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y,
  };
}

/** A finite dataset of `n` examples must hold train + test of them (checked at plan time, and again at loading). */
export function checkSize(spec: DatasetSpec, n: number): void {
  if (spec.test > n) {
    throw new DatasetError('dataset.test', `${spec.name} has ${n} examples; test ${spec.test} is too many`);
  }
  if (spec.train + spec.test > n) {
    throw new DatasetError('dataset.train',
      `${spec.name} has ${n} examples; train ${spec.train} + test ${spec.test} = ${spec.train + spec.test} is too many (at most ${n - spec.test} train with test ${spec.test})`);
  }
}

/**
 * Split a finite dataset (n rows): seeded shuffle, the first `test` rows are the test set
 * and the next `train` rows the training set, so the test set does not move when a sweep
 * varies the training size.
 */
export function shuffleSplit(spec: DatasetSpec, seed: number, { features, classes }: Shape, x: Float32Array, y: Int32Array): Dataset {
  const n = y.length;
  checkSize(spec, n);
  const order = permutation(n, rng(seed, `${spec.name}/shuffle`));
  const take = (from: number, count: number) => {
    const xs = new Float32Array(count * features);
    const ys = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const row = order[from + i];
      xs.set(x.subarray(row * features, (row + 1) * features), i * features);
      ys[i] = y[row];
    }
    return { xs, ys };
  };
  const test = take(0, spec.test);
  const train = take(spec.test, spec.train);
  return {
    name: spec.name, features, classes, trainSize: spec.train, testSize: spec.test,
    xTrain: train.xs, yTrain: train.ys, xTest: test.xs, yTest: test.ys,
  };
}

/**
 * Standardise each feature in place with the TRAINING split's mean and (population) std,
 * applied to both splits: using test statistics would leak the test set into training.
 * A constant feature (std 0) is only centred.
 */
export function standardise(d: Dataset): Dataset {
  for (let j = 0; j < d.features; j++) {
    let sum = 0;
    for (let i = 0; i < d.trainSize; i++) sum += d.xTrain[i * d.features + j];
    const mean = sum / d.trainSize;
    let sq = 0;
    for (let i = 0; i < d.trainSize; i++) sq += (d.xTrain[i * d.features + j] - mean) ** 2;
    const std = Math.sqrt(sq / d.trainSize) || 1;
    for (const [x, n] of [[d.xTrain, d.trainSize], [d.xTest, d.testSize]] as const) {
      for (let i = 0; i < n; i++) x[i * d.features + j] = (x[i * d.features + j] - mean) / std;
    }
  }
  return d;
}
