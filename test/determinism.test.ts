/** The same trial, seed and backend give identical losses and accuracies: checked here on wasm, tuned and stock. (cpu: test/sweep.test.ts.) */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { selectBackend } from '../src/backend/select.ts';
import { loadDataset } from '../src/data/index.ts';
import { expandGrid } from '../src/experiment/grid.ts';
import { parseExperiment } from '../src/experiment/load.ts';
import { datasetShape } from '../src/data/index.ts';
import { trainTrial } from '../src/run/train.ts';
import type { TrialOutcome } from '../src/run/types.ts';

const exp = parseExperiment(
  `name: det
dataset: { name: gaussians, features: 8, classes: 3, train: 256, test: 64 }
train: { optimizer: adam, learningRate: 0.01, batchSize: 32, epochs: 3 }
grid: { width: [64], depth: [2] }
seeds: [5]
latency: { time: 2, iterations: 2, batch: 8 }`,
  'det.yaml',
);
const [trial] = expandGrid(exp, (s) => datasetShape(s));

/** Everything about a run that must repeat bit for bit. */
function fingerprint(o: TrialOutcome): string {
  assert.equal(o.status, 'ok');
  const m = o.metrics!;
  return JSON.stringify([m.trainLoss, m.trainAccuracy, m.testLoss, m.testAccuracy, m.epochs!.map((e) => [e.trainLoss, e.testLoss])]);
}

async function twice(): Promise<[string, string]> {
  const data = await loadDataset(trial.settings.dataset, trial.seed, '.');
  const run = async () => fingerprint(await trainTrial({ trial, dataset: data, latency: exp.latency }));
  return [await run(), await run()];
}

test('wasm with tuned kernels: identical losses and accuracies twice', async () => {
  assert.equal((await selectBackend('wasm', { tune: true })).name, 'wasm');
  const [a, b] = await twice();
  assert.equal(a, b);
});

test('wasm with stock kernels: identical twice, and within float rounding of tuned', async () => {
  await selectBackend('wasm', { tune: true });
  const [tuned] = await twice();
  await selectBackend('wasm', { tune: false });
  const [a, b] = await twice();
  assert.equal(a, b);
  const close = (x: unknown, y: unknown): boolean =>
    Array.isArray(x) ? x.every((v, i) => close(v, (y as unknown[])[i])) : Math.abs((x as number) - (y as number)) <= 1e-4 * Math.max(1, Math.abs(x as number));
  assert.ok(close(JSON.parse(a), JSON.parse(tuned)), `stock ${a} vs tuned ${tuned}`);
});
