/**
 * Two runs → a Comparison: per metric, per configuration, each side's median with its 95% interval, the delta,
 * and whether a two-sided Mann–Whitney U test finds it significant. Warnings travel with the numbers as data;
 * the formatters only lay them out. Pure.
 */
import { geomean, mannWhitneyU, medianCI, medianCISamples, minUTestP, uTestSamples } from '../analysis/stats.ts';
import { diffEnvironment, environmentNotes, type EnvironmentDiff } from './environment.ts';
import { joinSides, type SideInput } from './join.ts';
import { METRIC_KEYS, METRICS, type MetricKey } from './metrics.ts';

export interface CompareOptions {
  /** Significance level of the U test. */
  alpha: number;
  /** Level of the median intervals. */
  confidence: number;
}
export const DEFAULT_OPTIONS: CompareOptions = { alpha: 0.05, confidence: 0.95 };

/** One side's summary of one metric. lo/hi are ±Infinity when there are too few samples for the interval. */
export interface Summary {
  n: number;
  median: number;
  lo: number;
  hi: number;
}

export interface Cell {
  trialId: string;
  label: string;
  a: Summary;
  b: Summary;
  /** relative metrics: b/a − 1; points metrics: b − a. NaN when a side has no samples. */
  delta: number;
  /** U-test p-value; NaN when a side has no samples. */
  p: number;
  significant: boolean;
  /** Footnotes, e.g. too few samples to ever be significant. */
  warnings: string[];
}

/** The geometric mean of each side's medians over the configurations both sides have; ratio = b / a. */
export interface GeomeanRow {
  configs: number;
  a: number;
  b: number;
  ratio: number;
}

export interface MetricTable {
  metric: MetricKey;
  cells: Cell[];
  geomean?: GeomeanRow;
  /** Notes on the whole table, e.g. that its times come from different machines. */
  warnings: string[];
}

export interface SideSummary {
  name: string;
  rows: number;
  notOk: number;
  configs: number;
}

export interface OneSided {
  trialId: string;
  label: string;
  rows: number;
}

export interface Comparison {
  a: SideSummary;
  b: SideSummary;
  options: CompareOptions;
  environment: EnvironmentDiff;
  /** What the environment differences mean, to print before anything else. */
  environmentNotes: string[];
  tables: MetricTable[];
  onlyA: OneSided[];
  onlyB: OneSided[];
  /** Run-level warnings (rows left out, nothing in common…). */
  warnings: string[];
}

const EMPTY: Summary = { n: 0, median: NaN, lo: NaN, hi: NaN };

function summarize(xs: readonly number[], confidence: number): Summary {
  if (xs.length === 0) return EMPTY;
  const ci = medianCI(xs, confidence);
  return { n: ci.n, median: ci.median, lo: ci.lo, hi: ci.hi };
}

function compareCell(metric: MetricKey, trialId: string, label: string, xa: number[], xb: number[], opts: CompareOptions): Cell {
  const a = summarize(xa, opts.confidence);
  const b = summarize(xb, opts.confidence);
  const warnings: string[] = [];
  if (a.n === 0 || b.n === 0) {
    warnings.push(`no ok samples on the ${a.n === 0 ? 'old' : 'new'} side`);
    return { trialId, label, a, b, delta: NaN, p: NaN, significant: false, warnings };
  }
  const u = mannWhitneyU(xa, xb);
  const delta = METRICS[metric].delta === 'points' ? b.median - a.median : b.median / a.median - 1;
  if (minUTestP(a.n, b.n) > opts.alpha) warnings.push(`need ≥ ${uTestSamples(opts.alpha)} samples per side to ever detect a difference at α=${opts.alpha}`);
  if (u.allEqual) warnings.push('all samples are equal');
  if (!Number.isFinite(a.lo) || !Number.isFinite(b.lo)) warnings.push(`need ≥ ${medianCISamples(opts.confidence)} samples for a ${opts.confidence * 100}% interval`);
  return { trialId, label, a, b, delta, p: u.p, significant: u.p <= opts.alpha, warnings };
}

export function compareRuns(a: SideInput, b: SideInput, opts: CompareOptions = DEFAULT_OPTIONS): Comparison {
  const configs = joinSides(a, b);
  const both = configs.filter((c) => c.a && c.b);
  const environment = diffEnvironment(a.rows, b.rows);
  const tables: MetricTable[] = METRIC_KEYS.map((metric) => {
    const cells = both
      .filter((c) => c.a!.samples[metric].length + c.b!.samples[metric].length > 0) // a metric neither side measured
      .map((c) => compareCell(metric, c.trialId, c.label, c.a!.samples[metric], c.b!.samples[metric], opts));
    const table: MetricTable = { metric, cells, warnings: [] };
    if (METRICS[metric].geomean) {
      const ok = cells.filter((c) => c.a.median > 0 && c.b.median > 0);
      if (ok.length > 0) {
        const ga = geomean(ok.map((c) => c.a.median));
        const gb = geomean(ok.map((c) => c.b.median));
        table.geomean = { configs: ok.length, a: ga, b: gb, ratio: gb / ga };
      }
    }
    if (METRICS[metric].machine && environment.crossMachine) table.warnings.push('measured on different machines: this compares machines, not code');
    return table;
  }).filter((t) => t.cells.length > 0);

  const side = (input: SideInput, pick: 'a' | 'b'): SideSummary => ({
    name: input.name,
    rows: input.rows.length,
    notOk: configs.reduce((n, c) => n + (c[pick]?.notOk ?? 0), 0),
    configs: configs.filter((c) => c[pick]).length,
  });
  const oneSided = (pick: 'a' | 'b') =>
    configs.filter((c) => c[pick] && !c[pick === 'a' ? 'b' : 'a']).map((c) => ({ trialId: c.trialId, label: c.label, rows: c[pick]!.rows }));
  const warnings: string[] = [];
  const sa = side(a, 'a');
  const sb = side(b, 'b');
  for (const [s, which] of [[sa, 'old'], [sb, 'new']] as const) {
    if (s.notOk > 0) warnings.push(`${which}: ${s.notOk} of ${s.rows} rows diverged or failed and are left out of the statistics`);
  }
  if (both.length === 0) warnings.push('no configuration is on both sides: nothing to compare (were these runs of the same experiment?)');
  return { a: sa, b: sb, options: opts, environment, environmentNotes: environmentNotes(environment), tables, onlyA: oneSided('a'), onlyB: oneSided('b'), warnings };
}
