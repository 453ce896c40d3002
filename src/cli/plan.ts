/** `scalebench plan`: the trials an experiment expands to, with parameters and FLOPs, without training. */
import type { Experiment, Trial } from '../experiment/types.ts';
import type { Command } from './context.ts';
import { prepare } from './prepare.ts';
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

export const plan: Command = ({ io }) => ({
  command: 'plan <file>',
  describe: 'Show the trials, parameter counts and training FLOPs of an experiment without training',
  builder: (y) => y.positional('file', { type: 'string', demandOption: true, describe: 'Experiment file' }),
  handler: (a: { file: string }) => {
    const { exp, trials } = prepare(a.file, { yes: true });
    io.out(`${formatPlan(exp, trials)}\n`);
  },
});
