import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { DATASET_DEFAULTS, DatasetError, checkDataset, datasetShape, loadDataset, type Dataset } from '../src/data/index.ts';
import { blobCentres } from '../src/data/gaussians.ts';
import { paritySubset } from '../src/data/parity.ts';
import { teach, teacherNet } from '../src/data/teacher.ts';
import type { DatasetName, DatasetSpec } from '../src/experiment/types.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/data/', import.meta.url));
const spec = (name: DatasetName, train: number, test: number, extra: Partial<DatasetSpec> = {}): DatasetSpec => ({ name, train, test, ...extra });
const bytes = (d: Dataset) => Buffer.concat([d.xTrain, d.yTrain, d.xTest, d.yTest].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
const counts = (y: Int32Array, classes: number) => y.reduce((c, k) => (c[k]++, c), new Array<number>(classes).fill(0));
const row = (x: Float32Array, f: number, i: number) => x.subarray(i * f, (i + 1) * f);
/** A DatasetError on `field` whose message matches. */
const datasetError = (field: string, message: RegExp | string) => (e: unknown) => {
  assert.ok(e instanceof DatasetError, `expected DatasetError, got ${e}`);
  assert.equal(e.field, field);
  if (typeof message === 'string') assert.equal(e.message, message);
  else assert.match(e.message, message);
  return true;
};

const FLOWERS = spec('csv', 9, 3, { path: 'flowers.csv' });
const EVERY: DatasetSpec[] = [
  spec('spirals', 300, 100), spec('gaussians', 300, 100), spec('teacher', 300, 100), spec('parity', 300, 100),
  spec('random-labels', 300, 100), spec('mnist', 300, 100), spec('iris', 100, 50), FLOWERS,
];

test('DATASET_DEFAULTS documents each family', () => {
  assert.deepEqual(DATASET_DEFAULTS, {
    spirals: { features: 2, classes: 2, noise: 0.2 },
    gaussians: { features: 16, classes: 4, noise: 1.5 },
    teacher: { features: 16, classes: 4, noise: 0 },
    parity: { features: 20, classes: 2, bits: 3, noise: 0 },
    'random-labels': { features: 32, classes: 10 },
    mnist: { features: 784, classes: 10 },
    iris: { features: 4, classes: 3 },
    csv: {},
  });
});

test('datasetShape: defaults, overrides, csv from the file, and instant for mnist', () => {
  const shapes = EVERY.map((s) => datasetShape(s, FIXTURES));
  assert.deepEqual(shapes.map((s) => [s.features, s.classes]), [[2, 2], [16, 4], [16, 4], [20, 2], [32, 10], [784, 10], [4, 3], [3, 3]]);
  assert.deepEqual(datasetShape(spec('gaussians', 1, 1, { features: 8, classes: 3 })), { features: 8, classes: 3 });
  assert.deepEqual(datasetShape(spec('csv', 1, 1, { path: 'digits.csv', label: 'digit' }), FIXTURES), { features: 2, classes: 3 });
  const t0 = performance.now();
  for (let i = 0; i < 1000; i++) datasetShape(spec('mnist', 60000, 10000));
  assert.ok(performance.now() - t0 < 100, 'datasetShape must not load mnist');
});

test('datasetShape rejects options that contradict the family', () => {
  assert.throws(() => datasetShape(spec('spirals', 1, 1, { features: 3 })), datasetError('dataset.features', /spirals has 2 features, got 3/));
  assert.throws(() => datasetShape(spec('mnist', 1, 1, { classes: 2 })), datasetError('dataset.classes', /mnist has 10 classes/));
  assert.throws(() => datasetShape(spec('parity', 1, 1, { features: 4, bits: 5 })), datasetError('dataset.bits', 'parity: bits (5) cannot exceed features (4)'));
  assert.throws(() => datasetShape(spec('gaussians', 1, 1, { classes: 1 })), datasetError('dataset.classes', /integer ≥ 2, got 1/));
  assert.throws(() => datasetShape({ name: 'cifar' as DatasetName, train: 1, test: 1 }), datasetError('dataset.name', /unknown dataset "cifar"/));
});

test('every family: exact sizes, labels in range, finite features', async () => {
  for (const s of EVERY) {
    const d = await loadDataset(s, 1, FIXTURES);
    const { features, classes } = datasetShape(s, FIXTURES);
    assert.deepEqual([d.name, d.features, d.classes, d.trainSize, d.testSize], [s.name, features, classes, s.train, s.test], s.name);
    assert.equal(d.xTrain.length, s.train * features);
    assert.equal(d.xTest.length, s.test * features);
    assert.equal(d.yTrain.length, s.train);
    assert.equal(d.yTest.length, s.test);
    for (const y of [d.yTrain, d.yTest]) assert.ok(y.every((c) => c >= 0 && c < classes), `${s.name} labels`);
    for (const x of [d.xTrain, d.xTest]) assert.ok(x.every(Number.isFinite), `${s.name} features`);
  }
});

test('every family: same seed gives identical bytes, another seed different data', async () => {
  for (const s of EVERY) {
    const a = bytes(await loadDataset(s, 7, FIXTURES));
    assert.ok(a.equals(bytes(await loadDataset(s, 7, FIXTURES))), `${s.name} same seed`);
    assert.ok(!a.equals(bytes(await loadDataset(s, 8, FIXTURES))), `${s.name} other seed`);
  }
});

test('a sweep over sizes keeps its other split: synthetic train ignores test size, real test ignores train size', async () => {
  const small = await loadDataset(spec('teacher', 100, 50), 3, '.');
  const large = await loadDataset(spec('teacher', 200, 80), 3, '.');
  assert.deepEqual(large.xTrain.subarray(0, small.xTrain.length), small.xTrain);
  assert.deepEqual(large.yTest.subarray(0, 50), small.yTest);
  const a = await loadDataset(spec('iris', 50, 30), 3, '.');
  const b = await loadDataset(spec('iris', 100, 30), 3, '.');
  assert.deepEqual(b.yTest, a.yTest);
});

test('spirals: exactly balanced, two arms within the unit disc (plus jitter)', async () => {
  const d = await loadDataset(spec('spirals', 1000, 200), 1, '.');
  assert.deepEqual(counts(d.yTrain, 2), [500, 500]);
  for (let i = 0; i < d.trainSize; i++) assert.ok(Math.hypot(d.xTrain[2 * i], d.xTrain[2 * i + 1]) < 1.5);
  // Without noise each point lies on its arm: radius t, angle 2π·1.75·t + π·label.
  const clean = await loadDataset(spec('spirals', 50, 0, { noise: 0 }), 1, '.');
  for (let i = 0; i < 50; i++) {
    const [x, y] = row(clean.xTrain, 2, i);
    const t = Math.hypot(x, y);
    const angle = 2 * Math.PI * 1.75 * t + Math.PI * clean.yTrain[i];
    assert.ok(Math.abs(x - t * Math.cos(angle)) < 1e-5 && Math.abs(y - t * Math.sin(angle)) < 1e-5);
  }
});

test('gaussians: balanced, and the best possible (nearest true centre) accuracy saturates below 100%', async () => {
  const d = await loadDataset(spec('gaussians', 4000, 0), 1, '.');
  assert.deepEqual(counts(d.yTrain, 4), [1000, 1000, 1000, 1000]);
  const c = blobCentres(16, 4);
  let right = 0;
  for (let i = 0; i < d.trainSize; i++) {
    const x = row(d.xTrain, 16, i);
    const dist = [0, 1, 2, 3].map((k) => x.reduce((s, v, j) => s + (v - c[k * 16 + j]) ** 2, 0));
    if (dist.indexOf(Math.min(...dist)) === d.yTrain[i]) right++;
  }
  assert.ok(right / d.trainSize > 0.8 && right / d.trainSize < 0.95, `Bayes accuracy ${right / d.trainSize}`);
});

test('teacher: labels are the fixed teacher’s argmax, classes roughly balanced, noise flips labels', async () => {
  const net = teacherNet(16, 4);
  for (const seed of [1, 2]) {
    const d = await loadDataset(spec('teacher', 2000, 0), seed, '.');
    for (let i = 0; i < d.trainSize; i++) assert.equal(d.yTrain[i], teach(net, row(d.xTrain, 16, i)));
    for (const n of counts(d.yTrain, 4)) assert.ok(n > 400 && n < 600, `class count ${n}`);
  }
  const noisy = await loadDataset(spec('teacher', 2000, 0, { noise: 0.4 }), 1, '.');
  let changed = 0;
  for (let i = 0; i < noisy.trainSize; i++) if (noisy.yTrain[i] !== teach(net, row(noisy.xTrain, 16, i))) changed++;
  assert.ok(changed / 2000 > 0.25 && changed / 2000 < 0.35, `changed ${changed}`); // 0.4 × 3/4
});

test('parity: labels are the parity of the fixed bits, ±1 inputs, balanced', async () => {
  const bits = paritySubset(20, 3);
  assert.equal(new Set(bits).size, 3);
  assert.ok(bits.every((j, k) => j >= 0 && j < 20 && (k === 0 || j > bits[k - 1])));
  assert.deepEqual(paritySubset(20, 3), bits);
  const d = await loadDataset(spec('parity', 2000, 500), 1, '.');
  for (const [x, y, n] of [[d.xTrain, d.yTrain, 2000], [d.xTest, d.yTest, 500]] as const) {
    assert.ok(x.every((v) => v === 1 || v === -1));
    for (let i = 0; i < n; i++) assert.equal(y[i], bits.filter((j) => x[i * 20 + j] > 0).length % 2);
  }
  const [zeros] = counts(d.yTrain, 2);
  assert.ok(zeros > 900 && zeros < 1100, `zeros ${zeros}`);
  const five = await loadDataset(spec('parity', 10, 0, { features: 8, bits: 5 }), 1, '.');
  assert.equal(five.features, 8);
});

test('random-labels: labels uniform and independent of features (1-NN is at chance)', async () => {
  const d = await loadDataset(spec('random-labels', 1000, 400), 1, '.');
  for (const n of counts(d.yTrain, 10)) assert.ok(n > 60 && n < 140, `class count ${n}`);
  let right = 0;
  for (let i = 0; i < d.testSize; i++) {
    const x = row(d.xTest, 32, i);
    let best = 0, bestDist = Infinity;
    for (let k = 0; k < d.trainSize; k++) {
      const dist = row(d.xTrain, 32, k).reduce((s, v, j) => s + (v - x[j]) ** 2, 0);
      if (dist < bestDist) [best, bestDist] = [k, dist];
    }
    if (d.yTrain[best] === d.yTest[i]) right++;
  }
  assert.ok(right / d.testSize > 0.05 && right / d.testSize < 0.16, `1-NN accuracy ${right / d.testSize}`);
});

test('mnist: pixels in [0, 1], every digit present, at most 10,000 examples', async () => {
  const d = await loadDataset(spec('mnist', 2000, 500), 1, '.');
  assert.ok(d.xTrain.every((v) => v >= 0 && v <= 1));
  assert.ok(d.xTrain.some((v) => v === 1));
  for (const n of counts(d.yTrain, 10)) assert.ok(n > 140 && n < 260, `digit count ${n}`);
  assert.equal((await loadDataset(spec('mnist', 9000, 1000), 1, '.')).trainSize, 9000);
  await assert.rejects(loadDataset(spec('mnist', 9000, 2000), 1, '.'),
    datasetError('dataset.train', 'mnist has 10000 examples; train 9000 + test 2000 = 11000 is too many (at most 8000 train with test 2000)'));
  await assert.rejects(loadDataset(spec('mnist', 1, 10001), 1, '.'), datasetError('dataset.test', /mnist has 10000 examples; test 10001/));
});

test('iris: all 150, standardised with training statistics; 151 is an error', async () => {
  const d = await loadDataset(spec('iris', 120, 30), 1, '.');
  assert.deepEqual(counts(new Int32Array([...d.yTrain, ...d.yTest]), 3), [50, 50, 50]);
  for (let j = 0; j < 4; j++) {
    const col = Array.from({ length: 120 }, (_, i) => d.xTrain[i * 4 + j]);
    const mean = col.reduce((a, b) => a + b) / 120;
    assert.ok(Math.abs(mean) < 1e-5);
    assert.ok(Math.abs(col.reduce((a, b) => a + (b - mean) ** 2, 0) / 120 - 1) < 1e-4);
  }
  await assert.rejects(loadDataset(spec('iris', 121, 30), 1, '.'), datasetError('dataset.train', /iris has 150 examples; train 121 \+ test 30 = 151/));
});

test('csv: string labels in sorted order, train-only standardisation, constant column centred', async () => {
  const d = await loadDataset(FLOWERS, 1, FIXTURES);
  // Raw rows of flowers.csv as [x1, x2, class]; class = sorted index of species.
  const raw = [[7, 0.5, 2], [3, 1.25, 0], [11, -2, 1], [1, 4, 0], [9, 3.5, 2], [5, 0, 1], [12, 2.75, 0], [2, -1.5, 2], [8, 6, 1], [4, 1, 0], [10, -0.25, 2], [6, 2, 1]];
  // x1 is distinct per row and standardising is increasing, so rank in x1 identifies the raw row.
  const out = [...Array(12).keys()].map((i) => (i < 9 ? { x: row(d.xTrain, 3, i), y: d.yTrain[i], train: true } : { x: row(d.xTest, 3, i - 9), y: d.yTest[i - 9], train: false }));
  const byX1 = [...out].sort((a, b) => a.x[0] - b.x[0]);
  const source = new Map(byX1.map((o, k) => [o, raw.find((r) => r[0] === k + 1)!]));
  const train = out.filter((o) => o.train).map((o) => source.get(o)!);
  for (const j of [0, 1]) {
    const mean = train.reduce((s, r) => s + r[j], 0) / 9;
    const std = Math.sqrt(train.reduce((s, r) => s + (r[j] - mean) ** 2, 0) / 9);
    for (const o of out) assert.ok(Math.abs(o.x[j] - (source.get(o)![j] - mean) / std) < 1e-5);
  }
  for (const o of out) {
    assert.equal(o.y, source.get(o)![2], 'label travels with its row');
    assert.equal(o.x[2], 0, 'constant column is centred, not divided by 0');
  }
  const trainMean = (j: number) => Array.from({ length: 9 }, (_, i) => d.xTrain[i * 3 + j]).reduce((a, b) => a + b) / 9;
  assert.ok(Math.abs(trainMean(0)) < 1e-6 && Math.abs(trainMean(1)) < 1e-6);
  const testMean = Array.from({ length: 3 }, (_, i) => d.xTest[i * 3]).reduce((a, b) => a + b) / 3;
  assert.ok(Math.abs(testMean) > 1e-3, 'the test split is not re-centred on itself');
});

test('csv: numeric labels sort numerically and the label column may be anywhere', async () => {
  const d = await loadDataset(spec('csv', 6, 0, { path: 'digits.csv', label: 'digit' }), 1, FIXTURES);
  // digits.csv rows have a = 1..6 with digits 10, 9, 2, 10, 9, 2; classes in numeric order: 2 → 0, 9 → 1, 10 → 2.
  const classOfA = [2, 1, 0, 2, 1, 0];
  const order = [...Array(6).keys()].sort((i, k) => d.xTrain[2 * i] - d.xTrain[2 * k]); // rank in a = raw row
  order.forEach((i, rawRow) => assert.equal(d.yTrain[i], classOfA[rawRow]));
});

test('csv errors name the field and the fix', async () => {
  await assert.rejects(loadDataset(spec('csv', 3, 1, { path: 'bad-cell.csv' }), 1, FIXTURES),
    datasetError('dataset.path', 'row 7, column "x2": expected a number, got "abc"'));
  await assert.rejects(loadDataset(spec('csv', 3, 1, { path: 'flowers.csv', label: 'kind' }), 1, FIXTURES),
    datasetError('dataset.label', /no column "kind" in .*flowers\.csv; columns are: x1, x2, const, species/));
  assert.throws(() => datasetShape(spec('csv', 3, 1, { path: 'nope.csv' }), FIXTURES),
    datasetError('dataset.path', `file not found: ${FIXTURES}nope.csv`));
  await assert.rejects(loadDataset(spec('csv', 10, 3), 1, FIXTURES), datasetError('dataset.path', /csv needs a path/));
  await assert.rejects(loadDataset(spec('csv', 10, 3, { path: 'flowers.csv' }), 1, FIXTURES),
    datasetError('dataset.train', 'csv has 12 examples; train 10 + test 3 = 13 is too many (at most 9 train with test 3)'));
});

test('loadDataset checks sizes before any work', async () => {
  await assert.rejects(loadDataset(spec('spirals', 0, 10), 1, '.'), datasetError('dataset.train', /positive integer, got 0/));
  await assert.rejects(loadDataset(spec('spirals', 10, 1.5), 1, '.'), datasetError('dataset.test', /non-negative integer, got 1.5/));
});

test('checkDataset refuses at plan time what loading would refuse, without loading', () => {
  assert.deepEqual(checkDataset(spec('mnist', 9000, 1000)), { features: 784, classes: 10 });
  assert.throws(() => checkDataset(spec('mnist', 9000, 2000)), datasetError('dataset.train', /mnist has 10000 examples; train 9000 \+ test 2000/));
  assert.throws(() => checkDataset(spec('iris', 100, 51)), datasetError('dataset.train', /iris has 150 examples/));
  assert.throws(() => checkDataset(spec('csv', 12, 1, { path: 'flowers.csv' }), FIXTURES), datasetError('dataset.train', /csv has 12 examples/));
  assert.throws(() => checkDataset(spec('csv', 3, 1, { path: 'bad-cell.csv' }), FIXTURES), datasetError('dataset.path', 'row 7, column "x2": expected a number, got "abc"'));
  assert.throws(() => checkDataset(spec('parity', 0, 1)), datasetError('dataset.train', /positive integer/));
  assert.deepEqual(checkDataset(spec('spirals', 1e6, 1e6)), { features: 2, classes: 2 }, 'synthetic families have no limit');
});
