import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandGrid, expandPoints, trialId, toSettings, canonicalJson } from '../src/experiment/grid.ts';
import { parseExperiment } from '../src/experiment/load.ts';

const shape = () => ({ features: 2, classes: 2 });
const base = `
name: t
dataset: { name: spirals, train: 100, test: 50 }
train: { batchSize: 10, epochs: 1 }
`;

test('grid is the cartesian product in file order, last axis fastest, config-major then seed', () => {
  const exp = parseExperiment(`${base}grid:\n  width: [4, 8]\n  depth: [1, 2, 3]\nseeds: [7, 9]\n`, 'x.yaml');
  const trials = expandGrid(exp, shape);
  assert.equal(trials.length, 2 * 3 * 2);
  assert.deepEqual(
    trials.map((t) => `${t.settings.model.width}/${t.settings.model.depth}/${t.seed}`),
    ['4/1/7', '4/1/9', '4/2/7', '4/2/9', '4/3/7', '4/3/9', '8/1/7', '8/1/9', '8/2/7', '8/2/9', '8/3/7', '8/3/9'],
  );
  assert.deepEqual([...new Set(trials.map((t) => t.index))], [0, 1, 2, 3, 4, 5]);
});

test('include adds points, exclude drops every point matching all its keys, duplicates collapse', () => {
  const exp = parseExperiment(
    `${base}grid: { width: [4, 8], depth: [1, 2] }\ninclude: [{ width: 256, depth: 1 }, { width: 4, depth: 1 }]\nexclude: [{ width: 8, depth: 2 }]\n`,
    'x.yaml',
  );
  assert.deepEqual(
    expandPoints(exp).map((p) => `${p['model.width']}/${p['model.depth']}`),
    ['4/1', '4/2', '8/1', '256/1'],
  );
});

test('any setting can be an axis by its path, and defaults fill the rest', () => {
  const exp = parseExperiment(`${base}grid: { width: [4], depth: [1], train.learningRate: [0.1, 0.01], dataset.train: [100, 200] }\n`, 'x.yaml');
  const trials = expandGrid(exp, shape);
  assert.deepEqual(trials.map((t) => [t.settings.train.learningRate, t.settings.dataset.train]), [[0.1, 100], [0.1, 200], [0.01, 100], [0.01, 200]]);
  assert.equal(trials[0].settings.train.optimizer, 'adam');
  assert.equal(trials[0].settings.model.activation, 'relu');
  assert.equal(exp.seeds.length, 1);
});

test('params and FLOPs per trial follow the formulas', () => {
  const exp = parseExperiment(`${base}grid: { width: [8], depth: [2] }\n`, 'x.yaml');
  const [t] = expandGrid(exp, () => ({ features: 3, classes: 4 }));
  // 3→8→8→4: (3·8+8) + (8·8+8) + (8·4+4) = 32 + 72 + 36 = 140
  assert.equal(t.params, 140);
  // forward 2·(24+64+32) = 240 per example; × 3 × 100 examples × 1 epoch
  assert.equal(t.trainFlops, 72000);
});

test('trial ids hash the resolved settings: stable across reformatting, seed-independent, distinct per point', () => {
  const a = expandGrid(parseExperiment(`${base}grid: { width: [4, 8], depth: [1] }\nseeds: [1, 2]\n`, 'a.yaml'), shape);
  const b = expandGrid(
    parseExperiment(`name: t\ntrain:\n  epochs: 1\n  batchSize: 10\ndataset:\n  test: 50\n  train: 100\n  name: spirals\ngrid:\n  depth: [1]\n  width: [8, 4]\n`, 'b.json.yaml'),
    shape,
  );
  assert.equal(a[0].id, a[1].id);
  assert.notEqual(a[0].id, a[2].id);
  assert.deepEqual(new Set(a.map((t) => t.id)), new Set(b.map((t) => t.id)));
  assert.match(a[0].id, /^[0-9a-f]{12}$/);
  assert.equal(a[0].id, trialId(toSettings({ 'dataset.name': 'spirals', 'dataset.train': 100, 'dataset.test': 50, 'train.batchSize': 10, 'train.epochs': 1, 'model.width': 4, 'model.depth': 1, 'model.activation': 'relu', 'train.optimizer': 'adam', 'train.learningRate': 0.001 })));
});

test('canonicalJson sorts keys at every level', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 'x' } }), '{"a":{"c":"x","d":[2,{"e":0,"f":1}]},"b":1}');
});

test('JSON experiment files are accepted', () => {
  const exp = parseExperiment(JSON.stringify({ name: 'j', dataset: { name: 'iris', train: 100, test: 50 }, grid: { width: [3], depth: [0] } }), 'j.json');
  assert.equal(expandGrid(exp, shape).length, 1);
});

// Each invalid file and its exact one-line error.
const invalid: [string, string][] = [
  [`${base}grid: { width: [8, 16, -5], depth: [1] }`, 'x.yaml: grid.width[2]: expected a positive integer, got -5'],
  [`${base}grid: { width: [8], depth: [1.5] }`, 'x.yaml: grid.depth[0]: expected an integer ≥ 0, got 1.5'],
  [`${base}grid: { width: [0], depth: [1] }`, 'x.yaml: grid.width[0]: expected a positive integer, got 0'],
  [`${base}grid: { width: [8], depth: [1], widht: [3] }`, 'x.yaml: grid.widht: unknown axis; expected width, depth or a setting path such as train.learningRate or dataset.train'],
  [`${base}grid: { width: [8], model.width: [3], depth: [1] }`, 'x.yaml: grid.model.width: duplicate axis: model.width is already swept'],
  [`${base}grid: {}`, 'x.yaml: grid: expected at least one axis, got an empty grid'],
  [`${base}grid: { width: [], depth: [1] }`, 'x.yaml: grid.width: expected a non-empty list of values, got an empty list'],
  [`${base}grid: { width: [8, 8], depth: [1] }`, 'x.yaml: grid.width: expected distinct values, got a repeated one'],
  [`${base}grid: { width: [8], depth: [1], train.learningRate: [-0.1] }`, 'x.yaml: grid.train.learningRate[0]: expected a positive number, got -0.1'],
  [`${base}grid: { width: [8], depth: [1] }\nmodel: { activation: relux }`, 'x.yaml: model.activation: expected one of relu | tanh | sigmoid | elu | selu | gelu | linear, got "relux"'],
  [`${base}grid: { width: [8], depth: [1] }\nmodel: { widht: 3 }`, 'x.yaml: model.widht: unknown key (check its spelling; see the README for the experiment format)'],
  [`${base}grid: { width: [8], depth: [1] }\nseeds: []`, 'x.yaml: seeds: expected at least one seed, got an empty list'],
  [`${base}grid: { width: [8], depth: [1] }\nbackend: gpu`, 'x.yaml: backend: expected one of auto | tensorflow | wasm | cpu, got "gpu"'],
  [`${base.replace('name: t', 'name: ../../x')}grid: { width: [8], depth: [1] }`, 'x.yaml: name: expected a name of letters, digits, ".", "_" or "-" (it names results/<name>.csv), got "../../x"'],
  [`${base}grid: { width: [8], depth: [1] }\nepochs: 3`, 'x.yaml: epochs: unknown key (check its spelling; see the README for the experiment format)'],
  [`${base}grid: { width: "8", depth: [1] }`, 'x.yaml: grid.width: expected a list of values, got "8"'],
  [`${base}grid: { width: [8], depth: [1] }\ntrain: { epochs: 2 }`, 'x.yaml: line 6, column 1: invalid YAML: Map keys must be unique'],
  [`name: t\ndataset: { name: spirals, train: 100, test: [50 }`, 'x.yaml: line 2, column 49: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]'],
  [``, 'x.yaml: expected a mapping at the top level, got an empty file'],
  [`- 1\n- 2`, 'x.yaml: expected a mapping at the top level, got a list'],
  [`${base}grid: { depth: [1] }`, 'x.yaml: model.width: required: set it under model: or sweep it in grid: (at depth=1)'],
  [`${base}grid: { width: [8], depth: [1], train.batchSize: [10, 500] }`, 'x.yaml: train.batchSize: expected at most dataset.train (100), got 500 (at width=8, depth=1, train.batchSize=500)'],
  [`${base}grid: { width: [100000], depth: [3] }`, 'x.yaml: limits.maxParams: a model with 20000600001 parameters is over the limit of 20000000 (at width=100000, depth=3); raise limits.maxParams or shrink the grid'],
  [`${base.replace('name: spirals', 'name: nope')}grid: { width: [8], depth: [1] }`, 'x.yaml: dataset.name: expected one of spirals | gaussians | teacher | parity | random-labels | mnist | iris | csv, got "nope"'],
  [`${base}grid: { width: [8], depth: [1] }\nlimits: { maxParams: 0 }`, 'x.yaml: limits.maxParams: expected a positive integer, got 0'],
  [`${base}grid: { width: [8], depth: [1] }\nrepeats: two`, 'x.yaml: repeats: expected a positive integer, got "two"'],
];

for (const [i, [text, message]] of invalid.entries()) {
  test(`invalid experiment #${i + 1} gives its exact error: ${message.slice(8, 60)}`, () => {
    assert.throws(() => expandGrid(parseExperiment(text, 'x.yaml'), shape), (err: Error) => {
      assert.equal(err.name, 'ExperimentError');
      assert.equal(err.message, message);
      assert.ok(!err.message.includes('\n'), 'one line');
      return true;
    });
  });
}
