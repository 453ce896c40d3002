/** JSON: the whole comparison with full-precision numbers (null where a number is unavailable or unbounded). */
import type { Comparison, SideSummary, Summary } from '../build.ts';
import { METRICS } from '../metrics.ts';

const num = (x: number) => (Number.isFinite(x) ? x : null);
const summary = (s: Summary) => ({ n: s.n, median: num(s.median), lo: num(s.lo), hi: num(s.hi) });

const side = (s: SideSummary) => ({ name: s.name, rows: s.rows, not_ok: s.notOk, configs: s.configs });

export function formatJson(cmp: Comparison): string {
  const doc = {
    old: side(cmp.a),
    new: side(cmp.b),
    alpha: cmp.options.alpha,
    confidence: cmp.options.confidence,
    environment: {
      differences: cmp.environment.differences.map((d) => ({ column: d.column, old: d.a, new: d.b })),
      cross_machine: cmp.environment.crossMachine,
      commits: { old: cmp.environment.commits.a, new: cmp.environment.commits.b },
      notes: cmp.environmentNotes,
    },
    metrics: cmp.tables.map((t) => ({
      metric: t.metric,
      better: METRICS[t.metric].better,
      delta: METRICS[t.metric].delta === 'points' ? 'new - old' : 'new / old - 1',
      configs: t.cells.map((c) => ({
        trial_id: c.trialId,
        config: c.label,
        old: summary(c.a),
        new: summary(c.b),
        delta: num(c.delta),
        p: num(c.p),
        significant: c.significant,
        warnings: c.warnings,
      })),
      geomean: t.geomean ? { configs: t.geomean.configs, old: t.geomean.a, new: t.geomean.b, ratio: t.geomean.ratio } : null,
      warnings: t.warnings,
    })),
    only_old: cmp.onlyA.map((c) => ({ trial_id: c.trialId, config: c.label, rows: c.rows })),
    only_new: cmp.onlyB.map((c) => ({ trial_id: c.trialId, config: c.label, rows: c.rows })),
    warnings: cmp.warnings,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
