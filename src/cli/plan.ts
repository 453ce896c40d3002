/** `scalebench plan`: the trials an experiment expands to, with parameters and FLOPs, without training. */
import type { Experiment, Trial } from '../experiment/types.ts';
import { label } from './progress.ts';
import { formatTable, si } from './table.ts';

export function axesOf(exp: Experiment): string[] {
  return [...new Set([...Object.keys(exp.grid), ...exp.include.flatMap((p) => Object.keys(p))])];
}

export function formatPlan(exp: Experiment, trials: Trial[]): string {
  const axes = axesOf(exp);
  const rows = trials.map((t, i) => [i + 1, t.id, label(t, axes), t.params, si(t.trainFlops)]);
  const table = formatTable(['#', 'trial_id', 'settings', 'params', 'train_flops'], rows, [true, false, false, true, true]);
  const configs = new Set(trials.map((t) => t.id)).size;
  const flops = trials.reduce((a, t) => a + t.trainFlops, 0);
  const maxParams = Math.max(0, ...trials.map((t) => t.params));
  return [
    `${exp.name}: ${exp.description}`.trimEnd().replace(/:$/, ''),
    table,
    `total: ${trials.length} trials (${configs} configurations × ${exp.seeds.length} seeds), ${si(flops)} training FLOPs, largest model ${maxParams} params`,
  ].join('\n');
}
