/** Chart specs against the CSV they come from: one point per configuration, every not-ok trial shown, overlays keep both sources. */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildCharts, CHART_NAMES } from '../src/report/charts/index.ts';
import { fmt, si, type Chart, type Json, type Spec } from '../src/report/charts/common.ts';
import { prettyJson } from '../src/report/json.ts';
import { loadSources, sourceLabels } from '../src/report/load.ts';
import { buildModel } from '../src/report/model.ts';
import { readEpochs, readResults } from '../src/results/read.ts';
import { toSvg } from '../src/report/render.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'report');
const small = join(fixtures, 'small.csv');
const cpu = join(fixtures, 'cpu.csv');

function model(inputs: string[]) {
  return buildModel('t', loadSources(inputs, sourceLabels(inputs), fixtures));
}
const byName = (charts: Chart[]) => new Map(charts.map((c) => [c.name, c]));
const dataset = (c: Chart, name: string) => ((c.spec.datasets as Record<string, Json[]>)[name] ?? []) as Spec[];

/** Configurations (trial_id) with at least one ok trial, and the not-ok trials, straight from the CSV. */
function expected(file: string) {
  const rows = readResults(file);
  return {
    okConfigs: new Set(rows.filter((r) => r.status === 'ok').map((r) => r.trial_id)).size,
    notOk: rows.filter((r) => r.status !== 'ok').length,
    epochTrials: new Set(readEpochs(file.replace(/\.csv$/, '.epochs.csv')).map((e) => `${e.trial_id}/${e.seed}`)).size,
  };
}

/** Items drawn by one Vega mark group in an SVG (each symbol is a <path>, each rule a <line>). */
function markItems(svg: string, className: string): number {
  const start = svg.indexOf(`class="${className}`);
  assert.ok(start >= 0, `no mark ${className}`);
  const body = svg.slice(start, svg.indexOf('</g>', start));
  return (body.match(/<(path|line)\b/g) ?? []).length;
}

describe('charts of one CSV', () => {
  const m = model([small]);
  const charts = byName(buildCharts(m));
  const want = expected(small);

  it('builds every chart, learning curves included (the per-epoch CSV is there)', () => {
    assert.deepEqual([...charts.keys()], [...CHART_NAMES]);
    assert.ok(want.notOk > 0 && want.okConfigs > 3, 'the fixture has failures and several configurations');
  });

  it('has one data point per configuration in every per-configuration chart', () => {
    for (const name of CHART_NAMES.filter((n) => n !== 'learning-curves')) {
      assert.equal(dataset(charts.get(name)!, 'configs').length, want.okConfigs, name);
    }
  });

  it('shows every diverged or failed trial, with its error', () => {
    for (const name of CHART_NAMES.filter((n) => n !== 'learning-curves')) {
      const failures = dataset(charts.get(name)!, 'failures');
      assert.equal(failures.reduce((s, f) => s + (f.trials as number), 0), want.notOk, name);
      assert.ok(failures.every((f) => typeof f.error === 'string' && f.error.length > 0), name);
    }
  });

  it('has one learning curve per trial in the per-epoch CSV', () => {
    const c = charts.get('learning-curves')!;
    assert.equal(dataset(c, 'tooltip_trials').length, want.epochTrials);
    const curves = dataset(c, 'curves');
    assert.equal(new Set(curves.map((r) => r.trial)).size, want.epochTrials);
    // Each trial's curve ends in a break (loss null), so trials sharing a colour never join up.
    assert.equal(curves.filter((r) => r.kind === 'line' && r.loss === null).length, 2 * want.epochTrials);
    assert.ok(dataset(c, 'curves').some((r) => r.kind === 'end'), 'the diverged trial ends in a red mark');
  });

  it('puts each trial’s full settings in the tooltips', () => {
    for (const name of CHART_NAMES) {
      const text = JSON.stringify(charts.get(name)!.spec);
      assert.ok(text.includes('{"field":"settings","type":"nominal"}'), name);
    }
    const settings = new Set(readResults(small).map((r) => r.settings));
    assert.ok(dataset(charts.get('accuracy-vs-params')!, 'configs').every((r) => settings.has(r.settings as string)));
  });

  it('draws as many points as configurations (rendered SVG)', async () => {
    const svg = await toSvg(charts.get('accuracy-vs-params')!.spec);
    assert.equal(markItems(svg, 'mark-symbol role-mark layer_1_layer_1_marks'), want.okConfigs);
    assert.equal(markItems(svg, 'mark-symbol role-mark layer_3_marks'), dataset(charts.get('accuracy-vs-params')!, 'failures').length);
  });

  it('states the fitted exponents in the titles', () => {
    const loss = charts.get('loss-vs-params')!.spec.title as { text: string };
    assert.match(loss.text, new RegExp(`α = ${fmt(m.fits[0].loss!.alpha).replace('.', '\\.')} \\(95% CI \\[`));
    const time = JSON.stringify(charts.get('time-vs-params')!.spec);
    assert.ok(time.includes(`k = ${fmt(m.fits[0].time!.k)} (95% CI [`));
  });

  it('marks the Pareto-optimal configurations, the cheapest always among them', () => {
    const rows = dataset(charts.get('pareto')!, 'configs');
    const cheapest = rows.reduce((a, b) => ((b.train_flops as number) < (a.train_flops as number) ? b : a));
    assert.equal(cheapest.pareto_flops, true);
    const best = rows.reduce((a, b) => ((b.test_accuracy as number) > (a.test_accuracy as number) ? b : a));
    assert.equal(best.pareto_flops, true);
    assert.equal(best.pareto_time, true);
  });
});

describe('charts of two CSVs (overlay)', () => {
  const m = model([small, cpu]);
  const charts = buildCharts(m);

  it('keeps both sources in every chart, coloured by source', () => {
    assert.deepEqual(m.sources.map((s) => s.label), ['small', 'cpu']);
    for (const c of charts.filter((c) => c.name !== 'learning-curves')) {
      assert.deepEqual([...new Set(dataset(c, 'configs').map((r) => r.source))], ['small', 'cpu'], c.name);
      assert.ok(JSON.stringify(c.spec).includes('"field":"source","type":"nominal","scale":{"domain":["small","cpu"]}'), c.name);
    }
    const want = expected(small).okConfigs + expected(cpu).okConfigs;
    assert.equal(dataset(charts[0], 'configs').length, want);
  });

  it('fits each source separately', () => {
    assert.equal(m.fits.length, 2);
    const [a, b] = m.fits.map((f) => f.time!.k);
    assert.ok(Math.abs(a - 0.8) < 0.05 && Math.abs(b - 0.8) < 0.05, `${a} ${b}`);
  });
});

describe('labels and formatting', () => {
  it('labels sources by file stem, by folder when stems collide', () => {
    assert.deepEqual(sourceLabels(['results/a.csv', 'x/results/b.csv']), ['a', 'b']);
    assert.deepEqual(sourceLabels(['old/q.csv', 'new/q.csv']), ['old/q', 'new/q']);
  });

  it('formats numbers stably', () => {
    assert.equal(fmt(0.45678), '0.457');
    assert.equal(fmt(2), '2');
    assert.equal(fmt(-0.7991), '-0.799');
    assert.equal(fmt(1234567), '1.23e+6');
    assert.equal(fmt(NaN), '—');
    assert.equal(si(3162.3), '3.2k');
    assert.equal(si(100000), '100k');
    assert.equal(si(999999), '1M');
    assert.equal(prettyJson({ a: [1, 2], b: 'x' }), '{"a":[1,2],"b":"x"}\n');
  });
});
