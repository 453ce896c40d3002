/**
 * learning-curves: train and test loss per epoch for every trial, coloured by parameter count.
 *
 * Each curve is drawn as rule segments from one epoch to the next, precomputed here, rather than as a
 * Vega-Lite line per trial: a line per trial makes Vega build a sub-dataflow per trial, which for a
 * 1,000-trial sweep costs seconds; segments are one flat mark.
 */
import type { EpochPoint, ReportModel } from '../model.ts';
import { isOverlay, NOT_OK_COLOR, round, topLevel, type Chart, type Json, type Spec } from './common.ts';

const SPLITS = [
  { split: 'train loss', loss: (e: EpochPoint) => e.trainLoss },
  { split: 'test loss', loss: (e: EpochPoint) => e.testLoss },
] as const;

/**
 * Rows of the `curves` dataset. kind 'segment': epoch → epoch2; 'single': a curve with one finite point;
 * 'end': the last finite point of a trial that diverged or failed.
 */
export function curveRows(m: ReportModel): { rows: Json[]; trials: Json[] } {
  const key = (e: { source: string; trialId: string; seed: number }) => `${isOverlay(m) ? `${e.source}/` : ''}${e.trialId}/${e.seed}`;
  const curves = new Map<string, EpochPoint[]>();
  for (const e of m.epochs) {
    const k = key(e);
    const list = curves.get(k);
    if (list) list.push(e);
    else curves.set(k, [e]);
  }
  const rows: Json[] = [];
  for (const [trial, points] of curves) {
    const source = points[0].source;
    for (const { split, loss } of SPLITS) {
      const pts = points.filter((e) => loss(e) > 0 && Number.isFinite(loss(e)));
      for (let i = 0; i + 1 < pts.length; i++) {
        rows.push({ trial, source, split, kind: 'segment', epoch: pts[i].epoch, epoch2: pts[i + 1].epoch, loss: round(loss(pts[i])), loss2: round(loss(pts[i + 1])) });
      }
      const last = pts[pts.length - 1];
      if (pts.length === 1) rows.push({ trial, source, split, kind: 'single', epoch: last.epoch, loss: round(loss(last)) });
      if (last && points[0].status !== 'ok') rows.push({ trial, source, split, kind: 'end', epoch: last.epoch, loss: round(loss(last)) });
    }
  }
  const trials = m.trials.filter((t) => curves.has(key(t))).map((t) => ({
    trial: key(t), width: t.width, depth: t.depth, params: t.params, seed: t.seed, status: t.status, error: t.error, settings: t.settings,
  }));
  return { rows, trials };
}

export function learningCurves(m: ReportModel): Chart | undefined {
  if (m.epochs.length === 0) return undefined;
  const { rows, trials } = curveRows(m);
  const x: Spec = { field: 'epoch', type: 'quantitative', scale: { zero: false }, axis: { tickMinStep: 1 }, title: 'epoch' };
  const y: Spec = { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'loss' };
  const color: Spec = { field: 'params', type: 'quantitative', scale: { type: 'log', scheme: 'viridis' }, legend: { type: 'gradient', format: '~s' }, title: 'parameters N' };
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
  const only = (kind: string) => ({ filter: `datum.kind == '${kind}'` });
  return {
    name: 'learning-curves',
    title: 'Learning curves',
    description: `Training and test loss after each epoch for every trial that recorded them (${trials.length} trials), coloured by parameter count (log scale). Red marks end the curves of trials that diverged or failed, at their last finite loss.`,
    spec: topLevel(
      'Learning curves',
      [
        `Loss after each epoch, one curve per trial (${trials.length}), coloured by parameter count.`,
        ...(rows.some((r) => (r as Spec).kind === 'end') ? ['Red ✚: last finite loss of a trial that diverged or failed.'] : []),
        ...(m.orphanEpochs ? [`${m.orphanEpochs} per-epoch rows whose trial has no results row are not drawn.`] : []),
      ],
      { curves: rows, trials },
      {
        data: { name: 'curves' },
        transform: [{ lookup: 'trial', from: { data: { name: 'trials' }, key: 'trial', fields: ['width', 'depth', 'params', 'seed', 'status', 'error', 'settings'] } }],
        facet: {
          column: { field: 'split', type: 'nominal', sort: SPLITS.map((s) => s.split), title: null },
          ...(isOverlay(m) ? { row: { field: 'source', type: 'nominal', title: null } } : {}),
        },
        spec: {
          width: 300,
          height: 220,
          layer: [
            { transform: [only('segment')], mark: { type: 'rule', strokeWidth: 1 }, encoding: { x, x2: { field: 'epoch2' }, y, y2: { field: 'loss2' }, color, tooltip: tip } },
            ...(rows.some((r) => (r as Spec).kind === 'single')
              ? [{ transform: [only('single')], mark: { type: 'point', filled: true, size: 20 }, encoding: { x, y, color, tooltip: tip } } as Spec]
              : []),
            ...(rows.some((r) => (r as Spec).kind === 'end')
              ? [{ transform: [only('end')], mark: { type: 'point', shape: 'cross', filled: true, size: 60, color: NOT_OK_COLOR }, encoding: { x, y, tooltip: tip } } as Spec]
              : []),
          ],
        },
      },
    ),
  };
}
