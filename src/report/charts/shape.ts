/** width-vs-depth: within each half-decade of parameter count, how test accuracy depends on depth, and which shape wins. */
import { paramBucket } from '../../analysis/aggregate.ts';
import { configKey, type ReportModel } from '../model.ts';
import {
  configRows, emptyChart, failureNote, failureRows, isOverlay, noValues, nothingOk, NOT_OK_COLOR, positive, si, sourceColor, tooltip, topLevel,
  unplotted, HEIGHT, type Chart, type Json, type Spec,
} from './common.ts';

export const bucketLabel = (params: number) => {
  const b = paramBucket(params);
  return `${si(b.lo)}–${si(b.hi)}`;
};

const ABOUT = {
  name: 'width-vs-depth',
  title: 'Width against depth at similar parameter count',
  description: 'Configurations grouped into half-decade buckets of parameter count; within a bucket, points are spread by depth. The best configuration of each bucket (highest mean test accuracy) is drawn large with a black outline and labelled with its width (w).',
};

export function widthVsDepth(m: ReportModel): Chart {
  const ok = m.configs.filter((c) => c.ok > 0 && positive(c.params));
  if (ok.length === 0) return emptyChart(ABOUT, 'Width vs depth at similar parameter count', nothingOk(m));
  const best = new Set<string>();
  const groups = new Map<string, typeof ok>();
  for (const c of ok) {
    const key = `${c.source}\u0000${paramBucket(c.params).index}`;
    const list = groups.get(key);
    if (list) list.push(c);
    else groups.set(key, [c]);
  }
  for (const g of groups.values()) {
    const top = g.reduce((a, b) => (b.stats.test_accuracy.mean > a.stats.test_accuracy.mean ? b : a));
    if (Number.isFinite(top.stats.test_accuracy.mean)) best.add(configKey(top));
  }
  const bucketOf = (params: number) => ({ bucket: paramBucket(params).index, bucket_label: bucketLabel(params) });
  const rows = configRows(m, ['test_accuracy'], (c) => ({ ...bucketOf(c.params), best_in_bucket: best.has(configKey(c)) }));
  if (unplotted(rows, ['test_accuracy']).length) return emptyChart(ABOUT, 'Width vs depth at similar parameter count', noValues(['test_accuracy']));
  const failures: Json[] = failureRows(m).map((r) => ({ ...(r as Spec), ...bucketOf((r as { params: number }).params) }));
  // Trials with an empty parameter count or depth have no bucket or offset: they are left out (failureNote counts them).
  const drawn = m.trials.filter((t) => positive(t.params));
  const buckets = [...new Set(drawn.map((t) => paramBucket(t.params).index))].sort((a, b) => a - b);
  const depths = [...new Set(drawn.map((t) => t.depth).filter(Number.isFinite))].sort((a, b) => a - b);
  const x: Spec = { field: 'bucket_label', type: 'nominal', scale: { type: 'band', domain: buckets.map((b) => bucketLabel(10 ** (b / 2) * 1.0001)), paddingInner: 0.2 }, axis: { labelAngle: 0 }, title: 'parameters N (half-decade buckets)' };
  const xOffset: Spec = { field: 'depth', type: 'nominal', scale: { domain: depths }, title: 'depth' };
  const color: Spec = isOverlay(m) ? sourceColor(m) : { field: 'depth', type: 'nominal', scale: { domain: depths }, title: 'depth' };
  const y: Spec = { field: 'test_accuracy', type: 'quantitative', title: 'test accuracy (mean over ok seeds)', scale: { zero: false } };
  const tip = tooltip(m, ['test_accuracy']);
  return {
    ...ABOUT,
    spec: topLevel(
      'Width vs depth at similar parameter count',
      ['Within each bucket, points sit by depth; large outlined point: the bucket’s most accurate shape, labelled with its width.', ...failureNote(m)],
      { configs: rows, ...(failures.length ? { failures } : {}) },
      {
        width: Math.max(360, 90 * buckets.length),
        height: HEIGHT,
        data: { name: 'configs' },
        layer: [
          { mark: { type: 'point', filled: true, opacity: 0.75 }, encoding: { x, xOffset, y, color, tooltip: tip } },
          {
            transform: [{ filter: 'datum.best_in_bucket' }],
            mark: { type: 'point', filled: true, size: 160, stroke: 'black', strokeWidth: 1.5 },
            encoding: { x, xOffset, y, color, tooltip: tip },
          },
          {
            transform: [{ filter: 'datum.best_in_bucket' }, { calculate: "'w ' + datum.width", as: 'label' }],
            mark: { type: 'text', dy: -14, fontSize: 10 },
            encoding: { x, xOffset, y, text: { field: 'label', type: 'nominal' } },
          },
          ...(failures.length
            ? [{
              data: { name: 'failures' },
              mark: { type: 'point', filled: true, size: 70, color: NOT_OK_COLOR },
              encoding: {
                x, xOffset, y: { value: 'height' },
                shape: { field: 'status', type: 'nominal', scale: { domain: ['diverged', 'failed'], range: ['cross', 'triangle-down'] }, title: 'not ok (on the x axis)' },
                tooltip: [{ field: 'status', type: 'nominal' }, { field: 'trials', type: 'quantitative' }, { field: 'error', type: 'nominal' }, { field: 'width', type: 'quantitative' }, { field: 'depth', type: 'quantitative' }, { field: 'settings', type: 'nominal' }],
              },
            } as Spec]
            : []),
        ],
      },
    ),
  };
}
