/**
 * The experiment file's schema (zod). Each leaf setting has one schema, used both for the base value
 * and for every value of a grid axis over it, so `grid.width[2]` is checked exactly like `model.width`.
 */
import { z } from 'zod';
import { ACTIVATIONS, BACKENDS, DATASET_NAMES, OPTIMIZERS } from './types.ts';

/** Render an offending value for an error message. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (value !== null && typeof value === 'object') return 'a mapping';
  return String(value);
}

const expected = (what: string) => ({ error: (issue: { input?: unknown }) => `expected ${what}, got ${show(issue.input)}` });
const positiveInt = () => z.number(expected('a positive integer')).int(expected('a positive integer')).positive(expected('a positive integer'));
const nonNegativeInt = () => z.number(expected('an integer ≥ 0')).int(expected('an integer ≥ 0')).nonnegative(expected('an integer ≥ 0'));
const positiveNumber = () => z.number(expected('a positive number')).positive(expected('a positive number')).finite(expected('a positive number'));
const oneOf = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, expected(`one of ${values.join(' | ')}`));

/** Every setting a grid axis may sweep, by its path. */
export const LEAVES = {
  'dataset.name': oneOf(DATASET_NAMES),
  'dataset.train': positiveInt(),
  'dataset.test': positiveInt(),
  'dataset.features': positiveInt(),
  'dataset.classes': z.number(expected('an integer ≥ 2')).int(expected('an integer ≥ 2')).min(2, expected('an integer ≥ 2')),
  'dataset.noise': z.number(expected('a number ≥ 0')).nonnegative(expected('a number ≥ 0')).finite(expected('a number ≥ 0')),
  'dataset.bits': positiveInt(),
  'dataset.path': z.string(expected('a file path')).min(1, expected('a file path')),
  'dataset.label': z.string(expected('a column name')).min(1, expected('a column name')),
  'model.width': positiveInt(),
  'model.depth': nonNegativeInt(),
  'model.activation': oneOf(ACTIVATIONS),
  'train.optimizer': oneOf(OPTIMIZERS),
  'train.learningRate': positiveNumber(),
  'train.batchSize': positiveInt(),
  'train.epochs': positiveInt(),
} as const;

export type LeafPath = keyof typeof LEAVES;
export const LEAF_PATHS = Object.keys(LEAVES) as LeafPath[];

/** Short axis names accepted in grid, include and exclude. */
export const AXIS_ALIASES: Record<string, LeafPath> = { width: 'model.width', depth: 'model.depth' };

const section = <P extends string>(prefix: P) => {
  const shape: Record<string, z.ZodType> = {};
  for (const path of LEAF_PATHS) if (path.startsWith(`${prefix}.`)) shape[path.slice(prefix.length + 1)] = LEAVES[path].optional();
  return z.strictObject(shape, expected('a mapping'));
};

const axisValue = z.union([z.number(), z.string()], expected('a number or a string'));
const point = z.record(z.string(), axisValue, expected('a mapping of axis to value'));

/** The file as written. Settings stay loose here; `load.ts` checks completeness once grid axes are known. */
export const ExperimentFile = z.strictObject(
  {
    name: z.string(expected('a name')).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, expected('a name of letters, digits, ".", "_" or "-" (it names results/<name>.csv)')).max(100).optional(),
    description: z.string(expected('text')).default(''),
    dataset: section('dataset').optional(),
    model: section('model').optional(),
    train: section('train').optional(),
    grid: z.record(z.string(), z.array(axisValue, expected('a list of values')).min(1, expected('a non-empty list of values')), expected('a mapping of axis to values')).default({}),
    include: z.array(point, expected('a list of points')).default([]),
    exclude: z.array(point, expected('a list of points')).default([]),
    seeds: z.array(nonNegativeInt(), expected('a list of seeds')).min(1, expected('at least one seed')).default([1]),
    backend: oneOf(BACKENDS).default('auto'),
    latency: z
      .strictObject({ time: positiveNumber().default(50), iterations: positiveInt().default(10), batch: positiveInt().default(32) }, expected('a mapping'))
      .default({ time: 50, iterations: 10, batch: 32 }),
    limits: z
      .strictObject({ maxParams: positiveInt().default(20_000_000), maxTrials: positiveInt().default(500) }, expected('a mapping'))
      .default({ maxParams: 20_000_000, maxTrials: 500 }),
    repeats: positiveInt().default(1),
  },
  expected('a mapping at the top level'),
);
export type ExperimentFileData = z.infer<typeof ExperimentFile>;

/** Defaults for settings the file leaves out. Width, depth and the dataset's name and sizes have none. */
export const SETTING_DEFAULTS: Partial<Record<LeafPath, number | string>> = {
  'model.activation': 'relu',
  'train.optimizer': 'adam',
  'train.learningRate': 0.001,
  'train.batchSize': 32,
  'train.epochs': 10,
};

/** Settings every trial must end up with. */
export const REQUIRED: LeafPath[] = ['dataset.name', 'dataset.train', 'dataset.test', 'model.width', 'model.depth'];

/** Format a zod issue path the way users write it: `grid.width[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  return out;
}
