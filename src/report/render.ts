/**
 * Vega-Lite spec → SVG (vega on Node, `renderer: 'none'`, as vega-cli does); PNGs come from png.ts.
 *
 * The SVG is byte-for-byte repeatable: text is measured with DejaVu Sans's own advance widths (font.ts)
 * instead of a canvas or a guess, and SVG definition ids restart at every render. resvg then draws the
 * PNG with the same font file only, never the system's fonts.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { measureItem } from './font.ts';
import type { Spec } from './charts/common.ts';
import { TOOLTIP_DATASET, TOOLTIP_LAYER } from './charts/curves.ts';

// vega-scenegraph's text measurer, re-exported by vega but missing from its type declarations.
(vega as unknown as { textMetrics: { width: typeof measureItem } }).textMetrics.width = measureItem;

/**
 * The spec as a static image needs it: no tooltips (an SVG shows none, and evaluating them for every mark
 * is most of the drawing time of a large chart), no layers that exist only to carry them, and no lookups
 * that fetch only their fields. Datasets are shared, not copied.
 */
const tooltipOnly = (x: unknown) => {
  const o = x as { name?: unknown; lookup?: unknown; from?: { data?: { name?: unknown } } } | null;
  return o?.name === TOOLTIP_LAYER || (o?.lookup !== undefined && o.from?.data?.name === TOOLTIP_DATASET);
};

export function withoutTooltips(spec: Spec): Spec {
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.filter((x) => !tooltipOnly(x)).map(strip);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'tooltip').map(([k, x]) => [k, strip(x)]));
  };
  const { datasets, ...rest } = spec;
  return { ...(strip(rest) as Spec), ...(datasets ? { datasets } : {}) };
}

/** A Vega / Vega-Lite logger that collects warnings and errors instead of printing them. */
export function collectingLogger(): { warnings: string[]; logger: unknown } {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    error: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
    warn: (...a: unknown[]) => (warnings.push(a.join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  return { warnings, logger };
}

/** Compile a Vega-Lite spec and render it to an SVG string. Warnings from Vega-Lite or Vega are errors here: a chart we ship must be clean. */
export async function toSvg(spec: Spec): Promise<string> {
  const { warnings, logger } = collectingLogger();
  const vg = compile(withoutTooltips(spec) as unknown as TopLevelSpec, { logger: logger as never }).spec;
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
