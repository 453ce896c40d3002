/** pareto: test accuracy against training FLOPs and against training time, Pareto-optimal configurations highlighted. */
import { paretoFront, type ConfigRecord } from '../../analysis/aggregate.ts';
import { configKey, type ReportModel } from '../model.ts';
import {
  configRows, emptyChart, failureLayer, failureNote, failureRows, groupColor, isOverlay, noValues, nothingOk, tooltip, topLevel, unplotted, HEIGHT,
  WIDTH, type Chart, type Spec,
} from './common.ts';

/** Keys of the configurations on each source's Pareto front for `cost` (lower is better) against mean test accuracy. */
export function paretoKeys(configs: readonly ConfigRecord[], cost: (c: ConfigRecord) => number): Set<string> {
  const keys = new Set<string>();
  for (const source of new Set(configs.map((c) => c.source))) {
    const mine = configs.filter((c) => c.source === source && c.ok > 0);
    for (const i of paretoFront(mine.map(cost), mine.map((c) => c.stats.test_accuracy.mean))) keys.add(configKey(mine[i]));
  }
  return keys;
}

function panel(m: ReportModel, x: Spec, flag: string, title: string, failures: Spec | undefined): Spec {
  const y: Spec = { field: 'test_accuracy', type: 'quantitative', title: 'test accuracy', scale: { zero: false } };
  const color = groupColor(m);
  return {
    title: { text: title },
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        mark: { type: 'point', opacity: 0.5 },
        encoding: { x, y, color, tooltip: tooltip(m, ['test_accuracy', 'train_time_s']) },
      },
      {
        transform: [{ filter: `datum.${flag}` }],
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.2, ...(isOverlay(m) ? {} : { color: 'black' }) },
        encoding: { x, y, ...(isOverlay(m) ? { color } : {}), detail: { field: 'source', type: 'nominal' } },
      },
      {
        transform: [{ filter: `datum.${flag}` }],
        mark: { type: 'point', filled: true, size: 70, stroke: 'black', strokeWidth: 1 },
        encoding: { x, y, color, tooltip: tooltip(m, ['test_accuracy', 'train_time_s']) },
      },
      ...(failures ? [failures] : []),
    ],
    resolve: { scale: { shape: 'independent' } },
  };
}

const ABOUT = {
  name: 'pareto',
  title: 'Accuracy against training cost',
  description: 'Mean test accuracy against analytic training FLOPs and against measured training time, log x. Filled, outlined points joined by a step line are Pareto-optimal: no other configuration of the same source is both cheaper and at least as accurate.',
};

export function pareto(m: ReportModel): Chart {
  const byFlops = paretoKeys(m.configs, (c) => c.flops);
  const byTime = paretoKeys(m.configs, (c) => c.stats.train_time_s.mean);
  const rows = configRows(m, ['test_accuracy', 'train_time_s'], (c) => ({ pareto_flops: byFlops.has(configKey(c)), pareto_time: byTime.has(configKey(c)) }));
  if (rows.length === 0) return emptyChart(ABOUT, 'Pareto front: accuracy vs cost', nothingOk(m));
  const lacking = unplotted(rows, ['test_accuracy', 'train_time_s']);
  if (lacking.length) return emptyChart(ABOUT, 'Pareto front: accuracy vs cost', noValues(lacking));
  const xFlops: Spec = { field: 'train_flops', type: 'quantitative', scale: { type: 'log' }, axis: { format: '~s' }, title: 'training FLOPs (analytic)' };
  const xTime: Spec = { field: 'train_time_s', type: 'quantitative', scale: { type: 'log' }, title: 'training time (s)' };
  const failures = failureLayer(m, xFlops);
  return {
    ...ABOUT,
    spec: topLevel(
      'Pareto front: accuracy vs cost',
      [
        'Filled, outlined points on the step line: Pareto-optimal (nothing cheaper is as accurate). Means over ok seeds.',
        ...failureNote(m).map((s) => `${s} (FLOPs panel)`),
      ],
      { configs: rows, ...(failures ? { failures: failureRows(m, 'train_flops') } : {}) },
      {
        data: { name: 'configs' },
        hconcat: [panel(m, xFlops, 'pareto_flops', 'vs training FLOPs', failures), panel(m, xTime, 'pareto_time', 'vs training time', undefined)],
      },
    ),
  };
}
