import seedrandom from 'seedrandom';

/**
 * A named, seeded stream of random numbers (seedrandom's Alea: fast, portable, and
 * the same family tfjs already depends on). Streams are named so that independent
 * uses never share draws: changing the test size never shifts the training data,
 * and a teacher's fixed weights never depend on the trial seed.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** Seed for everything that must be the same in every trial (teacher weights, blob centres, parity bits). */
export const FIXED_SEED = 0x5ca1eb;

export function rng(seed: number, stream: string): Rng {
  const next = seedrandom.alea(`${stream}/${seed}`);
  let spare: number | undefined;
  return {
    uniform: () => next.double(),
    normal() {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return z;
      }
      const u = 1 - next.double(); // (0, 1]: log stays finite
      const v = next.double();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int: (n) => Math.floor(next.double() * n),
  };
}

/** A seeded permutation of 0..n-1 (Fisher–Yates). */
export function permutation(n: number, r: Rng): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}
