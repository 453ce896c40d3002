/**
 * Vega-Lite spec → SVG (vega on Node, `renderer: 'none'`, as vega-cli does) → PNG (resvg).
 *
 * Both outputs are byte-for-byte repeatable: text is measured with DejaVu Sans's own advance widths
 * (font.ts) instead of a canvas or a guess, SVG definition ids restart at every render, and resvg
 * draws with the bundled font files only, never the system's fonts.
 */
import { renderAsync } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { FONT_FAMILY, FONT_FILES, measureItem } from './font.ts';
import type { Spec } from './charts/common.ts';

// vega-scenegraph's text measurer, re-exported by vega but missing from its type declarations.
(vega as unknown as { textMetrics: { width: typeof measureItem } }).textMetrics.width = measureItem;

/** PNG pixels per SVG pixel. */
export const PNG_SCALE = 2;

/** Compile a Vega-Lite spec and render it to an SVG string. Warnings from Vega-Lite or Vega are errors here: a chart we ship must be clean. */
export async function toSvg(spec: Spec): Promise<string> {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
    warn: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  const vg = compile(spec as unknown as TopLevelSpec, { logger: logger as never }).spec;
  if (warnings.length) throw new Error(`Vega-Lite: ${warnings.join('; ')}`);
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(vg), { renderer: 'none', logger: logger as never, logLevel: vega.Warn });
  try {
    const svg = await view.toSVG();
    if (warnings.length) throw new Error(`Vega: ${warnings.join('; ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}

/** Rasterise an SVG with the bundled font; runs on libuv's thread pool, so several can overlap with SVG work. */
export async function toPng(svg: string): Promise<Buffer> {
  const image = await renderAsync(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    background: 'white',
    logLevel: 'off',
  });
  return image.asPng();
}
