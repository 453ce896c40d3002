/**
 * Matrix-product kernels for the plain-JavaScript cpu backend.
 *
 * The stock kernel forms each output element as a dot product, walking one operand with a
 * stride, at ≈0.9 GFLOP/s whatever the transposes (so the wasm transpose trick gains nothing
 * here). This one brings both operands to row-major layout and accumulates four output rows at a
 * time along contiguous rows of B (i-k-j order): 2–3× the stock kernel on a Dense layer's
 * training step (bench/matmul.ts --backend cpu). _FusedMatMul, which the stock backend builds
 * on its own matMul, is rebuilt on this one with the stock bias and activation kernels.
 */
import * as tf from '@tensorflow/tfjs';
import { planMatMul } from './matmul-plan.ts';
import { transposeInto } from './transpose.ts';

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
    leakyrelu: ['LeakyRelu', { x }, { alpha: leakyreluAlpha ?? 0.2 }],
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
    const left = tA ? new Float32Array(m * k) : undefined;
    const right = tB ? new Float32Array(k * n) : undefined;
    for (let i = 0; i < batch; i++) {
      const ao = batchA === 1 ? 0 : i * m * k;
      const bo = batchB === 1 ? 0 : i * k * n;
      if (left && (i === 0 || batchA > 1)) transposeInto(av, ao, k, m, left, 0);
      if (right && (i === 0 || batchB > 1)) transposeInto(bv, bo, n, k, right, 0);
      multiplyRows(left ?? av, left ? 0 : ao, right ?? bv, right ? 0 : bo, out, i * m * n, m, k, n);
    }
    return backend.makeTensorInfo(plan.outShape, 'float32', out);
  };
}

/** C[co..] += A[ao..] (m×k) · B[bo..] (k×n), all row-major; C starts at zero. */
export function multiplyRows(A: Float32Array, ao: number, B: Float32Array, bo: number, C: Float32Array, co: number, m: number, k: number, n: number): void {
  let i = 0;
  for (; i + 3 < m; i += 4) {
    const c0 = co + i * n;
    const c1 = c0 + n;
    const c2 = c1 + n;
    const c3 = c2 + n;
    const a0 = ao + i * k;
    for (let p = 0; p < k; p++) {
      const x0 = A[a0 + p];
      const x1 = A[a0 + k + p];
      const x2 = A[a0 + 2 * k + p];
      const x3 = A[a0 + 3 * k + p];
      const r = bo + p * n;
      for (let j = 0; j < n; j++) {
        const y = B[r + j];
        C[c0 + j] += x0 * y;
        C[c1 + j] += x1 * y;
        C[c2 + j] += x2 * y;
        C[c3 + j] += x3 * y;
      }
    }
  }
  for (; i < m; i++) {
    const c = co + i * n;
    for (let p = 0; p < k; p++) {
      const x = A[ao + i * k + p];
      const r = bo + p * n;
      for (let j = 0; j < n; j++) C[c + j] += x * B[r + j];
    }
  }
}
