/**
 * CSV: one row per (configuration, metric) with full-precision numbers, for spreadsheets and scripts. Geomean rows
 * have config `geomean`; a configuration on one side only gets one row with an empty metric and a note.
 * Environment differences don't fit a table: the CLI also writes them to stderr.
 */
import { stringify } from 'csv-stringify/sync';
import type { Comparison, Summary } from '../build.ts';
import { METRICS } from '../metrics.ts';

export const CSV_COLUMNS = [
  'metric', 'config', 'trial_id', 'old_n', 'old_median', 'old_lo', 'old_hi', 'new_n', 'new_median', 'new_lo', 'new_hi',
  'delta', 'delta_unit', 'p', 'significant', 'note',
] as const;

/** Full precision; empty for "not available"; ±Infinity spelled out (an unbounded interval). */
const number = (x: number) => (Number.isNaN(x) ? '' : String(x));
const side = (s: Summary) => (s.n === 0 ? ['0', '', '', ''] : [String(s.n), number(s.median), number(s.lo), number(s.hi)]);

export function formatCsv(cmp: Comparison): string {
  const records: string[][] = [[...CSV_COLUMNS]];
  for (const t of cmp.tables) {
    const unit = METRICS[t.metric].delta === 'points' ? 'absolute' : 'relative'; // new − old, or new/old − 1
    for (const c of t.cells) {
      records.push([t.metric, c.label, c.trialId, ...side(c.a), ...side(c.b), number(c.delta), unit, number(c.p), String(c.significant), [...c.warnings, ...t.warnings].join('; ')]);
    }
    if (t.geomean) {
      const g = t.geomean;
      records.push([t.metric, 'geomean', '', String(g.configs), number(g.a), '', '', String(g.configs), number(g.b), '', '', number(g.ratio - 1), 'relative', '', '', `over ${g.configs} configurations`]);
    }
  }
  for (const [list, which] of [[cmp.onlyA, 'old'], [cmp.onlyB, 'new']] as const) {
    for (const c of list) {
      records.push(['', c.label, c.trialId, '', '', '', '', '', '', '', '', '', '', '', '', `only in ${which} (${c.rows} rows): not compared`]);
    }
  }
  return stringify(records, { record_delimiter: '\n' });
}
