/**
 * Reports of degenerate results, as real sweeps produce them: one ok configuration, no ok trial at all,
 * failed rows with empty cells, one seed, no (or an empty) per-epoch CSV, one depth, one parameter count.
 * Each must render every chart with no Vega warning (toSvg treats a warning as an error); a chart with
 * nothing to plot is an empty frame whose subtitle says why, and README.md says the same. Bad input that
 * can't be rendered is a ReportError (one line, exit 2), never a stack trace.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { main } from '../src/cli.ts';
import { CHART_NAMES } from '../src/report/charts/index.ts';
import { collectingLogger } from '../src/report/render.ts';
import { renderReport, ReportError, type ReportFormat } from '../src/report/index.ts';
import { COLUMNS, EPOCH_COLUMNS, type EpochRow, type ResultRow } from '../src/results/columns.ts';
import { toCsvLines } from '../src/results/write.ts';
import { synthetic, type SyntheticOptions } from './fixtures/report/synthetic.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'report');
const scratch = mkdtempSync(join(tmpdir(), 'scalebench-report-degenerate-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const csvText = (rows: ResultRow[]) => `${COLUMNS.join(',')}\n${toCsvLines(COLUMNS, rows)}`;
const epochsText = (rows: EpochRow[]) => `${EPOCH_COLUMNS.join(',')}\n${toCsvLines(EPOCH_COLUMNS, rows)}`;

/** results/<name>.csv in a fresh folder, with results/<name>.epochs.csv holding `epochs` (rows or raw text) unless it is null. */
function results(name: string, rows: ResultRow[], epochs: EpochRow[] | string | null): string {
  const dir = mkdtempSync(join(scratch, 'repo-'));
  mkdirSync(join(dir, 'results'));
  const csv = join(dir, 'results', `${name}.csv`);
  writeFileSync(csv, csvText(rows));
  if (epochs !== null) writeFileSync(csv.replace(/\.csv$/, '.epochs.csv'), typeof epochs === 'string' ? epochs : epochsText(epochs));
  return csv;
}

function grid(experiment: string, o: Omit<SyntheticOptions, 'experiment'>) {
  return synthetic({ experiment, ...o });
}

interface Rendered {
  dir: string;
  readme: string;
  spec: (chart: string) => { title: { text: string; subtitle: string[] }; datasets: Record<string, Record<string, unknown>[]> };
  subtitle: (chart: string) => string;
}

/**
 * Vega-Lite and Vega warnings for a spec as index.html draws it, tooltips and all (the SVG leaves the
 * tooltip layers out, so toSvg alone does not see them).
 */
async function interactiveWarnings(spec: object): Promise<string[]> {
  const { warnings, logger } = collectingLogger();
  const vg = compile(spec as TopLevelSpec, { logger: logger as never }).spec;
  const view = new vega.View(vega.parse(vg), { renderer: 'none', logger: logger as never, logLevel: vega.Warn });
  await view.runAsync();
  view.finalize();
  return warnings;
}

/** Render (SVG, spec and README by default) and check that every chart came out, with its image in the README, and draws cleanly with tooltips. */
async function render(inputs: string[], name: string, formats: ReportFormat[] = ['svg', 'spec', 'md']): Promise<Rendered> {
  const outDir = join(dirname(dirname(inputs[0])), 'reports');
  await renderReport({ inputs, outDir, name, formats });
  const dir = join(outDir, name);
  const files = readdirSync(dir);
  const readme = readFileSync(join(dir, 'README.md'), 'utf8');
  for (const chart of CHART_NAMES) {
    for (const ext of formats.includes('png') ? ['svg', 'png', 'vl.json'] : ['svg', 'vl.json']) assert.ok(files.includes(`${chart}.${ext}`), `${chart}.${ext} is missing`);
    assert.ok(readme.includes(`](${chart}.svg)`), `README.md shows no ${chart}`);
  }
  const spec = (chart: string) => JSON.parse(readFileSync(join(dir, `${chart}.vl.json`), 'utf8'));
  for (const chart of CHART_NAMES) assert.deepEqual(await interactiveWarnings(spec(chart)), [], `${chart} as index.html draws it`);
  // The chart's subtitle lines, and its panels' (time-vs-params states its fits per panel).
  const subtitle = (chart: string) => {
    const s = spec(chart) as { title: { subtitle: string[] }; hconcat?: { title: { subtitle?: string[] } }[] };
    return [...s.title.subtitle, ...(s.hconcat ?? []).flatMap((p) => p.title.subtitle ?? [])].join('\n');
  };
  return { dir, readme, spec, subtitle };
}

/** The README paragraph under a chart's heading. */
function readmeNote(r: Rendered, chart: string): string {
  const at = r.readme.indexOf(`](${chart}.svg)`);
  return r.readme.slice(r.readme.lastIndexOf('### ', at), at);
}

const PER_CONFIG = CHART_NAMES.filter((c) => c !== 'learning-curves');

describe('reports of degenerate results', () => {
  it('renders the OOM sweep: one ok row and one failed row with NaN features and empty metrics (every format, byte-identical twice)', async () => {
    const a = mkdtempSync(join(scratch, 'oom-'));
    mkdirSync(join(a, 'results'));
    for (const f of ['oom.csv', 'oom.epochs.csv']) copyFileSync(join(fixtures, f), join(a, 'results', f));
    const formats: ReportFormat[] = ['svg', 'png', 'spec', 'md', 'html'];
    const r = await render([join(a, 'results', 'oom.csv')], 'oom', formats);
    // One parameter count: the fits say so instead of drawing a line.
    assert.match(r.subtitle('time-vs-params'), /no fit: one parameter count \(N = 88\)/);
    assert.match(r.subtitle('memory-vs-params'), /no fit: one parameter count/);
    assert.match(r.spec('loss-vs-params').title.text, /no fit: one parameter count/);
    assert.deepEqual(r.spec('time-vs-params').datasets.fit_time, []);
    assert.match(r.readme, /\| oom \| test loss \| E \+ A·N\^\(−α\) \| no fit: one parameter count \(N = 88\) \|/);
    // The failed trial is still drawn and listed.
    assert.equal(r.spec('accuracy-vs-params').datasets.failures.length, 1);
    assert.match(r.readme, /1 trials diverged or failed/);
    const html = readFileSync(join(r.dir, 'index.html'), 'utf8');
    assert.ok(html.includes('id="chart-learning-curves"'));
    // The same CSV again, elsewhere: the same bytes.
    const b = mkdtempSync(join(scratch, 'oom-'));
    mkdirSync(join(b, 'results'));
    for (const f of ['oom.csv', 'oom.epochs.csv']) copyFileSync(join(fixtures, f), join(b, 'results', f));
    const again = await render([join(b, 'results', 'oom.csv')], 'oom', formats);
    for (const f of readdirSync(r.dir)) assert.ok(readFileSync(join(r.dir, f)).equals(readFileSync(join(again.dir, f))), `${f} differs between two renders`);
  });

  it('renders a single ok configuration with one seed', async () => {
    const { rows, epochs } = grid('one', { widths: [8], depths: [1], seeds: [1], epochs: 3 });
    const r = await render([results('one', rows, epochs)], 'one');
    for (const c of PER_CONFIG) assert.equal(r.spec(c).datasets.configs.length, 1, c);
    assert.match(r.subtitle('time-vs-params'), /no fit: one parameter count/);
    assert.match(r.readme, /None: every trial finished ok\./);
  });

  it('renders when no trial finished ok, every chart saying why', async () => {
    const { rows, epochs } = grid('allbad', { widths: [8, 32], depths: [1, 2], seeds: [1], diverge: [0, 2], fail: [1, 3] });
    assert.ok(rows.every((r) => r.status !== 'ok'));
    const r = await render([results('allbad', rows, epochs)], 'allbad');
    for (const c of PER_CONFIG) {
      assert.match(r.subtitle(c), /no ok trials \(2 diverged, 2 failed\)/, c);
      assert.match(readmeNote(r, c), /Nothing to plot: no ok trials \(2 diverged, 2 failed\)\./, c);
    }
    // The diverged trials recorded finite losses before they blew up: their curves are drawn.
    assert.ok(r.spec('learning-curves').datasets.curves.some((p) => p.kind === 'end'));
    assert.doesNotMatch(readmeNote(r, 'learning-curves'), /Nothing to plot/);
    assert.doesNotMatch(r.readme, /α = |k = /);
  });

  it('renders failed rows with empty metric, features, classes (and even params) cells, and no per-epoch CSV', async () => {
    const { rows } = grid('holes', { widths: [8, 32, 128], depths: [1, 2], seeds: [1, 2], fail: [1, 3, 5] });
    for (const row of rows.filter((r) => r.status !== 'ok')) Object.assign(row, { features: '', classes: '' });
    const lost = rows.find((r) => r.status !== 'ok')!;
    Object.assign(lost, { params: '', train_flops: '', width: '', depth: '' });
    const r = await render([results('holes', rows, null)], 'holes');
    assert.match(r.subtitle('accuracy-vs-params'), /1 not-ok trial without a parameter count is not drawn/);
    assert.equal(r.spec('accuracy-vs-params').datasets.failures.length, 2);
    assert.ok(!JSON.stringify(r.spec('width-vs-depth')).includes('NaN'));
    assert.match(r.subtitle('learning-curves'), /no per-epoch rows/);
    assert.match(readmeNote(r, 'learning-curves'), /Nothing to plot: no per-epoch rows/);
    assert.match(r.readme, /\| holes \| failed \| — × — \| — \|/);
  });

  it('renders a sweep in which every trial failed with empty cells and wrote no per-epoch rows', async () => {
    const { rows } = grid('oomall', { widths: [8, 32], depths: [1], seeds: [1], fail: [0, 1] });
    for (const row of rows) Object.assign(row, { features: 'NaN', classes: '' });
    const r = await render([results('oomall', rows, '')], 'oomall');
    for (const c of PER_CONFIG) assert.match(r.subtitle(c), /no ok trials \(0 diverged, 2 failed\)/, c);
    assert.match(r.subtitle('learning-curves'), /no per-epoch rows/);
    assert.match(r.readme, /\| oomall \| test loss \| E \+ A·N\^\(−α\) \| no fit: no ok configurations \|/);
  });

  it('renders a header-only results CSV (a sweep stopped before its first trial)', async () => {
    const r = await render([results('none', [], null)], 'none');
    for (const c of CHART_NAMES) assert.match(readmeNote(r, c), /Nothing to plot: no trials/, c);
    assert.match(r.subtitle('pareto'), /no trials/);
  });

  it('renders configurations with one seed each', async () => {
    const { rows, epochs } = grid('oneseed', { widths: [8, 32, 128], depths: [1, 2], seeds: [3], epochs: 2, fail: [4] });
    const r = await render([results('oneseed', rows, epochs)], 'oneseed');
    assert.equal(r.spec('accuracy-vs-params').datasets.configs.length, 5);
    assert.match(r.subtitle('time-vs-params'), /k = /);
  });

  it('renders with an empty, header-only, all-NaN or unmatched per-epoch CSV, saying why there are no curves', async () => {
    const { rows, epochs } = grid('ep', { widths: [8, 32], depths: [1], seeds: [1] });
    const cases: [string, string | EpochRow[], RegExp][] = [
      ['empty', '', /no per-epoch rows/],
      ['header', `${EPOCH_COLUMNS.join(',')}\n`, /no per-epoch rows/],
      ['nan', epochs.map((e) => ({ ...e, train_loss: 'NaN', test_loss: '' })), /no finite loss/],
      ['orphans', epochs.map((e) => ({ ...e, trial_id: 'gone' })), /none of the 10 per-epoch rows belongs to a trial in the results/],
    ];
    for (const [name, text, why] of cases) {
      const r = await render([results(name, rows, text)], name);
      assert.match(r.subtitle('learning-curves'), why, name);
      assert.match(readmeNote(r, 'learning-curves'), new RegExp(`Nothing to plot: ${why.source}`), name);
    }
  });

  it('renders a single depth', async () => {
    const { rows, epochs } = grid('depth', { widths: [8, 32, 128], depths: [2], seeds: [1, 2], diverge: [1] });
    const r = await render([results('depth', rows, epochs)], 'depth');
    assert.equal(r.spec('width-vs-depth').datasets.configs.length, 3);
  });

  it('renders one distinct parameter count (settings other than the shape vary) and two, saying which fits are impossible', async () => {
    const one = grid('samen', { widths: [8], depths: [1], learningRates: [0.001, 0.01, 0.1], seeds: [1, 2] });
    const r = await render([results('samen', one.rows, one.epochs)], 'samen');
    assert.equal(r.spec('accuracy-vs-params').datasets.configs.length, 3);
    const n = one.rows[0].params;
    for (const c of ['time-vs-params', 'memory-vs-params', 'loss-vs-params']) assert.ok(r.subtitle(c).includes(`no fit: one parameter count (N = ${n})`), c);
    const two = grid('twon', { widths: [8, 32], depths: [1], seeds: [1, 2] });
    const t = await render([results('twon', two.rows, two.epochs)], 'twon');
    assert.match(t.subtitle('loss-vs-params'), /no fit: 2 distinct parameter counts \(needs 3\)/);
    assert.match(t.subtitle('time-vs-params'), /k = .*no interval, 2 configurations/);
  });

  it('renders ok rows whose log-axis metrics are zero or empty, leaving out what a log axis cannot show', async () => {
    const { rows, epochs } = grid('zeros', { widths: [8, 32, 128], depths: [1], seeds: [1] });
    for (const row of rows) Object.assign(row, { test_loss: '0', train_time_s: '0', samples_per_s: '', peak_rss_bytes: '' });
    const r = await render([results('zeros', rows, epochs)], 'zeros');
    assert.match(r.subtitle('loss-vs-params'), /Nothing to plot: no ok configuration has a positive, finite test_loss\./);
    assert.match(r.subtitle('time-vs-params'), /Nothing to plot: no ok configuration has a positive, finite train_time_s or samples_per_s\./);
    assert.match(readmeNote(r, 'pareto'), /Nothing to plot: no ok configuration has a positive, finite train_time_s\./);
    const layers = (r.spec('memory-vs-params') as unknown as { layer: { encoding?: { y?: { field?: string } } }[] }).layer;
    assert.deepEqual(layers.map((l) => l.encoding?.y?.field), ['peak_tensor_bytes_min', 'peak_tensor_bytes'], 'the empty measure has no layer');
    assert.equal(r.spec('accuracy-vs-params').datasets.configs.length, 3);
  });

  it('overlays a source with no ok trial on one with a single configuration', async () => {
    const ok = grid('a', { widths: [8], depths: [1], seeds: [1] });
    const bad = grid('b', { widths: [8, 32], depths: [1], seeds: [1], fail: [0, 1] });
    const a = results('a', ok.rows, ok.epochs);
    const b = join(dirname(a), 'b.csv');
    writeFileSync(b, csvText(bad.rows));
    const r = await render([a, b], 'a-vs-b');
    assert.match(r.subtitle('time-vs-params'), /b: no fit: no ok configurations/);
    assert.deepEqual([...new Set(r.spec('accuracy-vs-params').datasets.configs.map((c) => c.source))], ['a']);
  });
});

describe('bad data is a ReportError, one line, exit 2', () => {
  it('an unparsable results CSV', async () => {
    const csv = results('broken', [], null);
    writeFileSync(csv, `${COLUMNS.join(',')}\na"b,c\n`);
    const out = join(dirname(dirname(csv)), 'reports');
    await assert.rejects(renderReport({ inputs: [csv], outDir: out, name: 'broken' }), (e: Error) => e instanceof ReportError && /broken\.csv/.test(e.message) && !e.message.includes('\n'));
    let err = '';
    const code = await main(['report', csv, '--reports-dir', out], { out: () => {}, err: (s) => (err += s) });
    assert.equal(code, 2);
    assert.match(err, /^scalebench: .*broken\.csv: .*\n$/);
  });

  it('a results path that is a folder', async () => {
    const dir = mkdtempSync(join(scratch, 'dir-'));
    mkdirSync(join(dir, 'x.csv'));
    await assert.rejects(renderReport({ inputs: [join(dir, 'x.csv')], outDir: join(dir, 'reports'), name: 'x' }), (e: Error) => e instanceof ReportError && /x\.csv/.test(e.message));
  });
});
