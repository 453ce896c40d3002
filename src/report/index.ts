/**
 * Reports: results CSVs → reports/<name>/ with, per chart, <chart>.svg, <chart>.png and <chart>.vl.json,
 * plus README.md and index.html (which loads the shared reports/lib/). Reads CSVs only: no TensorFlow.
 *
 *   inputs ──load──▶ SourceInput[] ──buildModel──▶ ReportModel ──buildCharts──▶ Chart[] ──render──▶ files
 *
 * Everything up to the files is pure and repeatable, so the same CSVs give byte-identical outputs.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { buildCharts, CHART_NAMES, type Chart } from './charts/index.ts';
import { ReportError } from './errors.ts';
import { prettyJson } from './json.ts';
import { libFiles } from './lib.ts';
import { loadSources, oneLine, sourceLabels } from './load.ts';
import { buildModel } from './model.ts';
import { indexHtml, LIB_DIR, readme } from './pages.ts';
import { toPng } from './png.ts';
import { ResultsError } from '../results/read.ts';
import { toSvg } from './render.ts';

export { ReportError };

export const REPORT_FORMATS = ['svg', 'png', 'spec', 'md', 'html'] as const;
/** svg, png, spec (.vl.json) per chart; md (README.md) and html (index.html + reports/lib/) per report. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderOptions {
  /** Results CSV paths; several overlay, coloured by source. Each one's sibling <stem>.epochs.csv is read when present. */
  inputs: string[];
  /** The reports folder: the report goes to <outDir>/<name>/, the shared libraries to <outDir>/lib/. */
  outDir: string;
  name: string;
  /** Default: all. */
  formats?: ReportFormat[];
  /** Source labels, one per input (e.g. git revisions); default: the file stems. */
  labels?: string[];
}

const CHART_EXTENSIONS = ['.svg', '.png', '.vl.json'];

/** Render one report. Returns every file written (report files, then the shared libraries), as paths under outDir. */
export async function renderReport(opts: RenderOptions): Promise<{ files: string[] }> {
  const { inputs, outDir, name } = opts;
  const formats = new Set(opts.formats ?? REPORT_FORMATS);
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name === LIB_DIR) {
    throw new ReportError(`report name "${name}": use letters, digits, '.', '_' or '-' (and not "${LIB_DIR}", which holds the shared libraries)`);
  }
  if (inputs.length === 0) throw new ReportError('report: give at least one results CSV');
  const labels = opts.labels ?? sourceLabels(inputs);
  if (labels.length !== inputs.length || new Set(labels).size !== labels.length) throw new ReportError('report: labels must be distinct, one per input');
  const dir = join(outDir, name);
  const sources = loadSources(inputs, labels, dir);
  // From here on, whatever goes wrong is reported in one line (a ReportError) naming the report and the step.
  const model = guard(`report ${name}: the results could not be summarised`, () => buildModel(name, sources));
  const charts = guard(`report ${name}: the charts could not be built`, () => buildCharts(model));

  const outputs = new Map<string, string | Buffer>();
  const pngs: Promise<void>[] = [];
  try {
    if (formats.has('svg') || formats.has('png')) {
      // Largest charts first, so their PNGs (on worker threads) start early and overlap with the rest.
      for (const chart of [...charts].sort((a, b) => dataRows(b) - dataRows(a))) {
        const what = `report ${name}: chart ${chart.name} could not be drawn`;
        const svg = await toSvg(chart.spec).catch((e) => Promise.reject(asReportError(what, e)));
        if (formats.has('svg')) outputs.set(`${chart.name}.svg`, svg);
        if (formats.has('png')) pngs.push(toPng(svg).then((png) => void outputs.set(`${chart.name}.png`, png), (e) => Promise.reject(asReportError(what, e))));
      }
    }
    if (formats.has('spec')) for (const chart of charts) outputs.set(`${chart.name}.vl.json`, prettyJson(chart.spec));
    if (formats.has('md')) outputs.set('README.md', guard(`report ${name}: README.md could not be written`, () => readme(model, charts)));
    if (formats.has('html')) outputs.set('index.html', guard(`report ${name}: index.html could not be written`, () => indexHtml(model, charts)));
    await Promise.all(pngs);
  } catch (e) {
    await Promise.allSettled(pngs); // no PNG left to fail unobserved
    throw e;
  }

  return guard(`report ${name}: cannot write ${dir}`, () => {
    mkdirSync(dir, { recursive: true });
    removeStale(dir, new Set(outputs.keys()), formats);
    const files: string[] = [];
    for (const file of [...outputs.keys()].sort()) {
      writeFileSync(join(dir, file), outputs.get(file)!);
      files.push(join(dir, file));
    }
    if (formats.has('html')) files.push(...writeLib(join(outDir, LIB_DIR)));
    return { files };
  });
}

/** An error as the CLI shows input errors: a ReportError (or ResultsError) in one line, saying what failed. */
function asReportError(what: string, e: unknown): Error {
  if (e instanceof ReportError || e instanceof ResultsError) return e;
  return new ReportError(`${what} (${oneLine(e)})`, { cause: e });
}

function guard<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw asReportError(what, e);
  }
}

/** Rows across a chart's datasets: a proxy for how long it takes to draw. */
function dataRows(chart: Chart): number {
  return Object.values((chart.spec.datasets ?? {}) as Record<string, unknown[]>).reduce((n, rows) => n + rows.length, 0);
}

/**
 * Remove chart files of this report's formats that this run did not produce. Every chart is drawn now (empty
 * when it has no data), so this only guards against a chart that a future version leaves out.
 */
function removeStale(dir: string, keep: Set<string>, formats: Set<ReportFormat>): void {
  const ext = CHART_EXTENSIONS.filter((e) => formats.has(e === '.vl.json' ? 'spec' : (e.slice(1) as ReportFormat)));
  for (const file of readdirSync(dir)) {
    const ours = CHART_NAMES.some((c) => ext.some((e) => file === `${c}${e}`));
    if (ours && !keep.has(file)) rmSync(join(dir, file));
  }
}

function writeLib(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return [...libFiles()].map(([file, body]) => {
    writeFileSync(join(dir, file), body);
    return join(dir, file);
  });
}

/** Every results/*.csv except the per-epoch files, sorted. */
export function resultFiles(resultsDir: string): string[] {
  if (!existsSync(resultsDir)) return [];
  return readdirSync(resultsDir).filter((f) => f.endsWith('.csv') && !f.endsWith('.epochs.csv')).sort().map((f) => join(resultsDir, f));
}

/** A report per results CSV (reports/<stem>/), in name order. */
export async function reportAll(resultsDir: string, reportsDir: string, formats?: ReportFormat[]): Promise<{ files: string[] }> {
  const files: string[] = [];
  for (const input of resultFiles(resultsDir)) {
    const name = basename(input).replace(/\.csv$/, '');
    files.push(...(await renderReport({ inputs: [input], outDir: reportsDir, name, formats })).files);
  }
  return { files: [...new Set(files)] };
}
