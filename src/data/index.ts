/**
 * Datasets: one file per family, all seeded and offline. `datasetShape` is what planning
 * needs (instant, no data); `loadDataset` materialises a trial's data, byte-identical for
 * the same spec and seed.
 */
import { DATASET_NAMES, type DatasetName, type DatasetSpec } from '../experiment/types.ts';
import { DatasetError, type Dataset } from './types.ts';
import { checkSize, type Family, type Shape } from './common.ts';
import { spirals } from './spirals.ts';
import { gaussians } from './gaussians.ts';
import { teacher } from './teacher.ts';
import { parity } from './parity.ts';
import { randomLabels } from './random-labels.ts';
import { mnist } from './mnist.ts';
import { iris } from './iris.ts';
import { csv } from './csv.ts';

export { DatasetError, type Dataset } from './types.ts';
export type { Shape } from './common.ts';

const FAMILIES: Record<DatasetName, Family> = {
  spirals, gaussians, teacher, parity, 'random-labels': randomLabels, mnist, iris, csv,
};

/**
 * The options each family fills in when the spec leaves them out (fixed shapes included,
 * for reference). csv has none: its `label` defaults to the last column and its shape
 * comes from the file.
 */
export const DATASET_DEFAULTS: Readonly<Record<DatasetName, Readonly<Partial<DatasetSpec>>>> = Object.freeze(
  Object.fromEntries(DATASET_NAMES.map((n) => [n, Object.freeze({ ...FAMILIES[n].defaults })])) as Record<DatasetName, Partial<DatasetSpec>>,
);

function family(spec: DatasetSpec): Family {
  const f = Object.hasOwn(FAMILIES, spec.name) ? FAMILIES[spec.name] : undefined;
  if (!f) throw new DatasetError('dataset.name', `unknown dataset "${spec.name}"; choose one of: ${DATASET_NAMES.join(', ')}`);
  return f;
}

/**
 * Features and classes of a dataset, without generating or loading it (csv reads its file,
 * resolving a relative `path` against `baseDir`). Throws DatasetError for invalid options.
 */
export function datasetShape(spec: DatasetSpec, baseDir: string = process.cwd()): Shape {
  return family(spec).shape(spec, baseDir);
}

/**
 * Everything about a dataset request that can be known without loading the data: its shape
 * (datasetShape) and, for a finite dataset (mnist, iris, csv), that train + test fit in it; csv
 * also has every feature cell checked. Plan time calls this, so a request that loading would refuse
 * stops the sweep before anything runs. Throws DatasetError.
 */
export function checkDataset(spec: DatasetSpec, baseDir: string = process.cwd()): Shape {
  const f = family(spec);
  checkCounts(spec);
  const shape = f.shape(spec, baseDir);
  if (f.examples) checkSize(spec, f.examples(spec, baseDir));
  return shape;
}

/** The trial's data: deterministic in (spec, seed); `baseDir` resolves a relative csv path. */
export async function loadDataset(spec: DatasetSpec, seed: number, baseDir: string): Promise<Dataset> {
  const f = family(spec);
  checkCounts(spec);
  return f.load(spec, seed, baseDir);
}

/** At least one training example (standardising needs it); test may be empty. */
function checkCounts(spec: DatasetSpec): void {
  if (!Number.isInteger(spec.train) || spec.train < 1) {
    throw new DatasetError('dataset.train', `train must be a positive integer, got ${spec.train}`);
  }
  if (!Number.isInteger(spec.test) || spec.test < 0) {
    throw new DatasetError('dataset.test', `test must be a non-negative integer, got ${spec.test}`);
  }
}
