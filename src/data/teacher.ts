/**
 * Student–teacher: inputs x ~ N(0, I) (from the trial seed), label = argmax of a fixed
 * random teacher MLP (WIDTH units × DEPTH ReLU layers, He-scaled weights N(0, 2/fan_in),
 * drawn from a fixed seed so every trial learns the same function).
 * Why ReLU, not tanh: a tanh teacher is mostly linear (odd activations keep a large linear
 * part), so a linear student already matches a wide one. Measured with 10k training
 * examples (tfjs, Adam 0.01, 20 epochs): tanh gain 1 gave linear 80% → 128×1 83%; this
 * ReLU teacher gives linear 67%, 8×1 70%, 32×2 75%, 128×1 77%, and more data lifts the
 * bigger students further.
 * Raw argmax of random logits is badly unbalanced, so the output biases are tuned on a
 * fixed reference sample until every class takes about 1/classes of it.
 * `noise` is the probability of replacing a label by a uniformly random class (default 0).
 */
import { intOption, noiseOption, synthesize, type Family } from './common.ts';
import { FIXED_SEED, rng } from './random.ts';

const WIDTH = 64;
const DEPTH = 3;
const REFERENCE = 4096;

interface Layer { w: Float64Array; b: Float64Array; inputs: number; outputs: number }

/** The teacher's output logits for one input. */
function logits(layers: Layer[], x: ArrayLike<number>): Float64Array {
  return layers.reduce<ArrayLike<number>>((h, l, k) => {
    const y = new Float64Array(l.outputs);
    for (let o = 0; o < l.outputs; o++) {
      let s = l.b[o];
      for (let i = 0; i < l.inputs; i++) s += l.w[o * l.inputs + i] * h[i];
      y[o] = k < DEPTH ? Math.max(0, s) : s;
    }
    return y;
  }, x) as Float64Array;
}

function argmax(z: ArrayLike<number>, bias?: ArrayLike<number>): number {
  let best = 0;
  for (let c = 1; c < z.length; c++) if (z[c] + (bias?.[c] ?? 0) > z[best] + (bias?.[best] ?? 0)) best = c;
  return best;
}

/** The teacher's label for one input. */
export const teach = (layers: Layer[], x: ArrayLike<number>): number => argmax(logits(layers, x));

const cache = new Map<string, Layer[]>();

/** The fixed teacher for this shape, built once per process. */
export function teacherNet(features: number, classes: number): Layer[] {
  const key = `${features}x${classes}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const r = rng(FIXED_SEED, `teacher/${key}`);
  const sizes = [features, ...Array<number>(DEPTH).fill(WIDTH), classes];
  const layers = sizes.slice(1).map((outputs, k): Layer => {
    const inputs = sizes[k];
    const scale = Math.sqrt((k < DEPTH ? 2 : 1) / inputs);
    return { inputs, outputs, w: Float64Array.from({ length: inputs * outputs }, () => scale * r.normal()), b: new Float64Array(outputs) };
  });
  // Balance: logits of the reference sample are computed once with zero output bias, then
  // each bias is nudged against its class's excess share, with a decaying step.
  const ref = Array.from({ length: REFERENCE }, () => logits(layers, Float64Array.from({ length: features }, () => r.normal())));
  const bias = new Float64Array(classes);
  for (let step = 0; step < 300; step++) {
    const counts = new Float64Array(classes);
    for (const z of ref) counts[argmax(z, bias)]++;
    for (let c = 0; c < classes; c++) bias[c] -= (counts[c] / REFERENCE - 1 / classes) / (1 + step / 30);
  }
  layers[DEPTH].b.set(bias);
  cache.set(key, layers);
  return layers;
}

export const teacher: Family = {
  defaults: { features: 16, classes: 4, noise: 0 },
  shape: (spec) => ({ features: intOption(spec, 'features', 16, 1), classes: intOption(spec, 'classes', 4, 2) }),
  load(spec, seed) {
    const shape = teacher.shape(spec, '');
    const noise = noiseOption(spec, 0, 1);
    const net = teacherNet(shape.features, shape.classes);
    return synthesize(spec, seed, shape, (r, row) => {
      for (let j = 0; j < shape.features; j++) row[j] = r.normal();
      const label = teach(net, row);
      return r.uniform() < noise ? r.int(shape.classes) : label;
    });
  },
};
