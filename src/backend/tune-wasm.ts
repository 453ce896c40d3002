/**
 * Matrix-product kernels for the wasm backend that keep every product on its fast path.
 *
 * tfjs-backend-wasm 4.22 runs BatchMatMul and _FusedMatMul through XNNPACK (16–28 GFLOP/s on
 * one core) only when neither operand is transposed and each holds one matrix; otherwise it
 * falls to a naive loop (0.4–2 GFLOP/s). Every backward pass multiplies by a transposed matrix,
 * so stock training spends most of its time there. The overrides below copy the operands into
 * the layout the fast path takes (O(n²), in JavaScript straight on the wasm heap), run the
 * stock kernel on them, and free the copies. `planMatMul` picks the layout that copies least.
 *
 * The stock kernel configs are kept, so `setWasmTuning(false)` restores them exactly.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { planMatMul, type MatMulPlan } from './matmul-plan.ts';
import { transposeInto } from './transpose.ts';

type TensorInfo = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];
type Multiply = (a: TensorInfo, b: TensorInfo) => TensorInfo;
interface MatMulInputs {
  a: TensorInfo;
  b: TensorInfo;
  bias?: TensorInfo;
  preluActivationWeights?: TensorInfo;
}

const TUNED_KERNELS = ['BatchMatMul', '_FusedMatMul'] as const;
let stock: Record<(typeof TUNED_KERNELS)[number], tf.KernelConfig> | undefined;
let tuned = false;

/** Register the tuned kernels (on) or the stock ones (off). Idempotent; needs the wasm backend registered. */
export function setWasmTuning(on: boolean): void {
  stock ??= stockKernels();
  if (on === tuned) return;
  const configs = on ? tunedKernels(stock) : Object.values(stock);
  for (const config of configs) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
  }
  tuned = on;
}

export function isWasmTuned(): boolean {
  return tuned;
}

function stockKernels(): NonNullable<typeof stock> {
  const get = (name: string) => {
    const config = tf.getKernel(name, 'wasm');
    if (config == null) throw new Error(`wasm kernel ${name} is not registered: import @tensorflow/tfjs-backend-wasm first`);
    return config;
  };
  return { BatchMatMul: get('BatchMatMul'), _FusedMatMul: get('_FusedMatMul') };
}

function tunedKernels(s: NonNullable<typeof stock>): tf.KernelConfig[] {
  const batchMatMul = (args: KernelArgs) => {
    const { a, b } = args.inputs as unknown as MatMulInputs;
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const plan = a.dtype === 'float32' && b.dtype === 'float32' ? planMatMul(a.shape, b.shape, transposeA, transposeB, { canSwap: true }) : undefined;
    if (plan === undefined || plan.kind === 'stock') return s.BatchMatMul.kernelFunc(args);
    const multiply: Multiply = (a2, b2) =>
      s.BatchMatMul.kernelFunc({ ...args, inputs: { a: a2, b: b2 }, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    return run(plan, args.backend as BackendWasm, a, b, transposeA, transposeB, multiply);
  };
  const fusedMatMul = (args: KernelArgs) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as unknown as MatMulInputs;
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    // PReLU weights may span the whole output, so a per-matrix split could misapply them.
    const eligible = a.dtype === 'float32' && b.dtype === 'float32' && preluActivationWeights == null;
    // The stock slow loop adds bias[min(i·n + j, n − 1)], wrong from the second row on, so with a
    // bias every product that would reach it is taken over, however small.
    const options = { canSwap: bias == null, minMacs: bias == null ? undefined : 0 };
    const plan = eligible ? planMatMul(a.shape, b.shape, transposeA, transposeB, options) : undefined;
    if (plan === undefined || plan.kind === 'stock') return s._FusedMatMul.kernelFunc(args);
    const multiply: Multiply = (a2, b2) =>
      s._FusedMatMul.kernelFunc({
        ...args,
        inputs: bias == null ? { a: a2, b: b2 } : { a: a2, b: b2, bias },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      }) as TensorInfo;
    return run(plan, args.backend as BackendWasm, a, b, transposeA, transposeB, multiply);
  };
  return [
    { ...s.BatchMatMul, kernelFunc: batchMatMul },
    { ...s._FusedMatMul, kernelFunc: fusedMatMul },
  ];
}

/** Carry out a 'direct' or 'swap' plan; `multiply` is the stock kernel on untransposed [1, r, c] operands. */
function run(plan: MatMulPlan, backend: BackendWasm, a: TensorInfo, b: TensorInfo, tA: boolean, tB: boolean, multiply: Multiply): TensorInfo {
  const { m, k, n } = plan;
  const temps: TensorInfo[] = [];
  const keep = (info: TensorInfo, owned: boolean) => (owned && temps.push(info), info);
  const free = () => temps.splice(0).forEach((t) => backend.disposeData(t.dataId));
  try {
    if (plan.kind === 'swap') {
      // Cᵀ[n,m] = op(B)ᵀ[n,k] · op(A)ᵀ[k,m]: B as stored when transposeB, A as stored when transposeA.
      const left = operand(backend, b, 0, !tB, n, k, true, keep);
      const right = operand(backend, a, 0, !tA, k, m, true, keep);
      const ct = keep(multiply(left, right), true);
      const out = backend.makeOutput(plan.outShape, 'float32');
      transposeInto(heap(backend, ct), 0, n, m, heap(backend, out), 0);
      return out;
    }
    if (plan.batch === 1) {
      const c = multiply(operand(backend, a, 0, tA, m, k, true, keep), operand(backend, b, 0, tB, k, n, true, keep));
      return { ...c, shape: plan.outShape };
    }
    // One fast product per matrix; a broadcast operand is copied (and packed by XNNPACK) once.
    const sharedA = plan.batchA === 1 ? operand(backend, a, 0, tA, m, k, true, keep) : undefined;
    const sharedB = plan.batchB === 1 ? operand(backend, b, 0, tB, k, n, true, keep) : undefined;
    const out = backend.makeOutput(plan.outShape, 'float32');
    try {
      for (let i = 0; i < plan.batch; i++) {
        const item: TensorInfo[] = [];
        const own = (info: TensorInfo, owned: boolean) => (owned && item.push(info), info);
        try {
          const ai = sharedA ?? operand(backend, a, i, tA, m, k, false, own);
          const bi = sharedB ?? operand(backend, b, i, tB, k, n, false, own);
          const ci = own(multiply(ai, bi), true);
          heap(backend, out).set(heap(backend, ci), i * m * n);
        } finally {
          item.forEach((t) => backend.disposeData(t.dataId));
        }
      }
    } catch (err) {
      backend.disposeData(out.dataId);
      throw err;
    }
    return out;
  } finally {
    free();
  }
}

/**
 * Matrix `item` of `x` as an untransposed row-major [1, rows, cols] operand. `transposed` says
 * x stores it as [cols, rows]. When x holds just that matrix untransposed (`whole`), x itself is
 * used; otherwise a copy is made and handed to `keep` to be freed.
 */
function operand(
  backend: BackendWasm,
  x: TensorInfo,
  item: number,
  transposed: boolean,
  rows: number,
  cols: number,
  whole: boolean,
  keep: (info: TensorInfo, owned: boolean) => TensorInfo,
): TensorInfo {
  if (!transposed && whole) return keep({ dataId: x.dataId, shape: [1, rows, cols], dtype: x.dtype }, false);
  const copy = keep(backend.makeOutput([1, rows, cols], 'float32'), true);
  const src = heap(backend, x); // views taken after the allocation: growing the heap detaches old ones
  const dst = heap(backend, copy);
  const offset = item * rows * cols;
  if (transposed) transposeInto(src, offset, cols, rows, dst, 0);
  else dst.set(src.subarray(offset, offset + rows * cols));
  return copy;
}

function heap(backend: BackendWasm, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}
