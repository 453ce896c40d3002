/** Aligned plain-text tables for the terminal. */
export function formatTable(header: string[], rows: (string | number)[][], alignRight: boolean[] = header.map(() => false)): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  return cells
    .map((r) => r.map((c, j) => (alignRight[j] ? c.padStart(widths[j]) : c.padEnd(widths[j]))).join('  ').trimEnd())
    .join('\n');
}

/** 1234567 → "1.23M"; SI prefixes for counts and FLOPs. */
export function si(x: number, digits = 3): string {
  const units = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
  let i = 0;
  let v = x;
  while (Math.abs(v) >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? String(x) : `${v.toPrecision(digits)}${units[i]}`;
}
