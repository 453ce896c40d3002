import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { buildModel, layerSeed, logitsOf } from '../src/model/build.ts';
import { countParams, layerSizes } from '../src/model/count.ts';

before(async () => {
  await tf.setBackend('cpu');
});

/** Every weight of a model, flattened, in layer order. */
function weightsOf(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

describe('buildModel', () => {
  const shapes: [number[], number][] = [
    // 2→8→8→1: (2·8 + 8) + (8·8 + 8) + (8·1 + 1) = 24 + 72 + 9 = 105
    [[2, 8, 8, 1], 105],
    // depth 0, a linear model 4→3: 4·3 + 3 = 15
    [[4, 3], 15],
    // depth 0, binary 5→1: 5·1 + 1 = 6
    [[5, 1], 6],
    // 64→256→256→10: (64·256 + 256) + (256·256 + 256) + (256·10 + 10) = 16640 + 65792 + 2570 = 85002
    [[64, 256, 256, 10], 85002],
    // 3→2→2→2→1 (the article's net, binary output): 8 + 6 + 6 + 3 = 23
    [[3, 2, 2, 2, 1], 23],
  ];
  for (const [sizes, hand] of shapes) {
    it(`has countParams([${sizes}]) = ${hand} parameters`, () => {
      const model = buildModel(sizes, 'relu', 1);
      assert.equal(countParams(sizes), hand);
      assert.equal(model.countParams(), hand);
      model.dispose();
    });
  }

  it('stacks depth Dense layers with the activation, a linear output Dense, then sigmoid or softmax', () => {
    const binary = buildModel(layerSizes(3, 4, 2, 2), 'tanh', 1);
    const kinds = binary.layers.map((l) => `${l.getClassName()}:${(l.getConfig() as { activation?: string }).activation}`);
    assert.deepEqual(kinds, ['Dense:tanh', 'Dense:tanh', 'Dense:linear', 'Activation:sigmoid']);
    const multi = buildModel(layerSizes(3, 4, 0, 5), 'relu', 1);
    assert.deepEqual(multi.layers.map((l) => (l.getConfig() as { activation?: string }).activation), ['linear', 'softmax']);
    assert.deepEqual(multi.outputs[0].shape, [null, 5]);
    binary.dispose();
    multi.dispose();
  });

  it('predicts probabilities: softmax rows sum to 1, and the sigmoid of the logits for one unit', () => {
    const x = tf.tensor2d([[1, -2, 0.5], [0, 3, -1]]);
    const multi = buildModel([3, 6, 4], 'relu', 7);
    const rows = (multi.predict(x) as tf.Tensor).sum(1).arraySync() as number[];
    for (const r of rows) assert.ok(Math.abs(r - 1) < 1e-6);
    const binary = buildModel([3, 6, 1], 'relu', 7);
    const p = (binary.predict(x) as tf.Tensor).dataSync();
    const viaLogits = tf.sigmoid(logitsOf(binary, x)).dataSync();
    assert.deepEqual(Array.from(p), Array.from(viaLogits));
    assert.ok(p.every((v) => v > 0 && v < 1));
    x.dispose();
    multi.dispose();
    binary.dispose();
  });

  it('is deterministic in the seed: same seed, same weights; another seed, other weights', () => {
    const a = buildModel([4, 8, 8, 3], 'relu', 42);
    const b = buildModel([4, 8, 8, 3], 'relu', 42);
    const c = buildModel([4, 8, 8, 3], 'relu', 43);
    assert.deepEqual(weightsOf(a), weightsOf(b));
    assert.notDeepEqual(weightsOf(a)[0], weightsOf(c)[0]);
    for (const m of [a, b, c]) m.dispose();
  });

  it('seeds each layer differently: two same-shaped hidden kernels differ', () => {
    const m = buildModel([8, 8, 8, 8, 3], 'relu', 5);
    const [k1, , k2, , k3] = weightsOf(m);
    assert.equal(k1.length, 64);
    assert.notDeepEqual(k1, k2);
    assert.notDeepEqual(k2, k3);
    m.dispose();
  });

  it('initialises biases to zero and kernels within the Glorot-uniform limit', () => {
    const m = buildModel([6, 10, 2], 'relu', 3);
    const [k, b] = weightsOf(m);
    const limit = Math.sqrt(6 / (6 + 10));
    assert.ok(k.every((v) => Math.abs(v) <= limit));
    assert.ok(b.every((v) => v === 0));
    m.dispose();
  });

  it('rejects malformed sizes', () => {
    assert.throws(() => buildModel([4], 'relu', 1), /sizes must be/);
    assert.throws(() => buildModel([4, 0, 2], 'relu', 1), /sizes must be/);
  });
});

describe('layerSeed', () => {
  it('is distinct per layer and per trial seed', () => {
    const seen = new Set<number>();
    for (const seed of [0, 1, 2, 999]) for (let layer = 0; layer < 10; layer++) seen.add(layerSeed(seed, layer));
    assert.equal(seen.size, 40);
    assert.equal(layerSeed(3, 2), 3002);
  });
});
