/**
 * Sharding: split a sweep's trials into n parts of about equal estimated run time, so an existing
 * engine (a Kubernetes Indexed Job, a Slurm array, a CI matrix) can run one part per machine. Pure.
 *
 * The assignment depends only on each trial's id, seed and estimated cost, and the cost only on the
 * trial's settings and the experiment file — never on the order of the grid in the file, its
 * formatting, the machine, or command-line flags — so every shard process computes the same split.
 */
import type { Experiment, Trial } from '../experiment/types.ts';

/** A time model for one trial: seconds = fixed per-process overhead + training FLOPs / throughput. */
export interface CostModel {
  /** Seconds every trial pays whatever its size: process start, tfjs and backend load, data, evaluation. */
  overheadS: number;
  /** Sustained training throughput, FLOP/s. */
  flopsPerS: number;
}

/**
 * Per backend named in the experiment file. wasm: the committed `npm run bench` run (tuned kernels,
 * one worker) trained its 435 GFLOP in 24.2 s (18 GFLOP/s) and spent 1.39 s a trial outside training,
 * 0.8 s of it in the warm-up, which trialCost counts apart: 0.6 s of overhead. cpu: the single-worker
 * figure measured while planning (DESIGN.md: 0.46–0.63 GFLOP/s) and ~3 s a trial process, measured on
 * the tiny grid. tensorflow (native) could not be measured here: its figure is an assumption, in line
 * with PyTorch/OpenBLAS on the same machine. `auto` resolves to
 * tensorflow where tfjs-node is installed (the deploy/ image), so it uses the tensorflow model.
 * A wrong throughput only shifts the balance between "many small trials" and "a few big ones";
 * the split stays deterministic and complete either way.
 */
export const COST_MODELS: Record<Experiment['backend'], CostModel> = {
  cpu: { overheadS: 3, flopsPerS: 0.5e9 },
  wasm: { overheadS: 0.6, flopsPerS: 18e9 },
  tensorflow: { overheadS: 3, flopsPerS: 15e9 },
  auto: { overheadS: 3, flopsPerS: 15e9 },
};

/** Warm-up per trial: src/run/steps.ts WARMUP runs at least an epoch, capped at 1 s. */
const WARMUP_S = 1;

/**
 * Estimated seconds to run one trial: overhead, the latency benchmark's time budget, a warm-up, and
 * `repeats` timed trainings.
 */
export function trialCost(trial: Pick<Trial, 'trainFlops' | 'settings'>, exp: Pick<Experiment, 'repeats' | 'latency'>, model: CostModel): number {
  const trainS = trial.trainFlops / model.flopsPerS;
  const warmS = Math.min(WARMUP_S, trainS / trial.settings.train.epochs);
  return model.overheadS + exp.latency.time / 1000 + warmS + exp.repeats * trainS;
}

/** The cost function for an experiment's trials, from the backend its file names. */
export function costOf(exp: Pick<Experiment, 'repeats' | 'latency' | 'backend'>): (t: Pick<Trial, 'trainFlops' | 'settings'>) => number {
  const model = COST_MODELS[exp.backend];
  return (t) => trialCost(t, exp, model);
}

/** Which shard of how many: index counts from 0 to count − 1. */
export interface ShardSpec {
  index: number;
  count: number;
}

const keyOf = (t: Pick<Trial, 'id' | 'seed'>) => `${t.id}#${t.seed}`;
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Assign every trial to one of `count` shards: longest processing time first (sort by cost,
 * largest first, ties by trial id then seed), each to the least-loaded shard so far (ties to the
 * lowest index). Returns trial key (`<id>#<seed>`) → shard index. Greedy LPT is within 4/3 of the
 * best possible longest shard.
 */
export function assignShards<T extends Pick<Trial, 'id' | 'seed'>>(trials: readonly T[], count: number, cost: (t: T) => number): Map<string, number> {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`shard count must be a positive integer, got ${count}`);
  const items = trials.map((t) => ({ key: keyOf(t), seed: t.seed, id: t.id, cost: cost(t) }));
  items.sort((a, b) => b.cost - a.cost || byKey(a.id, b.id) || a.seed - b.seed);
  const load = new Array<number>(count).fill(0);
  const out = new Map<string, number>();
  for (const it of items) {
    if (out.has(it.key)) continue;
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s] < load[best]) best = s;
    load[best] += it.cost;
    out.set(it.key, best);
  }
  return out;
}

/**
 * The trials in the order N parallel workers should take them: longest estimated first (ties keep
 * their order), so the biggest trials don't start last and leave the other workers idle at the end.
 * Only the order changes; what each trial computes does not.
 */
export function longestFirst<T>(trials: readonly T[], cost: (t: T) => number): T[] {
  return trials.map((t, i) => ({ t, i, c: cost(t) })).sort((a, b) => b.c - a.c || a.i - b.i).map((x) => x.t);
}

/** The trials of one shard, in their original (pinned grid) order. */
export function shardTrials<T extends Pick<Trial, 'id' | 'seed'>>(trials: readonly T[], shard: ShardSpec, cost: (t: T) => number): T[] {
  const assigned = assignShards(trials, shard.count, cost);
  return trials.filter((t) => assigned.get(keyOf(t)) === shard.index);
}

export interface ShardLoad {
  index: number;
  trials: number;
  trainFlops: number;
  /** Estimated seconds. */
  cost: number;
}

/** Each shard's trial count, FLOPs and estimated cost, in shard order. */
export function shardLoads<T extends Pick<Trial, 'id' | 'seed' | 'trainFlops'>>(trials: readonly T[], count: number, cost: (t: T) => number): ShardLoad[] {
  const assigned = assignShards(trials, count, cost);
  const loads: ShardLoad[] = Array.from({ length: count }, (_, index) => ({ index, trials: 0, trainFlops: 0, cost: 0 }));
  for (const t of trials) {
    const l = loads[assigned.get(keyOf(t))!];
    l.trials++;
    l.trainFlops += t.trainFlops;
    l.cost += cost(t);
  }
  return loads;
}

/** Where a shard writes, relative to the results directory, without `.csv`: `<name>/shards/<i>-of-<n>`. */
export function shardStem(name: string, shard: ShardSpec): string {
  return `${name}/shards/${shard.index}-of-${shard.count}`;
}
