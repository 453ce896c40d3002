/**
 * Direct access to a float32 tensor's storage on the in-process backends, for kernels written in
 * JavaScript that update a buffer in place (the fused optimizers in src/run/fused-optimizers.ts).
 * wasm: a view on the module's heap (valid only until the next allocation, which may grow and
 * detach the heap); cpu: the backend's own Float32Array. Any other backend: undefined.
 */
import * as tf from '@tensorflow/tfjs';
import { isCpuTuned } from './tune-cpu.ts';
import { isWasmTuned } from './tune-wasm.ts';

interface Storage {
  /** Live view of the tensor's values. */
  view(t: tf.Tensor): Float32Array;
  /** How many tensors share the buffer (in-place writes are safe only when it is 1). */
  refCount(t: tf.Tensor): number;
  /**
   * Whether a tensor's buffer may be rewritten in place and still be read right. Not on wasm:
   * XNNPACK keeps its own packed copy of a matrix product's weights, keyed by the tensor's data,
   * so rewritten weights must go to a new buffer (`allocate`) that the variable is assigned.
   */
  inPlace: boolean;
  /** An uninitialised float32 tensor of `shape` (no kernel dispatch). */
  allocate(shape: number[]): tf.Tensor;
}

interface WasmLike {
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  refCount(dataId: tf.DataId): number;
}
interface CpuLike {
  data: { get(dataId: tf.DataId): { values?: unknown; refCount: number } };
}

/**
 * The storage of the active backend when it is wasm or cpu with tuning on (setWasmTuning /
 * setCpuTuning), so that --no-tune keeps training fully stock; undefined otherwise.
 */
export function tunedStorage(): Storage | undefined {
  const name = tf.getBackend();
  if (name === 'wasm' && isWasmTuned()) {
    const b = tf.backend() as unknown as WasmLike;
    return {
      view: (t) => b.typedArrayFromHeap(t),
      refCount: (t) => b.refCount(t.dataId),
      inPlace: false,
      allocate: (shape) => tf.engine().makeTensorFromTensorInfo(b.makeOutput(shape, 'float32')),
    };
  }
  if (name === 'cpu' && isCpuTuned()) {
    const b = tf.backend() as unknown as CpuLike;
    return {
      view: (t) => {
        const values = b.data.get(t.dataId).values;
        if (!(values instanceof Float32Array)) throw new Error(`cpu tensor ${t.id} holds no Float32Array`);
        return values;
      },
      refCount: (t) => b.data.get(t.dataId).refCount,
      inPlace: true,
      allocate: (shape) => tf.zeros(shape),
    };
  }
  return undefined;
}
