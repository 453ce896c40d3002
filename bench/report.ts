/**
 * Report benchmark: regenerate the report of a synthetic 1,000-row results CSV (200 configurations × 5 seeds,
 * 10 epochs each, so 10,000 per-epoch rows) and print the wall time. Target: under 2 s for a regeneration.
 *
 *   node --import tsx bench/report.ts [--runs 3] [--keep]
 *
 * The first run includes loading vega, vega-lite and resvg (as `npm run report` pays once per process);
 * later runs show the steady cost. Output goes to a temporary folder, removed unless --keep.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { COLUMNS, EPOCH_COLUMNS } from '../src/results/columns.ts';
import { toCsvLines } from '../src/results/write.ts';
import { synthetic } from '../test/fixtures/report/synthetic.ts';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1]) || 3;
const dir = mkdtempSync(join(tmpdir(), 'scalebench-report-bench-'));
const { rows, epochs } = synthetic({
  experiment: 'bench1000',
  widths: [8, 12, 16, 24, 32, 48, 64, 96, 128, 192],
  depths: [1, 2, 3, 4, 5],
  learningRates: [3e-4, 1e-3, 3e-3, 1e-2],
  seeds: [1, 2, 3, 4, 5],
  epochs: 10,
  diverge: [150, 160, 170, 180, 190],
  fail: [7, 77],
});
const csv = join(dir, 'results', 'bench1000.csv');
const header = (cols: readonly string[]) => `${cols.join(',')}\n`;
await import('node:fs').then((fs) => fs.mkdirSync(join(dir, 'results')));
writeFileSync(csv, header(COLUMNS) + toCsvLines(COLUMNS, rows));
writeFileSync(csv.replace(/\.csv$/, '.epochs.csv'), header(EPOCH_COLUMNS) + toCsvLines(EPOCH_COLUMNS, epochs));
console.log(`${rows.length} result rows, ${epochs.length} per-epoch rows → ${dir}`);

let t = performance.now();
const { renderReport } = await import('../src/report/index.ts');
console.log(`load report modules (vega, vega-lite, resvg): ${(performance.now() - t).toFixed(0)} ms`);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
for (let i = 1; i <= runs; i++) {
  t = performance.now();
  const cpu = cpuMs();
  const { files } = await renderReport({ inputs: [csv], outDir: join(dir, 'reports'), name: 'bench1000' });
  const wall = performance.now() - t;
  console.log(`run ${i}: report regenerated in ${wall.toFixed(0)} ms wall, ${(cpuMs() - cpu).toFixed(0)} ms CPU over all threads (${files.length} files)${wall < 2000 ? '' : '  ← over the 2 s target'}`);
}
console.log(`machine load average (1 min): ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores; a busy machine inflates wall time`);
if (args.includes('--keep')) console.log(`kept ${dir}`);
else rmSync(dir, { recursive: true, force: true });
