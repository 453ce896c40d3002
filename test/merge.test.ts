/** Merging shard results: the pure core with exact cases, then `scalebench merge` on hand-written shard files (no training). */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../src/cli.ts';
import { prepare } from '../src/cli/prepare.ts';
import { COLUMNS, EPOCH_COLUMNS, type EpochRow, type ResultRow } from '../src/results/columns.ts';
import { mergeResults, naturalCompare, type ShardResults } from '../src/results/merge.ts';
import { readEpochs, readResults } from '../src/results/read.ts';
import { appendRows } from '../src/results/write.ts';
import { assignShards, costOf } from '../src/run/shard.ts';

const TINY = new URL('./fixtures/experiments/tiny.yaml', import.meta.url).pathname;

function row(id: string, seed: number, cells: Partial<ResultRow> = {}): ResultRow {
  const r = Object.fromEntries(COLUMNS.map((c) => [c, ''])) as ResultRow;
  return { ...r, experiment: 'x', trial_id: id, seed: String(seed), settings: `{"id":"${id}"}`, cpu: 'Xeon', git_commit: 'abc', test_accuracy: '0.5', ...cells };
}
const epoch = (id: string, seed: number, n: number, loss = '1'): EpochRow => ({ experiment: 'x', trial_id: id, seed: String(seed), epoch: String(n), train_loss: loss, test_loss: loss, epoch_time_s: '0.1' });
const keys = (rows: ResultRow[]) => rows.map((r) => `${r.trial_id}#${r.seed}`);

test('naturalCompare orders digit runs as numbers', () => {
  assert.deepEqual(['10-of-12.csv', '2-of-12.csv', 'b.csv', '1-of-12.csv', 'a.csv'].sort(naturalCompare), ['1-of-12.csv', '2-of-12.csv', '10-of-12.csv', 'a.csv', 'b.csv']);
});

test('merge: rows in the experiment\'s order, missing listed, unexpected kept last', () => {
  const expected = [{ id: 'b', seed: 1 }, { id: 'b', seed: 2 }, { id: 'a', seed: 1 }, { id: 'a', seed: 2 }];
  const shards: ShardResults[] = [
    { file: '1-of-2.csv', rows: [row('a', 1), row('zz', 10), row('zz', 9)], epochs: [] },
    { file: '0-of-2.csv', rows: [row('a', 2), row('b', 1)], epochs: [] },
  ];
  const m = mergeResults(expected, shards);
  assert.deepEqual(keys(m.rows), ['b#1', 'a#1', 'a#2', 'zz#9', 'zz#10']);
  assert.deepEqual(m.missing, [{ id: 'b', seed: 2 }]);
  assert.equal(m.unexpected, 2);
  assert.equal(m.duplicates, 0);
  assert.deepEqual(m.conflicts, []);
});

test('merge: the same setup twice is a duplicate (first copy kept, natural file order); another setup is a conflict', () => {
  const expected = [{ id: 'a', seed: 1 }, { id: 'b', seed: 1 }];
  const shards: ShardResults[] = [
    { file: '10-of-12.csv', rows: [row('a', 1, { test_accuracy: '0.7', started_at: 'later' }), row('b', 1, { cpu: 'EPYC' })], epochs: [] },
    { file: '2-of-12.csv', rows: [row('a', 1, { test_accuracy: '0.6' }), row('b', 1, { settings: '{"other":1}', git_commit: 'def' })], epochs: [] },
    { file: '3-of-12.csv', rows: [row('a', 1)], epochs: [] },
  ];
  const m = mergeResults(expected, shards);
  assert.equal(m.duplicates, 2, 'a#1 in 3-of-12 and 10-of-12: measurements differ, setup the same');
  assert.equal(m.rows[0].test_accuracy, '0.6', '2-of-12 comes before 10-of-12');
  assert.deepEqual(m.conflicts, [{ trialId: 'b', seed: '1', kept: '2-of-12.csv', other: '10-of-12.csv', columns: ['settings', 'cpu', 'git_commit'] }]);
  assert.equal(m.rows[1].git_commit, 'def');
  assert.deepEqual(m.missing, []);
});

test('merge: epochs follow the kept row\'s file, one per epoch, in order; orphans dropped', () => {
  const shards: ShardResults[] = [
    { file: 'a.csv', rows: [row('t', 1)], epochs: [epoch('t', 1, 2, 'A2'), epoch('t', 1, 1, 'A1'), epoch('t', 1, 1, 'again'), epoch('orphan', 1, 1)] },
    { file: 'b.csv', rows: [row('t', 1)], epochs: [epoch('t', 1, 1, 'B1'), epoch('t', 1, 2, 'B2')] },
  ];
  const m = mergeResults([{ id: 't', seed: 1 }], shards);
  assert.deepEqual(m.epochs.map((e) => `${e.epoch}:${e.train_loss}`), ['1:A1', '2:A2']);
});

/** A results dir holding tiny's shards as hand-written rows (no training): shard files for the given keys. */
function fakeShards(n: number, skip: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'sb-merge-'));
  const { exp, trials } = prepare(TINY);
  const assigned = assignShards(trials, n, costOf(exp));
  for (const t of trials) {
    const key = `${t.id}#${t.seed}`;
    if (skip.includes(key)) continue;
    const file = join(dir, 'tiny', 'shards', `${assigned.get(key)}-of-${n}.csv`);
    appendRows(file.replace(/\.csv$/, '.epochs.csv'), EPOCH_COLUMNS, [1, 2].map((e) => ({ ...epoch(t.id, t.seed, e), experiment: 'tiny' })));
    appendRows(file, COLUMNS, [{ ...row(t.id, t.seed), experiment: 'tiny', trial_index: String(t.index), settings: JSON.stringify(t.settings) }]);
  }
  return { dir, trials, assigned, exp };
}

const run = async (argv: string[]) => {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
};

test('scalebench merge: complete shards → results/<name>.csv in grid order; a second merge changes nothing', async () => {
  const { dir, trials } = fakeShards(4);
  const r = await run(['merge', TINY, '--results-dir', dir]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, `tiny: 4 shard file(s), 6 of 6 trials → ${join(dir, 'tiny.csv')}\n`);
  const csv = join(dir, 'tiny.csv');
  assert.deepEqual(keys(readResults(csv)), trials.map((t) => `${t.id}#${t.seed}`));
  assert.equal(readEpochs(join(dir, 'tiny.epochs.csv')).length, 12);

  const bytes = readFileSync(csv, 'utf8');
  const mtime = statSync(csv).mtimeMs;
  const again = await run(['merge', TINY, '--results-dir', dir]);
  assert.equal(again.code, 0);
  assert.match(again.err, /\(unchanged\)\n$/);
  assert.equal(readFileSync(csv, 'utf8'), bytes);
  assert.equal(statSync(csv).mtimeMs, mtime);
});

test('scalebench merge: missing trials are listed with their shard and the command to rerun it; exit 1', async () => {
  const { trials } = fakeShards(4);
  const gone = [trials[0], trials[5]].map((t) => `${t.id}#${t.seed}`);
  const { dir, assigned } = fakeShards(4, gone);
  const r = await run(['merge', TINY, '--results-dir', dir]);
  assert.equal(r.code, 1);
  const lines = r.err.trimEnd().split('\n');
  assert.match(lines[0], /^tiny: 4 shard file\(s\), 4 of 6 trials → /);
  const s0 = assigned.get(gone[0]);
  const s5 = assigned.get(gone[1]);
  assert.deepEqual(lines.slice(1), [
    'missing 2 of 6 trials:',
    `  ${trials[0].id} width=4 depth=1 seed=1  (shard ${s0}/4)`,
    `  ${trials[5].id} width=2 depth=0 seed=2  (shard ${s5}/4)`,
    `rerun: ${[...new Set([s0!, s5!])].sort().map((s) => `scalebench sweep ${TINY} --shard ${s}/4`).join('; ')}`,
  ]);
  // The partial merge is written all the same (a preview report can use it).
  assert.equal(readResults(join(dir, 'tiny.csv')).length, 4);
});

test('scalebench merge: a conflicting copy of a trial is reported; exit 1', async () => {
  const { dir, trials } = fakeShards(2);
  const t = trials[2];
  appendRows(join(dir, 'tiny', 'shards', 'extra.csv'), COLUMNS, [{ ...row(t.id, t.seed), experiment: 'tiny', settings: JSON.stringify(t.settings), cpu: 'Other CPU' }]);
  const r = await run(['merge', TINY, '--results-dir', dir]);
  assert.equal(r.code, 1);
  const kept = readFileSync(join(dir, 'tiny', 'shards', '0-of-2.csv'), 'utf8').includes(t.id) ? '0-of-2.csv' : '1-of-2.csv';
  assert.match(r.err, new RegExp(`^conflict: ${t.id} width=8 depth=1 seed=1: ${kept} and extra\\.csv differ in cpu; kept ${kept} \\(remove the unwanted row`, 'm'));
  assert.equal(readResults(join(dir, 'tiny.csv')).length, 6);
});

test('scalebench merge: input mistakes exit 2 with one line', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'sb-merge-empty-'));
  const none = await run(['merge', TINY, '--results-dir', empty]);
  assert.equal(none.code, 2);
  assert.equal(none.err, `scalebench: merge: no shard results in ${join(empty, 'tiny', 'shards')}; run scalebench sweep ${TINY} --shard i/n first\n`);

  const name = await run(['merge', 'tiny', '--results-dir', empty]);
  assert.equal(name.code, 2);
  assert.equal(name.err, 'scalebench: merge: tiny: expected the experiment file (e.g. experiments/tiny.yaml), which lists the trials to expect\n');

  // A results file holding trials no shard has (an earlier unsharded sweep, say) is never overwritten.
  const { dir } = fakeShards(2);
  appendRows(join(dir, 'tiny.csv'), COLUMNS, [row('0123456789ab', 1, { experiment: 'tiny' })]);
  const lost = await run(['merge', TINY, '--results-dir', dir]);
  assert.equal(lost.code, 2);
  assert.match(lost.err, /^scalebench: merge: .*tiny\.csv holds 1 trial row\(s\) that no shard has \(e\.g\. 0123456789ab seed 1\); move it \(with its \.epochs\.csv\) into .*shards\/ to merge it in, or delete it\n$/);

  const bad = join(dir, 'tiny', 'shards', 'bad.csv');
  mkdirSync(join(dir, 'tiny', 'shards'), { recursive: true });
  writeFileSync(bad, 'trial_id,seed\nx,1\n');
  const schema = await run(['merge', TINY, '--results-dir', dir]);
  assert.equal(schema.code, 2);
  assert.match(schema.err, /^scalebench: .*bad\.csv: header: written by a different results schema/);
});
