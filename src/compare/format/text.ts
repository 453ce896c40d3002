/** The terminal format: environment differences first, then one aligned table per metric, then what was not compared. */
import { formatTable } from '../../cli/table.ts';
import type { Comparison } from '../build.ts';
import { describeSide, Footnotes, formatChange, formatDelta, formatSummary, formatValue } from './values.ts';

/** Rows aligned in columns, without a header. */
const aligned = (rows: string[][]) => formatTable(rows[0].map(() => ''), rows).split('\n').slice(1).join('\n');

export function formatText(cmp: Comparison): string {
  const out: string[] = [];
  out.push(aligned([['old', cmp.a.name, describeSide(cmp, 'a')], ['new', cmp.b.name, describeSide(cmp, 'b')]]));
  if (cmp.environment.differences.length > 0) {
    const rows = cmp.environment.differences.map((d) => [`!!   ${d.column}`, `old: ${d.a.join(' | ')}`, `new: ${d.b.join(' | ')}`]);
    out.push(['!! ENVIRONMENT DIFFERS between old and new', aligned(rows), ...cmp.environmentNotes.map((n) => `!! ${n}`)].join('\n'));
  }
  const notes = new Footnotes();
  for (const t of cmp.tables) {
    const rows = t.cells.map((c) => [c.label, formatSummary(t.metric, c.a), formatSummary(t.metric, c.b), formatChange(t.metric, c) + notes.mark(c.warnings)]);
    if (t.geomean) rows.push(['geomean', formatValue(t.metric, t.geomean.a), formatValue(t.metric, t.geomean.b), formatDelta(t.metric, t.geomean.ratio - 1)]);
    const head = `${t.metric}${notes.mark(t.warnings)}`;
    out.push(formatTable([head, 'old', 'new', 'delta'], rows));
  }
  const tail: string[] = notes.lines();
  for (const [list, which] of [[cmp.onlyA, 'old'], [cmp.onlyB, 'new']] as const) {
    if (list.length === 0) continue;
    tail.push(`only in ${which} (${list.length} configuration${list.length === 1 ? '' : 's'}, not compared):`);
    for (const c of list) tail.push(`  ${c.label}  ${c.trialId}  ${c.rows} row${c.rows === 1 ? '' : 's'}`);
  }
  tail.push(...cmp.warnings.map((w) => `warning: ${w}`));
  if (tail.length > 0) out.push(tail.join('\n'));
  return `${out.join('\n\n')}\n`;
}
