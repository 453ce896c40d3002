/** experiment file → validated Experiment. Every mistake becomes one ExperimentError naming file and field. */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { ExperimentError } from './errors.ts';
import { AXIS_ALIASES, ExperimentFile, LEAVES, SETTING_DEFAULTS, formatPath, show, type LeafPath } from './schema.ts';
import type { Experiment, FlatSettings } from './types.ts';

/** Read, parse and validate an experiment file (YAML or JSON). */
export function loadExperiment(file: string): Experiment {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ExperimentError(file, '', (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `cannot read: ${(err as Error).message}`);
  }
  return parseExperiment(text, file);
}

/** Validate experiment text; `file` names it in errors and supplies the default name. */
export function parseExperiment(text: string, file: string): Experiment {
  const data = parseText(text, file);
  const parsed = ExperimentFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue.code === 'unrecognized_keys') {
      const where = formatPath(issue.path);
      throw new ExperimentError(file, where ? `${where}.${issue.keys[0]}` : issue.keys[0], 'unknown key (check its spelling; see the README for the experiment format)');
    }
    throw new ExperimentError(file, formatPath(issue.path), issue.message);
  }
  const f = parsed.data;
  const name = f.name ?? basename(file, extname(file));
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw new ExperimentError(file, 'name', `expected a name of letters, digits, ".", "_" or "-", got ${show(name)}`);

  const base: FlatSettings = { ...SETTING_DEFAULTS } as FlatSettings;
  for (const sectionName of ['dataset', 'model', 'train'] as const) {
    for (const [key, value] of Object.entries(f[sectionName] ?? {})) if (value !== undefined) base[`${sectionName}.${key}`] = value as number | string;
  }

  const grid: Record<string, (number | string)[]> = {};
  for (const [axis, values] of Object.entries(f.grid)) {
    const path = resolveAxis(axis, file, `grid.${axis}`);
    if (path in grid) throw new ExperimentError(file, `grid.${axis}`, `duplicate axis: ${path} is already swept`);
    values.forEach((v, i) => checkLeaf(path, v, file, `grid.${axis}[${i}]`));
    if (new Set(values).size !== values.length) throw new ExperimentError(file, `grid.${axis}`, 'expected distinct values, got a repeated one');
    grid[path] = values;
  }
  const points = (list: Record<string, number | string>[], key: 'include' | 'exclude') =>
    list.map((p, i) => {
      const out: FlatSettings = {};
      for (const [axis, v] of Object.entries(p)) {
        const path = resolveAxis(axis, file, `${key}[${i}].${axis}`);
        checkLeaf(path, v, file, `${key}[${i}].${axis}`);
        out[path] = v;
      }
      return out;
    });
  const include = points(f.include, 'include');
  const exclude = points(f.exclude, 'exclude');

  if (Object.keys(grid).length === 0 && include.length === 0) throw new ExperimentError(file, 'grid', 'expected at least one axis, got an empty grid');

  return {
    name,
    description: f.description,
    file,
    base,
    grid,
    include,
    exclude,
    seeds: f.seeds,
    backend: f.backend,
    latency: f.latency,
    limits: f.limits,
    repeats: f.repeats,
  };
}

function parseText(text: string, file: string): unknown {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
    const where = pos ? `line ${pos.line}, column ${pos.col}` : 'syntax';
    throw new ExperimentError(file, where, `invalid ${extname(file) === '.json' ? 'JSON/YAML' : 'YAML'}: ${err.message.split('\n')[0]}`);
  }
  const data = doc.toJS();
  if (data === null || data === undefined) throw new ExperimentError(file, '', 'expected a mapping at the top level, got an empty file');
  return data;
}

/** Map an axis name (alias or leaf path) to its leaf path, or fail naming the field. */
function resolveAxis(axis: string, file: string, field: string): LeafPath {
  const path = AXIS_ALIASES[axis] ?? axis;
  if (!(path in LEAVES)) {
    throw new ExperimentError(file, field, `unknown axis; expected width, depth or a setting path such as ${['train.learningRate', 'dataset.train'].join(' or ')}`);
  }
  return path as LeafPath;
}

function checkLeaf(path: LeafPath, value: unknown, file: string, field: string): void {
  const r = LEAVES[path].safeParse(value);
  if (!r.success) throw new ExperimentError(file, field, r.error.issues[0].message);
}
