/**
 * The report's tables as data (header + rows of plain text), so the Markdown and HTML pages show the same
 * figures: fitted laws, the best configuration per parameter bucket, trials that did not finish ok, and
 * the environment each source ran in. Pure.
 */
import { paramBucket, type ConfigRecord } from '../analysis/aggregate.ts';
import type { Column } from '../results/columns.ts';
import { fmt, fmtRange, si } from './charts/common.ts';
import { LOSS_METHOD } from './charts/loss.ts';
import { bucketLabel } from './charts/shape.ts';
import { configKey, type ReportModel, type SourceFits } from './model.ts';

export interface Table {
  header: string[];
  rows: string[][];
}

/** An integer cell; an empty CSV cell (NaN) shows as "—". */
const int = (x: number) => (Number.isFinite(x) ? String(x) : '—');
const shape = (c: { width: number; depth: number }) => `${int(c.width)} × ${int(c.depth)}`;

export function fitsTable(m: ReportModel): Table {
  const rows: string[][] = [];
  const power = (f: SourceFits, what: string, law: 'time' | 'throughput' | 'memory') => {
    const fit = f[law];
    rows.push([f.source, what, `∝ N^k`, fit ? `k = ${fmt(fit.k)}` : f.unfit[law] ?? '—', fit?.ci ? fmtRange(fit.ci) : '—', fit ? `R² = ${fmt(fit.r2)}` : '—', String(fit?.n ?? 0)]);
  };
  for (const f of m.fits) {
    const l = f.loss;
    rows.push([
      f.source, 'test loss', 'E + A·N^(−α)', l ? `α = ${fmt(l.alpha)}` : f.unfit.loss ?? '—', l?.ci ? fmtRange(l.ci.alpha) : '—',
      l ? `E = ${fmt(l.E)}${l.ci ? ` ${fmtRange(l.ci.E)}` : ''}, A = ${fmt(l.A)}${l.ci ? ` ${fmtRange(l.ci.A)}` : ''}` : '—', String(l?.n ?? 0),
    ]);
    power(f, 'training time', 'time');
    power(f, 'samples / s', 'throughput');
    power(f, 'peak tensor bytes', 'memory');
  }
  return { header: ['source', 'quantity', 'law', 'exponent', '95% CI', 'other parameters', 'configurations'], rows };
}

export const FIT_NOTES = [
  'Fits use each configuration’s mean over its ok seeds; N is the trainable parameter count.',
  'Power laws: least squares on log–log values; the interval is the slope’s 95% Student-t interval.',
  `Saturating law: ${LOSS_METHOD}`,
];

/** Per source and half-decade of N, the configuration with the highest mean test accuracy. */
export function bestTable(m: ReportModel): Table {
  const best = new Map<string, ConfigRecord>();
  for (const c of m.configs) {
    if (c.ok === 0 || !Number.isFinite(c.stats.test_accuracy.mean) || !(c.params > 0)) continue;
    const key = `${c.source}\u0000${String(paramBucket(c.params).index).padStart(4, '0')}`;
    const cur = best.get(key);
    if (!cur || c.stats.test_accuracy.mean > cur.stats.test_accuracy.mean) best.set(key, c);
  }
  const order = new Map(m.sources.map((s, i) => [s.label, i]));
  const rows = [...best.values()]
    .sort((a, b) => order.get(a.source)! - order.get(b.source)! || a.params - b.params)
    .map((c) => {
      const acc = c.stats.test_accuracy;
      return [
        c.source, bucketLabel(c.params), shape(c), m.variants.get(configKey(c)) || '—', String(c.params),
        `${fmt(acc.mean, 4)} [${fmt(acc.min, 4)}–${fmt(acc.max, 4)}]`, `${c.ok} of ${c.seeds.length}`,
        fmt(c.stats.test_loss.mean, 4), fmt(c.stats.train_time_s.mean), c.trialId,
      ];
    });
  return {
    header: ['source', 'params bucket', 'width × depth', 'other settings', 'params', 'test accuracy, mean [min–max]', 'ok seeds', 'test loss', 'training time (s)', 'trial_id'],
    rows,
  };
}

/** Every trial that diverged or failed, with its error. */
export function notOkTable(m: ReportModel): Table {
  const rows = m.trials
    .filter((t) => t.status !== 'ok')
    .map((t) => [t.source, t.status, shape(t), int(t.params), int(t.seed), t.error || '—', t.trialId]);
  return { header: ['source', 'status', 'width × depth', 'params', 'seed', 'error', 'trial_id'], rows };
}

const ENV: [string, Column][] = [
  ['backend', 'backend'], ['tuned', 'tuned'], ['CPU', 'cpu'], ['cores', 'cores'], ['OS', 'os'], ['TensorFlow.js', 'tfjs_version'],
  ['Node.js', 'node_version'], ['commit', 'git_commit'], ['uncommitted changes', 'git_dirty'], ['jobs', 'jobs'],
];

/** The environment, read from the CSV columns: every distinct value per source. */
export function envTable(m: ReportModel): Table {
  const distinct = (source: string, col: Column) =>
    [...new Set(m.trials.filter((t) => t.source === source).map((t) => t.row[col]).filter((v) => v !== ''))].sort();
  const rows = ENV.map(([label, col]) => [label, ...m.sources.map((s) => distinct(s.label, col).map((v) => (col === 'git_commit' ? v.slice(0, 12) : v)).join(', ') || '—')]);
  rows.push(['trials started', ...m.sources.map((s) => {
    const times = distinct(s.label, 'started_at');
    return times.length ? `${times[0]} – ${times[times.length - 1]}` : '—';
  })]);
  return { header: ['', ...m.sources.map((s) => s.label)], rows };
}

/** One line: trials by status, configurations, seeds. */
export function summaryLine(m: ReportModel, source: string): string {
  const trials = m.trials.filter((t) => t.source === source);
  const count = (s: string) => trials.filter((t) => t.status === s).length;
  const other = trials.length - count('ok') - count('diverged') - count('failed');
  const configs = m.configs.filter((c) => c.source === source).length;
  const seeds = [...new Set(trials.map((t) => t.seed).filter(Number.isFinite))].sort((a, b) => a - b);
  const params = trials.map((t) => t.params).filter((p) => p > 0);
  const range = params.length ? `, N from ${si(Math.min(...params))} to ${si(Math.max(...params))}` : '';
  return `${trials.length} trials (${count('ok')} ok, ${count('diverged')} diverged, ${count('failed') + other} failed) in ${configs} configurations × seeds {${seeds.join(', ')}}${range}`;
}
