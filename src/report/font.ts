/**
 * The one font every chart uses, DejaVu Sans from the `dejavu-fonts-ttf` package, and its advance widths.
 *
 * Vega lays out text with the widths it is given; without a canvas it guesses 0.8 em per character, and
 * with node-canvas installed it would ask the system's fonts, so the same CSV could give different SVGs
 * on different machines. Measuring with the font's own advance widths (kerning ignored) gives the same
 * layout everywhere, and resvg draws the PNGs with that same font file, system fonts off.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const FONT_FAMILY = 'DejaVu Sans';
/** What the charts ask for: DejaVu Sans, else Verdana (near-identical widths, as both descend from Bitstream Vera's design), else any sans-serif. */
export const FONT_STACK = 'DejaVu Sans, Verdana, sans-serif';
const FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

const fontDir = join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/** Paths of the font files, for resvg. */
export const FONT_FILES = Object.values(FILES).map((f) => join(fontDir, f));

/** Advance width in em of each BMP code point a TrueType font maps (format-4 cmap), plus its fallback. */
export interface Advances {
  widths: Map<number, number>;
  /** Width of glyph 0 (.notdef), used for unmapped characters. */
  missing: number;
}

/** Read the advance widths of a TrueType font: head (units per em), hhea, hmtx and the Unicode BMP cmap. */
export function parseAdvances(font: Buffer): Advances {
  const tables = new Map<string, number>();
  for (let i = 0, n = font.readUInt16BE(4); i < n; i++) {
    const rec = 12 + 16 * i;
    tables.set(font.toString('latin1', rec, rec + 4), font.readUInt32BE(rec + 8));
  }
  const table = (tag: string) => {
    const at = tables.get(tag);
    if (at === undefined) throw new Error(`font has no ${tag} table`);
    return at;
  };
  const unitsPerEm = font.readUInt16BE(table('head') + 18);
  const metrics = font.readUInt16BE(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advance = (glyph: number) => font.readUInt16BE(hmtx + 4 * Math.min(glyph, metrics - 1)) / unitsPerEm;
  const cmap = table('cmap');
  let sub = -1;
  for (let i = 0, n = font.readUInt16BE(cmap + 2); i < n; i++) {
    const rec = cmap + 4 + 8 * i;
    const platform = font.readUInt16BE(rec), encoding = font.readUInt16BE(rec + 2);
    const at = cmap + font.readUInt32BE(rec + 4);
    if (((platform === 3 && encoding === 1) || (platform === 0 && encoding === 3)) && font.readUInt16BE(at) === 4) sub = at;
  }
  if (sub < 0) throw new Error('font has no Unicode BMP (format 4) cmap');
  const segments = font.readUInt16BE(sub + 6) / 2;
  const ends = sub + 14, starts = ends + 2 * segments + 2, deltas = starts + 2 * segments, offsets = deltas + 2 * segments;
  const widths = new Map<number, number>();
  for (let s = 0; s < segments; s++) {
    const start = font.readUInt16BE(starts + 2 * s), end = font.readUInt16BE(ends + 2 * s);
    const delta = font.readUInt16BE(deltas + 2 * s), rangeOffset = font.readUInt16BE(offsets + 2 * s);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph = rangeOffset === 0 ? (c + delta) & 0xffff : font.readUInt16BE(offsets + 2 * s + rangeOffset + 2 * (c - start));
      if (rangeOffset !== 0 && glyph !== 0) glyph = (glyph + delta) & 0xffff;
      if (glyph !== 0) widths.set(c, advance(glyph));
    }
  }
  return { widths, missing: advance(0) };
}

let cache: { regular: Advances; bold: Advances } | undefined;
function advances() {
  cache ??= { regular: parseAdvances(readFileSync(join(fontDir, FILES.regular))), bold: parseAdvances(readFileSync(join(fontDir, FILES.bold))) };
  return cache;
}

/** Width in pixels of `text` set in DejaVu Sans at `size` px, bold or regular. */
export function textWidth(text: string, size: number, bold = false): number {
  const { widths, missing } = bold ? advances().bold : advances().regular;
  let em = 0;
  for (const ch of text) em += widths.get(ch.codePointAt(0)!) ?? missing;
  return em * size;
}

/** The subset of a Vega text item that measuring reads. */
export interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
}

/**
 * A drop-in for vega-scenegraph's `textMetrics.width(item, text)`: the width of one line of text in the
 * item's size and weight. Vega's own truncation (`limit`) calls it with candidate substrings and expects
 * their plain widths, so it never truncates; a truncated label's bounds are measured on its full text.
 */
export function measureItem(item: TextItem, text?: unknown): number {
  const size = item.fontSize != null ? +item.fontSize || 0 : 11;
  const bold = item.fontWeight === 'bold' || item.fontWeight === 'bolder' || Number(item.fontWeight) >= 600;
  return textWidth(text == null ? '' : String(text).trim(), size, bold);
}
