/**
 * The tensor-level pieces of a trial: data on the device, the loss, one epoch of the lean training
 * loop, batched evaluation, and the warm-up step. Timing and bookkeeping live in train.ts.
 *
 * Loss: computed from logits (logitsOf), never from probabilities: sigmoid cross-entropy for one
 * output unit (two classes), softmax cross-entropy otherwise. Both tfjs losses use the stable
 * log-sum-exp / max(x,0) − x·z + log(1+e^−|x|) forms, so no epsilon clipping is needed.
 */
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import type { Dataset } from '../data/types.ts';
import type { OptimizerName } from '../experiment/types.ts';
import { logitsOf } from '../model/build.ts';
import { fusedOptimizer } from './fused-optimizers.ts';

/** Rows per evaluation chunk: bounds activation memory whatever the split size. */
export const EVAL_BATCH = 1024;

/** One split on the device: features, loss targets (one-hot, or a 0/1 column for two classes), class labels. */
export interface Split {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  labels: tf.Tensor1D;
  size: number;
}

/** Both splits on the device. `binary`: two classes, one sigmoid output. */
export interface DeviceData {
  train: Split;
  test: Split;
  binary: boolean;
}

export function toDevice(ds: Dataset): DeviceData {
  const binary = ds.classes === 2;
  const split = (x: Float32Array, labels: Int32Array, size: number): Split =>
    tf.tidy(() => {
      const l = tf.tensor1d(labels, 'int32');
      const y = binary ? tf.cast(l, 'float32').reshape([size, 1]) : tf.oneHot(l, ds.classes).toFloat();
      return { x: tf.tensor2d(x, [size, ds.features]), y: y as tf.Tensor2D, labels: l, size };
    });
  return { train: split(ds.xTrain, ds.yTrain, ds.trainSize), test: split(ds.xTest, ds.yTest, ds.testSize), binary };
}

export function disposeDevice(data: DeviceData): void {
  for (const s of [data.train, data.test]) tf.dispose([s.x, s.y, s.labels]);
}

/**
 * The optimizer `name`: its fused version (fused-optimizers.ts; same numerics, one pass per variable)
 * where the backend is tuned, unless `stock`; tfjs's own otherwise, so --no-tune trains fully stock.
 */
export function makeOptimizer(name: OptimizerName, learningRate: number, stock = false): tf.Optimizer {
  const fused = stock ? undefined : fusedOptimizer(name, learningRate);
  if (fused) return fused;
  switch (name) {
    case 'adam': return tf.train.adam(learningRate);
    case 'sgd': return tf.train.sgd(learningRate);
    case 'rmsprop': return tf.train.rmsprop(learningRate);
  }
}

/** Cross-entropy from logits; mean over the batch unless `reduction` says otherwise. */
export function lossOf(logits: tf.Tensor, y: tf.Tensor, binary: boolean, reduction = tf.Reduction.MEAN): tf.Scalar {
  return binary
    ? tf.losses.sigmoidCrossEntropy(y, logits, undefined, 0, reduction)
    : tf.losses.softmaxCrossEntropy(y, logits, undefined, 0, reduction);
}

/** The model's trainable variables, passed explicitly so no other live variable is ever touched. */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** A uniformly random permutation of 0…n−1 (Fisher–Yates) drawn from `rng`. */
export function permutation(n: number, rng: () => number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

/** The shuffling stream of a trial: the same seed gives the same sequence of epoch permutations. */
export function shuffleRng(seed: number): () => number {
  return seedrandom(`scalebench/shuffle/${seed}`);
}

/**
 * One epoch of the lean loop: shuffle with `rng`, then one optimizer.minimize per batch inside
 * tf.tidy. The example-weighted loss sum stays on the device and is read back once, at the end,
 * so the returned promise resolves only when the epoch's work is finished.
 * @returns the mean training loss over the epoch's batches (as the weights changed).
 */
export async function trainEpoch(
  model: tf.LayersModel, optimizer: tf.Optimizer, train: Split, binary: boolean, batchSize: number, rng: () => number,
  stop?: (batchesDone: number) => boolean,
): Promise<number> {
  const vars = trainableVariables(model);
  const [xs, ys] = tf.tidy(() => {
    const idx = tf.tensor1d(permutation(train.size, rng), 'int32');
    return [tf.gather(train.x, idx), tf.gather(train.y, idx)];
  });
  let sum: tf.Tensor = tf.scalar(0);
  let seen = 0;
  try {
    for (let start = 0, batch = 0; start < train.size && !stop?.(batch); start += batchSize, batch++) {
      const n = Math.min(batchSize, train.size - start);
      seen += n;
      const next = tf.tidy(() => {
        const xb = xs.slice([start, 0], [n, -1]);
        const yb = ys.slice([start, 0], [n, -1]);
        const cost = optimizer.minimize(() => lossOf(logitsOf(model as tf.Sequential, xb), yb, binary), true, vars)!;
        return tf.add(sum, tf.mul(cost, n));
      });
      sum.dispose();
      sum = next;
    }
    return (await sum.data())[0] / seen;
  } finally {
    tf.dispose([xs, ys, sum]);
  }
}

/** Mean loss and accuracy over a split (or its first `rows` rows), in chunks of EVAL_BATCH rows, read back once. */
export async function evaluate(model: tf.LayersModel, split: Split, binary: boolean, rows = split.size): Promise<{ loss: number; accuracy: number }> {
  const size = Math.min(rows, split.size);
  let sums: tf.Tensor = tf.zeros([2]);
  try {
    for (let start = 0; start < size; start += EVAL_BATCH) {
      const n = Math.min(EVAL_BATCH, size - start);
      const next = tf.tidy(() => {
        const logits = logitsOf(model as tf.Sequential, split.x.slice([start, 0], [n, -1]));
        const loss = lossOf(logits, split.y.slice([start, 0], [n, -1]), binary, tf.Reduction.SUM);
        const predicted = binary ? tf.cast(tf.greater(logits, 0), 'int32').reshape([n]) : tf.argMax(logits, 1);
        const correct = tf.sum(tf.cast(tf.equal(predicted, split.labels.slice(start, n)), 'float32'));
        return tf.add(sums, tf.stack([loss, correct]));
      });
      sums.dispose();
      sums = next;
    }
    const [loss, correct] = await sums.data();
    return { loss: loss / size, accuracy: correct / size };
  } finally {
    sums.dispose();
  }
}

/** The first `batchSize` training rows, unshuffled: the batch the memory probe uses. */
function firstBatch(train: Split, batchSize: number): [tf.Tensor2D, tf.Tensor2D] {
  const n = Math.min(batchSize, train.size);
  return [train.x.slice([0, 0], [n, -1]), train.y.slice([0, 0], [n, -1])];
}

/**
 * How long the warm-up runs: at least one step, then until `timeMs` has passed or both `epochs`
 * epochs' worth of steps and `steps` steps (default 0) are done.
 */
export interface WarmUpBudget {
  timeMs: number;
  epochs: number;
  steps?: number;
}

/**
 * Why more than one step: a fresh process (one per trial) runs its first epochs 2–4× slower than
 * later ones while V8 compiles and re-optimises the hot tfjs code paths, and that takes a number
 * of steps, not of epochs. Measured in one fresh process per model (tuned wasm, fused Adam,
 * gaussians 4096 × 64 features, batch 128, 32 steps an epoch; bench/ grid), epoch times in ms:
 *   64×1:   122  55  55  43  37  42  39  38  39  31      (quickstart 32×2, 2000 examples, batch 64:
 *   256×2:  208 192 210 172 156 149 160 146               88 52 44 33 29 31 25 25 22 29)
 *   1024×2: 1826 1430 1467 1392
 * Small models reach their steady speed after about 4 epochs, ≈ 128 steps; one epoch of warm-up
 * (the earlier budget) left the first timed epochs ≈ 40% slow. Large models pay only for their
 * first few steps (XNNPACK set-up, heap growth), and the 1 s cap covers those. So: ≥ 1 epoch and
 * ≥ 128 steps, capped at 1 s — untimed, and on a throwaway model.
 */
export const WARMUP: WarmUpBudget = { timeMs: 1000, epochs: 1, steps: 128 };

export async function warmUp(
  makeLearner: () => { model: tf.LayersModel; optimizer: tf.Optimizer }, train: Split, binary: boolean, batchSize: number, budget = WARMUP,
): Promise<number> {
  if (!(budget.timeMs >= 0 && budget.epochs >= 0 && (budget.steps ?? 0) >= 0)) throw new RangeError(`warm-up budget needs timeMs, epochs and steps ≥ 0, got ${JSON.stringify(budget)}`);
  const { model, optimizer } = makeLearner();
  try {
    const rng = seedrandom('scalebench/warm-up');
    const maxSteps = Math.max(1, Math.ceil((budget.epochs * train.size) / batchSize), budget.steps ?? 0);
    const deadline = performance.now() + budget.timeMs;
    let steps = 0;
    const enough = () => steps >= maxSteps || (steps > 0 && performance.now() >= deadline);
    while (!enough()) {
      // The callback runs before each batch: stop, or count the step about to run.
      await trainEpoch(model, optimizer, train, binary, batchSize, rng, () => enough() || (steps++, false));
    }
    return steps;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/**
 * Peak bytes held in tensors during one real training step (tf.profile), counted above
 * `baselineBytes`. It applies the step, so run it only after all measurements of the model.
 */
export async function peakStepBytes(model: tf.LayersModel, optimizer: tf.Optimizer, train: Split, binary: boolean, batchSize: number, baselineBytes: number): Promise<number> {
  const vars = trainableVariables(model);
  const info = await tf.profile(() => {
    tf.tidy(() => {
      const [xb, yb] = firstBatch(train, batchSize);
      optimizer.minimize(() => lossOf(logitsOf(model as tf.Sequential, xb), yb, binary), false, vars);
    });
  });
  return info.peakBytes - baselineBytes;
}
