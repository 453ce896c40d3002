/**
 * Stable, diff-friendly JSON: indented like JSON.stringify(v, null, 2), except that any object or array
 * whose one-line form fits in `width` characters stays on one line (so a data row is one line of a diff).
 * Keys keep their insertion order, which the spec builders fix.
 */
export function prettyJson(value: unknown, width = 120): string {
  const walk = (v: unknown, indent: string): string => {
    if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
    if (flat(v)) {
      // A data row: one native stringify decides.
      const line = JSON.stringify(v);
      if (line.length <= width - indent.length) return line;
    } else if (room(v, width - indent.length) >= 0) return JSON.stringify(v);
    const inner = `${indent}  `;
    if (Array.isArray(v)) return `[\n${v.map((x) => inner + walk(x === undefined ? null : x, inner)).join(',\n')}\n${indent}]`;
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${walk(x, inner)}`).join(',\n')}\n${indent}}`;
  };
  return `${walk(value, '')}\n`;
}

/** Whether no value of v is itself a (non-null) object or array. */
function flat(v: object): boolean {
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === 'object') return false;
  }
  return true;
}

/** Characters left of `budget` after v's one-line JSON, or -1 once it is exceeded (so the check stops early). */
function room(v: unknown, budget: number): number {
  if (budget < 0) return -1;
  if (v === null || typeof v !== 'object') return budget - (JSON.stringify(v) ?? 'null').length;
  budget -= 2;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length && budget >= 0; i++) budget = room(v[i] === undefined ? null : v[i], budget - (i ? 1 : 0));
    return budget;
  }
  let first = true;
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    budget = room(x, budget - k.length - 3 - (first ? 0 : 1));
    first = false;
    if (budget < 0) return -1;
  }
  return budget;
}
