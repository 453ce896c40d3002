/** src/analysis/stats.ts against values computed by hand, from published tables, or from benchstat's own tests. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  binomialHalfCdf, choose, geomean, mannWhitneyU, median, medianCI, medianCISamples, minUTestP, uTestSamples,
} from '../src/analysis/stats.ts';

const close = (got: number, want: number, rel = 1e-9) => assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `got ${got}, want ${want}`);

test('median and geomean', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  close(geomean([1, 4, 16]), 4);
  close(geomean([2, 8]), 4);
  assert.ok(Number.isNaN(geomean([1, 0])));
  assert.ok(Number.isNaN(geomean([])));
});

test('choose and the binomial(n, ½) CDF', () => {
  assert.equal(choose(8, 4), 70);
  assert.equal(choose(20, 10), 184756);
  assert.equal(choose(3, 5), 0);
  close(binomialHalfCdf(1, 10), 11 / 1024);
  close(binomialHalfCdf(5, 20), 21700 / 1048576); // 1 + 20 + 190 + 1140 + 4845 + 15504
  assert.equal(binomialHalfCdf(10, 10), 1);
});

test('median interval: order statistics with binomial coverage (benchstat benchmath tests, median-interval tables)', () => {
  // benchmath/assumption_test.go TestSummaryNone: n=6 at 95% → [min, max], coverage 1 − 2/64.
  assert.deepEqual(medianCI([-10, 2, 3, 4, 5, 6]), { n: 6, median: 3.5, lo: -10, hi: 6, confidence: 0.96875 });
  // n = 5 cannot reach 95%: the interval is unbounded, as in benchstat.
  assert.deepEqual(medianCI([5, 1, 4, 2, 3]), { n: 5, median: 3, lo: -Infinity, hi: Infinity, confidence: 1 });
  // The order statistics that tables of 95% median intervals give, checked by hand from the binomial sums:
  // n = 10 → X(2)..X(9), coverage 1 − 2·11/1024; n = 20 → X(6)..X(15), coverage 1 − 2·21700/2^20 = 0.9586.
  const ten = medianCI([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  assert.deepEqual([ten.lo, ten.hi, ten.confidence], [2, 9, 1 - 22 / 1024]);
  const twenty = medianCI(Array.from({ length: 20 }, (_, i) => i + 1));
  assert.deepEqual([twenty.lo, twenty.hi], [6, 15]);
  close(twenty.confidence, 1 - 2 * (21700 / 1048576));
  assert.equal(medianCISamples(0.95), 6); // benchmath: "need >= 6 samples for confidence interval at level 0.95"
  assert.equal(medianCISamples(0.99), 8);
});

test('U test, small samples without ties: exact p (go-moremath utest_test.go, by hand: 2/C(8,4))', () => {
  const s1 = [2, 1, 3, 5];
  const s2 = [12, 11, 13, 15];
  const s3 = [0, 4, 6, 7];
  // Fully separated: only 1 of the C(8,4) = 70 splits is as extreme on each side → p = 2/70.
  assert.deepEqual(mannWhitneyU(s1, s2), { n1: 4, n2: 4, u: 0, p: 2 / 70, method: 'exact', allEqual: false });
  close(mannWhitneyU(s2, s1).p, 2 / 70);
  assert.equal(mannWhitneyU(s2, s1).u, 16);
  // Interleaved, U = 5: P(U ≤ 5) = 17/70 → p = 34/70 = 0.4857 (go-moremath; also R's wilcox.test).
  close(mannWhitneyU(s1, s3).p, 34 / 70);
  assert.equal(mannWhitneyU(s1, s1).p, 1);
});

test('U test: the published critical values for α = 0.05 two-sided, n1 = n2 (Mann–Whitney table)', () => {
  // The largest significant U, from the standard published table of critical values of U (two-tailed α = 0.05,
  // as reprinted in statistics textbooks): n = 4 → 0, 5 → 2, 6 → 5, 7 → 8, 8 → 13, 9 → 17, 10 → 23, 12 → 37, 15 → 64, 20 → 127.
  const table: [number, number][] = [[4, 0], [5, 2], [6, 5], [7, 8], [8, 13], [9, 17], [10, 23], [12, 37], [15, 64], [20, 127]];
  for (const [n, critical] of table) {
    const at = (u: number) => mannWhitneyU(...samplesWithU(n, n, u)).p;
    assert.ok(at(critical) <= 0.05, `n=${n} U=${critical} should be significant (p=${at(critical)})`);
    assert.ok(at(critical + 1) > 0.05, `n=${n} U=${critical + 1} should not be significant (p=${at(critical + 1)})`);
  }
});

test('U test with ties: exact conditional distribution (hand-enumerated)', () => {
  // x = {1,2,3,5}, y = {2,2,2,2}: mid-ranks 1 | 4 4 4 4 4 | 7 | 8, x's rank sum 20. Of the 70 ways to pick 4 of 8,
  // rank sums: 13×10, 16×15, 17×10, 19×10, 20×15, 23×10 → P(R ≥ 20) = 25/70, p = 50/70 (go-moremath agrees: 0.7142857).
  const tied = mannWhitneyU([1, 2, 3, 5], [2, 2, 2, 2]);
  assert.equal(tied.u, 10);
  close(tied.p, 50 / 70);
  // x = {1,2,3,5}, y = {1,1,1,1,1}: six 1s share mid-rank 3.5; x's rank sum 27.5 is the largest possible, reached
  // by 6 of the C(9,4) = 126 splits (x's 1 can be any of the six) → p = 2·6/126.
  const lopsided = mannWhitneyU([1, 2, 3, 5], [1, 1, 1, 1, 1]);
  assert.equal(lopsided.u, 17.5);
  close(lopsided.p, 12 / 126);
  // All equal: the test means nothing; p = 1 and it says so (benchstat: "all samples are equal").
  assert.deepEqual(mannWhitneyU([2, 2, 2], [2, 2]), { n1: 3, n2: 2, u: 3, p: 1, method: 'exact', allEqual: true });
});

test('U test, exact distribution equals brute-force enumeration of every split, ties included', () => {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let trial = 0; trial < 150; trial++) {
    const x = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => Math.floor(rnd() * 5));
    const y = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => Math.floor(rnd() * 5) + (trial % 3));
    if (new Set([...x, ...y]).size === 1) continue;
    close(mannWhitneyU(x, y).p, bruteForceP(x, y), 1e-12);
  }
});

test('U test, large samples: normal approximation with tie and continuity corrections (R wilcox.test via go-moremath)', () => {
  const l1 = Array.from({ length: 500 }, (_, i) => i * 2);
  const l2 = Array.from({ length: 600 }, (_, i) => i * 2 - 41);
  const l3 = [...l2];
  for (let i = 0; i < 30; i++) l3[i] = l1[i];
  const r12 = mannWhitneyU(l1, l2);
  assert.equal(r12.method, 'normal');
  assert.equal(Math.min(r12.u, 500 * 600 - r12.u), 135250);
  close(r12.p, 0.0049335360814172224, 1e-8);
  assert.equal(mannWhitneyU(l1, l1).p, 1);
  const r13 = mannWhitneyU(l1, l3); // 30 ties
  assert.equal(Math.min(r13.u, 500 * 600 - r13.u), 134845);
  close(r13.p, 0.0038703814239617884, 1e-8);
});

test('U test: exact and normal agree closely at the exact limit (50 + 50)', () => {
  const a = Array.from({ length: 50 }, (_, i) => i);
  const b = a.map((v) => v + 9.5);
  const exact = mannWhitneyU(a, b);
  const normal = mannWhitneyU(a, b, 0);
  assert.equal(exact.method, 'exact');
  assert.equal(normal.method, 'normal');
  assert.ok(Math.abs(exact.p - normal.p) < 0.002, `${exact.p} vs ${normal.p}`);
});

test('the sample sizes below which nothing can be significant (benchmath uTestSamples / medianSamples)', () => {
  assert.equal(uTestSamples(0.05), 4); // benchstat: "need >= 4 samples to detect a difference at alpha level 0.05"
  assert.equal(uTestSamples(0.01), 5);
  assert.equal(minUTestP(3, 3), 0.1); // benchmath uTestMinP[3]
  close(minUTestP(4, 4), 0.02857142857142857);
  close(minUTestP(3, 10), 2 / 286); // unequal sizes can still reach 0.05 with 3 on one side
});

/** Samples of sizes n1, n2 (no ties) whose U (for the first) is exactly u: x's i-th value has c_i values of y below it. */
function samplesWithU(n1: number, n2: number, u: number): [number[], number[]] {
  const below = new Array<number>(n1).fill(0);
  for (let i = n1 - 1, left = u; i >= 0; i--) left -= below[i] = Math.min(left, n2);
  const x = below.map((c, i) => i + c);
  const taken = new Set(x);
  return [x, Array.from({ length: n1 + n2 }, (_, i) => i).filter((v) => !taken.has(v))];
}

/** Two-sided p by listing every way to split the pooled values into groups of |x| and |y|. */
function bruteForceP(x: number[], y: number[]): number {
  const pooled = [...x, ...y];
  const sorted = [...pooled].sort((a, b) => a - b);
  const rank = (v: number) => (sorted.indexOf(v) + sorted.lastIndexOf(v) + 2) / 2;
  const ranks = pooled.map(rank);
  const observed = x.reduce((a, v) => a + rank(v), 0);
  let le = 0;
  let ge = 0;
  let total = 0;
  const walk = (i: number, k: number, sum: number): void => {
    if (k === x.length) {
      total++;
      if (sum <= observed + 1e-9) le++;
      if (sum >= observed - 1e-9) ge++;
      return;
    }
    if (i === pooled.length) return;
    walk(i + 1, k + 1, sum + ranks[i]);
    walk(i + 1, k, sum);
  };
  walk(0, 0, 0);
  return Math.min(1, (2 * Math.min(le, ge)) / total);
}

test('U test size: on noise alone it rejects at most about α of the time (2000 pairs of 10 vs 10)', () => {
  let s = 1; // mulberry32: any continuous distribution will do, the test only sees ranks
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let rejected = 0;
  for (let i = 0; i < 2000; i++) {
    if (mannWhitneyU(Array.from({ length: 10 }, uniform), Array.from({ length: 10 }, uniform)).p <= 0.05) rejected++;
  }
  // The exact size at n = 10 + 10 is 2·P(U ≤ 23) = 0.043; allow 3 standard errors (0.0045 each) either side.
  assert.ok(rejected / 2000 > 0.029 && rejected / 2000 < 0.057, `rejected ${rejected} of 2000`);
});
