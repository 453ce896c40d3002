/**
 * From results rows to trials and configurations: typed values, grouping over seeds, summaries, Pareto
 * fronts and parameter-count buckets. Pure; every function is tested with hand-checkable values.
 */
import type { ResultRow } from '../results/columns.ts';
import { num } from '../results/read.ts';
import { tQuantile975 } from './fit.ts';

/** Measured quantities summarised over seeds. */
export const METRICS = [
  'test_accuracy',
  'train_accuracy',
  'test_loss',
  'train_loss',
  'train_time_s',
  'samples_per_s',
  'flops_per_s',
  'peak_tensor_bytes',
  'peak_rss_bytes',
  'latency_ms_mean',
] as const;
export type Metric = (typeof METRICS)[number];

/** One results row with typed values, tagged with the source (input file) it came from. */
export interface TrialRecord {
  source: string;
  trialId: string;
  index: number;
  seed: number;
  width: number;
  depth: number;
  params: number;
  flops: number;
  /** ok | diverged | failed (as written; anything else is treated as not ok). */
  status: string;
  error: string;
  settings: string;
  metrics: Record<Metric, number>;
  row: ResultRow;
}

export function toTrial(source: string, row: ResultRow): TrialRecord {
  const metrics = {} as Record<Metric, number>;
  for (const m of METRICS) metrics[m] = num(row[m]);
  return {
    source,
    trialId: row.trial_id,
    index: num(row.trial_index),
    seed: num(row.seed),
    width: num(row.width),
    depth: num(row.depth),
    params: num(row.params),
    flops: num(row.train_flops),
    status: row.status,
    error: row.error,
    settings: row.settings,
    metrics,
    row,
  };
}

/** Mean, spread and a 95% interval of the finite values among `values`; n = 0 when there are none. */
export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (0 when n = 1). */
  sd: number;
  /** Half-width of the 95% Student-t interval on the mean (NaN when n = 1). */
  ci95: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): Summary {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, ci95: NaN, min: NaN, max: NaN };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { n, mean, sd, ci95: n > 1 ? (tQuantile975(n - 1) * sd) / Math.sqrt(n) : NaN, min: Math.min(...v), max: Math.max(...v) };
}

/** A configuration (one trial_id within one source) over its seeds. Statistics use the ok trials only. */
export interface ConfigRecord {
  source: string;
  trialId: string;
  index: number;
  width: number;
  depth: number;
  params: number;
  flops: number;
  settings: string;
  /** Every seed run, ascending. */
  seeds: number[];
  ok: number;
  diverged: number;
  failed: number;
  stats: Record<Metric, Summary>;
}

/** Trials in a pinned order: source order as given, then grid position, then seed. */
export function sortTrials(trials: readonly TrialRecord[], sources: readonly string[]): TrialRecord[] {
  const rank = new Map(sources.map((s, i) => [s, i]));
  return [...trials].sort(
    (a, b) => (rank.get(a.source) ?? 0) - (rank.get(b.source) ?? 0) || a.index - b.index || a.trialId.localeCompare(b.trialId) || a.seed - b.seed,
  );
}

/** Group trials by (source, trial_id), keeping the order of first appearance. */
export function groupConfigs(trials: readonly TrialRecord[]): ConfigRecord[] {
  const groups = new Map<string, TrialRecord[]>();
  for (const t of trials) {
    const key = `${t.source}\u0000${t.trialId}`;
    const g = groups.get(key);
    if (g) g.push(t);
    else groups.set(key, [t]);
  }
  return [...groups.values()].map((g) => {
    const ok = g.filter((t) => t.status === 'ok');
    const stats = {} as Record<Metric, Summary>;
    for (const m of METRICS) stats[m] = summarize(ok.map((t) => t.metrics[m]));
    const first = g[0];
    return {
      source: first.source,
      trialId: first.trialId,
      index: first.index,
      width: first.width,
      depth: first.depth,
      params: first.params,
      flops: first.flops,
      settings: first.settings,
      seeds: g.map((t) => t.seed).sort((a, b) => a - b),
      ok: ok.length,
      diverged: g.filter((t) => t.status === 'diverged').length,
      failed: g.filter((t) => t.status !== 'ok' && t.status !== 'diverged').length,
      stats,
    };
  });
}

/**
 * Indices of the Pareto-optimal points when lower cost and higher value are better: no other point has
 * cost ≤ and value ≥ with one of them strict. Of exact duplicates, the first is kept. Non-finite points never qualify.
 */
export function paretoFront(cost: readonly number[], value: readonly number[]): Set<number> {
  const order = cost
    .map((_, i) => i)
    .filter((i) => Number.isFinite(cost[i]) && Number.isFinite(value[i]))
    .sort((a, b) => cost[a] - cost[b] || value[b] - value[a] || a - b);
  const front = new Set<number>();
  let best = -Infinity;
  for (const i of order) {
    if (value[i] > best) {
      front.add(i);
      best = value[i];
    }
  }
  return front;
}

/** A half-decade band of parameter counts: [10^(b/2), 10^((b+1)/2)). */
export interface Bucket {
  index: number;
  lo: number;
  hi: number;
}

/** The half-decade bucket of a parameter count (e.g. 1000–3162, 3162–10000). */
export function paramBucket(params: number): Bucket {
  const index = Math.floor(2 * Math.log10(params) + 1e-9);
  return { index, lo: 10 ** (index / 2), hi: 10 ** ((index + 1) / 2) };
}
