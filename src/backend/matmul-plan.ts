/**
 * How to run a matrix product C = op(A) · op(B) on a backend whose only fast kernel takes
 * neither operand transposed and one matrix per call (tfjs-backend-wasm: XNNPACK).
 *
 * Pure: shapes in, a plan out. The copies a plan asks for cost O(n²) against the product's
 * O(n³), and the cost model picks the plan that copies the fewest elements.
 */

/**
 * Products smaller than this many multiply-adds per matrix stay on the stock kernel: there the
 * fixed cost of packing an XNNPACK operator and of the copies outweighs the slow loop.
 * Measured on the 2-core planning machine: stock wins at 12³ = 1728, tuned at 16³ = 4096.
 */
export const MIN_TUNED_MACS = 4096;

export interface MatMulPlan {
  /**
   * - 'stock': the stock kernel as it is (already fast, or too small to pay).
   * - 'direct': bring each operand to untransposed row-major layout, then the fast kernel.
   * - 'swap': compute Cᵀ = op(B)ᵀ · op(A)ᵀ, then transpose Cᵀ; cheaper when it avoids
   *   copying a large operand (e.g. the input gradient dY · Wᵀ of a Dense layer).
   */
  kind: 'stock' | 'direct' | 'swap';
  /** Output rows, shared dimension, output columns of each matrix product. */
  m: number;
  k: number;
  n: number;
  /** Matrices in each operand (1 broadcasts) and in the output. */
  batchA: number;
  batchB: number;
  batch: number;
  /** The output's full shape (broadcast batch dimensions, then m, n). */
  outShape: number[];
}

/** Elements a plan copies, counting the pack of the right-hand (weights) operand XNNPACK makes. */
export function planCost(kind: 'direct' | 'swap', m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): number {
  if (kind === 'direct') return (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + k * n;
  return (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + m * n + k * m;
}

export interface PlanOptions {
  /** False when something is applied along the output's columns (a bias), since 'swap' computes the output transposed. */
  canSwap: boolean;
  /** Products below this many multiply-adds per matrix stay 'stock' (default MIN_TUNED_MACS). */
  minMacs?: number;
}

/** Choose a plan for `matMul(a, b, transposeA, transposeB)` with inputs of any rank ≥ 2. */
export function planMatMul(
  aShape: readonly number[],
  bShape: readonly number[],
  transposeA: boolean,
  transposeB: boolean,
  { canSwap, minMacs = MIN_TUNED_MACS }: PlanOptions,
): MatMulPlan {
  const ra = aShape.length;
  const rb = bShape.length;
  const m = transposeA ? aShape[ra - 1] : aShape[ra - 2];
  const k = transposeA ? aShape[ra - 2] : aShape[ra - 1];
  const kB = transposeB ? bShape[rb - 1] : bShape[rb - 2];
  const n = transposeB ? bShape[rb - 2] : bShape[rb - 1];
  if (k !== kB) throw new Error(`matMul: inner dimensions ${k} and ${kB} of shapes [${aShape}] and [${bShape}] differ`);
  const batchDims = broadcastShape(aShape.slice(0, -2), bShape.slice(0, -2));
  const batchA = product(aShape.slice(0, -2));
  const batchB = product(bShape.slice(0, -2));
  const batch = product(batchDims);
  const base = { m, k, n, batchA, batchB, batch, outShape: [...batchDims, m, n] };
  const alreadyFast = !transposeA && !transposeB && batchA === 1 && batchB === 1;
  // Mixed broadcasts (e.g. [2,1,…] against [1,3,…]) are left to the stock kernel.
  const simpleBatch = batchA === batchB || batchA === 1 || batchB === 1;
  if (alreadyFast || !simpleBatch || m * k * n * batch === 0 || m * k * n < minMacs) return { kind: 'stock', ...base };
  const swap = canSwap && batch === 1 && planCost('swap', m, k, n, transposeA, transposeB) < planCost('direct', m, k, n, transposeA, transposeB);
  return { kind: swap ? 'swap' : 'direct', ...base };
}

function product(dims: readonly number[]): number {
  return dims.reduce((p, d) => p * d, 1);
}

/** numpy-style broadcast of two batch shapes (the checks tfjs-core's matMul op already made). */
function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`matMul: batch shapes [${a}] and [${b}] do not broadcast`);
    out.push(da === 1 ? db : da);
  }
  return out;
}
