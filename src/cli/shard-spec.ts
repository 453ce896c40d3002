/**
 * Which shard this process runs: from `--shard i/n`, else from the environment a cluster engine sets.
 * Pure over (flags, env) so each source is testable; every bad value is a one-line UsageError.
 *
 * Precedence: --shard, then JOB_COMPLETION_INDEX (Kubernetes Indexed Job), then SLURM_ARRAY_TASK_ID.
 * The count: --shard-count, else SCALEBENCH_SHARDS, else (Slurm only) SLURM_ARRAY_TASK_COUNT.
 */
import type { ShardSpec } from '../run/shard.ts';
import { UsageError } from './context.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** The shard and where it came from, for the progress line. */
export interface ResolvedShard extends ShardSpec {
  source: string;
}

function int(value: string, what: string, min: number): number {
  if (!/^\s*\d+\s*$/.test(value)) throw new UsageError(`${what}: expected a whole number, got ${JSON.stringify(value)}`);
  const n = Number(value.trim());
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${what}: expected a whole number of at least ${min}, got ${value.trim()}`);
  return n;
}

function checked(index: number, count: number, source: string): ResolvedShard {
  if (index >= count) throw new UsageError(`${source}: shard ${index} is out of range for ${count} shards (indices count from 0 to ${count - 1})`);
  return { index, count, source };
}

/** The shard count given by --shard-count or SCALEBENCH_SHARDS, if any. */
function countFrom(shardCount: string | undefined, env: Env): { count: number; from: string } | undefined {
  if (shardCount !== undefined) return { count: int(shardCount, '--shard-count', 1), from: '--shard-count' };
  const s = env.SCALEBENCH_SHARDS;
  if (s !== undefined && s !== '') return { count: int(s, 'SCALEBENCH_SHARDS', 1), from: 'SCALEBENCH_SHARDS' };
  return undefined;
}

/** Resolve the shard for this process, or undefined to run every trial. */
export function resolveShard(flags: { shard?: string; shardCount?: string }, env: Env): ResolvedShard | undefined {
  if (flags.shard !== undefined) {
    const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(flags.shard);
    if (!m) throw new UsageError(`--shard: expected i/n with 0 ≤ i < n, e.g. --shard 0/4, got ${JSON.stringify(flags.shard)}`);
    if (flags.shardCount !== undefined) throw new UsageError('--shard-count: not needed with --shard i/n (the n is the count)');
    return checked(int(m[1], '--shard', 0), int(m[2], '--shard count', 1), '--shard');
  }

  const k8s = env.JOB_COMPLETION_INDEX;
  if (k8s !== undefined && k8s !== '') {
    const index = int(k8s, 'JOB_COMPLETION_INDEX', 0);
    const c = countFrom(flags.shardCount, env);
    if (!c) throw new UsageError(`JOB_COMPLETION_INDEX is ${index} but the shard count is unknown: pass --shard-count N or set SCALEBENCH_SHARDS=N (the Job's completions)`);
    return checked(index, c.count, `JOB_COMPLETION_INDEX with ${c.from}`);
  }

  const slurm = env.SLURM_ARRAY_TASK_ID;
  if (slurm !== undefined && slurm !== '') {
    const id = int(slurm, 'SLURM_ARRAY_TASK_ID', 0);
    // --array=1-4 numbers tasks from 1, --array=0-6:2 steps by 2: map the id back to 0..count-1.
    const min = env.SLURM_ARRAY_TASK_MIN ? int(env.SLURM_ARRAY_TASK_MIN, 'SLURM_ARRAY_TASK_MIN', 0) : 0;
    const step = env.SLURM_ARRAY_TASK_STEP ? int(env.SLURM_ARRAY_TASK_STEP, 'SLURM_ARRAY_TASK_STEP', 1) : 1;
    if (id < min || (id - min) % step !== 0) throw new UsageError(`SLURM_ARRAY_TASK_ID ${id} is not on the array's grid (min ${min}, step ${step}); use a contiguous --array=0-<n-1>`);
    const index = (id - min) / step;
    const c = countFrom(flags.shardCount, env);
    if (c) return checked(index, c.count, `SLURM_ARRAY_TASK_ID with ${c.from}`);
    const count = env.SLURM_ARRAY_TASK_COUNT;
    if (count === undefined || count === '') throw new UsageError(`SLURM_ARRAY_TASK_ID is ${id} but SLURM_ARRAY_TASK_COUNT is not set: pass --shard-count N or set SCALEBENCH_SHARDS=N`);
    return checked(index, int(count, 'SLURM_ARRAY_TASK_COUNT', 1), 'SLURM_ARRAY_TASK_ID');
  }

  if (flags.shardCount !== undefined) throw new UsageError('--shard-count: needs a shard index from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID; outside a cluster use --shard i/n');
  return undefined;
}
