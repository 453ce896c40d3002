/**
 * One trial, in the current process, on whatever tfjs backend is active: build → warm up →
 * train (timed) → evaluate → latency → memory. Failures come back as data (TrialOutcome), never
 * as a thrown error, and every tensor the trial made is disposed before it returns.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../data/types.ts';
import type { LatencySpec, Trial } from '../experiment/types.ts';
import { layerSizes } from '../model/count.ts';
import { buildModel } from '../model/build.ts';
import { measureLatency } from './latency.ts';
import {
  disposeDevice, evaluate, EVAL_BATCH, makeOptimizer, peakStepBytes, shuffleRng, toDevice, trainEpoch, warmUp, WARMUP,
  type DeviceData, type WarmUpBudget,
} from './steps.ts';
import { median, secondsSince } from './timing.ts';
import type { EpochRecord, TrialMetrics, TrialOutcome } from './types.ts';

export interface TrainTrialInput {
  trial: Trial;
  dataset: Dataset;
  latency: LatencySpec;
  /** Times the whole training is timed, each from the same initial weights; default 1. */
  repeats?: number;
  /** Warm-up budget (default WARMUP); false skips the warm-up, only to show that it changes nothing but times. */
  warmup?: WarmUpBudget | false;
  /** Told of each finished epoch (the sweep's progress bar shows its loss). */
  onEpoch?: (record: EpochRecord) => void;
}

/** A model and its optimizer, alive together. */
interface Learner {
  model: tf.Sequential;
  optimizer: tf.Optimizer;
}

/** What a trial holds on the device at any moment, so that any exit can dispose it. */
interface Held {
  data?: DeviceData;
  learner?: Learner;
}

/** The test evaluation after the last epoch, with its time (read-back included). */
interface TestEvaluation {
  loss: number;
  accuracy: number;
  timeS: number;
}

/** Why a timed training stopped early: the first epoch whose loss diverged. */
interface Diverged {
  error: string;
}

/**
 * Training diverged when an epoch's mean training loss is NaN or ±Inf or more than
 * DIVERGENCE_FACTOR times the loss of the untrained model (on the first EVAL_BATCH training rows),
 * or when the last epoch's is still more than END_FACTOR times it. Non-finite alone is not enough: Adam and RMSprop bound each step by the
 * learning rate, so at a learning rate of 10 their loss stays finite while it climbs to 10²–10⁹ ×
 * its start; plain SGD overflows to NaN in most models, but on spirals it kills every ReLU and the
 * loss settles at about 1.5 × its start with chance accuracy. Measured over spirals, gaussians,
 * teacher, random-labels and parity (512 examples, 8 epochs) × SGD, Adam, RMSprop × 16×1 and 64×3
 * models: no trial at a learning rate of 0.001 or 0.01 trips either rule, and all 30 at 10 do.
 */
export const DIVERGENCE_FACTOR = 4;
export const END_FACTOR = 1.1;

/**
 * Train and measure one trial.
 * - Training: the lean seeded loop (steps.ts), not model.fit, whose shuffle uses Math.random.
 *   A warm-up (at least one training step, on a throwaway copy of the model; see warmUp) comes
 *   first and is excluded from every timing; it changes no figure but the times. Each epoch's
 *   clock stops only after its loss has been read back. The test loss per epoch is evaluated
 *   outside the epoch clocks.
 * - Repeats: with `repeats` k > 1 the model is rebuilt from the same seed k times and trained k
 *   times after the one warm-up; trainTimeS is the median of the k times, every other figure comes from the last run.
 * - Divergence (see DIVERGENCE_FACTOR) ends the trial as 'diverged'; an exception ends it as 'failed'.
 */
export async function trainTrial(input: TrainTrialInput): Promise<TrialOutcome> {
  const baseline = tf.memory();
  const partial: Partial<TrialMetrics> = {};
  let outcome: TrialOutcome;
  const held: Held = {};
  try {
    held.data = toDevice(input.dataset);
    outcome = await measureTrial(input, held.data, partial, baseline.numBytes, held);
  } catch (err) {
    outcome = { status: 'failed', error: err instanceof Error ? err.message : String(err), metrics: partial };
  } finally {
    disposeLearner(held.learner);
    if (held.data) disposeDevice(held.data);
  }
  const tail = { peakRssBytes: process.resourceUsage().maxRSS * 1024, leakedTensors: tf.memory().numTensors - baseline.numTensors };
  Object.assign(outcome.metrics ?? (outcome.metrics = {}), tail);
  return outcome;
}

async function measureTrial(
  input: TrainTrialInput, data: DeviceData, partial: Partial<TrialMetrics>, baselineBytes: number, held: Held,
): Promise<TrialOutcome> {
  const { trial, dataset } = input;
  const { model: modelSpec, train } = trial.settings;
  const sizes = layerSizes(dataset.features, modelSpec.width, modelSpec.depth, dataset.classes);
  const repeats = input.repeats ?? 1;
  for (const [name, value, min] of [['repeats', repeats, 1], ['train.batchSize', train.batchSize, 1], ['train.epochs', train.epochs, 1]] as const) {
    if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer ≥ ${min}, got ${value}`);
  }

  const makeLearner = (): Learner => ({
    model: buildModel(sizes, modelSpec.activation, trial.seed),
    optimizer: makeOptimizer(train.optimizer, train.learningRate),
  });

  // Phase 1: warm up on a throwaway learner (untimed; see warmUp), then the timed training,
  // `repeats` times from the same initial weights. The last learner is kept.
  const budget = input.warmup ?? WARMUP;
  if (budget) await warmUp(makeLearner, data.train, data.binary, train.batchSize, budget);
  partial.repeatTimesS = [];
  let testEval: TestEvaluation | undefined;
  for (let r = 0; r < repeats; r++) {
    disposeLearner(held.learner);
    held.learner = undefined;
    const learner = (held.learner = makeLearner());
    const epochs: EpochRecord[] = (partial.epochs = []);
    const diverged = await timedTraining(learner, input, data, epochs, (e) => (testEval = e));
    partial.epochTimesS = epochs.map((e) => e.timeS);
    const timeS = partial.epochTimesS.reduce((a, b) => a + b, 0);
    partial.repeatTimesS.push(timeS);
    if (diverged) {
      partial.trainTimeS = timeS;
      return { status: 'diverged', error: diverged.error, metrics: partial };
    }
  }
  const { model, optimizer } = held.learner!;
  partial.trainTimeS = median(partial.repeatTimesS);
  partial.samplesPerS = (dataset.trainSize * train.epochs) / partial.trainTimeS;
  partial.flopsPerS = trial.trainFlops / partial.trainTimeS;

  // Phase 2: final losses and accuracies. The test set was just evaluated, timed, after the last
  // epoch (timedTraining) on these very weights, so that evaluation is reused, not repeated.
  const trainEval = await evaluate(model, data.train, data.binary);
  const { loss: testLoss, accuracy: testAccuracy, timeS: evalTimeS } = testEval!;
  partial.evalTimeS = evalTimeS;
  Object.assign(partial, { trainLoss: trainEval.loss, trainAccuracy: trainEval.accuracy, testLoss, testAccuracy });

  // Phase 3: inference latency on a batch of test examples.
  const batch = Math.min(input.latency.batch, data.test.size);
  const x = data.test.x.slice([0, 0], [batch, -1]);
  try {
    partial.latency = await measureLatency(model, x, input.latency);
  } finally {
    x.dispose();
  }

  // Phase 4: peak tensor memory of one training step (it changes the weights, so it comes last).
  partial.peakTensorBytes = await peakStepBytes(model, optimizer, data.train, data.binary, train.batchSize, baselineBytes);
  // peakRssBytes and leakedTensors are filled in by trainTrial once everything is disposed.
  return { status: 'ok', metrics: { ...partial, peakRssBytes: 0, leakedTensors: 0 } as TrialMetrics };
}

/**
 * All epochs of one training, appending an EpochRecord per epoch; stops at the first diverged epoch.
 * Each epoch's test evaluation is timed (outside the epoch's clock) and handed to `onTest`.
 */
async function timedTraining(
  learner: Learner, input: TrainTrialInput, data: DeviceData, epochs: EpochRecord[], onTest: (e: TestEvaluation) => void,
): Promise<Diverged | undefined> {
  const { epochs: count, batchSize } = input.trial.settings.train;
  const rng = shuffleRng(input.trial.seed);
  // Untimed, like the test losses. The first EVAL_BATCH training rows estimate an untrained model's
  // loss as well as all of them do (its spread over 1024 rows is ~1% here, the thresholds are 4× and 1.1×),
  // at a fraction of the cost: a full pass is a third of an epoch's FLOPs, 0.9 s at 1024×4 in the bench.
  const initialLoss = (await evaluate(learner.model, data.train, data.binary, EVAL_BATCH)).loss;
  for (let epoch = 1; epoch <= count; epoch++) {
    const start = performance.now();
    const trainLoss = await trainEpoch(learner.model, learner.optimizer, data.train, data.binary, batchSize, rng);
    const timeS = secondsSince(start);
    const evalStart = performance.now();
    const test = await evaluate(learner.model, data.test, data.binary);
    onTest({ ...test, timeS: secondsSince(evalStart) });
    const testLoss = test.loss;
    epochs.push({ epoch, trainLoss, testLoss, timeS });
    input.onEpoch?.(epochs[epochs.length - 1]);
    if (!Number.isFinite(trainLoss)) return { error: `loss became ${trainLoss} at epoch ${epoch}` };
    if (trainLoss > DIVERGENCE_FACTOR * initialLoss) {
      return { error: `loss rose to ${trainLoss.toPrecision(3)} at epoch ${epoch}, over ${DIVERGENCE_FACTOR}× the untrained model's ${initialLoss.toPrecision(3)}` };
    }
  }
  const last = epochs[epochs.length - 1].trainLoss;
  if (last > END_FACTOR * initialLoss) {
    return { error: `training ended with loss ${last.toPrecision(3)}, over ${END_FACTOR}× the untrained model's ${initialLoss.toPrecision(3)}` };
  }
  return undefined;
}

function disposeLearner(learner: Learner | undefined): void {
  if (!learner) return;
  learner.optimizer.dispose();
  learner.model.dispose();
}
