/**
 * Outputs stay where they belong and are safe to open: results and report paths cannot leave their
 * folders, and no text cell is run as a formula by a spreadsheet.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { parseExperiment } from '../src/experiment/load.ts';
import { COLUMNS } from '../src/results/columns.ts';
import type { Environment } from '../src/results/env.ts';
import { readResults } from '../src/results/read.ts';
import { toRow } from '../src/results/row.ts';
import { appendRows, safeCell } from '../src/results/write.ts';
import { shardStem } from '../src/run/shard.ts';
import { resultsPath } from '../src/run/sweep.ts';
import type { Trial } from '../src/experiment/types.ts';

const inside = (dir: string, file: string) => {
  const rel = relative(resolve(dir), resolve(file));
  return rel !== '' && !rel.startsWith('..') && !resolve(file).startsWith('..') && !rel.includes('\0');
};

test('experiment names that would leave results/ are refused; every accepted name stays inside', () => {
  const file = (name: string) => `name: ${JSON.stringify(name)}\ndataset: { name: iris, train: 100, test: 50 }\ngrid: { width: [3], depth: [0] }\n`;
  for (const name of ['../../x', '../x', '/etc/x', 'a/b', 'a\\b', '.', '..', '.hidden', '', 'x\0y', 'C:x']) {
    assert.throws(() => parseExperiment(file(name), 'e.yaml'), (err: Error) => err.name === 'ExperimentError' && err.message.startsWith('e.yaml: name: '), name);
  }
  for (const name of ['quickstart', 'a.b_c-d', 'x..y', 'x.']) {
    const exp = parseExperiment(file(name), 'e.yaml');
    for (const stem of [exp.name, shardStem(exp.name, { index: 3, count: 8 })]) {
      assert.ok(inside('results', resultsPath('results', stem)), `${stem} → ${resultsPath('results', stem)}`);
    }
  }
  // The file's own name is the default experiment name, and is checked the same way.
  assert.throws(() => parseExperiment('dataset: { name: iris, train: 100, test: 50 }\ngrid: { width: [3], depth: [0] }\n', 'dir/.sneaky.yaml'), /name: /);
});

test('a report name that would leave reports/ (or overwrite the shared lib/) is refused before anything is written', async () => {
  const { renderReport } = await import('../src/report/index.ts');
  const out = mkdtempSync(join(tmpdir(), 'sb-report-'));
  for (const name of ['../x', '../../x', '/tmp/x', 'a/b', 'lib', '..']) {
    await assert.rejects(renderReport({ inputs: ['results/none.csv'], outDir: out, name }), /report name/, name);
  }
  assert.deepEqual(readdirSync(out), []);
});

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$|^[-+]?Infinity$/i;

test('safeCell: a leading =, +, -, @ or tab gets an apostrophe unless the whole cell is a number; line breaks become spaces', () => {
  const cases: [string | number | boolean | undefined, string][] = [
    ['=1+1', "'=1+1"],
    ['=HYPERLINK("http://x","click")', `'=HYPERLINK("http://x","click")`],
    ['+cmd', "'+cmd"],
    ['-2+3+cmd|\' /C calc\'!A0', "'-2+3+cmd|' /C calc'!A0"],
    ['-1e3x', "'-1e3x"],
    ['@SUM(A1:A9)', "'@SUM(A1:A9)"],
    ['\t=1', "'\t=1"],
    ['\r=1', ' =1'],
    ['line one\nline two\r\nthree', 'line one line two three'],
    ['-', "'-"],
    ['-1.5e-3', '-1.5e-3'],
    ['+7', '+7'],
    ['-Infinity', '-Infinity'],
    [-0.25, '-0.25'],
    [true, 'true'],
    [undefined, ''],
    ['loss became NaN at epoch 3', 'loss became NaN at epoch 3'],
  ];
  for (const [input, expected] of cases) assert.equal(safeCell(input), expected, JSON.stringify(input));
});

test('every text column of a stored row is escaped: error, backend, cpu, os, git commit…, and each row is one line', () => {
  const trial: Trial = {
    experiment: 'safe', id: '0123456789ab', index: 0, seed: 1, params: 35, trainFlops: 100,
    settings: { dataset: { name: 'gaussians', train: 64, test: 32 }, model: { width: 4, depth: 1, activation: 'relu' }, train: { optimizer: 'adam', learningRate: 0.01, batchSize: 16, epochs: 2 } },
  };
  const env: Environment = { cpu: '=cmd|"/C calc"!A0', cores: 2, os: '@os', nodeVersion: '+20', gitCommit: '-deadbeef', gitDirty: false };
  const row = toRow(trial, { status: 'failed', error: '=1+1\nand a second line', metrics: { trainLoss: -1 } }, {
    env, backend: '+wasm', tuned: false, tfjsVersion: '@4', jobs: 1, startedAt: '=NOW()', features: 4, classes: 3,
  });
  assert.equal(row.error, "'=1+1 and a second line");
  assert.equal(row.cpu, `'=cmd|"/C calc"!A0`);
  assert.equal(row.os, "'@os");
  assert.equal(row.backend, "'+wasm");
  assert.equal(row.git_commit, "'-deadbeef");
  assert.equal(row.train_loss, '-1', 'numbers are left alone');
  const file = join(mkdtempSync(join(tmpdir(), 'sb-safe-')), 'safe.csv');
  appendRows(file, COLUMNS, [row]);
  assert.equal(readFileSync(file, 'utf8').split('\n').length, 3, 'header, row, final newline');
  const [back] = readResults(file);
  assert.deepEqual(back, row);
  for (const c of COLUMNS) {
    const cell = back[c];
    assert.ok(!/^[=+\-@\t\r]/.test(cell) || NUMBER.test(cell), `${c} = ${cell}`);
  }
});

test('a sweep refuses --results-dir "" (it would write into the working directory)', async () => {
  const { main } = await import('../src/cli.ts');
  let err = '';
  const code = await main(['sweep', 'test/fixtures/experiments/tiny.yaml', '--results-dir', ''], { out: () => {}, err: (s) => (err += s) });
  assert.equal(code, 2);
  assert.equal(err, 'scalebench: --results-dir: expected a folder, got ""\n');
  assert.equal(existsSync('tiny.csv'), false);
});
