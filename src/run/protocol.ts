/** Messages between the sweep (parent) and a trial's worker process. */
import type { BackendChoice, LatencySpec, Trial } from '../experiment/types.ts';
import type { TrialOutcome } from './types.ts';

export interface WorkerOptions {
  backend: BackendChoice;
  /** Kernel tuning on (default) or off for stock comparisons. */
  tune: boolean;
  latency: LatencySpec;
  repeats: number;
  /** Folder a csv dataset's relative path is resolved against: the experiment file's. */
  baseDir: string;
}

export type ToWorker = { kind: 'probe'; options: WorkerOptions } | { kind: 'trial'; trial: Trial; options: WorkerOptions };

export interface BackendInfo {
  name: string;
  version: string;
  tuned: boolean;
}

export type FromWorker =
  | { kind: 'backend'; backend: BackendInfo }
  | { kind: 'backend-error'; message: string }
  | { kind: 'started'; backend: BackendInfo; features: number; classes: number }
  | { kind: 'epoch'; epoch: number; trainLoss: number }
  | { kind: 'done'; outcome: TrialOutcome };
