/** accuracy-vs-params: test accuracy (solid) and train accuracy (dashed) against N, one line per depth. */
import type { ReportModel } from '../model.ts';
import {
  configRows, emptyChart, failureLayer, failureNote, failureRows, groupColor, lineDetail, noValues, nothingOk, rangeRule, tooltip, topLevel,
  unplotted, xParams, HEIGHT, WIDTH, type Chart, type Spec,
} from './common.ts';

const SPLIT: Spec = { scale: { domain: ['test', 'train'], range: [[1, 0], [5, 3]] }, title: 'accuracy on' };

const ABOUT = {
  name: 'accuracy-vs-params',
  title: 'Accuracy against parameter count',
  description: 'Test accuracy (solid, with points) and train accuracy (dashed) against parameters on a log axis; one line per depth, one point per width. Points are means over seeds; vertical bars span the min–max of test accuracy over seeds.',
};

export function accuracyVsParams(m: ReportModel): Chart {
  const rows = configRows(m, ['test_accuracy', 'train_accuracy', 'test_loss']);
  if (rows.length === 0) return emptyChart(ABOUT, 'Accuracy vs parameters', nothingOk(m));
  if (unplotted(rows, ['test_accuracy']).length) return emptyChart(ABOUT, 'Accuracy vs parameters', noValues(['test_accuracy']));
  const withTrain = unplotted(rows, ['train_accuracy']).length === 0;
  const y: Spec = { type: 'quantitative', title: 'accuracy', scale: { zero: false } };
  const line = (field: string, split: 'test' | 'train'): Spec => ({
    mark: { type: 'line', point: split === 'test' },
    encoding: {
      x: xParams,
      y: { ...y, field },
      color: groupColor(m),
      detail: lineDetail(m),
      strokeDash: { datum: split, ...SPLIT },
      tooltip: tooltip(m, ['test_accuracy', 'train_accuracy', 'test_loss']),
    },
  });
  const failures = failureLayer(m);
  return {
    ...ABOUT,
    spec: topLevel(
      'Accuracy vs parameters',
      ['Mean over ok seeds; bars: min–max of test accuracy over seeds. Dashed: train accuracy.', ...failureNote(m)],
      { configs: rows, ...(failures ? { failures: failureRows(m) } : {}) },
      {
        width: WIDTH,
        height: HEIGHT,
        data: { name: 'configs' },
        layer: [rangeRule(m, 'test_accuracy', y), line('test_accuracy', 'test'), ...(withTrain ? [line('train_accuracy', 'train')] : []), ...(failures ? [failures] : [])],
        resolve: { scale: { shape: 'independent' } },
      },
    ),
  };
}
