import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupConfigs, paramBucket, paretoFront, sortTrials, summarize, toTrial } from '../src/analysis/aggregate.ts';
import { COLUMNS, type ResultRow } from '../src/results/columns.ts';

function row(cells: Partial<ResultRow>): ResultRow {
  return Object.fromEntries(COLUMNS.map((c) => [c, cells[c] ?? ''])) as ResultRow;
}

describe('summarize', () => {
  it('gives mean, sample sd, t interval and range of the finite values', () => {
    const s = summarize([1, 2, 3, NaN]);
    assert.equal(s.n, 3);
    assert.equal(s.mean, 2);
    assert.equal(s.sd, 1);
    assert.equal(s.ci95, (4.303 * 1) / Math.sqrt(3));
    assert.deepEqual([s.min, s.max], [1, 3]);
  });

  it('has no interval for one value and nothing for none', () => {
    assert.deepEqual(summarize([5]), { n: 1, mean: 5, sd: 0, ci95: NaN, min: 5, max: 5 });
    assert.equal(summarize([NaN]).n, 0);
  });
});

describe('groupConfigs', () => {
  const rows = [
    row({ trial_id: 'b', trial_index: '1', seed: '2', width: '16', depth: '1', params: '100', status: 'ok', test_accuracy: '0.5' }),
    row({ trial_id: 'a', trial_index: '0', seed: '1', width: '8', depth: '1', params: '50', status: 'ok', test_accuracy: '0.4' }),
    row({ trial_id: 'b', trial_index: '1', seed: '1', width: '16', depth: '1', params: '100', status: 'ok', test_accuracy: '0.7' }),
    row({ trial_id: 'b', trial_index: '1', seed: '3', width: '16', depth: '1', params: '100', status: 'diverged', test_accuracy: '0.1' }),
    row({ trial_id: 'a', trial_index: '0', seed: '2', width: '8', depth: '1', params: '50', status: 'failed' }),
  ];
  const trials = sortTrials(rows.map((r) => toTrial('x', r)), ['x']);

  it('sorts trials by grid position then seed', () => {
    assert.deepEqual(trials.map((t) => `${t.trialId}${t.seed}`), ['a1', 'a2', 'b1', 'b2', 'b3']);
  });

  it('summarises only ok trials and counts the rest', () => {
    const [a, b] = groupConfigs(trials);
    assert.equal(a.trialId, 'a');
    assert.deepEqual([a.ok, a.diverged, a.failed, a.seeds], [1, 0, 1, [1, 2]]);
    assert.deepEqual([b.ok, b.diverged, b.failed], [2, 1, 0]);
    assert.equal(b.stats.test_accuracy.mean, 0.6);
    assert.equal(b.stats.test_accuracy.n, 2);
    assert.equal(b.stats.train_time_s.n, 0);
  });

  it('keeps sources apart', () => {
    const two = groupConfigs(sortTrials([...rows.map((r) => toTrial('x', r)), ...rows.map((r) => toTrial('y', r))], ['y', 'x']));
    assert.deepEqual(two.map((c) => `${c.source}:${c.trialId}`), ['y:a', 'y:b', 'x:a', 'x:b']);
  });
});

describe('paretoFront', () => {
  it('keeps points that nothing cheaper beats', () => {
    // cost:   1    2    3    4    5
    // value: .5   .4   .7   .7   .9
    assert.deepEqual([...paretoFront([1, 2, 3, 4, 5], [0.5, 0.4, 0.7, 0.7, 0.9])].sort(), [0, 2, 4]);
  });

  it('ignores non-finite points and keeps the first of duplicates', () => {
    assert.deepEqual([...paretoFront([1, NaN, 1, 2], [0.5, 0.9, 0.5, NaN])], [0]);
  });
});

describe('paramBucket', () => {
  it('uses half-decades', () => {
    assert.deepEqual(paramBucket(1000), { index: 6, lo: 1000, hi: 10 ** 3.5 });
    assert.equal(paramBucket(3161).index, 6);
    assert.equal(paramBucket(3163).index, 7);
    assert.equal(paramBucket(999).index, 5);
  });
});
