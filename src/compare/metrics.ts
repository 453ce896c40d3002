/**
 * The quantities `compare` puts side by side: where each comes from in a results row, which way is better, how its
 * delta reads (relative % or accuracy points) and what --fail-on calls it. Timing metrics take one sample per
 * timed repeat, so a run with 10 seeds × 3 repeats gives 30 samples; the others take one per seed.
 */
import type { ResultRow } from '../results/columns.ts';
import { num } from '../results/read.ts';

export const METRIC_KEYS = ['test_accuracy', 'test_loss', 'train_time_s', 'samples_per_s', 'peak_rss_bytes', 'peak_tensor_bytes'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export interface MetricDef {
  key: MetricKey;
  /** Which way is an improvement. */
  better: 'higher' | 'lower';
  /** `relative`: new/old − 1, shown in %. `points`: new − old for a fraction, shown in percentage points. */
  delta: 'relative' | 'points';
  /** Part of the time-and-memory geomean summary. */
  geomean: boolean;
  /** Depends on the machine: flagged when the sides ran on different machines. */
  machine: boolean;
  /** Names accepted by --fail-on. */
  aliases: string[];
  /** The values one ok row contributes. */
  samples: (row: ResultRow) => number[];
}

/** The per-repeat training times of a row, else its single train_time_s. */
export function repeatTimes(row: ResultRow): number[] {
  const repeats = row.train_time_repeats_s.trim() === '' ? [] : row.train_time_repeats_s.trim().split(/\s+/).map(Number);
  return repeats.length > 0 && repeats.every((t) => t > 0 && Number.isFinite(t)) ? repeats : [num(row.train_time_s)];
}

const single = (column: keyof ResultRow) => (row: ResultRow) => [num(row[column])];

export const METRICS: Record<MetricKey, MetricDef> = {
  test_accuracy: { key: 'test_accuracy', better: 'higher', delta: 'points', geomean: false, machine: false, aliases: ['accuracy', 'acc'], samples: single('test_accuracy') },
  test_loss: { key: 'test_loss', better: 'lower', delta: 'relative', geomean: false, machine: false, aliases: ['loss'], samples: single('test_loss') },
  train_time_s: { key: 'train_time_s', better: 'lower', delta: 'relative', geomean: true, machine: true, aliases: ['time', 'train_time'], samples: repeatTimes },
  samples_per_s: {
    key: 'samples_per_s', better: 'higher', delta: 'relative', geomean: true, machine: true, aliases: ['throughput', 'samples'],
    // With repeats, one throughput per repeat: train_size × epochs / that repeat's time.
    samples: (row) => {
      const work = num(row.train_size) * num(row.epochs);
      return row.train_time_repeats_s.trim().includes(' ') && work > 0 ? repeatTimes(row).map((t) => work / t) : [num(row.samples_per_s)];
    },
  },
  peak_rss_bytes: { key: 'peak_rss_bytes', better: 'lower', delta: 'relative', geomean: true, machine: true, aliases: ['memory', 'rss'], samples: single('peak_rss_bytes') },
  peak_tensor_bytes: { key: 'peak_tensor_bytes', better: 'lower', delta: 'relative', geomean: true, machine: false, aliases: ['tensor', 'tensor_memory'], samples: single('peak_tensor_bytes') },
};

/** The metric a --fail-on name means (its column name or an alias), or undefined. */
export function metricNamed(name: string): MetricDef | undefined {
  const n = name.trim().toLowerCase();
  return Object.values(METRICS).find((m) => m.key === n || m.aliases.includes(n));
}
