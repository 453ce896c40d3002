/**
 * Crash-safety stress: kill a sweep with SIGKILL many times at seeded random moments (during a
 * trial, right after a row, while a row is half written, anywhere), rerun after each kill, and
 * check after every step that no recorded row is lost or doubled; at the end the CSV must hold
 * every trial exactly once with no partial line. Not part of npm test (it takes minutes).
 *
 *   node --import tsx bench/stress-kill.ts [kills=24] [seed=stress-1]
 *
 * Prints the kills survived and the rows lost (must be 0); exits 1 on any violation.
 */
import { killAndResume, type Kind } from '../test/helpers/kill.ts';

const kills = Number(process.argv[2] ?? 24);
const seed = process.argv[3] ?? 'stress-1';
const t0 = Date.now();
try {
  const r = await killAndResume({
    file: 'test/fixtures/experiments/crash.yaml', stem: 'crash', epochs: 2, kills, seed,
    log: (s) => console.log(s),
  });
  const by = (k: Kind) => r.kills.filter((x) => x.kind === k).length;
  console.log(`\nkills survived: ${r.kills.length} (random ${by('random')}, during a trial ${by('during-trial')} [${r.kills.filter((k) => k.duringTrial).length} with a worker alive], right after a row ${by('after-row')}, mid-row ${by('mid-row')} [${r.kills.filter((k) => k.torn).length} left a cut row])`);
  console.log(`grids completed and checked: ${r.rounds} (${r.completed} finished before their kill moment)`);
  console.log(`rows lost: ${r.rowsLost}`);
  console.log(`duplicates or partial lines: 0 (checked after every kill and at the end)`);
  console.log(`wall time: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  process.exitCode = r.rowsLost === 0 ? 0 : 1;
} catch (err) {
  console.error(`stress-kill FAILED: ${(err as Error).stack}`);
  process.exitCode = 1;
}
