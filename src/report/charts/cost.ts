/** time-vs-params (training time and samples/s, with fitted power laws) and memory-vs-params, all log-log. */
import type { ReportModel, SourceFits } from '../model.ts';
import {
  configRows, emptyChart, failureLayer, failureNote, failureRows, fmt, fmtRange, groupColor, isOverlay, lineDetail, logSpace, noValues,
  nothingOk, paramsRange, rangeRule, round, tooltip, topLevel, unplotted, xParams, HEIGHT, WIDTH, type Chart, type Json, type Spec,
} from './common.ts';

type PowerLaw = 'time' | 'throughput' | 'memory';

/** "k = 0.84 (95% CI 0.80–0.88, 12 configurations)", or why there is no fit; prefixed by the source in overlays. */
export function powerLawText(m: ReportModel, f: SourceFits, law: PowerLaw): string {
  const who = isOverlay(m) ? `${f.source}: ` : '';
  const fit = f[law];
  if (!fit) return `${who}${f.unfit[law] ?? 'no fit'}`;
  const ci = fit.ci ? `95% CI ${fmtRange(fit.ci)}, ` : 'no interval, ';
  return `${who}k = ${fmt(fit.k)} (${ci}${fit.n} configurations)`;
}

/** Points along each source's fitted power law, over that source's range of N (none without a fit). */
function powerLawCurve(m: ReportModel, law: PowerLaw): Json[] {
  return m.fits.flatMap((f) => {
    const fit = f[law];
    if (!fit) return [];
    const [lo, hi] = paramsRange(m, f.source);
    return logSpace(lo, hi, 2).map((n) => ({ source: f.source, params: round(n), fit: round(Math.exp(fit.logC) * n ** fit.k) }));
  });
}

const yLog = (title: string, format?: string): Spec => ({ type: 'quantitative', scale: { type: 'log' }, title, ...(format ? { axis: { format } } : {}) });

/** One log-log panel: means with min–max bars, the fitted law (when some source has one: an empty layer would have no extent), failures. */
function panel(m: ReportModel, field: string, y: Spec, fitData: string | undefined, title: string, subtitle: string[], withFailures: boolean): Spec {
  const failures = withFailures ? failureLayer(m) : undefined;
  return {
    title: { text: title, subtitle },
    width: WIDTH,
    height: HEIGHT,
    layer: [
      rangeRule(m, field, y),
      {
        mark: { type: 'line', point: true },
        encoding: { x: xParams, y: { ...y, field }, color: groupColor(m), detail: lineDetail(m), tooltip: tooltip(m, [field]) },
      },
      ...(fitData
        ? [{
          data: { name: fitData },
          mark: { type: 'line', strokeDash: [6, 3], strokeWidth: 1.2, ...(isOverlay(m) ? {} : { color: 'black' }) },
          encoding: { x: xParams, y: { ...y, field: 'fit' }, ...(isOverlay(m) ? { color: groupColor(m) } : {}) },
        } as Spec]
        : []),
      ...(failures ? [failures] : []),
    ],
    resolve: { scale: { shape: 'independent' } },
  };
}

const TIME = {
  name: 'time-vs-params',
  title: 'Training time and throughput against parameter count',
  description: 'Training wall time (warm-up excluded) and training samples per second against parameters, log-log, with the fitted power law time ∝ N^k (dashed) and its exponent with a 95% interval. Points are means over ok seeds; bars span min–max.',
};

export function timeVsParams(m: ReportModel): Chart {
  const rows = configRows(m, ['train_time_s', 'samples_per_s']);
  if (rows.length === 0) return emptyChart(TIME, 'Time vs parameters', nothingOk(m));
  const lacking = unplotted(rows, ['train_time_s', 'samples_per_s']);
  if (lacking.length) return emptyChart(TIME, 'Time vs parameters', noValues(lacking));
  const failures = failureLayer(m);
  const law = (name: string, which: PowerLaw) =>
    [`${name} ∝ N^k, least squares on log-log means (dashed):`, ...m.fits.map((f) => powerLawText(m, f, which))];
  const fitTime = powerLawCurve(m, 'time'), fitThroughput = powerLawCurve(m, 'throughput');
  return {
    ...TIME,
    spec: topLevel(
      'Time vs parameters',
      ['Mean over ok seeds; bars: min–max over seeds.', ...failureNote(m)],
      { configs: rows, fit_time: fitTime, fit_throughput: fitThroughput, ...(failures ? { failures: failureRows(m) } : {}) },
      {
        data: { name: 'configs' },
        hconcat: [
          panel(m, 'train_time_s', yLog('training time (s)'), fitTime.length ? 'fit_time' : undefined, 'Training time', law('time', 'time'), true),
          panel(m, 'samples_per_s', yLog('training samples / s', '~s'), fitThroughput.length ? 'fit_throughput' : undefined, 'Throughput', law('samples/s', 'throughput'), false),
        ],
      },
    ),
  };
}

const MEMORY = {
  name: 'memory-vs-params',
  title: 'Memory against parameter count',
  description: "Peak bytes held in tensors during a training step (solid) and the trial process's peak resident set size (dashed) against parameters, log-log. Points are means over ok seeds; bars span min–max.",
};

export function memoryVsParams(m: ReportModel): Chart {
  const rows = configRows(m, ['peak_tensor_bytes', 'peak_rss_bytes']);
  if (rows.length === 0) return emptyChart(MEMORY, 'Memory vs parameters', nothingOk(m));
  // A measure no configuration has (e.g. every peak_rss_bytes empty) loses its layers; with neither, the chart is empty.
  const lacking = unplotted(rows, ['peak_tensor_bytes', 'peak_rss_bytes']);
  if (lacking.length === 2) return emptyChart(MEMORY, 'Memory vs parameters', noValues(lacking));
  const drawn = (field: string) => !lacking.includes(field);
  const failures = failureLayer(m);
  const y = yLog('bytes', '~s');
  const measure = { scale: { domain: ['peak tensor bytes', 'peak RSS'], range: [[1, 0], [5, 3]] }, title: 'measure' };
  const line = (field: string, datum: string): Spec => ({
    mark: { type: 'line', point: true },
    encoding: { x: xParams, y: { ...y, field }, color: groupColor(m), detail: lineDetail(m), strokeDash: { datum, ...measure }, tooltip: tooltip(m, ['peak_tensor_bytes', 'peak_rss_bytes']) },
  });
  return {
    ...MEMORY,
    spec: topLevel(
      'Memory vs parameters',
      [
        'Mean over ok seeds; bars: min–max over seeds. Solid: peak tensor bytes; dashed: peak RSS of the process.',
        ...m.fits.map((f) => `peak tensor bytes ∝ N^k: ${powerLawText(m, f, 'memory')}`),
        ...failureNote(m),
      ],
      { configs: rows, ...(failures ? { failures: failureRows(m) } : {}) },
      {
        width: WIDTH,
        height: HEIGHT,
        data: { name: 'configs' },
        layer: [
          ...(drawn('peak_tensor_bytes') ? [rangeRule(m, 'peak_tensor_bytes', y)] : []),
          ...(drawn('peak_rss_bytes') ? [rangeRule(m, 'peak_rss_bytes', y)] : []),
          ...(drawn('peak_tensor_bytes') ? [line('peak_tensor_bytes', 'peak tensor bytes')] : []),
          ...(drawn('peak_rss_bytes') ? [line('peak_rss_bytes', 'peak RSS')] : []),
          ...(failures ? [failures] : []),
        ],
        resolve: { scale: { shape: 'independent' } },
      },
    ),
  };
}
