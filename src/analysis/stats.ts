/**
 * Statistics for comparing two runs, as benchstat does it (golang.org/x/perf/benchmath, AssumeNothing):
 * the centre of a sample is its median, with a distribution-free 95% interval from order statistics, and two
 * samples differ when a two-sided Mann–Whitney U test rejects at α. No distribution is assumed: timings are
 * skewed and accuracies are lumpy. Pure functions over plain arrays; every one is tested with hand-checked values.
 */
import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

const ascending = (a: number, b: number) => a - b;

/** Median: the middle value, or the mean of the two middle values; NaN for an empty sample. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort(ascending);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Geometric mean, exp(mean(log x)); NaN when empty or when any value is not a positive finite number. */
export function geomean(xs: readonly number[]): number {
  if (xs.length === 0 || xs.some((x) => !(x > 0 && Number.isFinite(x)))) return NaN;
  return Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
}

/** C(n, k) as a float: exact while it fits in 53 bits, 15 significant digits beyond. */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const m = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= m; i++) c = (c * (n - m + i)) / i;
  return c < 2 ** 53 ? Math.round(c) : c;
}

/** P(B ≤ k) for B ~ Binomial(n, 1/2), summed exactly in log space so it holds for any n. */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let logC = 0; // log C(n, 0)
  let sum = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log((n - i + 1) / i);
    sum += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, sum);
}

/** A median with its confidence interval. lo/hi are ±Infinity when the sample is too small for the level. */
export interface MedianCI {
  n: number;
  median: number;
  lo: number;
  hi: number;
  /** The interval's actual coverage, ≥ the level asked for (1 for an infinite interval). */
  confidence: number;
}

/**
 * Distribution-free confidence interval of the median: [X(k), X(n+1−k)] of the sorted sample, with the largest k
 * whose coverage 1 − 2·P(B ≤ k−1), B ~ Binomial(n, ½), is at least `level` (the textbook interval: the population
 * median lies below exactly B of the values). This is the symmetric form of benchstat's quantile interval. Below 6 values no k reaches 95%
 * and the interval is (−∞, ∞), as in benchstat.
 */
export function medianCI(xs: readonly number[], level = 0.95): MedianCI {
  const n = xs.length;
  const s = [...xs].sort(ascending);
  let k = 0;
  while (k + 1 <= n / 2 && 1 - 2 * binomialHalfCdf(k, n) >= level) k++; // coverage of order statistics k+1 .. n−k
  if (k === 0) return { n, median: median(s), lo: -Infinity, hi: Infinity, confidence: 1 };
  return { n, median: median(s), lo: s[k - 1], hi: s[n - k], confidence: 1 - 2 * binomialHalfCdf(k - 1, n) };
}

/** The smallest sample with a finite median interval at `level`: 6 at 95%, 8 at 99%. */
export function medianCISamples(level = 0.95): number {
  let n = 2;
  while (1 - 2 * binomialHalfCdf(0, n) < level) n++;
  return n;
}

/** The outcome of a two-sided Mann–Whitney U test. */
export interface UTest {
  n1: number;
  n2: number;
  /** U of the first sample: the pairs (x, y) with x > y, a tie counting ½; the other side's U is n1·n2 − u. */
  u: number;
  p: number;
  method: 'exact' | 'normal';
  /** Every value on both sides is the same: the test means nothing and p is 1. */
  allEqual: boolean;
}

/** Samples per side up to which the exact (conditional) distribution is used; beyond, the normal approximation. */
export const EXACT_LIMIT = 50;

/** The smallest p-value a U test can give for sample sizes n1 and n2 (no ties): 2 / C(n1+n2, n1). */
export function minUTestP(n1: number, n2: number): number {
  return Math.min(1, 2 / choose(n1 + n2, n1));
}

/** The smallest equal sample size per side at which a U test can reach `alpha`: 4 at 0.05, 5 at 0.01. */
export function uTestSamples(alpha = 0.05): number {
  let n = 1;
  while (minUTestP(n, n) > alpha) n++;
  return n;
}

/**
 * Two-sided Mann–Whitney U test (Mann & Whitney 1947) of "x and y come from the same distribution" against
 * "one tends to be larger". Tied values get their mid-rank.
 * - Exact when both sides have ≤ EXACT_LIMIT values: the permutation distribution of x's rank sum given the
 *   observed ties (Klotz 1966), so small tied samples (accuracies!) get exact p-values too.
 *   p = min(1, 2·min(P(R ≤ r), P(R ≥ r))), the rule R's wilcox.test uses.
 * - Otherwise the normal approximation with tie and continuity corrections, as benchstat (go-moremath) does.
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], exactLimit = EXACT_LIMIT): UTest {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU: both samples need at least one value');
  const pooled = [...x.map((v) => ({ v, first: true })), ...y.map((v) => ({ v, first: false }))].sort((a, b) => a.v - b.v);
  const N = n1 + n2;
  // Tie groups in ascending order: size and how many of them come from x. Doubled mid-ranks stay integers.
  const groups: { size: number; fromX: number; rank2: number }[] = [];
  for (let i = 0; i < N; ) {
    let j = i;
    let fromX = 0;
    while (j < N && pooled[j].v === pooled[i].v) fromX += pooled[j++].first ? 1 : 0;
    groups.push({ size: j - i, fromX, rank2: i + 1 + j }); // 2 × mean of ranks i+1 .. j
    i = j;
  }
  const r2 = groups.reduce((a, g) => a + g.fromX * g.rank2, 0);
  const u = r2 / 2 - (n1 * (n1 + 1)) / 2;
  if (groups.length === 1) return { n1, n2, u, p: 1, method: 'exact', allEqual: true };

  if (n1 <= exactLimit && n2 <= exactLimit) {
    const { counts, total } = rankSumDistribution(groups, n1, n2);
    const u2 = 2 * u; // counts are indexed by 2U
    let le = 0;
    let ge = 0;
    counts.forEach((c, i) => {
      if (i <= u2) le += c;
      if (i >= u2) ge += c;
    });
    return { n1, n2, u, p: Math.min(1, (2 * Math.min(le, ge)) / total), method: 'exact', allEqual: false };
  }
  const ties = groups.reduce((a, g) => a + g.size ** 3 - g.size, 0);
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (N + 1 - ties / (N * (N - 1))));
  const dev = Math.abs(u - mu) - 0.5; // continuity correction, towards the mean
  const p = dev <= 0 ? 1 : 2 * normalCdf(-dev / sigma, 0, 1);
  return { n1, n2, u, p: Math.min(1, p), method: 'normal', allEqual: false };
}

const distributionCache = new Map<string, { counts: Float64Array; total: number }>();

/**
 * How many ways n1 of the pooled values can be picked so that their doubled rank sum is s, for every s, given the
 * tie groups in ascending order. Dynamic programming over the groups: picking j of a group of t values adds
 * j·rank2 in C(t, j) ways. A state (k picked, sum s) is stored at t = s − k(k+1), which lies in [0, 2·k·(seen−k)],
 * and states that leave more than n2 values unpicked are dropped, so each row spans 2·n1·n2 + 1 cells.
 * Counts are floats: past 2^53 they keep 15-digit relative precision. Cached by shape (tie-free shapes repeat).
 * Returns counts indexed by s − n1(n1+1), i.e. by 2·U.
 */
function rankSumDistribution(groups: readonly { size: number; rank2: number }[], n1: number, n2: number): { counts: Float64Array; total: number } {
  const key = `${n1}:${groups.map((g) => g.size).join(',')}`;
  const hit = distributionCache.get(key);
  if (hit) return hit;
  const W = 2 * n1 * n2 + 1;
  let ways = new Float64Array((n1 + 1) * W);
  let top = new Int32Array(n1 + 1).fill(-1); // highest non-zero t per k; −1 = no state
  ways[0] = 1;
  top[0] = 0;
  let seen = 0;
  for (const g of groups) {
    const next = new Float64Array(ways.length);
    const nextTop = new Int32Array(n1 + 1).fill(-1);
    for (let k = 0; k <= Math.min(n1, seen); k++) {
      if (top[k] < 0) continue;
      for (let j = 0; j <= g.size && k + j <= n1; j++) {
        const k2 = k + j;
        if (seen + g.size - k2 > n2) continue; // more than n2 left unpicked: cannot complete
        const c = choose(g.size, j);
        const shift = k * (k + 1) + j * g.rank2 - k2 * (k2 + 1);
        const from = k * W;
        const to = k2 * W + shift;
        for (let t = 0; t <= top[k]; t++) {
          const w = ways[from + t];
          if (w !== 0) next[to + t] += w * c;
        }
        nextTop[k2] = Math.max(nextTop[k2], top[k] + shift);
      }
    }
    ways = next;
    top = nextTop;
    seen += g.size;
  }
  const counts = ways.subarray(n1 * W);
  const result = { counts, total: counts.reduce((a, c) => a + c, 0) }; // = C(N, n1)
  if (distributionCache.size > 256) distributionCache.clear();
  distributionCache.set(key, result);
  return result;
}
