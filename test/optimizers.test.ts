/** The fused optimizers (src/run/fused-optimizers.ts) train like tf.train.adam / sgd / rmsprop, on wasm and cpu with tuning on. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select.ts';
import type { OptimizerName } from '../src/experiment/types.ts';
import { buildModel, logitsOf } from '../src/model/build.ts';
import { FusedAdam, fusedOptimizer } from '../src/run/fused-optimizers.ts';
import { lossOf, makeOptimizer, trainableVariables } from '../src/run/steps.ts';

const STEPS = 25;

/** Weights after STEPS full-batch steps of a seeded 6→16→130→130→3 model (130² ≥ LOOP_MAX_SIZE: one variable takes the ops path) on fixed data, and the losses on the way. */
function train(optimizer: tf.Optimizer): { weights: Float32Array[]; losses: number[] } {
  const model = buildModel([6, 16, 130, 130, 3], 'relu', 11);
  const x = tf.tensor2d(Array.from({ length: 40 * 6 }, (_, i) => Math.sin(i * 0.37) * 2), [40, 6]);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 40 }, (_, i) => (i * 7) % 3), 'int32'), 3).toFloat());
  const vars = trainableVariables(model);
  const losses: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    const cost = optimizer.minimize(() => lossOf(logitsOf(model, x), y, false), true, vars)!;
    losses.push(cost.dataSync()[0]);
    cost.dispose();
  }
  const weights = vars.map((v) => v.dataSync() as Float32Array);
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  return { weights, losses };
}

for (const backend of ['wasm', 'cpu'] as const) {
  for (const name of ['adam', 'sgd', 'rmsprop'] as OptimizerName[]) {
    test(`${backend}: fused ${name} equals tf.train.${name} over ${STEPS} steps`, async () => {
      await selectBackend(backend, { tune: true });
      const before = tf.memory().numTensors;
      const fused = makeOptimizer(name, 0.01);
      assert.equal(fused.constructor.name.startsWith('Fused'), true);
      const a = train(fused);
      const b = train(makeOptimizer(name, 0.01, true));
      assert.equal(tf.memory().numTensors, before, 'no leaked tensors');
      for (let s = 0; s < STEPS; s++) assert.ok(Math.abs(a.losses[s] - b.losses[s]) <= 1e-5 * Math.max(1, Math.abs(b.losses[s])), `step ${s}: ${a.losses[s]} vs ${b.losses[s]}`);
      let worst = 0;
      a.weights.forEach((w, i) => w.forEach((x, j) => (worst = Math.max(worst, Math.abs(x - b.weights[i][j])))));
      assert.ok(worst <= 1e-6, `largest weight difference ${worst}`);
    });
  }
}

test('stock kernels (--no-tune) get the stock optimizers', async () => {
  await selectBackend('wasm', { tune: false });
  assert.equal(fusedOptimizer('adam', 0.01), undefined);
  // (instanceof would not do: tf.Optimizer's Symbol.hasInstance accepts any optimizer.)
  assert.notEqual(makeOptimizer('adam', 0.01).constructor, FusedAdam);
  await selectBackend('wasm', { tune: true });
  assert.equal(makeOptimizer('adam', 0.01).constructor, FusedAdam);
});
