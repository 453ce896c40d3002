/** accuracy-vs-params: test accuracy (solid) and train accuracy (dashed) against N, one line per depth. */
import type { ReportModel } from '../model.ts';
import {
  configRows, failureLayer, failureNote, failureRows, groupColor, lineDetail, rangeRule, tooltip, topLevel, xParams, HEIGHT, WIDTH,
  type Chart, type Spec,
} from './common.ts';

const SPLIT: Spec = { scale: { domain: ['test', 'train'], range: [[1, 0], [5, 3]] }, title: 'accuracy on' };

export function accuracyVsParams(m: ReportModel): Chart | undefined {
  const rows = configRows(m, ['test_accuracy', 'train_accuracy', 'test_loss']);
  if (rows.length === 0) return undefined;
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
    name: 'accuracy-vs-params',
    title: 'Accuracy against parameter count',
    description: 'Test accuracy (solid, with points) and train accuracy (dashed) against parameters on a log axis; one line per depth, one point per width. Points are means over seeds; vertical bars span the min–max of test accuracy over seeds.',
    spec: topLevel(
      'Accuracy vs parameters',
      ['Mean over ok seeds; bars: min–max of test accuracy over seeds. Dashed: train accuracy.', ...failureNote(m)],
      { configs: rows, ...(failures ? { failures: failureRows(m) } : {}) },
      {
        width: WIDTH,
        height: HEIGHT,
        data: { name: 'configs' },
        layer: [rangeRule(m, 'test_accuracy', y), line('test_accuracy', 'test'), line('train_accuracy', 'train'), ...(failures ? [failures] : [])],
        resolve: { scale: { shape: 'independent' } },
      },
    ),
  };
}
