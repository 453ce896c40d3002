/** End-to-end: the real CLI, real worker processes, the cpu backend, a tiny grid. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepare } from '../src/cli/prepare.ts';
import { COLUMNS } from '../src/results/columns.ts';
import { runSweep } from '../src/run/sweep.ts';
import { readEpochs, readResults } from '../src/results/read.ts';
import { startCli, waitFor } from './helpers/processes.ts';

const TINY = new URL('./fixtures/experiments/tiny.yaml', import.meta.url).pathname;

/** Run the real CLI to completion. */
const cli = async (args: string[]) => startCli(args).done;

test('a sweep writes one ok row per (trial, seed); killed mid-sweep, it resumes without duplicates', async () => {
  const root = mkdtempSync(join(tmpdir(), 'sb-sweep-'));
  const dir = join(root, 'results');
  const csv = join(dir, 'tiny.csv');
  const rowsIn = () => (existsSync(csv) ? readFileSync(csv, 'utf8').split('\n').length - 2 : 0);

  // Kill the whole sweep (SIGKILL, no chance to clean up) once two trials are recorded.
  const first = startCli(['sweep', TINY, '--results-dir', dir, '--no-report']);
  await waitFor(() => rowsIn() >= 2, 'two recorded trials');
  process.kill(first.pid, 'SIGKILL');
  await first.done;
  const partial = readResults(csv).length;
  assert.ok(partial >= 2 && partial < 6, `expected an interrupted sweep, got ${partial} rows`);

  const second = await cli(['sweep', TINY, '--results-dir', dir]);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, new RegExp(`${6 - partial} of 6 trials to run on cpu`));
  const rows = readResults(csv);
  assert.equal(rows.length, 6);
  assert.equal(new Set(rows.map((r) => `${r.trial_id}#${r.seed}`)).size, 6, 'every (trial, seed) exactly once');
  assert.deepEqual(rows.map((r) => r.status), Array(6).fill('ok'));
  for (const r of rows) {
    assert.equal(r.backend, 'cpu');
    assert.equal(r.leaked_tensors, '0');
    assert.ok(Number(r.train_time_s) > 0 && Number(r.peak_rss_bytes) > 1e6 && Number(r.peak_tensor_bytes) > 0);
    assert.equal(Number(r.flops_per_s), Number(r.train_flops) / Number(r.train_time_s));
    assert.ok(Number(r.test_accuracy) >= 0 && Number(r.test_accuracy) <= 1);
  }
  assert.deepEqual(rows.map((r) => r.params).sort(), ['15', '35', '67', '67', '35', '15'].sort());
  // Per-epoch rows: exactly 2 per recorded trial, none orphaned by the kill.
  const epochs = readEpochs(join(dir, 'tiny.epochs.csv'));
  assert.equal(epochs.length, 12);
  assert.equal(readFileSync(csv, 'utf8').split('\n')[0], COLUMNS.join(','));
  // The completed sweep rendered its report beside the results folder.
  assert.match(second.stderr, /tiny: report → .*\/reports\/tiny\//);
  assert.ok(existsSync(join(root, 'reports', 'tiny', 'accuracy-vs-params.svg')));

  // Third run: nothing to do, file untouched.
  const before = statSync(csv).mtimeMs;
  const third = await cli(['sweep', TINY, '--results-dir', dir, '--no-report']);
  assert.equal(third.code, 0);
  assert.match(third.stderr, /0 of 6 trials to run/);
  assert.equal(statSync(csv).mtimeMs, before);
});

test('the same trials on the cpu backend give identical losses and accuracies twice, with --jobs 1 and --jobs auto', async () => {
  const a = mkdtempSync(join(tmpdir(), 'sb-det-a-'));
  const b = mkdtempSync(join(tmpdir(), 'sb-det-b-'));
  assert.equal((await cli(['sweep', TINY, '--results-dir', a, '--no-report'])).code, 0);
  assert.equal((await cli(['sweep', TINY, '--results-dir', b, '--no-report', '--jobs', 'auto'])).code, 0);
  // Everything but timings, memory and start times must match.
  const timing = /time|per_s|latency|rss|started_at|jobs/;
  const pick = (dir: string) => readResults(join(dir, 'tiny.csv')).map((r) => COLUMNS.filter((c) => !timing.test(c)).map((c) => r[c]).join()).sort();
  assert.deepEqual(pick(a), pick(b));
  // auto = one worker per core on the single-threaded cpu backend.
  assert.deepEqual(new Set(readResults(join(b, 'tiny.csv')).map((r) => r.jobs)), new Set([String(availableParallelism())]));
  const curves = (dir: string) => readEpochs(join(dir, 'tiny.epochs.csv')).map((r) => [r.trial_id, r.seed, r.epoch, r.train_loss, r.test_loss].join()).sort();
  assert.deepEqual(curves(a), curves(b));
});

test('with --jobs 2 the longest trials start first; with one job, grid order', async () => {
  const { exp, trials } = prepare(TINY);
  const starts = async (jobs: number) => {
    const widths: number[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'sb-order-'));
    await runSweep(exp, trials, { resultsDir: dir, backend: 'cpu', tune: true, jobs, fresh: true, failFast: false, onEvent: (e) => void (e.kind === 'start' && widths.push(e.trial.settings.model.width)) });
    return widths;
  };
  // Grid order: width 4, 8 (seeds 1, 2 each), then the included width 2; cost grows with width.
  assert.deepEqual(trials.map((t) => t.settings.model.width), [4, 4, 8, 8, 2, 2]);
  assert.deepEqual(await starts(1), [4, 4, 8, 8, 2, 2]);
  assert.deepEqual(await starts(2), [8, 8, 4, 4, 2, 2]);
});

test('bad input exits 2 with one line naming file and field, and writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bad-'));
  const r = await cli(['sweep', 'test/fixtures/experiments/nope.yaml', '--results-dir', dir]);
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'scalebench: test/fixtures/experiments/nope.yaml: file not found\n');
  const forced = await cli(['sweep', TINY, '--backend', 'tensorflow', '--results-dir', dir]);
  assert.equal(forced.code, 2);
  assert.match(forced.stderr, /^scalebench: --backend: backend 'tensorflow' is not available: .*\n$/);
  // Several files: every one is validated before any runs.
  const several = await cli(['sweep', TINY, 'test/fixtures/experiments/nope.yaml', '--results-dir', dir]);
  assert.equal(several.code, 2);
  assert.equal(several.stderr, 'scalebench: test/fixtures/experiments/nope.yaml: file not found\n');
  assert.equal(existsSync(join(dir, 'tiny.csv')), false);
});

test('plan prints every trial with params and FLOPs, plus totals', async () => {
  const r = await cli(['plan', TINY]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 1 + 1 + 6 + 1);
  // 4→4→3: 4·4+4 + 4·3+3 = 35 params; forward 2·(16+12) = 56; × 3 × 64 × 2 epochs = 21504
  assert.match(lines[2], /^1 +[0-9a-f]{12} +width=4 depth=1 seed=1 +35 +21\.5k$/);
  assert.equal(lines.at(-1), 'total: 6 trials (3 configurations × 2 seeds), 147k training FLOPs, largest model 67 params');
});
