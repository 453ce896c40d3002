/**
 * What every chart shares: the spec skeleton and theme, number formatting, the rows that carry each
 * configuration (with its full settings for tooltips), and the layer that shows diverged and failed trials.
 * Pure functions of the report model; the specs are plain JSON, built in a fixed key order.
 */
import type { ConfigRecord, Metric } from '../../analysis/aggregate.ts';
import { FONT_STACK } from '../font.ts';
import { configKey, type ReportModel } from '../model.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined };
export type Spec = { [key: string]: Json | undefined };

/** A chart: its file stem, a heading, a sentence for the pages, and its Vega-Lite spec. */
export interface Chart {
  name: string;
  title: string;
  description: string;
  spec: Spec;
  /** Set when the chart has nothing to plot: why (e.g. "no ok trials (0 diverged, 3 failed)"); the pages say so too. */
  empty?: string;
}

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
export const WIDTH = 360;
export const HEIGHT = 260;
export const NOT_OK_COLOR = '#d62728';

/** A number rounded to `digits` significant digits for chart data (stable, short JSON); non-finite → null. */
export function round(x: number, digits = 6): number | null {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)) : null;
}

/** A number for people: `digits` significant digits, trailing zeros dropped; non-finite → "—". */
export function fmt(x: number | undefined, digits = 3): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (x !== 0 && (Math.abs(x) >= 1e6 || Math.abs(x) < 1e-3)) return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  const s = x.toPrecision(digits);
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/** A count with an SI prefix and `digits` significant digits: 3162 → "3.2k", 1e6 → "1M". */
export function si(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return '—';
  const prefixes = ['', 'k', 'M', 'G', 'T', 'P'];
  let p = 0;
  let v = Number(x.toPrecision(digits));
  while (Math.abs(v) >= 1000 && p < prefixes.length - 1) {
    v = Number((v / 1000).toPrecision(digits));
    p++;
  }
  return `${v}${prefixes[p]}`;
}

/** An interval as "[lo, hi]". */
export const fmtRange = ([lo, hi]: [number, number], digits = 3) => `[${fmt(lo, digits)}, ${fmt(hi, digits)}]`;

/** The top-level spec: schema, title, named datasets, theme. */
export function topLevel(title: string, subtitle: string[], datasets: Record<string, Json[]>, body: Spec): Spec {
  return {
    $schema: SCHEMA,
    title: { text: title, subtitle },
    datasets,
    ...body,
    config: {
      font: FONT_STACK,
      background: 'white',
      padding: 8,
      aria: false,
      title: { anchor: 'start', fontSize: 14, subtitleFontSize: 11, subtitleColor: '#444', offset: 10 },
      axis: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal' },
      legend: { labelFontSize: 10, titleFontSize: 11, titleFontWeight: 'normal', symbolOpacity: 1 },
      header: { labelFontSize: 11, titleFontSize: 11 },
      point: { size: 36 },
      line: { strokeWidth: 1.5 },
    },
  };
}

export const isOverlay = (m: ReportModel) => m.sources.length > 1;

/** The quantitative log axis of parameter counts. */
export const xParams: Spec = { field: 'params', type: 'quantitative', scale: { type: 'log' }, axis: { format: '~s' }, title: 'parameters N' };

/** Colour by depth for one source, by source for an overlay (depth then splits lines via `detail`). */
export function groupColor(m: ReportModel): Spec {
  return isOverlay(m) ? sourceColor(m) : { field: 'depth', type: 'nominal', title: 'depth' };
}

/** Sources coloured in the order they were given. */
export function sourceColor(m: ReportModel): Spec {
  return { field: 'source', type: 'nominal', scale: { domain: m.sources.map((s) => s.label) }, title: 'source' };
}

/** Fields that split lines within one colour: depth in overlays, and any other varying setting. */
export function lineDetail(m: ReportModel): Spec[] {
  return [...(isOverlay(m) ? [{ field: 'depth', type: 'nominal' } as Spec] : []), { field: 'variant', type: 'nominal' }];
}

/** A value a log axis can show. */
export const positive = (x: number) => Number.isFinite(x) && x > 0;

/** Metrics the charts draw on log axes: a value there must be positive, so a zero becomes null (not drawn) like an empty cell. */
const LOG_METRICS: ReadonlySet<Metric> = new Set(['test_loss', 'train_loss', 'train_time_s', 'samples_per_s', 'flops_per_s', 'peak_tensor_bytes', 'peak_rss_bytes', 'latency_ms_mean']);

/** One row per configuration with at least one ok trial (and a parameter count): identity, the metrics' mean/min/max over ok seeds, settings. */
export function configRows(m: ReportModel, metrics: readonly Metric[], extra: (c: ConfigRecord) => Spec = () => ({})): Json[] {
  return m.configs.filter((c) => c.ok > 0 && positive(c.params)).map((c) => {
    const row: Spec = { source: c.source, trial_id: c.trialId, width: c.width, depth: c.depth, params: c.params, train_flops: c.flops };
    const value = (k: Metric, x: number) => (LOG_METRICS.has(k) && !(x > 0) ? null : round(x));
    for (const k of metrics) {
      const s = c.stats[k];
      row[k] = value(k, s.mean);
      row[`${k}_min`] = value(k, s.min);
      row[`${k}_max`] = value(k, s.max);
    }
    Object.assign(row, extra(c));
    row.variant = m.variants.get(configKey(c)) ?? '';
    row.seeds = c.seeds.join(' ');
    row.ok_trials = c.ok;
    row.not_ok_trials = c.diverged + c.failed;
    row.settings = c.settings;
    return row;
  });
}

/** Tooltip: who the point is, the chart's own metrics, then the full settings. */
export function tooltip(m: ReportModel, metrics: readonly string[]): Spec[] {
  return [
    ...(isOverlay(m) ? [{ field: 'source', type: 'nominal' } as Spec] : []),
    { field: 'width', type: 'quantitative' },
    { field: 'depth', type: 'quantitative' },
    { field: 'params', type: 'quantitative', format: ',' },
    ...metrics.map((f): Spec => ({ field: f, type: 'quantitative', format: '.4~g', title: `${f} (mean)` })),
    { field: 'variant', type: 'nominal' },
    { field: 'seeds', type: 'nominal' },
    { field: 'ok_trials', type: 'quantitative' },
    { field: 'not_ok_trials', type: 'quantitative' },
    { field: 'trial_id', type: 'nominal' },
    { field: 'settings', type: 'nominal' },
  ];
}

/** Trials that diverged or failed and can be placed on a log axis of `x` (parameters, or FLOPs). */
const drawableFailures = (m: ReportModel, x: 'params' | 'train_flops') =>
  m.trials.filter((t) => t.status !== 'ok' && positive(x === 'params' ? t.params : t.flops));

/**
 * One row per configuration and status among trials that diverged or failed, with their seeds and errors.
 * Trials without a positive `x` (a row with empty cells) have no place on the axis and are left out; failureNote counts them.
 */
export function failureRows(m: ReportModel, x: 'params' | 'train_flops' = 'params'): Json[] {
  const groups = new Map<string, typeof m.trials>();
  for (const t of drawableFailures(m, x)) {
    const key = `${t.source}\u0000${t.trialId}\u0000${t.status}`;
    const list = groups.get(key);
    if (list) list.push(t);
    else groups.set(key, [t]);
  }
  return [...groups.values()].map((g) => ({
    source: g[0].source,
    trial_id: g[0].trialId,
    width: g[0].width,
    depth: g[0].depth,
    params: g[0].params,
    train_flops: g[0].flops,
    status: g[0].status === 'diverged' ? 'diverged' : 'failed',
    trials: g.length,
    seeds: g.map((t) => t.seed).join(' '),
    error: [...new Set(g.map((t) => t.error))].join(' | '),
    settings: g[0].settings,
  }));
}

/** Diverged (✚) and failed (▼) trials as red marks on the x axis at their own x, with their errors in the tooltip; none if there are none to draw. */
export function failureLayer(m: ReportModel, x: Spec = xParams): Spec | undefined {
  if (drawableFailures(m, x.field === 'train_flops' ? 'train_flops' : 'params').length === 0) return undefined;
  return {
    data: { name: 'failures' },
    mark: { type: 'point', filled: true, size: 70, color: NOT_OK_COLOR, opacity: 0.9 },
    encoding: {
      x,
      y: { value: 'height' },
      shape: { field: 'status', type: 'nominal', scale: { domain: ['diverged', 'failed'], range: ['cross', 'triangle-down'] }, title: 'not ok (on the x axis)' },
      tooltip: [
        ...(isOverlay(m) ? [{ field: 'source', type: 'nominal' } as Spec] : []),
        { field: 'status', type: 'nominal' },
        { field: 'trials', type: 'quantitative' },
        { field: 'seeds', type: 'nominal' },
        { field: 'error', type: 'nominal' },
        { field: 'width', type: 'quantitative' },
        { field: 'depth', type: 'quantitative' },
        { field: 'params', type: 'quantitative', format: ',' },
        { field: 'trial_id', type: 'nominal' },
        { field: 'settings', type: 'nominal' },
      ],
    },
  };
}

/** "n diverged, m failed (red marks on the x axis)" or nothing. */
export function failureNote(m: ReportModel): string[] {
  const diverged = m.trials.filter((t) => t.status === 'diverged').length;
  const failed = m.trials.filter((t) => t.status !== 'ok' && t.status !== 'diverged').length;
  if (diverged + failed === 0) return [];
  const lost = m.trials.filter((t) => t.status !== 'ok' && !positive(t.params)).length;
  return [
    `Not ok: ${diverged} diverged (✚), ${failed} failed (▼) trials, drawn on the x axis at their own x.`,
    ...(lost ? [`${lost} not-ok trial${lost > 1 ? 's' : ''} without a parameter count ${lost > 1 ? 'are' : 'is'} not drawn.`] : []),
  ];
}

/** Of `fields`, those that no row has a value for: a layer drawing one would have no extent. */
export function unplotted(rows: readonly Json[], fields: readonly string[]): string[] {
  return fields.filter((f) => !rows.some((r) => (r as Spec)[f] !== null && (r as Spec)[f] !== undefined));
}

/** Why a chart whose rows lack `fields` has nothing to plot. */
export const noValues = (fields: readonly string[]) => `no ok configuration has a positive, finite ${fields.join(' or ')}`;

/** Why a per-configuration chart has no point to draw. */
export function nothingOk(m: ReportModel): string {
  if (m.trials.length === 0) return 'no trials in the results yet';
  const diverged = m.trials.filter((t) => t.status === 'diverged').length;
  const notOk = m.trials.filter((t) => t.status !== 'ok').length;
  if (notOk === m.trials.length) return `no ok trials (${diverged} diverged, ${notOk - diverged} failed)`;
  return 'no ok trial has a parameter count';
}

/**
 * A chart with nothing to plot: an empty frame of the usual size, titled as usual, whose subtitle (and the
 * pages, from `empty`) says why. It has no scales, so Vega has no extent to compute from data that isn't there.
 */
export function emptyChart(chart: Omit<Chart, 'spec' | 'empty'>, title: string, why: string): Chart {
  return {
    ...chart,
    empty: why,
    spec: topLevel(title, [`Nothing to plot: ${why}.`], {}, {
      width: WIDTH,
      height: HEIGHT,
      data: { values: [{}] },
      mark: { type: 'text', color: '#888', fontSize: 12 },
      encoding: { x: { value: WIDTH / 2 }, y: { value: HEIGHT / 2 }, text: { value: 'nothing to plot' } },
    }),
  };
}

/** `n` points log-spaced over [lo, hi]. */
export function logSpace(lo: number, hi: number, n: number): number[] {
  if (!(lo > 0) || !(hi >= lo)) return [];
  if (lo === hi) return [lo];
  return Array.from({ length: n }, (_, i) => Math.exp(Math.log(lo) + ((Math.log(hi) - Math.log(lo)) * i) / (n - 1)));
}

/** The params range of a source's ok configurations. */
export function paramsRange(m: ReportModel, source: string): [number, number] {
  const ps = m.configs.filter((c) => c.source === source && c.ok > 0).map((c) => c.params).filter((p) => p > 0);
  return ps.length ? [Math.min(...ps), Math.max(...ps)] : [NaN, NaN];
}

/** Min–max error bars for `field` over seeds. */
export function rangeRule(m: ReportModel, field: string, y: Spec): Spec {
  return {
    mark: { type: 'rule', opacity: 0.45 },
    encoding: { x: xParams, y: { ...y, field: `${field}_min` }, y2: { field: `${field}_max` }, color: groupColor(m), detail: lineDetail(m) },
  };
}
