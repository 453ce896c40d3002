/**
 * Rendering whole reports to files: byte-identical output for the same CSV, golden files for a tiny
 * fixture, overlays, reportAll, stale files and errors.
 * Refresh the golden files after an intended change: UPDATE_GOLDEN=1 node --import tsx --test test/report-render.test.ts
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CHART_NAMES } from '../src/report/charts/index.ts';
import { renderReport, reportAll } from '../src/report/index.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'report');
const golden = join(fixtures, 'golden', 'tiny');
const scratch = mkdtempSync(join(tmpdir(), 'scalebench-report-test-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** A repository-like folder: results/ holding copies of the named fixtures (with their epochs files), reports/ empty. */
function repo(...names: string[]): { root: string; results: string; reports: string } {
  const root = mkdtempSync(join(scratch, 'repo-'));
  const results = join(root, 'results');
  mkdirSync(results);
  for (const n of names) {
    copyFileSync(join(fixtures, `${n}.csv`), join(results, `${n}.csv`));
    if (existsSync(join(fixtures, `${n}.epochs.csv`))) copyFileSync(join(fixtures, `${n}.epochs.csv`), join(results, `${n}.epochs.csv`));
  }
  return { root, results, reports: join(root, 'reports') };
}

/** Every file under dir, as relative path → bytes. */
function tree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.set(relative(dir, join(d, e.name)), readFileSync(join(d, e.name)));
    }
  };
  walk(dir);
  return out;
}

describe('renderReport', () => {
  it('writes svg, png and spec per chart, README.md, index.html and the shared libraries', async () => {
    const r = repo('small');
    const { files } = await renderReport({ inputs: [join(r.results, 'small.csv')], outDir: r.reports, name: 'small' });
    const names = files.map((f) => relative(r.reports, f));
    for (const chart of ['accuracy-vs-params', 'loss-vs-params', 'time-vs-params', 'memory-vs-params', 'learning-curves', 'pareto', 'width-vs-depth']) {
      for (const ext of ['svg', 'png', 'vl.json']) assert.ok(names.includes(`small/${chart}.${ext}`), `${chart}.${ext}`);
    }
    assert.ok(names.includes('small/README.md') && names.includes('small/index.html'));
    assert.ok(names.includes('lib/vega.min.js') && names.includes('lib/vega-lite.min.js') && names.includes('lib/vega-embed.min.js'));
    const png = readFileSync(join(r.reports, 'small', 'pareto.png'));
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    const svg = readFileSync(join(r.reports, 'small', 'pareto.svg'), 'utf8');
    assert.match(svg, /^<svg /);
    assert.ok(svg.includes('font-family="DejaVu Sans, Verdana, sans-serif"'));
    assert.ok(!readFileSync(join(r.reports, 'lib', 'vega.min.js'), 'utf8').includes('sourceMappingURL'));
  });

  it('gives byte-identical files for the same CSV (SVG, PNG, spec, pages)', async () => {
    const a = repo('small'), b = repo('small');
    await renderReport({ inputs: [join(a.results, 'small.csv')], outDir: a.reports, name: 'small' });
    await renderReport({ inputs: [join(b.results, 'small.csv')], outDir: b.reports, name: 'small' });
    const ta = tree(a.reports), tb = tree(b.reports);
    assert.deepEqual([...ta.keys()], [...tb.keys()]);
    for (const [file, bytes] of ta) assert.ok(bytes.equals(tb.get(file)!), `${file} differs between two renders`);
    // And again into the same folder: nothing changes.
    await renderReport({ inputs: [join(a.results, 'small.csv')], outDir: a.reports, name: 'small' });
    for (const [file, bytes] of tree(a.reports)) assert.ok(bytes.equals(ta.get(file)!), `${file} changed on a rerun`);
  });

  it('matches the golden files for the tiny fixture', async () => {
    const r = repo('tiny');
    await renderReport({ inputs: [join(r.results, 'tiny.csv')], outDir: r.reports, name: 'tiny', formats: ['svg', 'spec', 'md'] });
    const got = tree(join(r.reports, 'tiny'));
    if (process.env.UPDATE_GOLDEN) {
      rmSync(golden, { recursive: true, force: true });
      mkdirSync(golden, { recursive: true });
      for (const [file, bytes] of got) writeFileSync(join(golden, file), bytes);
    }
    const want = tree(golden);
    assert.deepEqual([...got.keys()], [...want.keys()]);
    for (const [file, bytes] of got) {
      assert.equal(bytes.toString('utf8'), want.get(file)!.toString('utf8'), `${file} differs from test/fixtures/report/golden/tiny (UPDATE_GOLDEN=1 to accept)`);
    }
  });

  it('overlays two CSVs, both sources in the page and the environment', async () => {
    const r = repo('small', 'cpu');
    await renderReport({ inputs: [join(r.results, 'small.csv'), join(r.results, 'cpu.csv')], outDir: r.reports, name: 'small-vs-cpu', formats: ['spec', 'md'] });
    const md = readFileSync(join(r.reports, 'small-vs-cpu', 'README.md'), 'utf8');
    assert.ok(md.includes('- **small** ([results/small.csv](../../results/small.csv))'));
    assert.ok(md.includes('- **cpu** ([results/cpu.csv](../../results/cpu.csv))'));
    assert.match(md, /\| {3}\| small \| cpu \|/);
    assert.match(md, /\| backend \| wasm \| cpu \|/);
    assert.ok(md.includes('npm run report -- results/small.csv results/cpu.csv'));
    const spec = JSON.parse(readFileSync(join(r.reports, 'small-vs-cpu', 'loss-vs-params.vl.json'), 'utf8'));
    assert.deepEqual([...new Set(spec.datasets.fit_loss.map((p: { source: string }) => p.source))], ['small', 'cpu']);
  });

  it('labels sources as given (e.g. git revisions)', async () => {
    const r = repo('small', 'cpu');
    await renderReport({ inputs: [join(r.results, 'small.csv'), join(r.results, 'cpu.csv')], outDir: r.reports, name: 'revs', formats: ['md'], labels: ['abc123', 'def456'] });
    assert.ok(readFileSync(join(r.reports, 'revs', 'README.md'), 'utf8').includes('- **abc123**'));
  });

  it('redraws a chart whose data is gone as an empty chart saying why, and leaves other files alone', async () => {
    const r = repo('small');
    await renderReport({ inputs: [join(r.results, 'small.csv')], outDir: r.reports, name: 'small', formats: ['spec'] });
    assert.ok(existsSync(join(r.reports, 'small', 'learning-curves.vl.json')));
    rmSync(join(r.results, 'small.epochs.csv'));
    writeFileSync(join(r.reports, 'small', 'notes.txt'), 'mine');
    await renderReport({ inputs: [join(r.results, 'small.csv')], outDir: r.reports, name: 'small', formats: ['spec'] });
    const spec = JSON.parse(readFileSync(join(r.reports, 'small', 'learning-curves.vl.json'), 'utf8'));
    assert.deepEqual(spec.title.subtitle, ['Nothing to plot: no per-epoch rows (results/small.epochs.csv is missing or empty).']);
    assert.ok(existsSync(join(r.reports, 'small', 'notes.txt')), 'files that are not charts are left alone');
  });

  it('refuses a missing input, a bad name and mismatched labels with the fix in the message', async () => {
    const r = repo();
    await assert.rejects(renderReport({ inputs: [join(r.results, 'none.csv')], outDir: r.reports, name: 'none' }), /no such results file/);
    await assert.rejects(renderReport({ inputs: [join(fixtures, 'small.csv')], outDir: r.reports, name: 'lib' }), /shared libraries/);
    await assert.rejects(renderReport({ inputs: [join(fixtures, 'small.csv')], outDir: r.reports, name: '../x' }), /use letters/);
    await assert.rejects(renderReport({ inputs: [join(fixtures, 'small.csv')], outDir: r.reports, name: 'x', labels: [] }), /labels/);
  });

  it('reports a header-only CSV with empty charts, saying why', async () => {
    const r = repo();
    writeFileSync(join(r.results, 'empty.csv'), readFileSync(join(fixtures, 'tiny.csv'), 'utf8').split('\n')[0] + '\n');
    const { files } = await renderReport({ inputs: [join(r.results, 'empty.csv')], outDir: r.reports, name: 'empty', formats: ['svg', 'md'] });
    assert.deepEqual(files.map((f) => relative(r.reports, f)), ['empty/README.md', ...[...CHART_NAMES].sort().map((c) => `empty/${c}.svg`)]);
    const readme = readFileSync(files[0], 'utf8');
    assert.equal(readme.split('Nothing to plot: no trials in the results yet.').length - 1, CHART_NAMES.length);
  });
});

describe('reportAll', () => {
  it('renders one report per results CSV, skipping the per-epoch files', async () => {
    const r = repo('tiny', 'cpu');
    const { files } = await reportAll(r.results, r.reports, ['spec', 'md']);
    const dirs = [...new Set(files.map((f) => relative(r.reports, f).split('/')[0]))];
    assert.deepEqual(dirs, ['cpu', 'tiny']);
    assert.ok(files.some((f) => f.endsWith('tiny/learning-curves.vl.json')));
    assert.ok(!files.some((f) => f.includes('epochs')));
  });
});
