/** Analytic parameter and FLOP counts for the MLPs scalebench builds. Pure; tested against hand-computed values. */

/** Output units: one sigmoid unit for two classes, else one softmax unit per class. */
export function outputUnits(classes: number): number {
  return classes === 2 ? 1 : classes;
}

/** Layer widths from input to output: [features, width × depth, outputs]. */
export function layerSizes(features: number, width: number, depth: number, classes: number): number[] {
  return [features, ...Array.from({ length: depth }, () => width), outputUnits(classes)];
}

/** Weights plus biases of every Dense layer: Σ (in·out + out). */
export function countParams(sizes: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < sizes.length; i++) total += sizes[i - 1] * sizes[i] + sizes[i];
  return total;
}

/** Forward FLOPs per example: 2·in·out per Dense layer (a multiply and an add per weight; bias and activation ignored). */
export function forwardFlops(sizes: readonly number[]): number {
  let total = 0;
  for (let i = 1; i < sizes.length; i++) total += 2 * sizes[i - 1] * sizes[i];
  return total;
}

/** Training FLOPs: a step costs about 3× the forward pass (forward + two backward matmuls), for every example of every epoch. */
export function trainFlops(sizes: readonly number[], examples: number, epochs: number): number {
  return 3 * forwardFlops(sizes) * examples * epochs;
}
