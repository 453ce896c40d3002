/**
 * Scaling-law fits. Pure and deterministic: the only randomness (bootstrap) comes from a seeded PRNG.
 *
 * - `fitPowerLaw`: y = C·N^k by least squares on log-log values; 95% interval on k from the slope's t statistic.
 * - `fitSaturating`: L = E + A·N^(−α), fitted the way scaling-law papers do (Hoffmann et al. 2022, appendix D.2):
 *   Huber loss (δ = 1e-3) on the residuals of log L, minimised from a grid of starting points, with a bootstrap
 *   over configurations for the intervals. E and A are parametrised as exp(e), exp(a) so both stay positive.
 */

/** Student-t 0.975 quantiles for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** The 0.975 quantile of Student's t with `df` degrees of freedom (table to 30, then a Cornish–Fisher expansion). */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df <= 30) return T975[Math.floor(df) - 1];
  const z = 1.959964;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/** Mulberry32: a small seedable PRNG returning floats in [0, 1). Same seed, same sequence, on every machine. */
export function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Huber loss of residual r: quadratic within ±δ, linear beyond. */
export function huber(r: number, delta: number): number {
  const a = Math.abs(r);
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}

/** The q-quantile of ascending `sorted` values, linearly interpolated (type 7, as R and numpy default). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface Minimum {
  x: number[];
  fx: number;
  evaluations: number;
}

interface Vertex {
  x: number[];
  fx: number;
}

/**
 * Nelder–Mead simplex minimisation (coefficients 1, 2, ½, ½), restarted from its own best point with a fresh
 * simplex until a restart no longer improves, which guards against early collapse on kinked objectives such
 * as Huber with a small δ. A run stops when the simplex spans less than `xTolerance` in every coordinate or
 * its values agree to a relative `tolerance`.
 */
export function nelderMead(
  f: (x: number[]) => number,
  x0: readonly number[],
  opts: { step?: number; maxEvaluations?: number; tolerance?: number; xTolerance?: number; restarts?: number } = {},
): Minimum {
  const { step = 0.5, maxEvaluations = 4000, tolerance = 1e-12, xTolerance = 1e-7, restarts = 3 } = opts;
  const n = x0.length;
  let evaluations = 0;
  function vertex(x: number[]): Vertex {
    evaluations++;
    const fx = f(x);
    return { x, fx: Number.isFinite(fx) ? fx : Infinity };
  }
  const centroid = new Array<number>(n);
  function along(t: number, hi: Vertex): Vertex {
    const x = new Array<number>(n);
    for (let j = 0; j < n; j++) x[j] = centroid[j] + t * (hi.x[j] - centroid[j]);
    return vertex(x);
  }
  const byValue = (p: Vertex, q: Vertex) => p.fx - q.fx;
  let best = vertex([...x0]);
  for (let restart = 0; restart <= restarts && evaluations < maxEvaluations; restart++) {
    const simplex = [best];
    for (let i = 0; i < n; i++) simplex.push(vertex(best.x.map((v, j) => (i === j ? v + step : v))));
    while (evaluations < maxEvaluations) {
      simplex.sort(byValue);
      const lo = simplex[0], hi = simplex[n];
      let size = 0;
      for (const p of simplex) for (let j = 0; j < n; j++) size = Math.max(size, Math.abs(p.x[j] - lo.x[j]));
      if (size <= xTolerance || hi.fx - lo.fx <= tolerance * Math.abs(lo.fx)) break;
      centroid.fill(0);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) centroid[j] += simplex[i].x[j] / n;
      const r = along(-1, hi);
      if (r.fx < lo.fx) {
        const e = along(-2, hi);
        simplex[n] = e.fx < r.fx ? e : r;
      } else if (r.fx < simplex[n - 1].fx) {
        simplex[n] = r;
      } else {
        const c = along(r.fx < hi.fx ? -0.5 : 0.5, hi);
        if (c.fx < Math.min(r.fx, hi.fx)) simplex[n] = c;
        else for (let i = 1; i <= n; i++) simplex[i] = vertex(simplex[i].x.map((v, j) => lo.x[j] + 0.5 * (v - lo.x[j])));
      }
    }
    simplex.sort(byValue);
    const improved = simplex[0].fx < best.fx - tolerance * Math.abs(best.fx);
    if (simplex[0].fx <= best.fx) best = simplex[0];
    if (!improved && restart > 0) break;
  }
  return { x: best.x, fx: best.fx, evaluations };
}

/** y = C·N^k, fitted on log values. `ci` is the 95% interval on k (absent with fewer than 3 points). */
export interface PowerLawFit {
  k: number;
  /** ln C. */
  logC: number;
  ci?: [number, number];
  r2: number;
  n: number;
}

/** Least-squares fit of ln y = ln C + k·ln N over points with positive, finite N and y; undefined if fewer than 2 distinct N. */
export function fitPowerLaw(ns: readonly number[], ys: readonly number[]): PowerLawFit | undefined {
  const pts = ns.map((n, i) => [n, ys[i]]).filter(([n, y]) => n > 0 && y > 0 && Number.isFinite(n) && Number.isFinite(y));
  const xs = pts.map(([n]) => Math.log(n)), ls = pts.map(([, y]) => Math.log(y));
  const m = pts.length;
  if (m < 2) return undefined;
  const mx = xs.reduce((a, b) => a + b, 0) / m, my = ls.reduce((a, b) => a + b, 0) / m;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < m; i++) {
    sxx += (xs[i] - mx) ** 2;
    sxy += (xs[i] - mx) * (ls[i] - my);
    syy += (ls[i] - my) ** 2;
  }
  if (sxx === 0) return undefined;
  const k = sxy / sxx;
  const sse = Math.max(0, syy - k * sxy);
  const fit: PowerLawFit = { k, logC: my - k * mx, r2: syy === 0 ? 1 : 1 - sse / syy, n: m };
  if (m >= 3) {
    const half = tQuantile975(m - 2) * Math.sqrt(sse / (m - 2) / sxx);
    fit.ci = [k - half, k + half];
  }
  return fit;
}

/** L = E + A·N^(−α). Intervals are bootstrap percentiles (2.5%, 97.5%) over resampled configurations. */
export interface SaturatingFit {
  E: number;
  A: number;
  alpha: number;
  /** Mean Huber loss per point at the optimum. */
  loss: number;
  n: number;
  ci?: { E: [number, number]; A: [number, number]; alpha: [number, number] };
  /** Bootstrap resamples that produced a fit. */
  resamples: number;
}

export interface SaturatingOptions {
  /** Huber δ on log residuals. */
  delta?: number;
  /** Bootstrap resamples; 0 skips the intervals. */
  bootstrap?: number;
  /** PRNG seed for the bootstrap. */
  seed?: number;
}

/** Bootstrap refits start at the full-data optimum: a small simplex, no restarts, parameters to ~1e-4. */
const BOOT_NM = { step: 0.1, xTolerance: 1e-4, tolerance: 1e-8, restarts: 0 };

/** Fit L = E + A·N^(−α) to points with positive N and L; undefined with fewer than 3 distinct N (three parameters). */
export function fitSaturating(ns: readonly number[], ls: readonly number[], opts: SaturatingOptions = {}): SaturatingFit | undefined {
  const { delta = 1e-3, bootstrap = 200, seed = 1 } = opts;
  const pts = ns.map((n, i) => [n, ls[i]]).filter(([n, l]) => n > 0 && l > 0 && Number.isFinite(n) && Number.isFinite(l));
  if (new Set(pts.map(([n]) => n)).size < 3) return undefined;
  // Work with N / N0 (N0 = geometric mean of N) so the starting grid for `a` is scale-free.
  const logN0 = pts.reduce((s, [n]) => s + Math.log(n), 0) / pts.length;
  const x = Float64Array.from(pts, ([n]) => Math.log(n) - logN0);
  const y = Float64Array.from(pts, ([, l]) => Math.log(l));
  // Configurations often share N (other settings vary), so the prediction is computed once per distinct N.
  const distinct = [...new Set(x)];
  const ux = Float64Array.from(distinct);
  const group = Uint32Array.from(x, (v) => distinct.indexOf(v));
  const pred = new Float64Array(ux.length);
  // A resample weights each point by how often it was drawn, so every evaluation is one pass over the points.
  const objective = (weight: Float64Array) => ([a, e, alpha]: number[]) => {
    for (let k = 0; k < ux.length; k++) {
      const u = a - alpha * ux[k]; // log of A·N^(−α); log(E + A·N^(−α)) = logaddexp(u, e)
      pred[k] = Math.max(u, e) + Math.log1p(Math.exp(-Math.abs(u - e)));
    }
    let s = 0;
    for (let i = 0; i < x.length; i++) if (weight[i] !== 0) s += weight[i] * huber(pred[group[i]] - y[i], delta);
    return s;
  };
  const lMin = Math.exp(Math.min(...y)), lMid = Math.exp(y.reduce((s, v) => s + v, 0) / y.length);
  const starts: number[][] = [];
  for (const alpha of [0.1, 0.3, 0.6, 1, 1.5]) for (const f of [0.01, 0.5, 0.9]) {
    const E0 = f * lMin;
    starts.push([Math.log(Math.max(lMid - E0, 1e-3 * lMid)), Math.log(E0), alpha]);
  }
  const toFit = ([a, e, alpha]: number[]) => ({ E: Math.exp(e), A: Math.exp(a + alpha * logN0), alpha });
  const full = objective(new Float64Array(x.length).fill(1));
  const opt = starts.map((s) => nelderMead(full, s)).reduce((p, q) => (q.fx < p.fx ? q : p));
  const fit: SaturatingFit = { ...toFit(opt.x), loss: opt.fx / pts.length, n: pts.length, resamples: 0 };
  if (bootstrap > 0) {
    const rand = mulberry32(seed);
    const draws: { E: number; A: number; alpha: number }[] = [];
    for (let b = 0; b < bootstrap; b++) {
      const weight = new Float64Array(x.length);
      for (let i = 0; i < x.length; i++) weight[Math.floor(rand() * x.length)]++;
      if (new Set(Array.from(x).filter((_, i) => weight[i] > 0)).size < 3) continue;
      draws.push(toFit(nelderMead(objective(weight), opt.x, BOOT_NM).x));
    }
    if (draws.length >= 10) {
      const ci = (key: 'E' | 'A' | 'alpha'): [number, number] => {
        const v = draws.map((d) => d[key]).sort((p, q) => p - q);
        return [quantile(v, 0.025), quantile(v, 0.975)];
      };
      fit.ci = { E: ci('E'), A: ci('A'), alpha: ci('alpha') };
    }
    fit.resamples = draws.length;
  }
  return fit;
}
