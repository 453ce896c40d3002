/** How the human-readable formats (text, markdown) write medians, intervals, deltas and test results. */
import type { Cell, Comparison, Summary } from '../build.ts';
import { METRICS, type MetricKey } from '../metrics.ts';

const SI = ['', 'k', 'M', 'G', 'T'];
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

function scaled(x: number, base: number, units: string[], sep = ''): string {
  let i = 0;
  let v = x;
  while (Math.abs(v) >= base && i < units.length - 1) {
    v /= base;
    i++;
  }
  return `${v.toPrecision(4)}${sep}${units[i]}`;
}

/** A median in the metric's unit: 91.23%, 0.3124, 1.234s, 812.3ms, 12.34k/s, 45.67MiB. */
export function formatValue(metric: MetricKey, x: number): string {
  if (!Number.isFinite(x)) return '-';
  switch (metric) {
    case 'test_accuracy':
      return `${(x * 100).toFixed(2)}%`;
    case 'test_loss':
      return x.toPrecision(4);
    case 'train_time_s':
      return x >= 1 ? `${x.toPrecision(4)}s` : `${(x * 1000).toPrecision(4)}ms`;
    case 'samples_per_s':
      return `${scaled(x, 1000, SI)}/s`;
    case 'peak_rss_bytes':
    case 'peak_tensor_bytes':
      return scaled(x, 1024, BINARY);
  }
}

/** The interval as a ± half-width (the larger side, as benchstat prints it): ± 2%, ± 0.8pt, or ± ∞. */
export function formatSpread(metric: MetricKey, s: Summary): string {
  if (s.n === 0) return '';
  if (!Number.isFinite(s.lo) || !Number.isFinite(s.hi)) return '± ∞';
  const half = Math.max(s.hi - s.median, s.median - s.lo);
  if (METRICS[metric].delta === 'points') return `± ${(half * 100).toFixed(1)}pt`;
  return s.median === 0 ? '± ∞' : `± ${Math.round((half / Math.abs(s.median)) * 100)}%`;
}

export function formatSummary(metric: MetricKey, s: Summary): string {
  return s.n === 0 ? 'n/a' : `${formatValue(metric, s.median)} ${formatSpread(metric, s)}`;
}

/** A signed delta: +20.02% for relative metrics, −0.80pt for accuracy. */
export function formatDelta(metric: MetricKey, delta: number): string {
  if (!Number.isFinite(delta)) return '?';
  const sign = delta > 0 ? '+' : delta < 0 ? '-' : '';
  const magnitude = (Math.abs(delta) * 100).toFixed(2);
  return `${sign}${magnitude}${METRICS[metric].delta === 'points' ? 'pt' : '%'}`;
}

/** `~` when not significant, else the delta; then the test: `~ (p=0.481 n=10)`, `+20.02% (p=0.000 n=10+8)`. */
export function formatChange(metric: MetricKey, c: Cell): string {
  if (c.a.n === 0 || c.b.n === 0) return 'n/a';
  const n = c.a.n === c.b.n ? `${c.a.n}` : `${c.a.n}+${c.b.n}`;
  return `${c.significant ? formatDelta(metric, c.delta) : '~'} (p=${c.p.toFixed(3)} n=${n})`;
}

const SUPERSCRIPT = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/** Numbers each distinct warning once, in order of first use, as benchstat's footnotes do. */
export class Footnotes {
  private readonly notes: string[] = [];

  /** Markers for these warnings (e.g. " ¹ ²"), or "" for none. */
  mark(warnings: readonly string[]): string {
    return warnings
      .map((w) => {
        let i = this.notes.indexOf(w);
        if (i < 0) i = this.notes.push(w) - 1;
        return ` ${String(i + 1).split('').map((d) => SUPERSCRIPT[Number(d)]).join('')}`;
      })
      .join('');
  }

  /** One line per footnote, marker first. */
  lines(): string[] {
    return this.notes.map((w, i) => `${this.mark([w]).trim()} ${w}`);
  }
}

/** Distinct commits, short. */
export function commits(list: string[]): string {
  return list.map((c) => c.slice(0, 12)).join(', ');
}

/** "30 rows, 3 configurations, commit 6cadced2a1b0" (+ how many rows were left out). */
export function describeSide(cmp: Comparison, which: 'a' | 'b'): string {
  const s = cmp[which];
  const left = s.notOk > 0 ? ` (${s.notOk} not ok)` : '';
  return `${s.rows} rows${left}, ${s.configs} configuration${s.configs === 1 ? '' : 's'}, commit ${commits(cmp.environment.commits[which])}`;
}
