/**
 * learning-curves: train and test loss per epoch for every trial, coloured by parameter count.
 *
 * Drawing cost matters here (1,000 trials × epochs × 2 splits in a big sweep). A Vega-Lite line per trial
 * makes Vega build a sub-dataflow per trial, which costs seconds; instead the trials that share a parameter
 * count (and so a colour) form one path, broken between trials by a row with no loss. Per-trial tooltips
 * come from invisible points in a layer named TOOLTIP_LAYER, which static renders drop (render.ts), as
 * they drop the lookup of each trial's settings from TOOLTIP_DATASET.
 */
import type { EpochPoint, ReportModel } from '../model.ts';
import { emptyChart, isOverlay, NOT_OK_COLOR, positive, round, topLevel, type Chart, type Json, type Spec } from './common.ts';

/** Layers with this name exist only to carry tooltips; the static SVG and PNG leave them out. */
export const TOOLTIP_LAYER = 'tooltip_targets';
/** A dataset only looked up for tooltips; static renders skip the lookup. */
export const TOOLTIP_DATASET = 'tooltip_trials';

const SPLITS = [
  { split: 'train loss', loss: (e: EpochPoint) => e.trainLoss },
  { split: 'test loss', loss: (e: EpochPoint) => e.testLoss },
] as const;

const finite = (x: number) => x > 0 && Number.isFinite(x);

/**
 * Rows of the `curves` dataset, in drawing order (by source, parameter count, then trial). kind 'line': a
 * point of a curve, and after each curve a break (loss null); 'single': a curve with one finite point,
 * which a path cannot show; 'end': the last finite point of a trial that diverged or failed.
 */
export function curveRows(m: ReportModel): { rows: Json[]; trials: Json[] } {
  const key = (e: { source: string; trialId: string; seed: number }) => `${isOverlay(m) ? `${e.source}/` : ''}${e.trialId}/${e.seed}`;
  const curves = new Map<string, EpochPoint[]>();
  // A trial without a parameter count has no colour on the log scale: its curve is left out.
  for (const e of m.epochs.filter((p) => positive(p.params))) {
    const list = curves.get(key(e));
    if (list) list.push(e);
    else curves.set(key(e), [e]);
  }
  const sources = m.sources.map((s) => s.label);
  const order = [...curves.entries()].sort(
    ([, a], [, b]) => sources.indexOf(a[0].source) - sources.indexOf(b[0].source) || a[0].params - b[0].params,
  );
  const rows: Json[] = [];
  for (const [trial, points] of order) {
    const { params, status } = points[0];
    // The source is needed only to facet an overlay; one source's rows leave it out.
    const source = isOverlay(m) ? points[0].source : undefined;
    for (const { split, loss } of SPLITS) {
      const pts = points.filter((e) => finite(loss(e)));
      for (const e of pts) rows.push({ trial, source, split, kind: 'line', params, epoch: e.epoch, loss: round(loss(e)) });
      rows.push({ trial, source, split, kind: 'line', params, epoch: null, loss: null });
      const last = pts[pts.length - 1];
      if (pts.length === 1) rows.push({ trial, source, split, kind: 'single', params, epoch: last.epoch, loss: round(loss(last)) });
      if (last && status !== 'ok') rows.push({ trial, source, split, kind: 'end', params, epoch: last.epoch, loss: round(loss(last)) });
    }
  }
  const trials = m.trials.filter((t) => curves.has(key(t))).map((t) => ({
    trial: key(t), width: t.width, depth: t.depth, seed: t.seed, status: t.status, error: t.error, settings: t.settings,
  }));
  return { rows, trials };
}

const ABOUT = { name: 'learning-curves', title: 'Learning curves' };

/** Why there is no curve to draw, or undefined if there is one. */
function noCurves(m: ReportModel, rows: Json[]): string | undefined {
  if (rows.some((r) => (r as Spec).loss !== null)) return undefined;
  if (m.epochs.length > 0) return m.epochs.some((e) => positive(e.params)) ? 'no finite loss in the per-epoch rows' : 'no per-epoch rows of a trial with a parameter count';
  if (m.orphanEpochs > 0) return `none of the ${m.orphanEpochs} per-epoch rows belongs to a trial in the results`;
  if (m.trials.length === 0) return 'no trials in the results yet';
  const files = m.sources.map((s) => s.file.replace(/^(\.\.\/)+/, '').replace(/(\.csv)?$/, '.epochs.csv'));
  return `no per-epoch rows (${files.join(', ')} ${files.length > 1 ? 'are' : 'is'} missing or empty)`;
}

export function learningCurves(m: ReportModel): Chart {
  const { rows, trials } = curveRows(m);
  const why = noCurves(m, rows);
  if (why) {
    return emptyChart({ ...ABOUT, description: 'Training and test loss after each epoch for every trial that recorded them, coloured by parameter count (log scale).' }, 'Learning curves', why);
  }
  const has = (kind: string) => rows.some((r) => (r as Spec).kind === kind);
  // Curves of one finite point each are drawn as points only: a line layer of breaks alone would have no extent.
  const lines = rows.some((r) => (r as Spec).kind === 'line' && (r as Spec).loss !== null);
  const x: Spec = { field: 'epoch', type: 'quantitative', scale: { zero: false }, axis: { tickMinStep: 1 }, title: 'epoch' };
  const y: Spec = { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'loss' };
  const color: Spec = { field: 'params', type: 'quantitative', scale: { type: 'log', scheme: 'viridis' }, legend: { type: 'gradient', format: '~s' }, title: 'parameters N' };
  const only = (kind: string) => ({ filter: `datum.kind == '${kind}' && datum.loss != null` });
  const tip: Spec[] = [
    ...(isOverlay(m) ? [{ field: 'source', type: 'nominal' } as Spec] : []),
    { field: 'trial', type: 'nominal' },
    { field: 'width', type: 'quantitative' },
    { field: 'depth', type: 'quantitative' },
    { field: 'params', type: 'quantitative', format: ',' },
    { field: 'epoch', type: 'quantitative' },
    { field: 'loss', type: 'quantitative', format: '.4~g' },
    { field: 'status', type: 'nominal' },
    { field: 'error', type: 'nominal' },
    { field: 'settings', type: 'nominal' },
  ];
  const lookup = { lookup: 'trial', from: { data: { name: TOOLTIP_DATASET }, key: 'trial', fields: ['width', 'depth', 'seed', 'status', 'error', 'settings'] } };
  return {
    ...ABOUT,
    description: `Training and test loss after each epoch for every trial that recorded them (${trials.length} trials), coloured by parameter count (log scale). Red marks end the curves of trials that diverged or failed, at their last finite loss.`,
    spec: topLevel(
      'Learning curves',
      [
        `Loss after each epoch, one curve per trial (${trials.length}), coloured by parameter count.`,
        ...(has('end') ? ['Red ✚: last finite loss of a trial that diverged or failed.'] : []),
        ...(m.orphanEpochs ? [`${m.orphanEpochs} per-epoch rows whose trial has no results row are not drawn.`] : []),
      ],
      { curves: rows, [TOOLTIP_DATASET]: trials },
      {
        data: { name: 'curves' },
        transform: [lookup],
        facet: {
          column: { field: 'split', type: 'nominal', sort: SPLITS.map((s) => s.split), title: null },
          ...(isOverlay(m) ? { row: { field: 'source', type: 'nominal', sort: m.sources.map((s) => s.label), title: null } } : {}),
        },
        spec: {
          width: 300,
          height: 220,
          layer: [
            ...(lines
              ? [{
                transform: [{ filter: "datum.kind == 'line'" }],
                mark: { type: 'line', strokeWidth: 1, invalid: 'break-paths-show-domains' },
                encoding: { x, y, color, detail: { field: 'params', type: 'quantitative' }, order: { value: null } },
              } as Spec]
              : []),
            ...(has('single') ? [{ transform: [only('single')], mark: { type: 'point', filled: true, size: 20 }, encoding: { x, y, color } } as Spec] : []),
            ...(has('end') ? [{ transform: [only('end')], mark: { type: 'point', shape: 'cross', filled: true, size: 60, color: NOT_OK_COLOR }, encoding: { x, y } } as Spec] : []),
            { name: TOOLTIP_LAYER, transform: [only(lines ? 'line' : 'single')], mark: { type: 'point', opacity: 0, size: 40 }, encoding: { x, y, tooltip: tip } },
          ],
        },
      },
    ),
  };
}
