/**
 * `scalebench merge <experiment-file>`: combine <results-dir>/<name>/shards/*.csv into <results-dir>/<name>.csv
 * (and .epochs.csv). Exit 0 when every trial of the experiment is there, 1 when some are missing or conflict.
 * Idempotent: the output is a function of the shard files alone, written by temp file + rename, and not
 * rewritten at all when unchanged.
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COLUMNS, EPOCH_COLUMNS } from '../results/columns.ts';
import { mergeResults, rowKey, type ShardResults } from '../results/merge.ts';
import { readEpochs, readResults } from '../results/read.ts';
import { toCsvLines } from '../results/write.ts';
import { assignShards, costOf } from '../run/shard.ts';
import { epochsPath, resultsPath } from '../run/sweep.ts';
import { UsageError, type Command, type Io } from './context.ts';
import { axesOf } from './plan.ts';
import { prepare } from './prepare.ts';
import { label } from './progress.ts';

export interface MergeArgs {
  file: string;
  resultsDir: string;
}

/** `<dir>/<name>/shards`: every `*.csv` there (except `*.epochs.csv`) is one shard's results. */
export const shardsDir = (resultsDir: string, name: string) => join(resultsDir, name, 'shards');

function header<C extends string>(columns: readonly C[]): Record<C, string> {
  return Object.fromEntries(columns.map((c) => [c, c])) as unknown as Record<C, string>;
}

/** Write `text` to `file` unless it already holds exactly that; temp file + rename so readers never see half. */
function writeIfChanged(file: string, text: string): boolean {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  const tmp = `${file}.merge-tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return true;
}

export function mergeShards(args: MergeArgs, io: Io): number {
  if (!existsSync(args.file) && !/\.(ya?ml|json)$/i.test(args.file)) {
    throw new UsageError(`merge: ${args.file}: expected the experiment file (e.g. experiments/${args.file}.yaml), which lists the trials to expect`);
  }
  const { exp, trials } = prepare(args.file, { yes: true });
  const dir = shardsDir(args.resultsDir, exp.name);
  const names = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.csv') && !f.endsWith('.epochs.csv')) : [];
  if (names.length === 0) throw new UsageError(`merge: no shard results in ${dir}; run scalebench sweep ${args.file} --shard i/n first`);
  const shards: ShardResults[] = names.map((f) => ({ file: f, rows: readResults(join(dir, f)), epochs: readEpochs(join(dir, epochsPath(f))) }));

  const merged = mergeResults(trials, shards);
  const out = resultsPath(args.resultsDir, exp.name);

  // Never drop a row: an existing results file with trials no shard holds (say, from an unsharded sweep) is refused.
  const have = new Set(merged.rows.map((r) => rowKey(r.trial_id, r.seed)));
  const lost = readResults(out).filter((r) => !have.has(rowKey(r.trial_id, r.seed)));
  if (lost.length) {
    throw new UsageError(`merge: ${out} holds ${lost.length} trial row(s) that no shard has (e.g. ${lost[0].trial_id} seed ${lost[0].seed}); move it (with its .epochs.csv) into ${dir}/ to merge it in, or delete it`);
  }

  writeIfChanged(epochsPath(out), toCsvLines(EPOCH_COLUMNS, [header(EPOCH_COLUMNS), ...merged.epochs]));
  const changed = writeIfChanged(out, toCsvLines(COLUMNS, [header(COLUMNS), ...merged.rows]));

  const expected = trials.length - merged.missing.length;
  io.err(
    `${exp.name}: ${shards.length} shard file(s), ${expected} of ${trials.length} trials` +
      (merged.duplicates ? `, ${merged.duplicates} duplicate(s) dropped` : '') +
      (merged.unexpected ? `, ${merged.unexpected} row(s) of trials not in ${args.file} kept` : '') +
      ` → ${out}${changed ? '' : ' (unchanged)'}\n`,
  );

  const axes = axesOf(exp);
  const byKey = new Map(trials.map((t) => [rowKey(t.id, t.seed), t]));
  const describe = (id: string, seed: number | string) => {
    const t = byKey.get(rowKey(id, seed));
    return t ? `${id} ${label(t, axes)}` : `${id} seed=${seed}`;
  };
  for (const c of merged.conflicts) {
    io.err(`conflict: ${describe(c.trialId, c.seed)}: ${c.kept} and ${c.other} differ in ${c.columns.join(', ')}; kept ${c.kept} (remove the unwanted row from ${c.other} or ${c.kept}, then merge again)\n`);
  }

  if (merged.missing.length) {
    // When the files come from one split (all <i>-of-<n>), say which shard each missing trial belongs to.
    const counts = new Set(names.map((f) => /^\d+-of-(\d+)\.csv$/.exec(f)?.[1]));
    const n = counts.size === 1 ? Number([...counts][0]) : undefined;
    const shardOf = n ? assignShards(trials, n, costOf(exp)) : undefined;
    io.err(`missing ${merged.missing.length} of ${trials.length} trials:\n`);
    for (const m of merged.missing) {
      const s = shardOf?.get(rowKey(m.id, m.seed));
      io.err(`  ${describe(m.id, m.seed)}${s === undefined ? '' : `  (shard ${s}/${n})`}\n`);
    }
    const rerun = shardOf ? [...new Set(merged.missing.map((m) => shardOf.get(rowKey(m.id, m.seed))!))].sort((a, b) => a - b) : [];
    if (rerun.length) io.err(`rerun: ${rerun.map((s) => `scalebench sweep ${args.file} --shard ${s}/${n}`).join('; ')}\n`);
  }
  return merged.missing.length || merged.conflicts.length ? 1 : 0;
}

export const merge: Command = ({ io, exit }) => ({
  command: 'merge <file>',
  describe: "Combine a sharded sweep's results/<name>/shards/*.csv into results/<name>.csv; list missing trials",
  builder: (y) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'The experiment file the shards ran (it lists the trials to expect)' })
      .option('results-dir', { type: 'string', default: 'results', describe: 'Where results CSVs go' }),
  handler: (a) => exit(mergeShards(a as unknown as MergeArgs, io)),
});
