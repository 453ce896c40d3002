/**
 * `classes` Gaussian blobs in `features` dimensions. The centres are drawn once from
 * N(0, I) with a fixed seed (every trial sees the same blobs; the trial seed only picks
 * the points), and each point is its centre plus `noise`·N(0, I).
 * With equal isotropic blobs the best classifier is linear (nearest centre), so accuracy
 * saturates early and below 100%: the default noise 1.5 with 16 features and 4 classes
 * gives a nearest-true-centre (Bayes) accuracy of about 87%. In fewer dimensions centres sit
 * closer, so use less noise there.
 * Classes alternate (example i is class i mod classes), so they are balanced to within one.
 */
import { intOption, noiseOption, synthesize, type Family } from './common.ts';
import { FIXED_SEED, rng } from './random.ts';

/** The fixed blob centres, classes × features row-major. Exported so tests can check the Bayes rate. */
export function blobCentres(features: number, classes: number): Float64Array {
  const r = rng(FIXED_SEED, `gaussians/centres/${features}x${classes}`);
  return Float64Array.from({ length: features * classes }, () => r.normal());
}

export const gaussians: Family = {
  defaults: { features: 16, classes: 4, noise: 1.5 },
  shape: (spec) => ({ features: intOption(spec, 'features', 16, 1), classes: intOption(spec, 'classes', 4, 2) }),
  load(spec, seed) {
    const shape = gaussians.shape(spec, '');
    const { features, classes } = shape;
    const noise = noiseOption(spec, 1.5);
    const centres = blobCentres(features, classes);
    return synthesize(spec, seed, shape, (r, row, i) => {
      const label = i % classes;
      for (let j = 0; j < features; j++) row[j] = centres[label * features + j] + noise * r.normal();
      return label;
    });
  },
};
