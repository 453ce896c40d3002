/** time-vs-params (training time and samples/s, with fitted power laws) and memory-vs-params, all log-log. */
import type { PowerLawFit } from '../../analysis/fit.ts';
import type { ReportModel, SourceFits } from '../model.ts';
import {
  configRows, failureLayer, failureNote, failureRows, fmt, fmtRange, groupColor, isOverlay, lineDetail, logSpace, paramsRange, rangeRule,
  round, tooltip, topLevel, xParams, HEIGHT, WIDTH, type Chart, type Json, type Spec,
} from './common.ts';

/** "k = 0.84 (95% CI 0.80–0.88, 12 configurations)", prefixed by the source in overlays. */
export function powerLawText(m: ReportModel, source: string, fit: PowerLawFit | undefined): string {
  const who = isOverlay(m) ? `${source}: ` : '';
  if (!fit) return `${who}too few configurations to fit`;
  const ci = fit.ci ? `95% CI ${fmtRange(fit.ci)}, ` : 'no interval, ';
  return `${who}k = ${fmt(fit.k)} (${ci}${fit.n} configurations)`;
}

/** Points along each source's fitted power law, over that source's range of N. */
function powerLawCurve(m: ReportModel, pick: (f: SourceFits) => PowerLawFit | undefined): Json[] {
  return m.fits.flatMap((f) => {
    const fit = pick(f);
    if (!fit) return [];
    const [lo, hi] = paramsRange(m, f.source);
    return logSpace(lo, hi, 2).map((n) => ({ source: f.source, params: round(n), fit: round(Math.exp(fit.logC) * n ** fit.k) }));
  });
}

const yLog = (title: string, format?: string): Spec => ({ type: 'quantitative', scale: { type: 'log' }, title, ...(format ? { axis: { format } } : {}) });

function panel(m: ReportModel, field: string, y: Spec, fitData: string, title: string, subtitle: string[], withFailures: boolean): Spec {
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
      {
        data: { name: fitData },
        mark: { type: 'line', strokeDash: [6, 3], strokeWidth: 1.2, ...(isOverlay(m) ? {} : { color: 'black' }) },
        encoding: { x: xParams, y: { ...y, field: 'fit' }, ...(isOverlay(m) ? { color: groupColor(m) } : {}) },
      },
      ...(failures ? [failures] : []),
    ],
    resolve: { scale: { shape: 'independent' } },
  };
}

export function timeVsParams(m: ReportModel): Chart | undefined {
  const rows = configRows(m, ['train_time_s', 'samples_per_s']);
  if (rows.length === 0) return undefined;
  const failures = failureLayer(m);
  const law = (name: string, pick: (f: SourceFits) => PowerLawFit | undefined) =>
    [`${name} ∝ N^k, least squares on log-log means (dashed):`, ...m.fits.map((f) => powerLawText(m, f.source, pick(f)))];
  return {
    name: 'time-vs-params',
    title: 'Training time and throughput against parameter count',
    description: 'Training wall time (warm-up excluded) and training samples per second against parameters, log-log, with the fitted power law time ∝ N^k (dashed) and its exponent with a 95% interval. Points are means over ok seeds; bars span min–max.',
    spec: topLevel(
      'Time vs parameters',
      ['Mean over ok seeds; bars: min–max over seeds.', ...failureNote(m)],
      { configs: rows, fit_time: powerLawCurve(m, (f) => f.time), fit_throughput: powerLawCurve(m, (f) => f.throughput), ...(failures ? { failures: failureRows(m) } : {}) },
      {
        data: { name: 'configs' },
        hconcat: [
          panel(m, 'train_time_s', yLog('training time (s)'), 'fit_time', 'Training time', law('time', (f) => f.time), true),
          panel(m, 'samples_per_s', yLog('training samples / s', '~s'), 'fit_throughput', 'Throughput', law('samples/s', (f) => f.throughput), false),
        ],
      },
    ),
  };
}

export function memoryVsParams(m: ReportModel): Chart | undefined {
  const rows = configRows(m, ['peak_tensor_bytes', 'peak_rss_bytes']);
  if (rows.length === 0) return undefined;
  const failures = failureLayer(m);
  const y = yLog('bytes', '~s');
  const measure = { scale: { domain: ['peak tensor bytes', 'peak RSS'], range: [[1, 0], [5, 3]] }, title: 'measure' };
  const line = (field: string, datum: string): Spec => ({
    mark: { type: 'line', point: true },
    encoding: { x: xParams, y: { ...y, field }, color: groupColor(m), detail: lineDetail(m), strokeDash: { datum, ...measure }, tooltip: tooltip(m, ['peak_tensor_bytes', 'peak_rss_bytes']) },
  });
  return {
    name: 'memory-vs-params',
    title: 'Memory against parameter count',
    description: "Peak bytes held in tensors during a training step (solid) and the trial process's peak resident set size (dashed) against parameters, log-log. Points are means over ok seeds; bars span min–max.",
    spec: topLevel(
      'Memory vs parameters',
      [
        'Mean over ok seeds; bars: min–max over seeds. Solid: peak tensor bytes; dashed: peak RSS of the process.',
        ...m.fits.map((f) => `peak tensor bytes ∝ N^k: ${powerLawText(m, f.source, f.memory)}`),
        ...failureNote(m),
      ],
      { configs: rows, ...(failures ? { failures: failureRows(m) } : {}) },
      {
        width: WIDTH,
        height: HEIGHT,
        data: { name: 'configs' },
        layer: [
          rangeRule(m, 'peak_tensor_bytes', y),
          rangeRule(m, 'peak_rss_bytes', y),
          line('peak_tensor_bytes', 'peak tensor bytes'),
          line('peak_rss_bytes', 'peak RSS'),
          ...(failures ? [failures] : []),
        ],
        resolve: { scale: { shape: 'independent' } },
      },
    ),
  };
}
