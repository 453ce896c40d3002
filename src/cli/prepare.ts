/** Experiment file → validated trials: every input error surfaces here, before anything runs. */
import { dirname } from 'node:path';
import { checkDataset } from '../data/index.ts';
import { DatasetError } from '../data/types.ts';
import { ExperimentError } from '../experiment/errors.ts';
import { expandGrid } from '../experiment/grid.ts';
import { loadExperiment } from '../experiment/load.ts';
import type { Experiment, Trial } from '../experiment/types.ts';

export function prepare(file: string, opts: { yes?: boolean } = {}): { exp: Experiment; trials: Trial[] } {
  const exp = loadExperiment(file);
  const trials = expandGrid(exp, (spec) => {
    try {
      return checkDataset(spec, dirname(file));
    } catch (err) {
      if (err instanceof DatasetError) throw new ExperimentError(file, err.field, err.message);
      throw err;
    }
  });
  if (trials.length > exp.limits.maxTrials && !opts.yes) {
    throw new ExperimentError(file, 'limits.maxTrials', `the grid expands to ${trials.length} trials, over the limit of ${exp.limits.maxTrials}; pass --yes to run it anyway, or raise limits.maxTrials`);
  }
  return { exp, trials };
}
