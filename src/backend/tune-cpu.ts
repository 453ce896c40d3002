/**
 * Matrix-product kernels for the plain-JavaScript cpu backend.
 *
 * The stock kernel forms each output element as a dot product, walking one operand with a
 * stride, at ≈0.9 GFLOP/s whatever the transposes (so the wasm transpose trick gains nothing
 * here). This one packs both operands into panels of four lines (which also absorbs any
 * transpose) and computes C in 4×4 register blocks: 2.7–5× the stock kernel on a Dense
 * layer's training step (bench/matmul.ts --backend cpu). _FusedMatMul, which the stock
 * backend builds on its own matMul, is rebuilt on this one with the stock bias and activation
 * kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { planMatMul } from './matmul-plan.ts';

type KernelArgs = Parameters<tf.KernelFunc>[0];
interface CpuBackend {
  data: { get(dataId: tf.DataId): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

let stock: { BatchMatMul: tf.KernelConfig; _FusedMatMul: tf.KernelConfig } | undefined;
let tuned = false;

/** Register the tuned kernels for cpu (on) or the stock ones (off). Idempotent. */
export function setCpuTuning(on: boolean): void {
  stock ??= { BatchMatMul: tf.getKernel('BatchMatMul', 'cpu'), _FusedMatMul: tf.getKernel('_FusedMatMul', 'cpu') };
  if (on === tuned) return;
  const matMul = batchMatMul(stock.BatchMatMul);
  const configs = on
    ? [{ ...stock.BatchMatMul, kernelFunc: matMul }, { ...stock._FusedMatMul, kernelFunc: fusedMatMul(matMul) }]
    : [stock.BatchMatMul, stock._FusedMatMul];
  for (const config of configs) {
    tf.unregisterKernel(config.kernelName, 'cpu');
    tf.registerKernel(config);
  }
  tuned = on;
}

/** Kernel and extra inputs/attributes for each fused activation, as the stock cpu backend applies them. */
function activate(args: KernelArgs, x: tf.TensorInfo): tf.TensorInfo {
  const { activation, leakyreluAlpha } = args.attrs as { activation?: string; leakyreluAlpha?: number };
  const kernel: Record<string, [string, KernelArgs['inputs'], KernelArgs['attrs']]> = {
    linear: ['Identity', { x }, {}],
    relu: ['Relu', { x }, {}],
    elu: ['Elu', { x }, {}],
    relu6: ['Relu6', { x }, {}],
    prelu: ['Prelu', { x, alpha: args.inputs.preluActivationWeights }, {}],
    leakyrelu: ['LeakyRelu', { x }, { alpha: leakyreluAlpha as number }],
    sigmoid: ['Sigmoid', { x }, {}],
  };
  const chosen = kernel[activation ?? 'linear'];
  if (chosen === undefined) throw new Error(`Activation ${activation} has not been implemented for the CPU backend.`);
  const [name, inputs, attrs] = chosen;
  return tf.getKernel(name, 'cpu').kernelFunc({ inputs, attrs, backend: args.backend }) as tf.TensorInfo;
}

function fusedMatMul(matMul: (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]) {
  return (args: KernelArgs) => {
    const { a, b, bias } = args.inputs;
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const backend = args.backend as CpuBackend & { disposeIntermediateTensorInfo(info: tf.TensorInfo): void };
    let current = matMul({ inputs: { a, b }, attrs: { transposeA, transposeB }, backend }) as tf.TensorInfo;
    if (bias != null) {
      const sum = tf.getKernel('Add', 'cpu').kernelFunc({ inputs: { a: current, b: bias }, backend }) as tf.TensorInfo;
      backend.disposeIntermediateTensorInfo(current);
      current = sum;
    }
    const activated = activate(args, current);
    backend.disposeIntermediateTensorInfo(current);
    return activated;
  };
}

function batchMatMul(s: tf.KernelConfig) {
  return (args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA: tA, transposeB: tB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const plan = a.dtype === 'float32' && b.dtype === 'float32' ? planMatMul(a.shape, b.shape, tA, tB, { canSwap: false, minMacs: 0 }) : undefined;
    if (plan === undefined || (plan.batchA !== plan.batchB && plan.batchA !== 1 && plan.batchB !== 1)) return s.kernelFunc(args);
    const backend = args.backend as CpuBackend;
    const av = backend.data.get(a.dataId).values as Float32Array;
    const bv = backend.data.get(b.dataId).values as Float32Array;
    const { m, k, n, batch, batchA, batchB } = plan;
    const out = new Float32Array(batch * m * n);
    const ap = new Float32Array(panels(m) * k);
    const bp = new Float32Array(panels(n) * k);
    for (let i = 0; i < batch; i++) {
      // op(A) row r, depth p: A[r·k + p], or A[p·m + r] when stored transposed; op(B) column c likewise.
      if (i === 0 || batchA > 1) pack(av, (batchA === 1 ? 0 : i) * m * k, m, k, tA ? 1 : k, tA ? m : 1, ap);
      if (i === 0 || batchB > 1) pack(bv, (batchB === 1 ? 0 : i) * k * n, n, k, tB ? k : 1, tB ? 1 : n, bp);
      multiplyPanels(ap, bp, out, i * m * n, m, k, n);
    }
    return backend.makeTensorInfo(plan.outShape, 'float32', out);
  };
}

const panels = (size: number) => Math.ceil(size / 4) * 4;

/**
 * Pack `lines` lines of a matrix (element (l, p) at src[offset + l·lineStride + p·depthStride])
 * into panels of four lines, interleaved along the depth: out[(l0·depth + 4p) + s] = line l0+s at p.
 * Lines past the end are zero. Either operand, transposed or not, packs this way.
 */
export function pack(src: Float32Array, offset: number, lines: number, depth: number, lineStride: number, depthStride: number, out: Float32Array): void {
  for (let l0 = 0; l0 < lines; l0 += 4) {
    const base = l0 * depth;
    for (let s = 0; s < 4; s++) {
      const l = l0 + s;
      if (l >= lines) {
        for (let p = 0; p < depth; p++) out[base + 4 * p + s] = 0;
        continue;
      }
      const row = offset + l * lineStride;
      for (let p = 0; p < depth; p++) out[base + 4 * p + s] = src[row + p * depthStride];
    }
  }
}

/**
 * C[co + (i, j)] = Σp A(i, p)·B(p, j) from packed panels of A's rows and B's columns: each 4×4
 * block of C is sixteen accumulators (doubles) over the shared dimension, 16 multiply-adds per
 * 8 loads, where the stock kernel does one per two.
 */
export function multiplyPanels(ap: Float32Array, bp: Float32Array, C: Float32Array, co: number, m: number, k: number, n: number): void {
  for (let i0 = 0; i0 < m; i0 += 4) {
    const ao = i0 * k;
    for (let j0 = 0; j0 < n; j0 += 4) {
      const bo = j0 * k;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let p = 0; p < 4 * k; p += 4) {
        const a0 = ap[ao + p], a1 = ap[ao + p + 1], a2 = ap[ao + p + 2], a3 = ap[ao + p + 3];
        const b0 = bp[bo + p], b1 = bp[bo + p + 1], b2 = bp[bo + p + 2], b3 = bp[bo + p + 3];
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
      }
      const o = co + i0 * n + j0;
      if (i0 + 4 <= m && j0 + 4 <= n) {
        C[o] = c00; C[o + 1] = c01; C[o + 2] = c02; C[o + 3] = c03;
        C[o + n] = c10; C[o + n + 1] = c11; C[o + n + 2] = c12; C[o + n + 3] = c13;
        C[o + 2 * n] = c20; C[o + 2 * n + 1] = c21; C[o + 2 * n + 2] = c22; C[o + 2 * n + 3] = c23;
        C[o + 3 * n] = c30; C[o + 3 * n + 1] = c31; C[o + 3 * n + 2] = c32; C[o + 3 * n + 3] = c33;
      } else {
        const block = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
        for (let r = 0; r < Math.min(4, m - i0); r++) for (let c = 0; c < Math.min(4, n - j0); c++) C[o + r * n + c] = block[4 * r + c];
      }
    }
  }
}

export function isCpuTuned(): boolean {
  return tuned;
}
