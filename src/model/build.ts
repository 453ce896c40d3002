/**
 * The MLP builder. One job: turn layer sizes, an activation and a seed into a tfjs model whose
 * weights are a pure function of those three.
 *
 * Shape of the model (`sizes` = [features, width × depth, outputs], see layerSizes in count.ts):
 *   Dense(width, activation) × depth → Dense(outputs, linear) → Activation(sigmoid | softmax)
 * The output nonlinearity is its own zero-parameter layer so that
 *   - `model.predict()` has the usual semantics (probabilities: sigmoid for 1 unit, softmax otherwise), and
 *   - training and evaluation can take the logits (`logitsOf`) and compute the cross-entropy
 *     stably from them, instead of from saturated probabilities plus an epsilon.
 * Parameter count: exactly countParams(sizes) (the Activation layer has none).
 */
import * as tf from '@tensorflow/tfjs';
import type { Activation } from '../experiment/types.ts';

/** Seed of layer `layer` (0-based, input side first) for a trial seed: distinct per layer and per trial seed. */
export function layerSeed(seed: number, layer: number): number {
  if (!Number.isInteger(seed) || !Number.isInteger(layer) || layer < 0 || layer >= LAYER_SEED_STRIDE) {
    throw new RangeError(`layerSeed: need integer seed and 0 ≤ layer < ${LAYER_SEED_STRIDE}, got seed ${seed}, layer ${layer}`);
  }
  return seed * LAYER_SEED_STRIDE + layer;
}
const LAYER_SEED_STRIDE = 1000;

/** The output activation the dataset implies: one sigmoid unit for two classes, else softmax. */
export function outputActivation(outputs: number): 'sigmoid' | 'softmax' {
  return outputs === 1 ? 'sigmoid' : 'softmax';
}

/**
 * An MLP with Glorot-uniform kernels seeded per layer from `seed` and zero biases, so two calls
 * with the same arguments give bit-identical weights.
 * @param sizes [inputs, hidden…, outputs]; at least two entries (no hidden layer = a linear model).
 */
export function buildModel(sizes: readonly number[], activation: Activation, seed: number): tf.Sequential {
  if (sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n > 0)) {
    throw new RangeError(`buildModel: sizes must be ≥ 2 positive integers, got [${sizes.join(', ')}]`);
  }
  const model = tf.sequential();
  const last = sizes.length - 1;
  for (let i = 1; i <= last; i++) {
    model.add(
      tf.layers.dense({
        units: sizes[i],
        activation: i === last ? 'linear' : activation,
        kernelInitializer: tf.initializers.glorotUniform({ seed: layerSeed(seed, i - 1) }),
        biasInitializer: 'zeros',
        ...(i === 1 ? { inputShape: [sizes[0]] } : {}),
      }),
    );
  }
  model.add(tf.layers.activation({ activation: outputActivation(sizes[last]) }));
  return model;
}

/** The pre-activation outputs (logits) of a model from buildModel: every layer but the final Activation. */
export function logitsOf(model: tf.Sequential, x: tf.Tensor): tf.Tensor2D {
  const layers = model.layers;
  let h: tf.Tensor = x;
  for (let i = 0; i < layers.length - 1; i++) h = layers[i].apply(h) as tf.Tensor;
  return h as tf.Tensor2D;
}
