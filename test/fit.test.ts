import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitPowerLaw, fitSaturating, huber, mulberry32, nelderMead, quantile, tQuantile975 } from '../src/analysis/fit.ts';

const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what} ${a} ≉ ${b} (±${tol})`);
const logSpace = (lo: number, hi: number, n: number) => Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));

describe('small statistics', () => {
  it('tQuantile975 matches the t table and tends to the normal quantile', () => {
    assert.equal(tQuantile975(1), 12.706);
    assert.equal(tQuantile975(10), 2.228);
    close(tQuantile975(60), 2.0003, 1e-3);
    close(tQuantile975(1e6), 1.96, 1e-3);
    assert.ok(Number.isNaN(tQuantile975(0)));
  });

  it('huber is quadratic within δ and linear beyond, continuous at δ', () => {
    assert.equal(huber(0.5, 1), 0.125);
    assert.equal(huber(-3, 1), 2.5);
    close(huber(1e-3, 1e-3), 0.5e-6, 1e-18);
  });

  it('quantile interpolates linearly between order statistics', () => {
    assert.equal(quantile([1, 2, 3, 4, 5], 0.5), 3);
    assert.equal(quantile([1, 2, 3, 4], 0.25), 1.75);
    assert.equal(quantile([7], 0.975), 7);
  });

  it('mulberry32 is repeatable and uniform-looking', () => {
    const a = mulberry32(7), b = mulberry32(7);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(xs.slice(0, 5), Array.from({ length: 5 }, () => b()));
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    close(xs.reduce((s, x) => s + x, 0) / xs.length, 0.5, 0.03);
  });
});

describe('nelderMead', () => {
  it('finds the Rosenbrock minimum', () => {
    const r = nelderMead(([x, y]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2, [-1.2, 1]);
    close(r.x[0], 1, 1e-4, 'x');
    close(r.x[1], 1, 1e-4, 'y');
  });

  it('finds a kinked (L1) minimum', () => {
    const r = nelderMead(([x, y]) => Math.abs(x - 2) + Math.abs(y + 1), [0, 0]);
    close(r.x[0], 2, 1e-5);
    close(r.x[1], -1, 1e-5);
  });
});

describe('fitPowerLaw', () => {
  it('recovers an exact power law with a collapsed interval', () => {
    const ns = [10, 100, 1000, 10000];
    const f = fitPowerLaw(ns, ns.map((n) => 3 * n ** 0.75))!;
    close(f.k, 0.75, 1e-12);
    close(Math.exp(f.logC), 3, 1e-9);
    close(f.r2, 1, 1e-12);
    close(f.ci![1] - f.ci![0], 0, 1e-9);
  });

  it('gives a 95% interval that covers the true exponent under noise', () => {
    const rand = mulberry32(3);
    const ns = logSpace(100, 1e6, 30);
    const f = fitPowerLaw(ns, ns.map((n) => 2e-4 * n ** 0.8 * Math.exp(0.1 * (rand() - 0.5))))!;
    assert.ok(f.ci![0] < 0.8 && 0.8 < f.ci![1], `${f.ci}`);
    assert.equal(f.n, 30);
  });

  it('skips non-positive and non-finite points; too few points give no fit or no interval', () => {
    assert.equal(fitPowerLaw([1, 2], [1, NaN]), undefined);
    assert.equal(fitPowerLaw([5, 5, 5], [1, 2, 3]), undefined);
    const two = fitPowerLaw([1, 10, 100], [1, 10, -1])!;
    assert.equal(two.n, 2);
    assert.equal(two.ci, undefined);
  });
});

describe('fitSaturating (L = E + A·N^−α, Huber on log L)', () => {
  const cases = [
    { E: 0.25, A: 40, alpha: 0.45 },
    { E: 1.7, A: 400, alpha: 0.7 },
    { E: 0.05, A: 3, alpha: 0.3 },
    { E: 0.01, A: 10, alpha: 0.25 },
  ];
  for (const law of cases) {
    it(`recovers α within 5% for E=${law.E}, A=${law.A}, α=${law.alpha} with 2% noise`, () => {
      const rand = mulberry32(11);
      const ns = logSpace(1e2, 1e7, 24);
      const ls = ns.map((n) => (law.E + law.A * n ** -law.alpha) * Math.exp(0.04 * (rand() - 0.5)));
      const f = fitSaturating(ns, ls)!;
      assert.ok(Math.abs(f.alpha / law.alpha - 1) < 0.05, `α = ${f.alpha}`);
      assert.ok(f.ci!.alpha[0] <= f.alpha && f.alpha <= f.ci!.alpha[1], `${f.ci!.alpha}`);
      assert.equal(f.resamples, 200);
    });
  }

  it('is exact on noise-free data', () => {
    const ns = logSpace(1e3, 1e6, 12);
    const f = fitSaturating(ns, ns.map((n) => 0.3 + 20 * n ** -0.5), { bootstrap: 0 })!;
    close(f.alpha, 0.5, 1e-4, 'α');
    close(f.E, 0.3, 1e-4, 'E');
    close(f.A / 20, 1, 1e-3, 'A');
    assert.equal(f.ci, undefined);
  });

  it('is deterministic: the same points and seed give the same intervals', () => {
    const rand = mulberry32(5);
    const ns = logSpace(1e2, 1e5, 15);
    const ls = ns.map((n) => (0.2 + 9 * n ** -0.4) * Math.exp(0.1 * (rand() - 0.5)));
    assert.deepEqual(fitSaturating(ns, ls, { seed: 9 }), fitSaturating(ns, ls, { seed: 9 }));
    assert.notDeepEqual(fitSaturating(ns, ls, { seed: 9 })!.ci, fitSaturating(ns, ls, { seed: 10 })!.ci);
  });

  it('needs three distinct N', () => {
    assert.equal(fitSaturating([10, 10, 100, 100], [2, 2.1, 1, 1.1]), undefined);
  });
});
