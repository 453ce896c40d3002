/**
 * `npm run bench`: training throughput on the fixed grid in experiments/bench.yaml, measured in ONE run so the
 * ratios are fair on a shared, noisy machine:
 *   1. tuned kernels, --jobs 1   → results/bench.csv           (the reference run; it gets a report)
 *   2. stock kernels, --jobs 1   → results/bench-stock.csv     (`scalebench compare results/bench-stock.csv results/bench.csv`)
 *   3. tuned kernels, --jobs 2   → a temporary folder          (sweep throughput with two workers)
 *   4. tensorflow (tfjs-node) where it loads → results/bench-tensorflow.csv
 *   5. PyTorch on the same grid (bench/pytorch.py, 2 threads) where /usr/bin/python3 can import torch: a reference, not a dependency
 * It prints GFLOP/s per configuration (stock, tuned, ratio), sweep throughput for jobs 1 vs 2, the harness overhead,
 * the per-trial time outside training, training-only throughput with 2 workers, and PyTorch's rate over the whole grid.
 * Options: --quick (widths 64 and 256 only), --skip-stock.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepare } from '../src/cli/prepare.ts';
import { formatTable } from '../src/cli/table.ts';
import type { Trial } from '../src/experiment/types.ts';
import { probeBackend } from '../src/run/process.ts';
import { runSweep, type SweepSummary } from '../src/run/sweep.ts';
import { readResults } from '../src/results/read.ts';

const args = new Set(process.argv.slice(2));
const { exp, trials: all } = prepare('experiments/bench.yaml');
const trials: Trial[] = args.has('--quick') ? all.filter((t) => t.settings.model.width <= 256) : all;
const totalFlops = trials.reduce((a, t) => a + t.trainFlops, 0);

interface Run {
  label: string;
  summary: SweepSummary;
  gflops: Map<string, number>;
}

async function run(label: string, opts: { backend?: 'wasm' | 'tensorflow'; tune: boolean; jobs: number; dir: string; stem: string }): Promise<Run> {
  process.stderr.write(`bench: ${label} …\n`);
  const summary = await runSweep(exp, trials, {
    resultsDir: opts.dir,
    stem: opts.stem,
    backend: opts.backend ?? 'wasm',
    tune: opts.tune,
    jobs: opts.jobs,
    fresh: true,
    failFast: false,
    onEvent: (e) => {
      if (e.kind === 'finish') process.stderr.write(`  [${e.n}/${e.todo}] ${e.trial.settings.model.width}×${e.trial.settings.model.depth} ${e.outcome.status} ${(Number(e.row.flops_per_s) / 1e9).toFixed(2)} GFLOP/s\n`);
    },
  });
  const gflops = new Map(readResults(summary.csv).map((r) => [`${r.width}×${r.depth}`, Number(r.flops_per_s) / 1e9]));
  return { label, summary, gflops };
}

const PYTHON = '/usr/bin/python3';

function torchVersion(): string {
  return execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' }).trim();
}

/** GFLOP/s per configuration from bench/pytorch.py, or undefined where PyTorch isn't installed. */
function pytorch(): Map<string, number> | undefined {
  if (spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    process.stderr.write('bench: PyTorch not available to /usr/bin/python3; its reference column is skipped\n');
    return undefined;
  }
  process.stderr.write('bench: PyTorch reference (2 threads) …\n');
  const configs = [...new Map(trials.map((t) => [t.id, [t.settings.model.width, t.settings.model.depth]])).values()];
  const d = trials[0].settings;
  const spec = { configs, features: d.dataset.features, classes: d.dataset.classes, examples: d.dataset.train, batch: d.train.batchSize, epochs: d.train.epochs, threads: 2 };
  const out = execFileSync(PYTHON, ['bench/pytorch.py', JSON.stringify(spec)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '2' } });
  return new Map(out.trim().split('\n').map((l) => JSON.parse(l) as { width: number; depth: number; gflops: number }).map((r) => [`${r.width}×${r.depth}`, r.gflops]));
}

const tmp = mkdtempSync(join(tmpdir(), 'scalebench-bench-'));
try {
  const tuned = await run('wasm, tuned kernels, --jobs 1', { tune: true, jobs: 1, dir: 'results', stem: 'bench' });
  const stock = args.has('--skip-stock') ? undefined : await run('wasm, stock kernels, --jobs 1', { tune: false, jobs: 1, dir: 'results', stem: 'bench-stock' });
  const jobs2 = await run('wasm, tuned kernels, --jobs 2', { tune: true, jobs: 2, dir: tmp, stem: 'bench' });
  let native: Run | undefined;
  try {
    await probeBackend({ backend: 'tensorflow', tune: true, latency: exp.latency, repeats: 1, baseDir: '.' });
    native = await run('tensorflow (tfjs-node), --jobs 1', { backend: 'tensorflow', tune: true, jobs: 1, dir: 'results', stem: 'bench-tensorflow' });
  } catch {
    process.stderr.write('bench: tensorflow backend not available here (@tensorflow/tfjs-node not installed); skipped\n');
  }

  const torch = pytorch();
  const configs = [...tuned.gflops.keys()];
  const header = ['config', ...(stock ? ['stock'] : []), 'tuned', ...(stock ? ['tuned/stock'] : []), ...(native ? ['tensorflow'] : []), ...(torch ? ['pytorch', 'tuned/pytorch'] : [])];
  const rows = configs.map((c) => {
    const t = tuned.gflops.get(c)!;
    const s = stock?.gflops.get(c);
    const p = torch?.get(c);
    return [c, ...(stock ? [s!.toFixed(2)] : []), t.toFixed(2), ...(stock ? [`${(t / s!).toFixed(2)}×`] : []), ...(native ? [native.gflops.get(c)!.toFixed(2)] : []), ...(torch ? [p!.toFixed(2), `${(t / p!).toFixed(2)}×`] : [])];
  });
  const trainS = (r: Run) => readResults(r.summary.csv).reduce((a, row) => a + Number(row.train_time_s), 0);
  const [tunedTrainS, jobs2TrainS] = [trainS(tuned), trainS(jobs2)];
  const jobs2Training = (2 * totalFlops) / jobs2TrainS; // FLOP/s of training alone, two workers
  // PyTorch's rate for the whole grid: its time for every configuration's FLOPs, summed.
  const flopsOf = new Map(trials.map((t) => [`${t.settings.model.width}×${t.settings.model.depth}`, t.trainFlops]));
  const torchSweep = torch && totalFlops / [...torch].reduce((a, [c, g]) => a + flopsOf.get(c)! / (g * 1e9), 0);
  const out = [
    `Training GFLOP/s per configuration (model FLOPs = 3 × forward × examples × epochs; wasm backend; warm-up excluded)`,
    formatTable(header, rows, header.map((_, i) => i > 0)),
    '',
    'Sweep throughput (all trials, wall time of the whole sweep, process start-up included)',
    formatTable(
      ['run', 'wall s', 'GFLOP/s', 'vs jobs 1'],
      [tuned, jobs2].map((r) => [r.label, r.summary.wallS.toFixed(1), (totalFlops / r.summary.wallS / 1e9).toFixed(2), `${(tuned.summary.wallS / r.summary.wallS).toFixed(2)}×`]),
      [false, true, true, true],
    ),
    '',
    `Harness overhead (jobs 1): (sweep wall − Σ trial process time) / sweep wall = ${(((tuned.summary.wallS - tuned.summary.trialS) / tuned.summary.wallS) * 100).toFixed(2)}%`,
    `  Σ trial process time ${tuned.summary.trialS.toFixed(1)} s; Σ training time ${tunedTrainS.toFixed(1)} s; sweep wall ${tuned.summary.wallS.toFixed(1)} s`,
    `  the rest of each trial process (start-up, warm-up, evaluations, latency, memory probe): ${((tuned.summary.trialS - tunedTrainS) / trials.length).toFixed(2)} s a trial`,
    '',
    `Training alone with --jobs 2: Σ training time ${jobs2TrainS.toFixed(1)} s over 2 workers = ${(jobs2Training / 1e9).toFixed(2)} GFLOP/s`,
    `  (the sweep's ceiling if trials had no per-trial work besides training)`,
  ];
  if (torchSweep) {
    const sweep2 = totalFlops / jobs2.summary.wallS;
    out.push(
      `PyTorch on the whole grid (Σ FLOPs / Σ its training times): ${(torchSweep / 1e9).toFixed(2)} GFLOP/s;`,
      `  sweep --jobs 2 / PyTorch = ${(sweep2 / torchSweep).toFixed(2)}×, training alone with --jobs 2 / PyTorch = ${(jobs2Training / torchSweep).toFixed(2)}×`,
    );
  }
  if (torch) out.push('', `PyTorch ${torchVersion()} (CPU, 2 threads): the same MLPs, data shape, batch, Adam and FLOP formula, warm-up epoch excluded (bench/pytorch.py).`);
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
