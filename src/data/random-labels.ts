/**
 * Random labels: x ~ N(0, I) and labels drawn uniformly from `classes`, independently of
 * x, in train and test alike. There is nothing to generalise: test accuracy stays at
 * chance (1/classes) and training accuracy measures pure memorisation capacity, which is
 * what grows with parameters (Zhang et al. 2017, "rethinking generalization").
 */
import { intOption, synthesize, type Family } from './common.ts';

export const randomLabels: Family = {
  defaults: { features: 32, classes: 10 },
  shape: (spec) => ({ features: intOption(spec, 'features', 32, 1), classes: intOption(spec, 'classes', 10, 2) }),
  load(spec, seed) {
    const shape = randomLabels.shape(spec, '');
    return synthesize(spec, seed, shape, (r, row) => {
      for (let j = 0; j < shape.features; j++) row[j] = r.normal();
      return r.int(shape.classes);
    });
  },
};
