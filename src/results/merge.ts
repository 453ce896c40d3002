/**
 * Merging shard results: many results CSVs → one, in the experiment's pinned order. Pure.
 *
 * A (trial_id, seed) recorded more than once is a duplicate when its settings and environment
 * match (the first copy is kept: files in natural name order, rows in file order) and a conflict
 * when they differ (the first copy is still kept, and the conflict is reported). Trials the
 * experiment expects but no file holds are missing; rows for trials the experiment does not
 * (any more) contain are kept after the others, as a plain sweep keeps them, and counted.
 */
import type { Column, EpochRow, ResultRow } from './columns.ts';

/** What must agree for two rows of one (trial, seed) to be the same measurement setup. */
export const ENVIRONMENT_COLUMNS = ['backend', 'tuned', 'tfjs_version', 'node_version', 'cpu', 'cores', 'os', 'git_commit', 'git_dirty'] as const satisfies readonly Column[];

/** One shard's results as read from disk. */
export interface ShardResults {
  /** Name shown in reports (e.g. `2-of-4.csv`). */
  file: string;
  rows: ResultRow[];
  epochs: EpochRow[];
}

export interface Conflict {
  trialId: string;
  seed: string;
  /** File whose row was kept. */
  kept: string;
  /** File whose row differs from it. */
  other: string;
  /** Columns that differ: `settings` and/or environment columns. */
  columns: string[];
}

export interface MergeResult {
  rows: ResultRow[];
  epochs: EpochRow[];
  /** Copies dropped because an identical setup was already recorded. */
  duplicates: number;
  conflicts: Conflict[];
  /** Expected (trial, seed) pairs no file holds, in the expected order. */
  missing: { id: string; seed: number }[];
  /** Rows kept for trials the experiment doesn't list. */
  unexpected: number;
}

export const rowKey = (id: string, seed: number | string) => `${id}#${seed}`;

/** Compare names with digit runs as numbers, so 2-of-12.csv sorts before 10-of-12.csv. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] === pb[i]) continue;
    const na = Number(pa[i]);
    const nb = Number(pb[i]);
    if (i % 2 === 1 && na !== nb) return na - nb;
    return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Merge shard results against the (trial, seed) pairs an experiment expects, in their order. */
export function mergeResults(expected: readonly { id: string; seed: number }[], shards: readonly ShardResults[]): MergeResult {
  const order = new Map(expected.map((t, i) => [rowKey(t.id, t.seed), i]));
  const kept = new Map<string, { row: ResultRow; file: string }>();
  const conflicts: Conflict[] = [];
  let duplicates = 0;

  for (const shard of [...shards].sort((a, b) => naturalCompare(a.file, b.file))) {
    for (const row of shard.rows) {
      const key = rowKey(row.trial_id, row.seed);
      const first = kept.get(key);
      if (!first) {
        kept.set(key, { row, file: shard.file });
        continue;
      }
      const columns = (['settings', ...ENVIRONMENT_COLUMNS] as const).filter((c) => first.row[c] !== row[c]);
      if (columns.length === 0) duplicates++;
      else conflicts.push({ trialId: row.trial_id, seed: row.seed, kept: first.file, other: shard.file, columns });
    }
  }

  const rank = (key: string) => order.get(key) ?? Infinity;
  const keys = [...kept.keys()].sort((a, b) => {
    const d = rank(a) - rank(b);
    if (d) return d;
    // Both unexpected (Infinity - Infinity is NaN, falsy): by trial id, then seed as a number.
    const [ia, sa] = a.split('#');
    const [ib, sb] = b.split('#');
    return ia < ib ? -1 : ia > ib ? 1 : Number(sa) - Number(sb);
  });

  // Each kept row's epochs come from the same file, one per epoch number; orphans are dropped.
  const epochsByFile = new Map(shards.map((s) => [s.file, s.epochs]));
  const epochs: EpochRow[] = [];
  for (const key of keys) {
    const { file } = kept.get(key)!;
    const byEpoch = new Map<string, EpochRow>();
    for (const e of epochsByFile.get(file) ?? []) if (rowKey(e.trial_id, e.seed) === key && !byEpoch.has(e.epoch)) byEpoch.set(e.epoch, e);
    epochs.push(...[...byEpoch.values()].sort((a, b) => Number(a.epoch) - Number(b.epoch)));
  }

  return {
    rows: keys.map((k) => kept.get(k)!.row),
    epochs,
    duplicates,
    conflicts,
    missing: expected.filter((t) => !kept.has(rowKey(t.id, t.seed))).map((t) => ({ id: t.id, seed: t.seed })),
    unexpected: keys.filter((k) => !order.has(k)).length,
  };
}
