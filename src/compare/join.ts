/**
 * Results rows of two runs → configurations matched by trial_id (the hash of the resolved settings, seed
 * excluded), with each side's samples per metric. Configurations found on one side only are kept and listed.
 */
import type { ResultRow } from '../results/columns.ts';
import { METRIC_KEYS, METRICS, type MetricKey } from './metrics.ts';

/** One run's rows, named for display (a path, or rev:path for a committed file). */
export interface SideInput {
  name: string;
  rows: ResultRow[];
}

/** One configuration on one side. */
export interface ConfigSide {
  /** Rows of this configuration, any status. */
  rows: number;
  /** Rows that did not finish ok (diverged or failed): left out of the statistics. */
  notOk: number;
  seeds: number[];
  /** Finite values per metric from the ok rows. */
  samples: Record<MetricKey, number[]>;
}

export interface Config {
  trialId: string;
  /** The settings that tell this configuration apart from the others, e.g. `width=64 depth=2`. */
  label: string;
  a?: ConfigSide;
  b?: ConfigSide;
}

/** Group one side's rows by trial_id, in first-seen order. */
export function collectConfigs(rows: readonly ResultRow[]): Map<string, ConfigSide> {
  const out = new Map<string, ConfigSide>();
  for (const row of rows) {
    let c = out.get(row.trial_id);
    if (!c) {
      c = { rows: 0, notOk: 0, seeds: [], samples: Object.fromEntries(METRIC_KEYS.map((k) => [k, []])) as unknown as Record<MetricKey, number[]> };
      out.set(row.trial_id, c);
    }
    c.rows++;
    if (row.status !== 'ok') {
      c.notOk++;
      continue;
    }
    c.seeds.push(Number(row.seed));
    for (const key of METRIC_KEYS) c.samples[key].push(...METRICS[key].samples(row).filter(Number.isFinite));
  }
  return out;
}

/** Every configuration of either side: A's order first, then those only in B. */
export function joinSides(a: SideInput, b: SideInput): Config[] {
  const ca = collectConfigs(a.rows);
  const cb = collectConfigs(b.rows);
  const ids = [...new Set([...ca.keys(), ...cb.keys()])];
  const labels = configLabels([...a.rows, ...b.rows], ids);
  return ids.map((id) => ({ trialId: id, label: labels.get(id) ?? id, a: ca.get(id), b: cb.get(id) }));
}

/** Flatten a settings JSON cell to leaf paths: {model:{width:64}} → {'model.width': 64}. Undefined if unreadable. */
function flatSettings(cell: string): Record<string, unknown> | undefined {
  try {
    const out: Record<string, unknown> = {};
    for (const [section, values] of Object.entries(JSON.parse(cell) as Record<string, Record<string, unknown>>)) {
      for (const [k, v] of Object.entries(values)) out[`${section}.${k}`] = v;
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Label order: the usual grid axes first, then anything else alphabetically. */
const AXIS_ORDER = ['model.width', 'model.depth', 'model.activation', 'train.optimizer', 'train.learningRate', 'train.batchSize', 'train.epochs'];
const rank = (path: string) => (AXIS_ORDER.includes(path) ? AXIS_ORDER.indexOf(path) : AXIS_ORDER.length);

/**
 * Short labels from the settings that vary across the configurations (last path segment, e.g. `width=64 depth=2`).
 * Falls back to the trial id when settings are unreadable, nothing varies, or two labels would collide.
 */
export function configLabels(rows: readonly ResultRow[], ids: readonly string[]): Map<string, string> {
  const settings = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    if (settings.has(row.trial_id)) continue;
    const flat = flatSettings(row.settings);
    if (flat) settings.set(row.trial_id, flat);
  }
  const labels = new Map<string, string>(ids.map((id) => [id, id]));
  if (!ids.every((id) => settings.has(id))) return labels;
  const paths = [...new Set(ids.flatMap((id) => Object.keys(settings.get(id)!)))];
  const varying = paths
    .filter((p) => new Set(ids.map((id) => JSON.stringify(settings.get(id)![p]))).size > 1)
    .sort((p, q) => rank(p) - rank(q) || (p < q ? -1 : 1));
  if (varying.length === 0) return labels;
  const short = varying.map((p) => p.split('.').pop()!);
  const names = new Set(short).size === short.length ? short : varying;
  const candidate = new Map(ids.map((id) => [id, varying.map((p, i) => `${names[i]}=${String(settings.get(id)![p])}`).join(' ')]));
  return new Set(candidate.values()).size === ids.length ? candidate : labels;
}
