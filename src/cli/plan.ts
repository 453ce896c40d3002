/** `scalebench plan`: the trials an experiment expands to, with parameters and FLOPs, without training. */
import type { Experiment, Trial } from '../experiment/types.ts';
import { COST_MODELS, assignShards, costOf, shardLoads } from '../run/shard.ts';
import { UsageError, type Command } from './context.ts';
import { prepare } from './prepare.ts';
import { label } from './progress.ts';
import { formatTable, si } from './table.ts';

export function axesOf(exp: Experiment): string[] {
  return [...new Set([...Object.keys(exp.grid), ...exp.include.flatMap((p) => Object.keys(p))])];
}

export function formatPlan(exp: Experiment, trials: Trial[], shards?: number): string {
  const axes = axesOf(exp);
  const assigned = shards ? assignShards(trials, shards, costOf(exp)) : undefined;
  const rows = trials.map((t, i) => [i + 1, t.id, label(t, axes), t.params, si(t.trainFlops), ...(assigned ? [assigned.get(`${t.id}#${t.seed}`)!] : [])]);
  const table = formatTable(['#', 'trial_id', 'settings', 'params', 'train_flops', ...(assigned ? ['shard'] : [])], rows, [true, false, false, true, true, true]);
  const configs = new Set(trials.map((t) => t.id)).size;
  const flops = trials.reduce((a, t) => a + t.trainFlops, 0);
  const maxParams = Math.max(0, ...trials.map((t) => t.params));
  return [
    `${exp.name}: ${exp.description}`.trimEnd().replace(/:$/, ''),
    table,
    `total: ${trials.length} trials (${configs} configurations × ${exp.seeds.length} seeds), ${si(flops)} training FLOPs, largest model ${maxParams} params`,
    ...(shards ? ['', formatShards(exp, trials, shards)] : []),
  ].join('\n');
}

/** Each shard's trials, FLOPs and share of the estimated time (what `sweep --shard i/n` would run). */
export function formatShards(exp: Experiment, trials: Trial[], count: number): string {
  const loads = shardLoads(trials, count, costOf(exp));
  const total = loads.reduce((a, l) => a + l.cost, 0);
  const mean = total / count;
  const max = Math.max(...loads.map((l) => l.cost));
  const m = COST_MODELS[exp.backend];
  const rows = loads.map((l) => [`${l.index}/${count}`, l.trials, si(l.trainFlops), `${l.cost.toFixed(1)} s`, `${((100 * l.cost) / total).toFixed(1)}%`]);
  return [
    `${count} shards, balanced by estimated time (backend ${exp.backend}: ${m.overheadS} s per trial + training at ${m.flopsPerS / 1e9} GFLOP/s)`,
    formatTable(['shard', 'trials', 'train_flops', 'est_time', 'share'], rows, [false, true, true, true, true]),
    `longest shard: ${(max / mean).toFixed(2)} × the mean; run one with: scalebench sweep ${exp.file} --shard i/${count}`,
  ].join('\n');
}

/** `--shards`: a positive whole number. */
export function parseShardCount(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`--shards: expected a whole number of at least 1, got ${JSON.stringify(value)}`);
  return n;
}

export const plan: Command = ({ io }) => ({
  command: 'plan <file>',
  describe: 'Show the trials, parameter counts and training FLOPs of an experiment without training',
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'Experiment file' })
      .option('shards', { type: 'string', describe: 'Also split the trials into n cost-balanced shards and show each shard\'s share' }),
  handler: (argv) => {
    const a = argv as unknown as { file: string; shards?: string };
    const shards = a.shards === undefined ? undefined : parseShardCount(a.shards);
    const { exp, trials } = prepare(a.file, { yes: true });
    io.out(`${formatPlan(exp, trials, shards)}\n`);
  },
});
