import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import type { Dataset } from '../src/data/types.ts';
import type { LatencySpec, OptimizerName, Trial } from '../src/experiment/types.ts';
import { buildModel } from '../src/model/build.ts';
import { countParams, layerSizes, trainFlops } from '../src/model/count.ts';
import { disposeDevice, evaluate, makeOptimizer, permutation, toDevice, trainEpoch, warmUp } from '../src/run/steps.ts';
import { median } from '../src/run/timing.ts';
import { DIVERGENCE_FACTOR, trainTrial } from '../src/run/train.ts';
import type { TrialMetrics, TrialOutcome } from '../src/run/types.ts';

before(async () => {
  await tf.setBackend('cpu');
});

/** Gaussian blobs around `classes` points on a circle of radius 3, σ = 0.6: learnable to > 90%. */
function blobs(classes: number, train: number, test: number, seed = 1): Dataset {
  const rng = seedrandom(`blobs/${seed}`);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const make = (n: number) => {
    const x = new Float32Array(n * 2);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = i % classes;
      y[i] = c;
      x[2 * i] = 3 * Math.cos((2 * Math.PI * c) / classes) + 0.6 * gauss();
      x[2 * i + 1] = 3 * Math.sin((2 * Math.PI * c) / classes) + 0.6 * gauss();
    }
    return [x, y] as const;
  };
  const [xTrain, yTrain] = make(train);
  const [xTest, yTest] = make(test);
  return { name: 'blobs', features: 2, classes, trainSize: train, testSize: test, xTrain, yTrain, xTest, yTest };
}

interface TrialOptions { width?: number; depth?: number; optimizer?: OptimizerName; learningRate?: number; batchSize?: number; epochs?: number; seed?: number }

function trialFor(ds: Dataset, o: TrialOptions = {}): Trial {
  const width = o.width ?? 8, depth = o.depth ?? 2, epochs = o.epochs ?? 3;
  const sizes = layerSizes(ds.features, width, depth, ds.classes);
  return {
    experiment: 'test', id: 'x', index: 0, seed: o.seed ?? 1,
    settings: {
      dataset: { name: 'gaussians', train: ds.trainSize, test: ds.testSize },
      model: { width, depth, activation: 'relu' },
      train: { optimizer: o.optimizer ?? 'adam', learningRate: o.learningRate ?? 0.01, batchSize: o.batchSize ?? 32, epochs },
    },
    params: countParams(sizes),
    trainFlops: trainFlops(sizes, ds.trainSize, epochs),
  };
}

const latency: LatencySpec = { time: 5, iterations: 5, batch: 16 };

function ok(outcome: TrialOutcome): TrialMetrics {
  assert.equal(outcome.status, 'ok', `expected ok, got ${outcome.status}: ${'error' in outcome ? outcome.error : ''}`);
  return outcome.metrics as TrialMetrics;
}

/** The figures that must not depend on the clock. */
const learned = (m: Partial<TrialMetrics>) => ({
  curves: m.epochs?.map(({ epoch, trainLoss, testLoss }) => ({ epoch, trainLoss, testLoss })),
  trainLoss: m.trainLoss, trainAccuracy: m.trainAccuracy, testLoss: m.testLoss, testAccuracy: m.testAccuracy,
});

describe('trainTrial', () => {
  const three = blobs(3, 240, 120);
  const two = blobs(2, 200, 100, 2);

  it('learns three blobs to > 90% train and test accuracy (softmax path)', async () => {
    const m = ok(await trainTrial({ trial: trialFor(three, { epochs: 8, learningRate: 0.03 }), dataset: three, latency }));
    assert.ok(m.trainAccuracy > 0.9, `train accuracy ${m.trainAccuracy}`);
    assert.ok(m.testAccuracy > 0.9, `test accuracy ${m.testAccuracy}`);
    assert.ok(m.epochs[m.epochs.length - 1].trainLoss < m.epochs[0].trainLoss);
  });

  it('learns two blobs to > 90% (sigmoid path)', async () => {
    const m = ok(await trainTrial({ trial: trialFor(two, { epochs: 5, learningRate: 0.03 }), dataset: two, latency }));
    assert.ok(m.trainAccuracy > 0.9, `train accuracy ${m.trainAccuracy}`);
    assert.ok(m.testLoss < Math.log(2), `test loss ${m.testLoss} no better than chance`);
  });

  it('is deterministic: the same trial twice gives identical losses and accuracies', async () => {
    for (const ds of [three, two]) {
      const trial = trialFor(ds, { epochs: 3, optimizer: 'rmsprop', learningRate: 0.01, batchSize: 24 });
      const a = ok(await trainTrial({ trial, dataset: ds, latency }));
      const b = ok(await trainTrial({ trial, dataset: ds, latency }));
      assert.deepEqual(learned(a), learned(b));
    }
  });

  it('depends on the seed: another seed gives other losses', async () => {
    const a = ok(await trainTrial({ trial: trialFor(three, { seed: 1, epochs: 1 }), dataset: three, latency }));
    const b = ok(await trainTrial({ trial: trialFor(three, { seed: 2, epochs: 1 }), dataset: three, latency }));
    assert.notEqual(a.epochs[0].trainLoss, b.epochs[0].trainLoss);
  });

  it('records one entry per epoch and derives the rates exactly from the training time', async () => {
    const trial = trialFor(three, { epochs: 4 });
    const m = ok(await trainTrial({ trial, dataset: three, latency }));
    assert.equal(m.epochs.length, 4);
    assert.equal(m.epochTimesS.length, 4);
    assert.deepEqual(m.epochs.map((e) => e.epoch), [1, 2, 3, 4]);
    assert.deepEqual(m.epochs.map((e) => e.timeS), m.epochTimesS);
    assert.equal(m.trainTimeS, m.epochTimesS.reduce((a, b) => a + b, 0));
    assert.deepEqual(m.repeatTimesS, [m.trainTimeS]);
    assert.equal(m.flopsPerS, trial.trainFlops / m.trainTimeS);
    assert.equal(m.samplesPerS, (240 * 4) / m.trainTimeS);
    assert.ok(m.trainTimeS > 0 && m.evalTimeS > 0);
    assert.ok(m.epochs.every((e) => Number.isFinite(e.trainLoss) && Number.isFinite(e.testLoss)));
  });

  it('measures latency with tinybench and memory', async () => {
    const trial = trialFor(three, { epochs: 1, width: 16 });
    const m = ok(await trainTrial({ trial, dataset: three, latency: { time: 10, iterations: 7, batch: 32 } }));
    assert.ok(m.latency.samples >= 7, `samples ${m.latency.samples}`);
    assert.ok(m.latency.meanMs > 0 && m.latency.p50Ms > 0 && m.latency.p99Ms >= m.latency.p50Ms);
    assert.ok(Number.isFinite(m.latency.rme));
    // Adam holds weights, two moments; the step adds gradients and activations on top.
    assert.ok(m.peakTensorBytes >= 3 * 4 * trial.params, `peak ${m.peakTensorBytes} B for ${trial.params} params`);
    assert.ok(m.peakRssBytes > 10e6);
  });

  it('leaks no tensors with any optimizer, and leaves the engine as it found it', async () => {
    for (const optimizer of ['adam', 'sgd', 'rmsprop'] as const) {
      const before = tf.memory().numTensors;
      const m = ok(await trainTrial({ trial: trialFor(two, { optimizer, epochs: 1 }), dataset: two, latency }));
      assert.equal(m.leakedTensors, 0, optimizer);
      assert.equal(tf.memory().numTensors, before, optimizer);
    }
  });

  it('times k repeats from the same initial weights and reports their median', async () => {
    const trial = trialFor(three, { epochs: 2 });
    const once = ok(await trainTrial({ trial, dataset: three, latency }));
    const thrice = ok(await trainTrial({ trial, dataset: three, latency, repeats: 3 }));
    assert.equal(thrice.repeatTimesS.length, 3);
    assert.equal(thrice.trainTimeS, median(thrice.repeatTimesS));
    assert.equal(thrice.flopsPerS, trial.trainFlops / thrice.trainTimeS);
    assert.deepEqual(learned(thrice), learned(once));
    assert.equal(thrice.leakedTensors, 0);
  });

  it('ends as diverged at the first non-finite epoch loss (sgd, learning rate 1e6)', async () => {
    const trial = trialFor(three, { optimizer: 'sgd', learningRate: 1e6, epochs: 20 });
    const outcome = await trainTrial({ trial, dataset: three, latency });
    assert.equal(outcome.status, 'diverged');
    assert.ok(outcome.status === 'diverged');
    const match = /^loss became (NaN|Infinity|-Infinity) at epoch (\d+)$/.exec(outcome.error);
    assert.ok(match, outcome.error);
    const epoch = Number(match[2]);
    assert.ok(epoch < 20);
    assert.equal(outcome.metrics.epochs?.length, epoch);
    assert.ok(!Number.isFinite(outcome.metrics.epochs![epoch - 1].trainLoss));
    assert.ok(outcome.metrics.epochs!.slice(0, epoch - 1).every((e) => Number.isFinite(e.trainLoss)));
    assert.equal(outcome.metrics.leakedTensors, 0);
  });

  it('ends as diverged when a finite loss climbs past DIVERGENCE_FACTOR × the untrained loss (learning rate 10)', async () => {
    for (const optimizer of ['sgd', 'adam'] as const) {
      const outcome = await trainTrial({ trial: trialFor(three, { optimizer, learningRate: 10, epochs: 5 }), dataset: three, latency });
      assert.equal(outcome.status, 'diverged', optimizer);
      assert.match((outcome as { error: string }).error, /^loss rose to \S+ at epoch 1, over 4× the untrained model's \S+$/);
      const first = outcome.metrics!.epochs![0].trainLoss;
      assert.ok(Number.isFinite(first) && first > DIVERGENCE_FACTOR * Math.log(3), `${optimizer}: ${first}`);
      assert.equal(outcome.metrics!.leakedTensors, 0);
    }
  });

  it('ends as failed, with the message, on an exception, and still disposes everything', async () => {
    const bad: Dataset = { ...three, xTrain: three.xTrain.subarray(0, 10) };
    const outcome = await trainTrial({ trial: trialFor(three), dataset: bad, latency });
    assert.equal(outcome.status, 'failed');
    assert.match((outcome as { error: string }).error, /shape/i);
    assert.equal(outcome.metrics?.leakedTensors, 0);
    const zero = await trainTrial({ trial: trialFor(three, { batchSize: 0 }), dataset: three, latency });
    assert.deepEqual([zero.status, (zero as { error: string }).error], ['failed', 'train.batchSize must be an integer ≥ 1, got 0']);
  });
});

describe('warm-up', () => {
  const ds = blobs(3, 64, 16);

  it('changes no figure but the times: a trial with and without warm-up learns identically', async () => {
    const trial = trialFor(ds, { epochs: 2, batchSize: 16 });
    const without = ok(await trainTrial({ trial, dataset: ds, latency, warmup: false }));
    for (const warmup of [undefined, { timeMs: 1e9, epochs: 2 }]) {
      const withWarmUp = ok(await trainTrial({ trial, dataset: ds, latency, warmup }));
      assert.deepEqual(learned(withWarmUp), learned(without));
    }
  });

  it('runs at least one step, then until its time or its epochs of steps run out, and leaks nothing', async () => {
    const data = toDevice(ds);
    const before = tf.memory().numTensors;
    const learner = () => ({ model: buildModel([2, 8, 3], 'relu', 9), optimizer: makeOptimizer('adam', 0.1) });
    // 64 examples in batches of 16: 4 steps an epoch.
    assert.equal(await warmUp(learner, data.train, false, 16, { timeMs: 0, epochs: 1 }), 1);
    assert.equal(await warmUp(learner, data.train, false, 16, { timeMs: 1e9, epochs: 1 }), 4);
    assert.equal(await warmUp(learner, data.train, false, 16, { timeMs: 1e9, epochs: 2.5 }), 10);
    assert.equal(await warmUp(learner, data.train, false, 16, { timeMs: 1e9, epochs: 0 }), 1);
    assert.equal(await warmUp(learner, data.train, false, 16, { timeMs: 1e9, epochs: 1, steps: 7 }), 7);
    assert.equal(await warmUp(learner, data.train, false, 16, { timeMs: 1e9, epochs: 1, steps: 2 }), 4);
    assert.equal(tf.memory().numTensors, before);
    disposeDevice(data);
  });
});

describe('trainEpoch', () => {
  it('returns the example-weighted mean of the batch losses, a short last batch included', async () => {
    // 64 examples in batches of 24, 24 and 16; with learning rate 0 the weights stay put, so the
    // epoch's mean loss is the mean per-example loss over the whole set.
    const ds = blobs(3, 64, 8);
    const data = toDevice(ds);
    const model = buildModel([2, 8, 3], 'relu', 4), optimizer = makeOptimizer('sgd', 0);
    const mean = await trainEpoch(model, optimizer, data.train, false, 24, seedrandom('e'));
    const whole = (await evaluate(model, data.train, false)).loss;
    assert.ok(Math.abs(mean - whole) < 1e-6, `${mean} vs ${whole}`);
    optimizer.dispose();
    model.dispose();
    disposeDevice(data);
  });
});

describe('evaluate', () => {
  it('over the first `rows` rows equals evaluating a split of just those rows', async () => {
    const ds = blobs(3, 2500, 8, 5);
    const model = buildModel([2, 8, 3], 'relu', 2);
    const data = toDevice(ds);
    // 1100 rows: one full 1024-row chunk and a 76-row one.
    const head = toDevice({ ...ds, xTrain: ds.xTrain.slice(0, 2 * 1100), yTrain: ds.yTrain.slice(0, 1100), trainSize: 1100 });
    const part = await evaluate(model, data.train, false, 1100);
    const want = await evaluate(model, head.train, false);
    assert.ok(Math.abs(part.loss - want.loss) < 1e-6, `${part.loss} vs ${want.loss}`);
    assert.equal(part.accuracy, want.accuracy);
    assert.notEqual(part.loss, (await evaluate(model, data.train, false)).loss, 'a prefix, not the whole split');
    assert.deepEqual(await evaluate(model, data.train, false, 1e9), await evaluate(model, data.train, false), 'more rows than the split: the whole split');
    model.dispose();
    disposeDevice(data);
    disposeDevice(head);
  });
});

describe('permutation', () => {
  it('is a seeded permutation of 0…n−1', () => {
    const a = permutation(50, seedrandom('s'));
    assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
    assert.deepEqual(a, permutation(50, seedrandom('s')));
    assert.notDeepEqual(a, permutation(50, seedrandom('t')));
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
    assert.throws(() => median([]));
  });
});
