/**
 * End-to-end: tiny's 6 trials as 4 shard processes (one killed mid-run), merged, against one unsharded run.
 * The real CLI, real worker processes, the cpu backend. Shards get their index three ways: --shard,
 * JOB_COMPLETION_INDEX + SCALEBENCH_SHARDS (Kubernetes), SLURM_ARRAY_TASK_* from 1 (Slurm).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { prepare } from '../src/cli/prepare.ts';
import { readEpochs, readResults } from '../src/results/read.ts';
import { assignShards, costOf } from '../src/run/shard.ts';
import { waitFor } from './helpers/processes.ts';

const BIN = new URL('../bin/scalebench.js', import.meta.url).pathname;
const TINY = new URL('./fixtures/experiments/tiny.yaml', import.meta.url).pathname;

function cli(args: string[], env: Record<string, string> = {}, onSpawn?: (pid: number) => void): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  // Drop any engine variables of the machine running the tests, then add the test's own.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(JOB_COMPLETION_INDEX|SCALEBENCH_SHARDS|SLURM_ARRAY_)/.test(k)));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...base, ...env } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    onSpawn?.(child.pid!);
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
  });
}

test('4 shards merged = one unsharded run; a killed shard leaves exactly its unfinished trials missing until it is rerun', async () => {
  const one = mkdtempSync(join(tmpdir(), 'sb-one-'));
  const dir = mkdtempSync(join(tmpdir(), 'sb-shards-'));
  const { exp, trials } = prepare(TINY);
  const assigned = assignShards(trials, 4, costOf(exp));
  const keyOf = (t: { id: string; seed: number }) => `${t.id}#${t.seed}`;
  const of = (s: number) => trials.filter((t) => assigned.get(keyOf(t)) === s);
  // The victim: a shard with two trials, killed once its first is recorded.
  const victim = [0, 1, 2, 3].find((s) => of(s).length === 2)!;
  const victimCsv = join(dir, 'tiny', 'shards', `${victim}-of-4.csv`);
  const rowsIn = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').length - 2 : 0);

  const how = (s: number): [string[], Record<string, string>] =>
    s === 1 ? [[], { JOB_COMPLETION_INDEX: '1', SCALEBENCH_SHARDS: '4' }]
    : s === 2 ? [[], { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '4' }] // --array=1-4
    : [['--shard', `${s}/4`], {}];
  let victimPid = 0;
  const runs = [0, 1, 2, 3].map((s) => cli(['sweep', TINY, '--results-dir', dir, ...how(s)[0]], how(s)[1], s === victim ? (p) => (victimPid = p) : undefined));
  const reference = cli(['sweep', TINY, '--results-dir', one]);
  await waitFor(() => rowsIn(victimCsv) >= 1, "the victim shard's first row", 60_000, 20);
  process.kill(victimPid, 'SIGKILL');
  const results = await Promise.all(runs);
  results.forEach((r, s) => {
    if (s === victim) assert.equal(r.signal, 'SIGKILL');
    else {
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`^tiny: shard ${s}/4 \\((--shard|JOB_COMPLETION_INDEX with SCALEBENCH_SHARDS|SLURM_ARRAY_TASK_ID)\\): ${of(s).length} of 6 trials$`, 'm'));
    }
  });
  assert.equal((await reference).code, 0);

  // Merge names exactly the victim's unrecorded trials, and exits 1.
  const recorded = new Set(readResults(victimCsv).map((r) => `${r.trial_id}#${r.seed}`));
  assert.equal(recorded.size, 1);
  const missing = of(victim).filter((t) => !recorded.has(keyOf(t)));
  const partial = await cli(['merge', TINY, '--results-dir', dir]);
  assert.equal(partial.code, 1, partial.stderr);
  const listed = partial.stderr.split('\n').filter((l) => l.startsWith('  ')).map((l) => l.trim().split(' ')[0] + '#' + /seed=(\d+)/.exec(l)![1]);
  assert.deepEqual(listed, missing.map(keyOf));
  assert.match(partial.stderr, new RegExp(`^missing ${missing.length} of 6 trials:$`, 'm'));
  assert.match(partial.stderr, new RegExp(`^rerun: scalebench sweep \\S+ --shard ${victim}/4$`, 'm'));

  // Rerun the victim alone: it resumes (runs only what is missing), and the merge is complete.
  const rerun = await cli(['sweep', TINY, '--results-dir', dir, '--shard', `${victim}/4`]);
  assert.equal(rerun.code, 0, rerun.stderr);
  assert.match(rerun.stderr, new RegExp(`${missing.length} of 2 trials to run`));
  const done = await cli(['merge', TINY, '--results-dir', dir]);
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.stderr, /^tiny: 4 shard file\(s\), 6 of 6 trials → /);

  // Same trial set, and on cpu the same losses and accuracies (and learning curves) as the unsharded run.
  const pick = (d: string) => readResults(join(d, 'tiny.csv')).map((r) => [r.trial_id, r.seed, r.params, r.status, r.train_loss, r.test_loss, r.train_accuracy, r.test_accuracy, r.settings].join());
  assert.deepEqual(pick(dir), pick(one), 'merged rows come out in the pinned grid order, as an unsharded sweep writes them');
  const curves = (d: string) => readEpochs(join(d, 'tiny.epochs.csv')).map((r) => [r.trial_id, r.seed, r.epoch, r.train_loss, r.test_loss].join()).sort();
  assert.deepEqual(curves(dir), curves(one));

  // Idempotent: merging again rewrites nothing.
  const csv = join(dir, 'tiny.csv');
  const before = [readFileSync(csv, 'utf8'), statSync(csv).mtimeMs];
  const again = await cli(['merge', TINY, '--results-dir', dir]);
  assert.equal(again.code, 0);
  assert.deepEqual([readFileSync(csv, 'utf8'), statSync(csv).mtimeMs], before);
});
