/** GitHub-flavoured Markdown, to paste into a pull request: a warning box for environment differences, one table per metric. */
import type { Comparison } from '../build.ts';
import { describeSide, Footnotes, formatChange, formatDelta, formatSummary, formatValue } from './values.ts';

/** Escape what would break a table cell or turn into strikethrough. */
const cell = (s: string) => s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/~/g, '\\~');
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function table(header: string[], rows: string[][], right: boolean[]): string {
  return [
    `| ${header.join(' | ')} |`,
    `|${right.map((r) => (r ? '---:' : ':---')).join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

export function formatMarkdown(cmp: Comparison): string {
  const out: string[] = ['### scalebench compare'];
  out.push(table(['', 'file', 'summary'], [['old', code(cmp.a.name), cell(describeSide(cmp, 'a'))], ['new', code(cmp.b.name), cell(describeSide(cmp, 'b'))]], [false, false, false]));
  if (cmp.environment.differences.length > 0) {
    const lines = ['> [!WARNING]', '> **Environment differs between old and new**', '>'];
    for (const d of cmp.environment.differences) lines.push(`> - ${d.column}: old ${d.a.map(code).join(', ')} → new ${d.b.map(code).join(', ')}`);
    for (const n of cmp.environmentNotes) lines.push(`> - **${n}**`);
    out.push(lines.join('\n'));
  }
  const notes = new Footnotes();
  for (const t of cmp.tables) {
    const rows = t.cells.map((c) => [cell(c.label), formatSummary(t.metric, c.a), formatSummary(t.metric, c.b), cell(formatChange(t.metric, c)) + notes.mark(c.warnings)]);
    if (t.geomean) rows.push(['**geomean**', formatValue(t.metric, t.geomean.a), formatValue(t.metric, t.geomean.b), formatDelta(t.metric, t.geomean.ratio - 1)]);
    out.push(`#### ${t.metric}${notes.mark(t.warnings)}\n\n${table(['configuration', 'old', 'new', 'delta'], rows, [false, true, true, true])}`);
  }
  const tail = notes.lines().map((l) => `${cell(l)}<br>`);
  for (const [list, which] of [[cmp.onlyA, 'old'], [cmp.onlyB, 'new']] as const) {
    if (list.length > 0) tail.push(`**Only in ${which}** (not compared): ${list.map((c) => `${cell(c.label)} (${code(c.trialId)}, ${c.rows} rows)`).join('; ')}<br>`);
  }
  tail.push(...cmp.warnings.map((w) => `**Warning:** ${cell(w)}<br>`));
  if (tail.length > 0) out.push(tail.join('\n').replace(/<br>$/, ''));
  return `${out.join('\n\n')}\n`;
}
