/**
 * Micro-benchmark: GFLOP/s of a Dense layer's training step — forward x·W, then through tf.grads
 * dX = dY·Wᵀ and dW = xᵀ·dY, then W ← W − η·dW (so, as in training, each step sees new weights) —
 * with the stock and the tuned kernels, in one process, interleaved so both see the same noise.
 *
 *   node --import tsx bench/matmul.ts [--backend wasm|cpu] [--seconds 0.4] [--rounds 5]
 *
 * FLOPs per step = 3 products × 2·m·k·n; the W update (2·k·n) is timed but not counted.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/backend/select.ts';

/** [batch m, inputs k, outputs n]: the layers of the grid (widths 64–1024) plus the 10-class head. */
const SHAPES: [number, number, number][] = [
  [128, 64, 64],
  [128, 64, 256],
  [128, 256, 256],
  [128, 512, 512],
  [128, 512, 10],
  [128, 1024, 1024],
];

const gradients = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.matMul(x, w));

/** GFLOP/s of repeated training steps for `seconds` (after a warm-up step). */
function measure([m, k, n]: [number, number, number], seconds: number): number {
  const x = tf.randomNormal([m, k], 0, 1, 'float32', 1);
  const dy = tf.randomNormal([m, n], 0, 1, 'float32', 2);
  let w = tf.randomNormal([k, n], 0, 0.05, 'float32', 3);
  const step = () => {
    const next = tf.tidy(() => {
      const [dx, dw] = gradients([x, w], dy);
      dx.dataSync(); // finished work even on an asynchronous backend
      return tf.sub(w, tf.mul(dw, 1e-3));
    });
    w.dispose();
    w = next;
  };
  step();
  let steps = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000 || steps < 2) {
    step();
    steps++;
    elapsed = performance.now() - start;
  }
  tf.dispose([x, dy, w]);
  return (steps * 6 * m * k * n) / (elapsed / 1000) / 1e9;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { backend: { type: 'string', default: 'wasm' }, seconds: { type: 'string', default: '0.4' }, rounds: { type: 'string', default: '5' } },
  });
  const backend = values.backend as 'wasm' | 'cpu';
  const seconds = Number(values.seconds);
  const rounds = Number(values.rounds);
  const info = await selectBackend(backend, { tune: false });
  console.log(`backend ${info.name}, tfjs ${info.version}; median of ${rounds} interleaved rounds of ${seconds} s each; GFLOP/s`);
  console.log(['m×k · k×n'.padEnd(22), 'stock'.padStart(7), 'tuned'.padStart(7), 'ratio'.padStart(7)].join(' '));
  for (const shape of SHAPES) {
    const stock: number[] = [];
    const tuned: number[] = [];
    for (let r = 0; r < rounds; r++) {
      await selectBackend(backend, { tune: false });
      stock.push(measure(shape, seconds));
      await selectBackend(backend, { tune: true });
      tuned.push(measure(shape, seconds));
    }
    const [m, k, n] = shape;
    const s = median(stock);
    const t = median(tuned);
    console.log([`${m}×${k} · ${k}×${n}`.padEnd(22), s.toFixed(2).padStart(7), t.toFixed(2).padStart(7), `${(t / s).toFixed(1)}×`.padStart(7)].join(' '));
  }
  const leaked = tf.memory().numTensors;
  if (leaked !== 0) console.log(`warning: ${leaked} tensors left alive`);
}

await main(process.argv.slice(2));
