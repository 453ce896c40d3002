/**
 * Backend selection and kernel tuning. tfjs backends and kernels are global to the process, so
 * every comparison runs the stock kernels and then the tuned ones in turn (setWasmTuning /
 * setCpuTuning swap the registered kernel; the stock config is kept aside and restored as is).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { MIN_TUNED_MACS, planCost, planMatMul } from '../src/backend/matmul-plan.ts';
import { BackendError, selectBackend } from '../src/backend/select.ts';
import { setCpuTuning } from '../src/backend/tune-cpu.ts';
import { isWasmTuned, setWasmTuning } from '../src/backend/tune-wasm.ts';
import { transposeInto } from '../src/backend/transpose.ts';

type Case = { a: number[]; b: number[]; note: string };
/** Shapes of op(A) and op(B); each test stores them transposed as the flags say. */
const CASES: Case[] = [
  { a: [64, 96], b: [96, 80], note: 'rank 2' },
  { a: [32, 96], b: [96, 80], note: "rank 2, where 'swap' is the cheaper plan" },
  { a: [6, 5], b: [5, 7], note: 'rank 2, below MIN_TUNED_MACS (stock path)' },
  { a: [3, 20, 30], b: [3, 30, 25], note: 'batched rank 3' },
  { a: [20, 30], b: [3, 30, 25], note: 'rank 2 broadcast against rank 3 (forward only)' },
];
const FLAGS: [boolean, boolean][] = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
];

/** Store op(X) of shape `shape` as X: swap the last two dims when transposed. */
function stored(shape: number[], transposed: boolean): number[] {
  if (!transposed) return shape;
  const s = [...shape];
  [s[s.length - 2], s[s.length - 1]] = [s[s.length - 1], s[s.length - 2]];
  return s;
}

/** Values of `f`'s outputs, computed in a tidy scope, with live tensors and backend buffers checked unchanged. */
function run(f: () => tf.Tensor[]): Float32Array[] {
  const tensors = tf.memory().numTensors;
  const buffers = tf.engine().backend.numDataIds();
  const values = tf.tidy(() => f().map((t) => t.dataSync() as Float32Array));
  assert.equal(tf.memory().numTensors, tensors, 'tensors leaked');
  assert.equal(tf.engine().backend.numDataIds(), buffers, 'backend buffers leaked');
  return values;
}

/** max |got − want| ≤ 1e-4 · max |want| (and the same length). */
function assertClose(got: Float32Array[], want: Float32Array[], what: string): void {
  assert.equal(got.length, want.length);
  want.forEach((w, i) => {
    const g = got[i];
    assert.equal(g.length, w.length, `${what}: output ${i} size`);
    let scale = 1e-6;
    let worst = 0;
    for (let j = 0; j < w.length; j++) {
      scale = Math.max(scale, Math.abs(w[j]));
      worst = Math.max(worst, Math.abs(g[j] - w[j]));
    }
    assert.ok(worst <= 1e-4 * scale, `${what}: output ${i} differs by ${worst} (scale ${scale})`);
  });
}

/**
 * Forward value and gradients with respect to both operands, for an upstream gradient dy.
 * tfjs-core's BatchMatMul gradient does not reduce over broadcast batch dimensions, so for
 * operands of different rank only the forward value is compared.
 */
function matMulWithGrads(c: Case, tA: boolean, tB: boolean): Float32Array[] {
  return run(() => {
    const a = tf.randomNormal(stored(c.a, tA), 0, 1, 'float32', 1);
    const b = tf.randomNormal(stored(c.b, tB), 0, 1, 'float32', 2);
    const f = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, tA, tB);
    const y = f(a, b);
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 3);
    return a.rank === b.rank ? [y, ...tf.grads(f)([a, b], dy)] : [y];
  });
}

/** relu(op(A)·op(B) + bias) through _FusedMatMul, or through separate ops as the reference; value and gradients. */
function fusedWithGrads(tA: boolean, tB: boolean, fused: boolean): Float32Array[] {
  return run(() => {
    const a = tf.randomNormal(stored([40, 30], tA), 0, 1, 'float32', 4);
    const b = tf.randomNormal(stored([30, 50], tB), 0, 1, 'float32', 5);
    const bias = tf.randomNormal([50], 0, 1, 'float32', 6);
    const f = fused
      ? (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.fused.matMul({ a: x, b: y, transposeA: tA, transposeB: tB, bias: z, activation: 'relu' })
      : (x: tf.Tensor, y: tf.Tensor, z: tf.Tensor) => tf.relu(tf.add(tf.matMul(x, y, tA, tB), z));
    const y = f(a, b, bias);
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 7);
    return [y, ...tf.grads(f)([a, b, bias], dy)];
  });
}

test('a forced backend that is not installed rejects with a one-line message saying what to do', async () => {
  await assert.rejects(selectBackend('tensorflow'), (err: Error) => {
    assert.ok(err instanceof BackendError);
    assert.equal(
      err.message,
      "backend 'tensorflow' is not available: @tensorflow/tfjs-node is not installed (it downloads libtensorflow at install time; see README)",
    );
    return true;
  });
});

test("'auto' picks wasm here, tuned by default, and selecting again is idempotent", async () => {
  const first = await selectBackend('auto');
  assert.deepEqual(first, { name: 'wasm', version: tf.version.tfjs, tuned: true });
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(await selectBackend('auto'), first);
  assert.ok(isWasmTuned());
  assert.deepEqual(await selectBackend('wasm', { tune: false }), { name: 'wasm', version: tf.version.tfjs, tuned: false });
  assert.ok(!isWasmTuned());
});

for (const c of CASES) {
  for (const [tA, tB] of FLAGS) {
    test(`wasm: tuned matMul equals stock, value and gradients — ${c.note}, transposeA=${tA} transposeB=${tB}`, async () => {
      await selectBackend('wasm', { tune: false });
      const stock = matMulWithGrads(c, tA, tB);
      await selectBackend('wasm', { tune: true });
      assertClose(matMulWithGrads(c, tA, tB), stock, 'tuned vs stock');
    });
  }
}

for (const [tA, tB] of FLAGS) {
  test(`wasm: tuned _FusedMatMul with bias and relu equals the unfused ops, value and gradients — transposeA=${tA} transposeB=${tB}`, async () => {
    // The reference is the unfused composition: stock wasm _FusedMatMul adds the wrong bias
    // element from the second row on whenever it takes its slow loop (any transposed operand).
    await selectBackend('wasm', { tune: false });
    const reference = fusedWithGrads(tA, tB, false);
    if (!tA && !tB) assertClose(fusedWithGrads(tA, tB, true), reference, 'stock fused vs unfused');
    await selectBackend('wasm', { tune: true });
    assertClose(fusedWithGrads(tA, tB, true), reference, 'tuned fused vs unfused');
  });
}

test('cpu: tuned matMul and _FusedMatMul equal stock, value and gradients, every case and flag', async () => {
  for (const tune of [false, true]) assert.equal((await selectBackend('cpu', { tune })).tuned, tune);
  for (const c of CASES) {
    for (const [tA, tB] of FLAGS) {
      setCpuTuning(false);
      const stock = matMulWithGrads(c, tA, tB);
      const stockFused = fusedWithGrads(tA, tB, true);
      setCpuTuning(true);
      assertClose(matMulWithGrads(c, tA, tB), stock, `${c.note} ${tA} ${tB}`);
      assertClose(fusedWithGrads(tA, tB, true), stockFused, `fused ${tA} ${tB}`);
    }
  }
});

test('planMatMul: shapes, broadcasting and the cheapest plan', () => {
  // A Dense layer, batch 128, 512 → 512: forward is already fast; dX = dY·Wᵀ swaps; dW = Xᵀ·dY goes direct.
  assert.deepEqual(planMatMul([128, 512], [512, 512], false, false, { canSwap: true }), {
    kind: 'stock', m: 128, k: 512, n: 512, batchA: 1, batchB: 1, batch: 1, outShape: [128, 512],
  });
  assert.equal(planMatMul([128, 512], [512, 512], false, true, { canSwap: true }).kind, 'swap');
  assert.equal(planMatMul([128, 512], [512, 512], false, true, { canSwap: false }).kind, 'direct');
  assert.equal(planMatMul([128, 512], [128, 512], true, false, { canSwap: true }).kind, 'direct');
  assert.deepEqual(planMatMul([2, 3, 30, 20], [30, 40], true, false, { canSwap: true }), {
    kind: 'direct', m: 20, k: 30, n: 40, batchA: 6, batchB: 1, batch: 6, outShape: [2, 3, 20, 40],
  });
  // Mixed broadcasts and small products stay stock; a bias forces even small ones off the slow loop.
  assert.equal(planMatMul([2, 1, 30, 20], [1, 3, 20, 40], false, false, { canSwap: true }).kind, 'stock');
  assert.equal(planMatMul([5, 6], [5, 7], true, false, { canSwap: true }).kind, 'stock');
  assert.equal(planMatMul([5, 6], [5, 7], true, false, { canSwap: false, minMacs: 0 }).kind, 'direct');
  assert.ok(6 * 5 * 7 < MIN_TUNED_MACS);
  assert.equal(planMatMul([5, 0], [3, 5], true, true, { canSwap: false, minMacs: 0 }).kind, 'stock');
  assert.throws(() => planMatMul([4, 5], [6, 7], false, false, { canSwap: true }), /inner dimensions 5 and 6/);
  // Costs in copied elements, m=2 k=3 n=5: direct = tA·mk + tB·kn + kn; swap = ¬tB·kn + ¬tA·mk + mn + km.
  assert.equal(planCost('direct', 2, 3, 5, true, true), 6 + 15 + 15);
  assert.equal(planCost('swap', 2, 3, 5, true, true), 10 + 6);
  assert.equal(planCost('swap', 2, 3, 5, false, false), 15 + 6 + 10 + 6);
});

test('transposeInto writes the transpose at the given offsets, for sizes off the tile grid', () => {
  const [rows, cols] = [37, 70];
  const src = Float32Array.from({ length: 3 + rows * cols }, (_, i) => i);
  const dst = new Float32Array(2 + rows * cols);
  transposeInto(src, 3, rows, cols, dst, 2);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) assert.equal(dst[2 + j * rows + i], src[3 + i * cols + j]);
  assert.deepEqual([dst[0], dst[1]], [0, 0]);
});

test('turning tuning off restores the stock kernel configs exactly', async () => {
  await selectBackend('wasm', { tune: false });
  const stock = tf.getKernel('BatchMatMul', 'wasm');
  setWasmTuning(true);
  assert.notEqual(tf.getKernel('BatchMatMul', 'wasm'), stock);
  setWasmTuning(false);
  assert.equal(tf.getKernel('BatchMatMul', 'wasm'), stock);
});
