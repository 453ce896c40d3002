/**
 * Two interleaved spirals in 2-D: the classic problem a linear model cannot touch and a
 * tiny MLP only half-solves, so accuracy climbs visibly with width and depth.
 * Each arm makes TURNS turns from the centre out to radius 1; the two arms are half a turn
 * apart, so neighbouring arms are GAP = 1 / (2·TURNS) apart in radius.
 * `noise` is the std of Gaussian jitter in units of GAP: the default 0.2 puts the margin
 * (GAP/2) at 2.5 std, so the best possible accuracy is about 99%.
 * Classes alternate (example i is class i mod 2), so they are exactly balanced.
 */
import { fixedOption, noiseOption, synthesize, type Family } from './common.ts';

const TURNS = 1.75;
const GAP = 1 / (2 * TURNS);

export const spirals: Family = {
  defaults: { features: 2, classes: 2, noise: 0.2 },
  shape: (spec) => ({ features: fixedOption(spec, 'features', 2), classes: fixedOption(spec, 'classes', 2) }),
  load(spec, seed) {
    const jitter = noiseOption(spec, 0.2) * GAP;
    return synthesize(spec, seed, spirals.shape(spec, ''), (r, row, i) => {
      const label = i % 2;
      const t = r.uniform(); // position along the arm: radius t
      const angle = 2 * Math.PI * TURNS * t + Math.PI * label;
      row[0] = t * Math.cos(angle) + jitter * r.normal();
      row[1] = t * Math.sin(angle) + jitter * r.normal();
      return label;
    });
  },
};
