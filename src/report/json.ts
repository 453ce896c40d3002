/**
 * Stable, diff-friendly JSON: indented like JSON.stringify(v, null, 2), except that any object or array
 * whose one-line form fits in `width` characters stays on one line (so a data row is one line of a diff).
 * Keys keep their insertion order, which the spec builders fix.
 */
export function prettyJson(value: unknown, width = 120): string {
  const walk = (v: unknown, indent: string): string => {
    const flat = JSON.stringify(v);
    if (flat === undefined || v === null || typeof v !== 'object' || flat.length + indent.length <= width) return flat ?? 'null';
    const inner = `${indent}  `;
    if (Array.isArray(v)) return `[\n${v.map((x) => inner + walk(x === undefined ? null : x, inner)).join(',\n')}\n${indent}]`;
    const entries = Object.entries(v).filter(([, x]) => x !== undefined);
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${walk(x, inner)}`).join(',\n')}\n${indent}}`;
  };
  return `${walk(value, '')}\n`;
}
