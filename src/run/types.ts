/** What one trial produces. A failure is data, not a crash (tinybench's tagged-union style). */

export interface LatencyStats {
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  /** tinybench samples taken. */
  samples: number;
  /** Relative margin of error, percent. */
  rme: number;
}

export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  trainLoss: number;
  testLoss: number;
  timeS: number;
}

export interface TrialMetrics {
  /** Training wall time, warm-up excluded (median over repeats when repeats > 1). */
  trainTimeS: number;
  /** Each timed repeat's training wall time. */
  repeatTimesS: number[];
  epochTimesS: number[];
  samplesPerS: number;
  flopsPerS: number;
  trainLoss: number;
  trainAccuracy: number;
  testLoss: number;
  testAccuracy: number;
  evalTimeS: number;
  latency: LatencyStats;
  /** Peak bytes held in tensors during one training step. */
  peakTensorBytes: number;
  /** Peak resident set size of the trial's process. */
  peakRssBytes: number;
  /** Tensors still alive after the trial minus those before it; 0 means no leak. */
  leakedTensors: number;
  epochs: EpochRecord[];
}

export type TrialOutcome =
  | { status: 'ok'; metrics: TrialMetrics }
  | { status: 'diverged'; error: string; metrics: Partial<TrialMetrics> }
  | { status: 'failed'; error: string; metrics?: Partial<TrialMetrics> };
