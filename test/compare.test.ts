/** `compare`: joining, significance, warnings, thresholds and the command line, on the fixtures of test/fixtures/compare. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/cli.ts';
import { compareRuns, type Comparison } from '../src/compare/build.ts';
import { formatText } from '../src/compare/format/text.ts';
import { FORMATS, FORMAT_NAMES } from '../src/compare/format/index.ts';
import { configLabels, type SideInput } from '../src/compare/join.ts';
import { parseFailOn, ThresholdError, violations } from '../src/compare/thresholds.ts';
import { COLUMNS } from '../src/results/columns.ts';
import { parseCsv } from '../src/results/read.ts';
import { FIXTURES, toCsv } from './fixtures/compare/make.ts';

const dir = new URL('./fixtures/compare/', import.meta.url).pathname;
const path = (name: string) => join(dir, name);
const side = (name: string): SideInput => ({ name, rows: parseCsv(readFileSync(path(name), 'utf8'), COLUMNS, name) });
const table = (cmp: Comparison, metric: string) => cmp.tables.find((t) => t.metric === metric)!;

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

test('the fixture CSVs are exactly what make.ts generates (UPDATE_FIXTURES=1 rewrites them)', () => {
  for (const [name, make] of Object.entries(FIXTURES)) {
    const text = toCsv(make());
    if (process.env.UPDATE_FIXTURES) writeFileSync(path(name), text);
    assert.equal(readFileSync(path(name), 'utf8'), text, name);
  }
});

test('two runs that differ only by noise: every delta is ~', () => {
  const cmp = compareRuns(side('base.csv'), side('noise.csv'));
  assert.deepEqual(cmp.tables.map((t) => t.metric), ['test_accuracy', 'test_loss', 'train_time_s', 'samples_per_s', 'peak_rss_bytes', 'peak_tensor_bytes']);
  for (const t of cmp.tables) {
    assert.equal(t.cells.length, 3);
    for (const c of t.cells) assert.equal(c.significant, false, `${t.metric} ${c.label} p=${c.p}`);
  }
  const text = formatText(cmp);
  const deltas = text.split('\n').filter((l) => /^width=/.test(l)).map((l) => l.match(/(\S+) \(p=/)![1]);
  assert.equal(deltas.length, 18);
  assert.ok(deltas.every((d) => d === '~'), deltas.join(' '));
  assert.equal(cmp.environment.differences.length, 0);
  assert.doesNotMatch(text, /ENVIRONMENT/);
});

test('a planted 20% slowdown over 10 seeds is flagged; accuracy and memory stay ~', () => {
  const cmp = compareRuns(side('base.csv'), side('slow.csv'));
  for (const c of table(cmp, 'train_time_s').cells) {
    assert.ok(c.significant && c.p < 0.001, `${c.label} p=${c.p}`);
    assert.ok(c.delta > 0.1 && c.delta < 0.3, `${c.label} delta=${c.delta}`);
    assert.equal(c.a.n, 10);
  }
  for (const c of table(cmp, 'samples_per_s').cells) assert.ok(c.significant && c.delta < -0.1);
  for (const metric of ['test_accuracy', 'test_loss', 'peak_rss_bytes', 'peak_tensor_bytes']) {
    for (const c of table(cmp, metric).cells) assert.equal(c.significant, false, `${metric} ${c.label}`);
  }
  // noise.csv and slow.csv share their noise, so the geomean ratio is exactly the planted 1.2.
  const exact = compareRuns(side('noise.csv'), side('slow.csv'));
  assert.ok(Math.abs(table(exact, 'train_time_s').geomean!.ratio - 1.2) < 1e-5);
  assert.ok(Math.abs(table(exact, 'samples_per_s').geomean!.ratio - 1 / 1.2) < 1e-5);
});

test('configurations on one side only are listed, not dropped', () => {
  const cmp = compareRuns(side('old.csv'), side('new.csv'));
  assert.deepEqual(cmp.onlyA, [{ trialId: '742eb630725e', label: 'width=128', rows: 4 }]);
  assert.deepEqual(cmp.onlyB, [{ trialId: '93b2d462539a', label: 'width=256', rows: 4 }]);
  assert.deepEqual(table(cmp, 'train_time_s').cells.map((c) => c.label), ['width=32', 'width=64']);
  const text = formatText(cmp);
  assert.match(text, /only in old \(1 configuration, not compared\):\n {2}width=128 {2}742eb630725e {2}4 rows/);
  assert.match(text, /only in new \(1 configuration, not compared\):\n {2}width=256 {2}93b2d462539a {2}4 rows/);
  const none = compareRuns(side('old.csv'), { name: 'other', rows: side('new.csv').rows.filter((r) => r.width === '256') });
  assert.equal(none.tables.length, 0);
  assert.match(none.warnings.join('\n'), /no configuration is on both sides/);
});

test('repeats count as samples for time and throughput; failed rows are left out and reported', () => {
  const cmp = compareRuns(side('old.csv'), side('new.csv'));
  const [w32, w64] = table(cmp, 'train_time_s').cells;
  assert.deepEqual([w32.a.n, w32.b.n, w64.a.n, w64.b.n], [12, 12, 12, 9]); // 4 seeds × 3 repeats; one diverged row
  assert.equal(table(cmp, 'samples_per_s').cells[0].a.n, 12);
  assert.equal(table(cmp, 'test_accuracy').cells[1].b.n, 3);
  assert.equal(cmp.b.notOk, 1);
  assert.deepEqual(cmp.warnings, ['new: 1 of 12 rows diverged or failed and are left out of the statistics']);
});

test('too few samples to ever be significant (n < 4 per side) carries a warning', () => {
  const cmp = compareRuns(side('old.csv'), side('new.csv'));
  const [w32, w64] = table(cmp, 'test_accuracy').cells;
  assert.ok(!w32.warnings.some((w) => w.includes('≥ 4')), 'n = 4 + 4 can reach p = 0.029');
  assert.ok(w64.warnings.includes('need ≥ 4 samples per side to ever detect a difference at α=0.05'), 'n = 4 + 3: min p = 0.057');
  assert.ok(w64.warnings.includes('need ≥ 6 samples for a 95% interval'));
  assert.equal(w64.a.lo, -Infinity);
});

test('environment differences come first, with what they mean; times across machines are flagged', () => {
  const cmp = compareRuns(side('old.csv'), side('new.csv'));
  assert.deepEqual(cmp.environment.differences.map((d) => [d.column, d.a, d.b]), [
    ['backend', ['cpu'], ['wasm']],
    ['cpu', ['Intel(R) Xeon(R) CPU @ 2.20GHz'], ['AMD EPYC 7B13']],
    ['cores', ['2'], ['8']],
  ]);
  assert.equal(cmp.environment.crossMachine, true);
  assert.deepEqual(cmp.tables.filter((t) => t.warnings.length > 0).map((t) => t.metric), ['train_time_s', 'samples_per_s', 'peak_rss_bytes']);
  const text = formatText(cmp);
  assert.ok(text.indexOf('!! ENVIRONMENT DIFFERS') < text.indexOf('test_accuracy'));
  assert.match(text, /!! different machines: time, throughput and memory deltas compare machines, not code/);
});

test('labels name the settings that vary; unreadable settings fall back to trial ids', () => {
  const rows = side('old.csv').rows;
  assert.deepEqual([...configLabels(rows, ['fa1bd3e9ef93', '025a8e466a03']).values()], ['width=32', 'width=64']);
  const broken = rows.map((r) => ({ ...r, settings: r.width === '32' ? 'not json' : r.settings }));
  assert.deepEqual([...configLabels(broken, ['fa1bd3e9ef93', '025a8e466a03']).values()], ['fa1bd3e9ef93', '025a8e466a03']);
});

test('--fail-on: syntax, aliases, direction', () => {
  assert.deepEqual(parseFailOn('time=+5%,accuracy=-1pt'), [
    { metric: 'train_time_s', kind: 'relative', limit: 0.05, text: 'time=+5%' },
    { metric: 'test_accuracy', kind: 'absolute', limit: 0.01, text: 'accuracy=-1pt' },
  ]);
  assert.deepEqual(parseFailOn(' loss=0.02 , memory=10% ').map((t) => [t.metric, t.kind, t.limit]), [['test_loss', 'absolute', 0.02], ['peak_rss_bytes', 'relative', 0.1]]);
  assert.equal(parseFailOn('throughput=-3%')[0].metric, 'samples_per_s');
  const bad: [string, RegExp][] = [
    ['', /expected metric=limit/],
    ['time', /cannot read "time"/],
    ['time=fast', /cannot read "time=fast"/],
    ['speed=+5%', /unknown metric "speed"; use one of accuracy, loss, time, throughput, memory, tensor/],
    ['time=-5%', /train_time_s gets worse as it rises; write time=\+5%/],
    ['accuracy=+1pt', /test_accuracy gets worse as it falls; write accuracy=-1pt/],
    ['loss=+1pt', /pt \(percentage points\) is for accuracy/],
  ];
  for (const [spec, message] of bad) assert.throws(() => parseFailOn(spec), (e: Error) => e instanceof ThresholdError && message.test(e.message), spec);
});

test('--fail-on counts only significant regressions beyond the limit', () => {
  const slow = compareRuns(side('base.csv'), side('slow.csv'));
  assert.deepEqual(violations(slow, parseFailOn('time=+5%')).map((v) => v.label), ['width=32', 'width=64', 'width=128']);
  assert.deepEqual(violations(slow, parseFailOn('time=+25%,accuracy=-1pt,throughput=-30%')), []);
  // old → new: width=32 is 19% slower (significant); width=64 is 1% slower but not significant, so even 0% lets it pass.
  const mixed = compareRuns(side('old.csv'), side('new.csv'));
  assert.deepEqual(violations(mixed, parseFailOn('time=+0%')).map((v) => v.label), ['width=32']);
});

test('CLI: exit 1 past a --fail-on limit, 0 within it, 2 on bad input', async () => {
  const failing = await run('compare', path('base.csv'), path('slow.csv'), '--fail-on', 'time=+5%');
  assert.equal(failing.code, 1);
  assert.match(failing.err, /compare: train_time_s at width=32: \+14\.82% \(p=0\.000\) is worse than --fail-on time=\+5%/);
  assert.equal((await run('compare', path('base.csv'), path('slow.csv'), '--fail-on', 'time=+50%')).code, 0);
  const usage: [string[], RegExp][] = [
    [['compare', path('base.csv'), path('slow.csv'), '--fail-on', 'time=5 %%'], /--fail-on: cannot read/],
    [['compare', path('base.csv')], /compare needs two results files/],
    [['compare'], /Not enough non-option arguments/],
    [['compare', path('base.csv'), path('slow.csv'), path('noise.csv')], /Unknown argument/],
    [['compare', path('base.csv'), path('slow.csv'), '--rev', 'main'], /--rev compares one file with its committed version; got 2 files/],
    [['compare', path('base.csv'), path('missing.csv')], /missing\.csv: no such file/],
    [['compare', path('base.csv'), path('slow.csv'), '--format', 'html'], /Invalid values/],
    [['compare', path('base.csv'), path('slow.csv'), '--alpha', '2'], /--alpha: expected a number between 0 and 1/],
  ];
  for (const [argv, message] of usage) {
    const r = await run(...argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, message);
    assert.equal(r.out, '');
  }
});

test('CLI: each --format prints exactly what its formatter makes; csv/json also warn on stderr', async () => {
  const cmp = compareRuns(side('old.csv'), side('new.csv'));
  for (const format of FORMAT_NAMES) {
    const r = await run('compare', path('old.csv'), path('new.csv'), '--format', format);
    assert.equal(r.code, 0);
    const names = (s: string) => s.split(path('')).join('');
    assert.equal(names(r.out), FORMATS[format](cmp), format);
    if (format === 'csv' || format === 'json') assert.match(r.err, /^compare: environment differs \(backend, cpu, cores\)/);
    else assert.equal(r.err, '');
  }
  assert.equal((await run('compare', path('old.csv'), path('new.csv'))).out.startsWith('old  '), true, 'text is the default');
});

const tmp = mkdtempSync(join(tmpdir(), 'scalebench-compare-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const git = (cwd: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, stdio: 'pipe' });

test('--rev: the committed file is the old side', async () => {
  const repo = join(tmp, 'repo');
  execFileSync('mkdir', ['-p', join(repo, 'results')]);
  git(repo, 'init', '-q');
  copyFileSync(path('base.csv'), join(repo, 'results', 'x.csv'));
  git(repo, 'add', '.');
  git(repo, 'commit', '-qm', 'baseline');
  copyFileSync(path('slow.csv'), join(repo, 'results', 'x.csv'));
  const file = join(repo, 'results', 'x.csv');
  const r = await run('compare', file, '--rev', 'HEAD', '--fail-on', 'time=+5%');
  assert.equal(r.code, 1);
  assert.match(r.out, new RegExp(`^old {2}HEAD:${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} {2}30 rows`));
  assert.match(r.out, /width=64 +161\.0ms ± 4% +191\.9ms ± 3% +\+19\.19% \(p=0\.000 n=10\)/);

  const untracked = join(repo, 'results', 'y.csv');
  copyFileSync(path('base.csv'), untracked);
  const notCommitted = await run('compare', untracked, '--rev', 'HEAD');
  assert.equal(notCommitted.code, 2);
  assert.match(notCommitted.err, /--rev HEAD: .*y\.csv is not committed at HEAD/);
  const badRev = await run('compare', file, '--rev', 'no-such-branch');
  assert.equal(badRev.code, 2);
  assert.match(badRev.err, /--rev no-such-branch: no such revision/);
});

test('--rev outside a git repository says so and suggests comparing two files', async () => {
  const loose = join(tmp, 'loose');
  execFileSync('mkdir', ['-p', loose]);
  copyFileSync(path('base.csv'), join(loose, 'x.csv'));
  const r = await run('compare', join(loose, 'x.csv'), '--rev', 'main');
  assert.equal(r.code, 2);
  assert.match(r.err, /x\.csv is not inside a git repository; compare two files instead: scalebench compare OLD\.csv NEW\.csv/);
});
