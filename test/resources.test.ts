/**
 * Resources over a long sweep: 105 trials back to back in one process (trainTrial on the cpu
 * backend, tiny models, the real phases: warm-up, training, evaluation, latency, memory probe).
 * Every trial gives its tensors back, and neither RSS nor the JS heap creeps up.
 * (Stray processes after a sweep are checked by crash.test.ts and faults.test.ts.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select.ts';
import { loadDataset } from '../src/data/index.ts';
import type { DatasetSpec, OptimizerName, Trial } from '../src/experiment/types.ts';
import { countParams, layerSizes, trainFlops } from '../src/model/count.ts';
import { trainTrial } from '../src/run/train.ts';

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const TRIALS = 105;
const spec: DatasetSpec = { name: 'gaussians', features: 4, classes: 3, train: 64, test: 32 };
const OPTIMIZERS: OptimizerName[] = ['adam', 'sgd', 'rmsprop'];

function trialAt(i: number): Trial {
  const width = [2, 8, 16][i % 3];
  const depth = i % 2;
  const sizes = layerSizes(4, width, depth, 3);
  return {
    experiment: 'resources', id: `t${i}`, index: i, seed: i,
    settings: { dataset: spec, model: { width, depth, activation: 'relu' }, train: { optimizer: OPTIMIZERS[i % 3], learningRate: 0.01, batchSize: 16, epochs: 2 } },
    params: countParams(sizes), trainFlops: trainFlops(sizes, spec.train, 2),
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const MB = 2 ** 20;

test(`${TRIALS} trials back to back: tensors back to baseline after each, RSS and heap flat from trial 20 on`, async (t) => {
  await selectBackend('cpu');
  const baseline = tf.memory().numTensors;
  const rss: number[] = [];
  const heap: number[] = [];
  for (let i = 0; i < TRIALS; i++) {
    const outcome = await trainTrial({ trial: trialAt(i), dataset: await loadDataset(spec, i, '.'), latency: { time: 2, iterations: 2, batch: 8 } });
    assert.equal(outcome.status, 'ok', `trial ${i}: ${'error' in outcome ? outcome.error : ''}`);
    assert.equal(outcome.metrics?.leakedTensors, 0, `trial ${i} reports a leak`);
    assert.equal(tf.memory().numTensors, baseline, `trial ${i} left tensors behind`);
    gc();
    gc();
    const m = process.memoryUsage();
    rss.push(m.rss);
    heap.push(m.heapUsed);
  }
  // Medians of five trials at each end, so one allocator hiccup does not decide.
  const early = (xs: number[]) => median(xs.slice(15, 20));
  const late = (xs: number[]) => median(xs.slice(TRIALS - 5));
  const rssGrowth = (late(rss) - early(rss)) / MB;
  const heapGrowth = (late(heap) - early(heap)) / MB;
  t.diagnostic(`RSS ${(early(rss) / MB).toFixed(1)} → ${(late(rss) / MB).toFixed(1)} MB, heap ${(early(heap) / MB).toFixed(1)} → ${(late(heap) / MB).toFixed(1)} MB (trials 16–20 → ${TRIALS - 4}–${TRIALS})`);
  assert.ok(rssGrowth < 5, `RSS grew ${rssGrowth.toFixed(1)} MB between trial 20 and ${TRIALS}`);
  // In one process the heap creeps by ≈ 3–10 kB a trial, slowing down (tfjs and V8 bookkeeping; 1.7 MB over
  // 300 trials). A sweep runs each trial in a fresh process, so this bound only catches a real leak.
  assert.ok(heapGrowth < 3, `heap grew ${heapGrowth.toFixed(1)} MB between trial 20 and ${TRIALS}`);
});
