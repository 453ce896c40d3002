/**
 * `--fail-on time=+5%,accuracy=-1pt`: limits on significant regressions, for CI. A limit is crossed only by a
 * delta that is significant (U test), in the metric's worse direction, and larger than the limit.
 */
import type { Comparison } from './build.ts';
import { METRICS, metricNamed, type MetricKey } from './metrics.ts';

/** A --fail-on that can't be read; the CLI turns it into a usage error (exit 2). */
export class ThresholdError extends Error {
  override name = 'ThresholdError';
}

export interface Threshold {
  metric: MetricKey;
  /** relative: b/a − 1 against limit (5% → 0.05); absolute: b − a in the metric's unit (1pt → 0.01). */
  kind: 'relative' | 'absolute';
  /** Size of the allowed worsening, ≥ 0. */
  limit: number;
  /** As written, for messages. */
  text: string;
}

export interface Violation {
  threshold: Threshold;
  trialId: string;
  label: string;
  /** The delta, in the threshold's kind. */
  delta: number;
  p: number;
}

const TERM = /^([a-z_]+)=([+-]?)(\d+(?:\.\d+)?|\.\d+)(%|pt)?$/;

/** Parse `name=±N%`, `name=±Npt` (accuracy points) or `name=±N` (the metric's own unit), comma-separated. */
export function parseFailOn(spec: string): Threshold[] {
  const terms = spec.split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (terms.length === 0) throw new ThresholdError('--fail-on: expected metric=limit, e.g. time=+5%,accuracy=-1pt');
  return terms.map((term) => {
    const m = TERM.exec(term.replace(/\s+/g, ''));
    if (!m) throw new ThresholdError(`--fail-on: cannot read "${term}": expected metric=limit, e.g. time=+5% or accuracy=-1pt`);
    const [, name, sign, value, unit] = m;
    const def = metricNamed(name);
    if (!def) {
      const names = Object.values(METRICS).map((d) => d.aliases[0]).join(', ');
      throw new ThresholdError(`--fail-on: unknown metric "${name}"; use one of ${names} (or a column name)`);
    }
    const worse = def.better === 'lower' ? '+' : '-';
    if (sign !== '' && sign !== worse) {
      throw new ThresholdError(`--fail-on: "${term}": ${def.key} gets worse as it ${worse === '+' ? 'rises' : 'falls'}; write ${name}=${worse}${value}${unit ?? ''}`);
    }
    if (unit === 'pt' && def.delta !== 'points') throw new ThresholdError(`--fail-on: "${term}": pt (percentage points) is for accuracy; use % for ${def.key}`);
    const n = Number(value);
    return unit === '%'
      ? { metric: def.key, kind: 'relative', limit: n / 100, text: term }
      : { metric: def.key, kind: 'absolute', limit: unit === 'pt' ? n / 100 : n, text: term };
  });
}

/** Every significant regression that passes a threshold. */
export function violations(cmp: Comparison, thresholds: readonly Threshold[]): Violation[] {
  const out: Violation[] = [];
  for (const t of thresholds) {
    const table = cmp.tables.find((tb) => tb.metric === t.metric);
    const worse = METRICS[t.metric].better === 'lower' ? 1 : -1;
    for (const c of table?.cells ?? []) {
      if (!c.significant) continue;
      const delta = t.kind === 'relative' ? c.b.median / c.a.median - 1 : c.b.median - c.a.median;
      if (worse * delta > t.limit) out.push({ threshold: t, trialId: c.trialId, label: c.label, delta, p: c.p });
    }
  }
  return out;
}
