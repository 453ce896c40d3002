/**
 * Sparse parity: `features` random bits in {-1, +1}; the label is the parity of a fixed
 * subset of `bits` of them (1 when an odd number of those bits are +1). The rest are
 * distractors. No single bit nor any subset smaller than `bits` says anything about the
 * label, so learning shows the abrupt, scale-dependent jumps parity is studied for.
 * The subset is drawn once from a fixed seed, so every trial learns the same function.
 * `noise` is the probability of flipping a label (default 0).
 */
import { DatasetError } from './types.ts';
import { fixedOption, intOption, noiseOption, synthesize, type Family } from './common.ts';
import { FIXED_SEED, permutation, rng } from './random.ts';

/** The relevant coordinates, ascending: a fixed choice of `bits` out of `features`. */
export function paritySubset(features: number, bits: number): number[] {
  return Array.from(permutation(features, rng(FIXED_SEED, `parity/${features}/${bits}`)).subarray(0, bits)).sort((a, b) => a - b);
}

export const parity: Family = {
  defaults: { features: 20, classes: 2, bits: 3, noise: 0 },
  shape(spec) {
    const features = intOption(spec, 'features', 20, 1);
    const bits = intOption(spec, 'bits', 3, 1);
    if (bits > features) throw new DatasetError('dataset.bits', `parity: bits (${bits}) cannot exceed features (${features})`);
    return { features, classes: fixedOption(spec, 'classes', 2) };
  },
  load(spec, seed) {
    const shape = parity.shape(spec, '');
    const bits = intOption(spec, 'bits', 3, 1);
    const noise = noiseOption(spec, 0, 1);
    const subset = paritySubset(shape.features, bits);
    return synthesize(spec, seed, shape, (r, row) => {
      for (let j = 0; j < shape.features; j++) row[j] = r.uniform() < 0.5 ? -1 : 1;
      const label = subset.reduce((p, j) => p ^ (row[j] > 0 ? 1 : 0), 0);
      return r.uniform() < noise ? 1 - label : label;
    });
  },
};
