/**
 * Kill a sweep with SIGKILL at seeded random moments, rerun it after each kill, and check after
 * every step that the results lose nothing and hold nothing twice. Used by test/crash.test.ts
 * (a few kills) and bench/stress-kill.ts (many).
 *
 * The moments, each drawn from a seeded stream so a failure can be replayed:
 * - 'random':       a random delay after the start (start-up, backend probe, a trial, a write…);
 * - 'during-trial': a random delay after a trial's worker process is seen running;
 * - 'after-row':    as soon as a new row is complete (the next trial is starting);
 * - 'mid-row':      while a row is half written: the run gets SCALEBENCH_TEST_TORN_WRITE_MS, which
 *                   splits each append into two writes with a pause between (src/results/write.ts).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import seedrandom from 'seedrandom';
import { prepare } from '../../src/cli/prepare.ts';
import { readEpochs, readResults } from '../../src/results/read.ts';
import { COLUMNS } from '../../src/results/columns.ts';
import { isWorker, ROOT, sleep, startCli, strays, tagged, waitFor } from './processes.ts';

export const KINDS = ['random', 'during-trial', 'after-row', 'mid-row'] as const;
export type Kind = (typeof KINDS)[number];

export interface Kill {
  kind: Kind;
  /** ms from the start of the run to the kill. */
  atMs: number;
  /** Complete rows before and after this run. */
  rowsBefore: number;
  rowsAfter: number;
  /** The kill left a cut row at the end of the results file. */
  torn: boolean;
  /** A trial's worker process was alive at the kill. */
  duringTrial: boolean;
}

export interface CrashReport {
  kills: Kill[];
  /** Runs that ended by themselves (the grid finished) before their kill moment. */
  completed: number;
  /** Rows recorded by one run and missing after a later one (must be 0). */
  rowsLost: number;
  /** Results folders used: a new one starts whenever a grid is complete. */
  rounds: number;
}

const keyOf = (r: { trial_id: string; seed: string }) => `${r.trial_id}#${r.seed}`;

/** Complete rows in `csv` as keys; fails on a duplicate (a trial recorded twice). */
function recorded(csv: string): string[] {
  const keys = readResults(csv).map(keyOf);
  assert.equal(new Set(keys).size, keys.length, `a trial recorded twice in ${csv}`);
  return keys;
}

const endsTorn = (file: string) => existsSync(file) && readFileSync(file).length > 0 && !readFileSync(file, 'utf8').endsWith('\n');

/** The whole grid is recorded once, every line complete, every epoch row belongs to a recorded trial. */
export function checkComplete(file: string, csv: string, epochs: number): void {
  const expected = prepare(resolve(ROOT, file)).trials.map((t) => `${t.id}#${t.seed}`).sort();
  assert.deepEqual([...recorded(csv)].sort(), expected, 'every trial exactly once');
  const text = readFileSync(csv, 'utf8');
  assert.ok(text.endsWith('\n'), 'no partial final line');
  const lines = text.split('\n').slice(0, -1);
  assert.equal(lines[0], COLUMNS.join(','));
  assert.equal(lines.length, expected.length + 1, 'one line per row, nothing else');
  const epochRows = readEpochs(csv.replace(/\.csv$/, '.epochs.csv'));
  const epochKeys = epochRows.map((r) => `${keyOf(r)}#${r.epoch}`);
  assert.equal(new Set(epochKeys).size, epochKeys.length, 'no epoch row twice');
  assert.deepEqual(epochRows.map(keyOf).sort(), expected.flatMap((k) => Array(epochs).fill(k)).sort(), 'each trial has exactly its epochs');
}

/**
 * Kill a sweep of `file` `kills` times, rerunning after each, then run it to the end and check it.
 * `stem` names the results file; `epochs` is the experiment's epochs (to check the per-epoch file).
 */
export async function killAndResume(opts: { file: string; stem: string; epochs: number; kills: number; seed: string; tornMs?: number; log?: (s: string) => void }): Promise<CrashReport> {
  const rng = seedrandom(opts.seed);
  // Every kind once, in a seeded order, then seeded picks.
  const kinds: Kind[] = [...KINDS].sort(() => rng() - 0.5);
  while (kinds.length < opts.kills) kinds.push(KINDS[Math.floor(rng() * KINDS.length)]);
  const report: CrashReport = { kills: [], completed: 0, rowsLost: 0, rounds: 1 };
  let dir = mkdtempSync(join(tmpdir(), 'sb-crash-'));
  let csv = join(dir, `${opts.stem}.csv`);

  for (const kind of kinds.slice(0, opts.kills)) {
    for (;;) {
      const before = recorded(csv);
      const sizeBefore = existsSync(csv) ? readFileSync(csv).length : 0;
      const tag = randomUUID();
      const torn = kind === 'mid-row';
      const t0 = Date.now();
      const run = startCli(['sweep', opts.file, '--no-report', '--results-dir', dir], { tag, env: torn ? { SCALEBENCH_TEST_TORN_WRITE_MS: String(opts.tornMs ?? 300) } : {} });
      let finished = false;
      void run.done.then(() => (finished = true));
      const worker = () => tagged(tag).some((p) => isWorker(p.cmd));
      const planned = () => /trials to run on/.test(run.stderr());
      const until = (pred: () => boolean, what: string) => waitFor(() => finished || pred(), what, 120_000, 5);
      if (kind === 'random') await sleep(rng() * 4000);
      else if (kind === 'during-trial') {
        await until(() => planned() && worker(), 'a trial worker');
        await sleep(rng() * 800);
      } else if (kind === 'after-row') {
        await until(() => recorded(csv).length > before.length, 'a new row');
      } else {
        const size = existsSync(csv) ? readFileSync(csv).length : 0;
        await until(() => existsSync(csv) && readFileSync(csv).length > size && endsTorn(csv), 'a half-written row');
      }
      const duringTrial = planned() && worker();
      if (!finished) process.kill(run.pid, 'SIGKILL');
      const r = await run.done;
      assert.deepEqual(await strays(tag), [], 'no process of the killed sweep outlives it');
      const after = recorded(csv);
      report.rowsLost += before.filter((k) => !after.includes(k)).length;
      if (r.signal !== 'SIGKILL') {
        // The run ended by itself before its kill moment: the grid is complete. Check it, start a new round.
        assert.equal(r.code, 0, r.stderr);
        checkComplete(opts.file, csv, opts.epochs);
        report.completed++;
        report.rounds++;
        dir = mkdtempSync(join(tmpdir(), 'sb-crash-'));
        csv = join(dir, `${opts.stem}.csv`);
        continue;
      }
      // A cut row this run left (an earlier run's stays until the next append repairs it).
      const cut = endsTorn(csv) && readFileSync(csv).length !== sizeBefore;
      const kill: Kill = { kind, atMs: Date.now() - t0, rowsBefore: before.length, rowsAfter: after.length, torn: cut, duringTrial };
      report.kills.push(kill);
      opts.log?.(`kill ${report.kills.length}: ${kind} at ${kill.atMs} ms, rows ${kill.rowsBefore} → ${kill.rowsAfter}${kill.torn ? ', row cut in half' : ''}${duringTrial ? ', trial running' : ''}`);
      break;
    }
  }
  // The last rerun goes to the end.
  const final = await startCli(['sweep', opts.file, '--no-report', '--results-dir', dir]).done;
  assert.equal(final.code, 0, final.stderr);
  const before = report.kills.at(-1)?.rowsAfter ?? 0;
  assert.ok(recorded(csv).length >= before);
  checkComplete(opts.file, csv, opts.epochs);
  return report;
}
