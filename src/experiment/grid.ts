/** Experiment → Trial[]: the cartesian product, include/exclude, seeds, in a pinned order. Pure. */
import { createHash } from 'node:crypto';
import { countParams, layerSizes, trainFlops } from '../model/count.ts';
import { ExperimentError } from './errors.ts';
import { REQUIRED } from './schema.ts';
import type { DatasetSpec, Experiment, FlatSettings, Settings, Trial } from './types.ts';

/** Input features and classes of a dataset, without loading it. */
export type ShapeOf = (spec: DatasetSpec) => { features: number; classes: number };

/**
 * Every point of the grid in pinned order: axes nest in file order, the last axis varying fastest
 * (like nested for-loops), then include points not already present; exclude drops matching points.
 */
export function expandPoints(exp: Pick<Experiment, 'base' | 'grid' | 'include' | 'exclude'>): FlatSettings[] {
  let points: FlatSettings[] = [{}];
  for (const [path, values] of Object.entries(exp.grid)) {
    points = points.flatMap((p) => values.map((v) => ({ ...p, [path]: v })));
  }
  if (Object.keys(exp.grid).length === 0) points = [];
  const seen = new Set<string>();
  const out: FlatSettings[] = [];
  for (const p of [...points, ...exp.include]) {
    const full = { ...exp.base, ...p };
    const key = canonicalJson(full);
    if (seen.has(key)) continue;
    seen.add(key);
    if (exp.exclude.some((ex) => Object.entries(ex).every(([k, v]) => full[k] === v))) continue;
    out.push(full);
  }
  return out;
}

/** Nest flat leaf paths into Settings. */
export function toSettings(flat: FlatSettings): Settings {
  const out: Record<string, Record<string, number | string>> = { dataset: {}, model: {}, train: {} };
  for (const [path, value] of Object.entries(flat)) {
    const [section, key] = path.split('.');
    out[section][key] = value;
  }
  return out as unknown as Settings;
}

/** JSON with keys sorted at every level, so equal settings always serialise (and hash) the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The trial id: first 12 hex digits of sha256 over the canonical settings. Seed and file layout don't enter. */
export function trialId(settings: Settings): string {
  return createHash('sha256').update(canonicalJson(settings)).digest('hex').slice(0, 12);
}

/** Describe a point by the values its axes took, for error messages. */
function describe(point: FlatSettings, axes: string[]): string {
  return axes.map((a) => `${a.replace(/^model\./, '')}=${point[a]}`).join(', ');
}

/** Expand an experiment into trials, checking what only a resolved point can show. Throws ExperimentError. */
export function expandGrid(exp: Experiment, shapeOf: ShapeOf): Trial[] {
  const axes = [...new Set([...Object.keys(exp.grid), ...exp.include.flatMap((p) => Object.keys(p))])];
  const trials: Trial[] = [];
  expandPoints(exp).forEach((point, index) => {
    const at = axes.length ? ` (at ${describe(point, axes)})` : '';
    for (const path of REQUIRED) {
      if (!(path in point)) throw new ExperimentError(exp.file, path, `required: set it under ${path.split('.')[0]}: or sweep it in grid:${at}`);
    }
    const settings = toSettings(point);
    if (settings.train.batchSize > settings.dataset.train) {
      throw new ExperimentError(exp.file, 'train.batchSize', `expected at most dataset.train (${settings.dataset.train}), got ${settings.train.batchSize}${at}`);
    }
    const { features, classes } = shapeOf(settings.dataset);
    const sizes = layerSizes(features, settings.model.width, settings.model.depth, classes);
    const params = countParams(sizes);
    if (params > exp.limits.maxParams) {
      throw new ExperimentError(exp.file, 'limits.maxParams', `a model with ${params} parameters is over the limit of ${exp.limits.maxParams}${at}; raise limits.maxParams or shrink the grid`);
    }
    const id = trialId(settings);
    const flops = trainFlops(sizes, settings.dataset.train, settings.train.epochs);
    for (const seed of exp.seeds) trials.push({ experiment: exp.name, id, index, seed, settings, params, trainFlops: flops });
  });
  return trials;
}
