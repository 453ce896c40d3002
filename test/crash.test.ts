/**
 * Crash safety of the real CLI: SIGKILL at seeded random moments (during a trial, between trials,
 * while a row is half written, anywhere), a rerun after each, and the final CSV holds every trial
 * exactly once with no partial line; Ctrl-C keeps the finished rows and says how to resume.
 * bench/stress-kill.ts runs the same loop with 20+ kills.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readResults } from '../src/results/read.ts';
import { checkComplete, killAndResume } from './helpers/kill.ts';
import { isWorker, startCli, strays, tagged, waitFor } from './helpers/processes.ts';

const CRASH = 'test/fixtures/experiments/crash.yaml';

test('5 SIGKILLs at seeded random moments, each followed by a rerun: every trial recorded exactly once, no partial line, no stray process', async (t) => {
  const report = await killAndResume({ file: CRASH, stem: 'crash', epochs: 2, kills: 5, seed: 'crash-test-1', log: (s) => t.diagnostic(s) });
  assert.equal(report.kills.length, 5);
  assert.equal(report.rowsLost, 0);
  assert.deepEqual(new Set(report.kills.map((k) => k.kind)), new Set(['random', 'during-trial', 'after-row', 'mid-row']));
  assert.ok(report.kills.some((k) => k.kind === 'mid-row' && k.torn), 'one kill landed inside a row');
  assert.ok(report.kills.some((k) => k.duringTrial), 'one kill landed during a trial');
});

test('Ctrl-C (SIGINT to the process group) keeps the finished rows, abandons the running trial, says how to resume and exits 130; a second sweep of the same file meanwhile is refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-sigint-'));
  const csv = join(dir, 'crash.csv');
  const tag = randomUUID();
  const run = startCli(['sweep', CRASH, '--no-report', '--results-dir', dir], { tag, detached: true });
  // One row recorded and the next trial's worker running.
  await waitFor(() => readResults(csv).length >= 1 && tagged(tag).some((p) => isWorker(p.cmd)), 'a row and a running trial');
  // Meanwhile a second sweep of the same results is refused: both would run the same trials.
  const second = await startCli(['sweep', CRASH, '--no-report', '--results-dir', dir]).done;
  assert.equal(second.code, 2);
  assert.equal(second.stderr, `scalebench: ${csv}: another sweep (pid ${run.pid}) is writing this file; wait for it to finish or stop it (if none is running, delete ${csv}.lock)\n`);
  process.kill(-run.pid, 'SIGINT'); // what a terminal does on Ctrl-C: the sweep and its workers get it
  const r = await run.done;
  assert.equal(r.code, 130, r.stderr);
  const m = /^Interrupted: unfinished trials were abandoned; (\d+) of 6 are recorded in (.*)\. Run the same command again to resume\.$/m.exec(r.stderr);
  assert.ok(m, r.stderr);
  assert.equal(m[2], csv);
  const kept = readResults(csv);
  assert.ok(kept.length >= 1 && kept.length < 6);
  assert.equal(Number(m[1]), kept.length);
  assert.deepEqual(await strays(tag, 1000), [], 'no worker outlives the interrupted sweep');
  assert.equal(existsSync(`${csv}.lock`), false, 'the interrupted sweep released its lock');

  // The rerun finishes the rest, and a sweep that ends normally leaves no process behind either.
  const tag2 = randomUUID();
  const again = await startCli(['sweep', CRASH, '--no-report', '--results-dir', dir], { tag: tag2 }).done;
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, new RegExp(`${6 - kept.length} of 6 trials to run`));
  checkComplete(CRASH, csv, 2);
  assert.deepEqual(tagged(tag2), []);
});
