/**
 * Faults inside a trial become rows, never a crash of the sweep: a learning rate of 10 gives
 * `diverged` rows, a trial process that dies (out of memory, or killed) gives a `failed` row with
 * the cause, the sweep goes on and exits 1, and --fail-fast stops at the first failure.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadDataset } from '../src/data/index.ts';
import { expandGrid } from '../src/experiment/grid.ts';
import { countParams, layerSizes, trainFlops } from '../src/model/count.ts';
import { parseExperiment } from '../src/experiment/load.ts';
import { readEpochs, readResults } from '../src/results/read.ts';
import { isWorker, startCli, strays, tagged, waitFor } from './helpers/processes.ts';

const fixture = (name: string) => `test/fixtures/experiments/${name}.yaml`;
const tmp = () => mkdtempSync(join(tmpdir(), 'sb-faults-'));

test('a learning rate of 10 gives a diverged row with SGD and with Adam; diverging is a result, not a failure (exit 0)', async () => {
  const dir = tmp();
  const r = await startCli(['sweep', fixture('diverge'), '--no-report', '--results-dir', dir]).done;
  assert.equal(r.code, 0, r.stderr);
  const rows = readResults(join(dir, 'diverge.csv'));
  assert.deepEqual(rows.map((row) => [row.optimizer, row.status]), [['sgd', 'diverged'], ['adam', 'diverged']]);
  for (const row of rows) {
    assert.match(row.error, /^loss (became NaN|rose to \S+ at epoch 1, over 4× the untrained model's 1\.\d+)/);
    assert.equal(row.test_accuracy, '', 'no final figures for a diverged trial');
    assert.ok(Number(row.train_time_s) > 0, 'the time it trained is kept');
  }
  // Its learning curve up to the divergence is kept too.
  assert.equal(readEpochs(join(dir, 'diverge.epochs.csv')).length, 2);
  assert.match(r.stderr, /diverge: 2 run \(0 ok, 2 diverged, 0 failed\)/);
});

test('SGD at 10 on spirals kills every ReLU: the loss stays finite but ends above the untrained model\'s, so the trial is diverged, not ok; at 0.01 it is ok', async () => {
  const tf = await import('@tensorflow/tfjs');
  const { trainTrial } = await import('../src/run/train.ts');
  await tf.setBackend('cpu');
  const spec = { name: 'spirals', train: 512, test: 64 } as const;
  const dataset = await loadDataset(spec, 1, '.');
  const sizes = layerSizes(2, 16, 1, 2);
  const run = (learningRate: number) => trainTrial({
    trial: {
      experiment: 'x', id: 'x', index: 0, seed: 1, params: countParams(sizes), trainFlops: trainFlops(sizes, 512, 8),
      settings: { dataset: spec, model: { width: 16, depth: 1, activation: 'relu' }, train: { optimizer: 'sgd', learningRate, batchSize: 32, epochs: 8 } },
    },
    dataset, latency: { time: 1, iterations: 1, batch: 8 },
  });
  const high = await run(10);
  assert.equal(high.status, 'diverged');
  assert.match((high as { error: string }).error, /^training ended with loss 1\.\d+, over 1\.1× the untrained model's 0\.69\d$/);
  assert.equal((await run(0.01)).status, 'ok');
});

test('a trial process that runs out of memory gives a failed row with the cause; the sweep goes on and exits 1', async () => {
  const dir = tmp();
  const tag = randomUUID();
  // The heap limit reaches the workers through NODE_OPTIONS, as it would for a user.
  const r = await startCli(['sweep', fixture('oom'), '--no-report', '--results-dir', dir], { env: { NODE_OPTIONS: '--max-old-space-size=56' }, tag }).done;
  assert.equal(r.code, 1, r.stderr);
  const rows = readResults(join(dir, 'oom.csv'));
  assert.deepEqual(rows.map((row) => [row.dataset, row.status]), [['mnist', 'failed'], ['gaussians', 'ok']]);
  // The process died before loading its data; the row still carries the dataset's shape, from the spec.
  assert.deepEqual([rows[0].features, rows[0].classes, rows[0].params], ['784', '10', '3190']);
  assert.match(rows[0].error, /^trial process killed by SIGABRT: .*JavaScript heap out of memory$/);
  assert.match(r.stderr, /oom: 2 run \(1 ok, 0 diverged, 1 failed\)/);
  assert.deepEqual(await strays(tag), []);

  // A rerun does not retry it: a failure is a result, recorded once.
  const again = await startCli(['sweep', fixture('oom'), '--no-report', '--results-dir', dir]).done;
  assert.match(again.stderr, /0 of 2 trials to run/);
  assert.equal(again.code, 0);
});

test('--fail-fast stops at the first failed trial and exits 1', async () => {
  const dir = tmp();
  const r = await startCli(['sweep', fixture('oom'), '--no-report', '--results-dir', dir, '--fail-fast'], { env: { NODE_OPTIONS: '--max-old-space-size=56' } }).done;
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(readResults(join(dir, 'oom.csv')).map((row) => [row.dataset, row.status]), [['mnist', 'failed']]);
  assert.match(r.stderr, /oom: 1 run \(0 ok, 0 diverged, 1 failed\)/);
});

test('a trial process killed from outside gives a failed row naming the signal; the next trial still runs', async () => {
  const dir = tmp();
  const tag = randomUUID();
  const run = startCli(['sweep', fixture('slow-then-fast'), '--no-report', '--results-dir', dir], { tag });
  // After the plan line the backend probe is over: the worker now alive runs the first (slow) trial.
  await waitFor(() => /2 of 2 trials to run/.test(run.stderr()), 'the plan line');
  let worker: { pid: number } | undefined;
  await waitFor(() => (worker = tagged(tag).find((p) => isWorker(p.cmd))) !== undefined, 'the trial worker');
  process.kill(worker!.pid, 'SIGKILL');
  const r = await run.done;
  assert.equal(r.code, 1, r.stderr);
  const rows = readResults(join(dir, 'slow-then-fast.csv'));
  assert.deepEqual(rows.map((row) => [row.width, row.status, row.error]), [['64', 'failed', 'trial process killed by SIGKILL'], ['2', 'ok', '']]);
  assert.deepEqual(await strays(tag), []);
});

test('--trial-timeout kills a trial still running after that many seconds: a failed row saying so, and the next trial runs', async () => {
  const dir = tmp();
  const tag = randomUUID();
  const r = await startCli(['sweep', fixture('hang-then-fast'), '--no-report', '--results-dir', dir, '--trial-timeout', '6'], { tag }).done;
  assert.equal(r.code, 1, r.stderr);
  const rows = readResults(join(dir, 'hang-then-fast.csv'));
  assert.deepEqual(rows.map((row) => [row.train_size, row.status, row.error]), [['4000', 'failed', 'trial process timed out after 6 s'], ['32', 'ok', '']]);
  assert.equal(rows[0].train_time_s, '', 'a killed trial has no timings');
  assert.deepEqual(await strays(tag), []);
});

test('limits.maxParams defaults to 20 million (≈ 0.3 GB with Adam\'s state) and refuses a grid point above it', () => {
  const text = (width: number) => `dataset: { name: gaussians, features: 16, classes: 4, train: 64, test: 32 }\ngrid: { width: [${width}], depth: [2] }\n`;
  const exp = parseExperiment(text(4), 'x.yaml');
  assert.equal(exp.limits.maxParams, 20_000_000);
  const shape = () => ({ features: 16, classes: 4 });
  // 16→w→w→4: (16w + w) + (w² + w) + (4w + 4) = w² + 22w + 4; w = 4461 gives 19,998,667, w = 4462 gives 20,007,612.
  assert.equal(expandGrid(parseExperiment(text(4461), 'x.yaml'), shape)[0].params, 19_998_667);
  assert.throws(() => expandGrid(parseExperiment(text(4462), 'x.yaml'), shape), /limits\.maxParams: a model with 20007612 parameters is over the limit of 20000000/);
});
