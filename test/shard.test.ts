/** Sharding: deterministic, stable under reordering/reformatting, cost-balanced; shard index from flags and env. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../src/cli.ts';
import { UsageError } from '../src/cli/context.ts';
import { resolveShard } from '../src/cli/shard-spec.ts';
import { datasetShape } from '../src/data/index.ts';
import { expandGrid } from '../src/experiment/grid.ts';
import { loadExperiment, parseExperiment } from '../src/experiment/load.ts';
import type { Trial } from '../src/experiment/types.ts';
import { assignShards, costOf, longestFirst, shardLoads, shardStem, shardTrials, trialCost, COST_MODELS } from '../src/run/shard.ts';

const trialsOf = (yaml: string, file = 'x.yaml') => {
  const exp = parseExperiment(yaml, file);
  return { exp, trials: expandGrid(exp, (s) => datasetShape(s, '.')) };
};

const HEAD = `name: stab
dataset: { name: gaussians, features: 16, classes: 4, train: 256, test: 64 }
train: { optimizer: adam, learningRate: 0.01, batchSize: 32, epochs: 3 }
backend: cpu
`;
const VARIANTS = {
  original: `${HEAD}grid:\n  width: [4, 16, 64, 256]\n  depth: [1, 2, 3]\n  train.learningRate: [0.01, 0.001]\nseeds: [1, 2, 3]\n`,
  // Axes in another order, values reversed, seeds reversed, full setting paths instead of aliases.
  reordered: `${HEAD}grid:\n  train.learningRate: [0.001, 0.01]\n  model.depth: [3, 1, 2]\n  model.width: [256, 64, 16, 4]\nseeds: [3, 1, 2]\n`,
  // Block style, comments, top-level keys moved around, a different file name.
  reformatted: `# the same experiment, written differently
seeds:
  - 2
  - 3
  - 1
backend: cpu
grid:
  depth:   [2, 3, 1]     # hidden layers
  width:
    - 64
    - 4
    - 256
    - 16
  train.learningRate: [1e-2, 1e-3]
train:
  epochs: 3
  batchSize: 32
  learningRate: 0.01
  optimizer: adam
name: stab
dataset:
  test: 64
  train: 256
  classes: 4
  features: 16
  name: gaussians
`,
  json: JSON.stringify({
    name: 'stab',
    backend: 'cpu',
    dataset: { name: 'gaussians', features: 16, classes: 4, train: 256, test: 64 },
    train: { optimizer: 'adam', learningRate: 0.01, batchSize: 32, epochs: 3 },
    grid: { width: [16, 4, 64, 256], 'train.learningRate': [0.001, 0.01], depth: [1, 3, 2] },
    seeds: [2, 1, 3],
  }),
};

test('shard assignment is the same however the grid file is ordered or formatted', () => {
  const sets = Object.entries(VARIANTS).map(([name, text]) => ({ name, ...trialsOf(text, name === 'json' ? 'other.json' : `${name}.yaml`) }));
  const [first, ...rest] = sets;
  assert.equal(first.trials.length, 72);
  for (let n = 1; n <= 9; n++) {
    const want = [...assignShards(first.trials, n, costOf(first.exp))].sort();
    for (const other of rest) {
      assert.notDeepEqual(other.trials.map((t) => t.id), first.trials.map((t) => t.id), `${other.name} really is in another order`);
      assert.deepEqual([...assignShards(other.trials, n, costOf(other.exp))].sort(), want, `${other.name}, ${n} shards`);
    }
  }
});

test('every trial lands in exactly one shard, and shardTrials keeps the pinned order', () => {
  const { exp, trials } = trialsOf(VARIANTS.original);
  for (const n of [1, 2, 3, 5, 72, 100]) {
    const parts = Array.from({ length: n }, (_, i) => shardTrials(trials, { index: i, count: n }, costOf(exp)));
    const keys = parts.flat().map((t) => `${t.id}#${t.seed}`);
    assert.equal(keys.length, trials.length);
    assert.equal(new Set(keys).size, trials.length);
    for (const p of parts) assert.deepEqual(p.map((t) => t.index), [...p.map((t) => t.index)].sort((a, b) => a - b));
  }
  assert.deepEqual(shardTrials(trials, { index: 0, count: 1 }, costOf(exp)), trials);
});

test('LPT by hand: costs 5 4 3 3 3 on 2 shards → {5,3} {4,3,3}; ties go by trial id then seed', () => {
  const t = (id: string, seed: number, c: number) => ({ id, seed, c });
  const trials = [t('e', 1, 3), t('a', 1, 5), t('d', 1, 3), t('b', 1, 4), t('d', 0, 3)];
  const got = assignShards(trials, 2, (x) => x.c);
  // a(5)→0, b(4)→1, d#0(3)→1 (4 < 5), d#1(3)→0 (5 < 7), e(3)→1 (7 < 8)
  assert.deepEqual(Object.fromEntries(got), { 'a#1': 0, 'b#1': 1, 'd#0': 1, 'd#1': 0, 'e#1': 1 });
  assert.throws(() => assignShards(trials, 0, (x) => x.c), RangeError);
});

test('longestFirst orders by cost, largest first; equal costs keep their order', () => {
  const items = [{ n: 'a', c: 1 }, { n: 'b', c: 5 }, { n: 'c', c: 3 }, { n: 'd', c: 5 }, { n: 'e', c: 1 }];
  assert.deepEqual(longestFirst(items, (x) => x.c).map((x) => x.n), ['b', 'd', 'c', 'a', 'e']);
  assert.deepEqual(items.map((x) => x.n), ['a', 'b', 'c', 'd', 'e'], 'the input is left as it was');
});

test('cost = overhead + latency budget + warm-up + repeats × FLOPs / throughput', () => {
  const trial = { trainFlops: 1e9, settings: { train: { epochs: 4 } } } as Trial;
  // cpu: 3 s + 0.5 s latency + warm-up min(1 s, one epoch: 2 s / 4) + 2 × 2 s
  assert.equal(trialCost(trial, { repeats: 2, latency: { time: 500, iterations: 1, batch: 1 } }, COST_MODELS.cpu), 3 + 0.5 + 0.5 + 4);
  // wasm: 0.6 s + 0.5 s + min(1 s, 1/18 s / 4) + 2 × 1/18 s
  const wasm = trialCost(trial, { repeats: 2, latency: { time: 500, iterations: 1, batch: 1 } }, COST_MODELS.wasm);
  assert.ok(Math.abs(wasm - (0.6 + 0.5 + 1 / 72 + 2 / 18)) < 1e-12, String(wasm));
  assert.equal(shardStem('tiny', { index: 2, count: 4 }), 'tiny/shards/2-of-4');
});

test('balance: on a skewed grid the longest shard is within 1.15 × the mean, where a split by count is ≥ 1.9 ×', () => {
  // Width spans 256×, depth 1–6: training FLOPs span over four decades.
  const { exp, trials } = trialsOf(`name: skew
dataset: { name: gaussians, features: 64, classes: 10, train: 4096, test: 512 }
train: { optimizer: adam, learningRate: 0.001, batchSize: 128, epochs: 5 }
grid: { width: [4, 16, 64, 256, 1024], depth: [1, 2, 4, 6] }
limits: { maxParams: 10000000 }
seeds: [1, 2, 3]
backend: cpu
`);
  const cost = costOf(exp);
  const costs = trials.map(cost);
  assert.ok(Math.max(...costs) / Math.min(...costs) > 100, 'the grid really is skewed');
  for (const n of [2, 3, 4, 6, 8]) {
    const loads = shardLoads(trials, n, cost).map((l) => l.cost);
    const mean = loads.reduce((a, b) => a + b) / n;
    const ratio = Math.max(...loads) / Math.max(mean, Math.max(...costs));
    assert.ok(ratio <= 1.15, `${n} shards: longest shard ${ratio.toFixed(3)} × max(mean, largest trial)`);
    // For comparison, the naive split by count: equal runs of trials in grid order.
    const size = Math.ceil(trials.length / n);
    const naive = Array.from({ length: n }, (_, s) => trials.slice(s * size, (s + 1) * size).reduce((a, t) => a + cost(t), 0));
    assert.ok(Math.max(...naive) / mean > 1.9, `${n} shards: the split by count is ${(Math.max(...naive) / mean).toFixed(2)} × the mean`);
  }
});

test('balance: random log-uniform costs (3 decades), 2–16 shards: longest ≤ 1.15 × max(mean, largest)', () => {
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let round = 0; round < 200; round++) {
    const items = Array.from({ length: 20 + Math.floor(rand() * 200) }, (_, i) => ({ id: `t${i}`, seed: 1, c: 10 ** (3 * rand()) }));
    const n = 2 + Math.floor(rand() * 15);
    const loads = new Array<number>(n).fill(0);
    for (const [key, shard] of assignShards(items, n, (x) => x.c)) loads[shard] += items[Number(key.slice(1, key.indexOf('#')))].c;
    const bound = Math.max(loads.reduce((a, b) => a + b) / n, ...items.map((x) => x.c));
    assert.ok(Math.max(...loads) <= 1.15 * bound, `round ${round}: ${items.length} trials on ${n} shards, ${(Math.max(...loads) / bound).toFixed(3)}`);
  }
});

test('shard from --shard i/n', () => {
  assert.deepEqual(resolveShard({ shard: '2/4' }, {}), { index: 2, count: 4, source: '--shard' });
  assert.deepEqual(resolveShard({ shard: ' 0 / 1 ' }, { JOB_COMPLETION_INDEX: '3' }), { index: 0, count: 1, source: '--shard' }, 'the flag wins over the environment');
  assert.equal(resolveShard({}, {}), undefined);
  assert.equal(resolveShard({}, { SCALEBENCH_SHARDS: '4' }), undefined, 'a count alone shards nothing');
});

test('shard from a Kubernetes Indexed Job: JOB_COMPLETION_INDEX with --shard-count or SCALEBENCH_SHARDS', () => {
  assert.deepEqual(resolveShard({ shardCount: '8' }, { JOB_COMPLETION_INDEX: '7' }), { index: 7, count: 8, source: 'JOB_COMPLETION_INDEX with --shard-count' });
  assert.deepEqual(resolveShard({}, { JOB_COMPLETION_INDEX: '0', SCALEBENCH_SHARDS: '3' }), { index: 0, count: 3, source: 'JOB_COMPLETION_INDEX with SCALEBENCH_SHARDS' });
  assert.deepEqual(resolveShard({ shardCount: '5' }, { JOB_COMPLETION_INDEX: '1', SCALEBENCH_SHARDS: '3' })?.count, 5, 'the flag wins over the variable');
});

test('shard from a Slurm array: ids from 0 or from 1 (SLURM_ARRAY_TASK_MIN), with a step', () => {
  assert.deepEqual(resolveShard({}, { SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' }), { index: 0, count: 4, source: 'SLURM_ARRAY_TASK_ID' });
  assert.deepEqual(resolveShard({}, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' })?.index, 3, '--array=1-4');
  assert.deepEqual(resolveShard({}, { SLURM_ARRAY_TASK_ID: '6', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '2' })?.index, 3, '--array=0-6:2');
  assert.deepEqual(resolveShard({}, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' })?.index, 2, 'no MIN: ids from 0');
  assert.deepEqual(resolveShard({ shardCount: '3' }, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' })?.count, 3);
  assert.equal(resolveShard({}, { JOB_COMPLETION_INDEX: '1', SCALEBENCH_SHARDS: '2', SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '9' })?.source, 'JOB_COMPLETION_INDEX with SCALEBENCH_SHARDS');
});

test('bad shard values are one-line UsageErrors that say the fix', () => {
  const cases: [Parameters<typeof resolveShard>[0], Record<string, string>, RegExp][] = [
    [{ shard: '4/4' }, {}, /^--shard: shard 4 is out of range for 4 shards \(indices count from 0 to 3\)$/],
    [{ shard: '1' }, {}, /^--shard: expected i\/n with 0 ≤ i < n, e\.g\. --shard 0\/4, got "1"$/],
    [{ shard: '-1/4' }, {}, /^--shard: expected i\/n/],
    [{ shard: '1/0' }, {}, /^--shard count: expected a whole number of at least 1, got 0$/],
    [{ shard: '0/2', shardCount: '2' }, {}, /^--shard-count: not needed with --shard i\/n/],
    [{}, { JOB_COMPLETION_INDEX: '1' }, /^JOB_COMPLETION_INDEX is 1 but the shard count is unknown: pass --shard-count N or set SCALEBENCH_SHARDS=N/],
    [{}, { JOB_COMPLETION_INDEX: 'x', SCALEBENCH_SHARDS: '2' }, /^JOB_COMPLETION_INDEX: expected a whole number, got "x"$/],
    [{}, { JOB_COMPLETION_INDEX: '2', SCALEBENCH_SHARDS: '2' }, /^JOB_COMPLETION_INDEX with SCALEBENCH_SHARDS: shard 2 is out of range for 2 shards/],
    [{}, { JOB_COMPLETION_INDEX: '0', SCALEBENCH_SHARDS: '0' }, /^SCALEBENCH_SHARDS: expected a whole number of at least 1, got 0$/],
    [{ shardCount: 'two' }, { JOB_COMPLETION_INDEX: '0' }, /^--shard-count: expected a whole number, got "two"$/],
    [{}, { SLURM_ARRAY_TASK_ID: '3' }, /^SLURM_ARRAY_TASK_ID is 3 but SLURM_ARRAY_TASK_COUNT is not set/],
    [{}, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4' }, /^SLURM_ARRAY_TASK_ID: shard 4 is out of range for 4 shards/],
    [{}, { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '2', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '2' }, /^SLURM_ARRAY_TASK_ID 3 is not on the array's grid \(min 0, step 2\)/],
    [{ shardCount: '2' }, {}, /^--shard-count: needs a shard index from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID; outside a cluster use --shard i\/n$/],
  ];
  for (const [flags, env, message] of cases) {
    assert.throws(() => resolveShard(flags, env), (err: Error) => err instanceof UsageError && message.test(err.message) && !err.message.includes('\n'), `${JSON.stringify(flags)} ${JSON.stringify(env)}`);
  }
});

const run = async (argv: string[]) => {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
};

test('plan --shards n: a shard column per trial and each shard\'s trials, FLOPs and share', async () => {
  const file = new URL('./fixtures/experiments/tiny.yaml', import.meta.url).pathname;
  const r = await run(['plan', file, '--shards', '4']);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split('\n');
  assert.match(lines[1], / shard$/);
  const { exp, trials } = (() => {
    const e = loadExperiment(file);
    return { exp: e, trials: expandGrid(e, (s) => datasetShape(s, '.')) };
  })();
  const assigned = assignShards(trials, 4, costOf(exp));
  trials.forEach((t, i) => assert.ok(lines[2 + i].endsWith(` ${assigned.get(`${t.id}#${t.seed}`)}`), lines[2 + i]));
  const table = lines.slice(lines.indexOf('shard  trials  train_flops  est_time  share') + 1, -1);
  assert.equal(table.length, 4);
  // tiny: 6 cheap trials, cost ≈ overhead: the 2 dearest get a shard each, the other 4 pair up.
  assert.deepEqual(table.map((l) => l.split(/ +/)[1]).sort(), ['1', '1', '2', '2']);
  const shares = table.map((l) => Number(l.split(/ +/).at(-1)!.replace('%', '')));
  assert.ok(Math.abs(shares.reduce((a, b) => a + b) - 100) < 0.2);
  assert.match(lines.at(-1)!, /^longest shard: 1\.33 × the mean; run one with: scalebench sweep .*tiny\.yaml --shard i\/4$/);

  const bad = await run(['plan', file, '--shards', '0']);
  assert.equal(bad.code, 2);
  assert.equal(bad.err, 'scalebench: --shards: expected a whole number of at least 1, got "0"\n');
});
