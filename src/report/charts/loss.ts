/** loss-vs-params: test loss against N, log-log, with the fitted saturating law L = E + A·N^(−α) as its own data layer. */
import { BOOTSTRAP, type ReportModel, type SourceFits } from '../model.ts';
import {
  configRows, emptyChart, failureLayer, failureNote, failureRows, fmt, fmtRange, groupColor, isOverlay, lineDetail, logSpace, nothingOk,
  noValues, paramsRange, rangeRule, round, tooltip, topLevel, unplotted, xParams, HEIGHT, WIDTH, type Chart, type Spec,
} from './common.ts';

/** "α = 0.45 (95% CI 0.41–0.49)", or why there is no fit ("no fit: one parameter count (N = 88)"). */
export function alphaText(f: SourceFits): string {
  const fit = f.loss;
  if (!fit) return f.unfit.loss ?? 'no fit';
  return `α = ${fmt(fit.alpha)} ${fit.ci ? `(95% CI ${fmtRange(fit.ci.alpha)})` : '(no interval)'}`;
}

/** "α = 0.45 (95% CI 0.41–0.49), E = 0.25, A = 40, 12 configurations", or why there is no fit. */
export function saturatingText(f: SourceFits): string {
  const fit = f.loss;
  return fit ? `${alphaText(f)}, E = ${fmt(fit.E)}, A = ${fmt(fit.A)}, ${fit.n} configurations` : alphaText(f);
}

export const LOSS_METHOD = `Huber loss (δ = 1e-3) on log L, 15 starting points, Nelder–Mead; 95% CI: percentile bootstrap over configurations (${BOOTSTRAP.resamples} resamples, seed ${BOOTSTRAP.seed}).`;

const ABOUT = {
  name: 'loss-vs-params',
  title: 'Test loss against parameter count, with the fitted saturating law',
  description: `Test loss against parameters, log-log, with L(N) = E + A·N^(−α) fitted to the configuration means (dashed). Fit: ${LOSS_METHOD}`,
};

export function lossVsParams(m: ReportModel): Chart {
  const rows = configRows(m, ['test_loss', 'test_accuracy']);
  if (rows.length === 0) return emptyChart(ABOUT, 'Test loss vs parameters', nothingOk(m));
  if (unplotted(rows, ['test_loss']).length) return emptyChart(ABOUT, 'Test loss vs parameters', noValues(['test_loss']));
  const failures = failureLayer(m);
  const y: Spec = { type: 'quantitative', scale: { type: 'log' }, title: 'test loss' };
  const curve = m.fits.flatMap((f) => {
    const fit = f.loss;
    if (!fit) return [];
    const [lo, hi] = paramsRange(m, f.source);
    return logSpace(lo, hi, 60).map((n) => ({ source: f.source, params: round(n), fit: round(fit.E + fit.A * n ** -fit.alpha) }));
  });
  const single = !isOverlay(m);
  const title = single ? `Test loss vs parameters: ${alphaText(m.fits[0])}` : 'Test loss vs parameters (α per source below)';
  return {
    ...ABOUT,
    spec: topLevel(
      title,
      [
        'L(N) = E + A·N^(−α) (dashed). Points: mean over ok seeds; bars: min–max over seeds.',
        ...m.fits.map((f) => `${single ? '' : `${f.source}: `}${saturatingText(f)}`),
        `Fit: ${LOSS_METHOD}`,
        ...failureNote(m),
      ],
      { configs: rows, fit_loss: curve, ...(failures ? { failures: failureRows(m) } : {}) },
      {
        width: WIDTH,
        height: HEIGHT,
        data: { name: 'configs' },
        layer: [
          rangeRule(m, 'test_loss', y),
          {
            mark: { type: 'line', point: true },
            encoding: { x: xParams, y: { ...y, field: 'test_loss' }, color: groupColor(m), detail: lineDetail(m), tooltip: tooltip(m, ['test_loss', 'test_accuracy']) },
          },
          // The fitted law, when some source has one: a layer of no rows would have no extent.
          ...(curve.length
            ? [{
              data: { name: 'fit_loss' },
              mark: { type: 'line', strokeDash: [6, 3], strokeWidth: 1.2, ...(single ? { color: 'black' } : {}) },
              encoding: { x: xParams, y: { ...y, field: 'fit' }, ...(single ? {} : { color: groupColor(m) }) },
            } as Spec]
            : []),
          ...(failures ? [failures] : []),
        ],
        resolve: { scale: { shape: 'independent' } },
      },
    ),
  };
}
