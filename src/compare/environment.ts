/**
 * Where each side ran, from the environment columns every row carries. A difference in backend, library or
 * machine changes what a delta means, so `compare` states it before any number.
 */
import type { Column, ResultRow } from '../results/columns.ts';

/** Columns whose difference changes what the deltas mean, most consequential first. */
export const ENV_COLUMNS = ['backend', 'tuned', 'tfjs_version', 'cpu', 'cores', 'os', 'node_version', 'jobs'] as const satisfies readonly Column[];
export type EnvColumn = (typeof ENV_COLUMNS)[number];

/** Columns that tell machines apart: when one differs, times and memory compare machines, not code. */
export const MACHINE_COLUMNS: readonly EnvColumn[] = ['cpu', 'cores', 'os'];

export interface EnvDifference {
  column: EnvColumn;
  /** Distinct values on each side, in first-seen order. */
  a: string[];
  b: string[];
}

export interface EnvironmentDiff {
  differences: EnvDifference[];
  /** cpu, cores or os differ. */
  crossMachine: boolean;
  /** The scalebench commits each side ran (informational: a code change is usually the point). */
  commits: { a: string[]; b: string[] };
}

const distinct = (rows: readonly ResultRow[], column: Column) => [...new Set(rows.map((r) => r[column]))];
const sameSet = (x: string[], y: string[]) => x.length === y.length && x.every((v) => y.includes(v));

export function diffEnvironment(a: readonly ResultRow[], b: readonly ResultRow[]): EnvironmentDiff {
  const differences: EnvDifference[] = [];
  for (const column of ENV_COLUMNS) {
    const va = distinct(a, column);
    const vb = distinct(b, column);
    if (!sameSet(va, vb)) differences.push({ column, a: va, b: vb });
  }
  const commit = (rows: readonly ResultRow[]) => distinct(rows, 'git_commit').map((c) => c || '(unknown)');
  return {
    differences,
    crossMachine: differences.some((d) => MACHINE_COLUMNS.includes(d.column)),
    commits: { a: commit(a), b: commit(b) },
  };
}

/** What each kind of difference means for the reader, one line each. */
export function environmentNotes(env: EnvironmentDiff): string[] {
  const notes: string[] = [];
  const cols = new Set(env.differences.map((d) => d.column));
  if (cols.has('backend')) notes.push('different backends: losses and accuracies can differ by floating-point rounding alone, and times compare backends');
  if (cols.has('tfjs_version')) notes.push('different TensorFlow.js versions: kernels may differ');
  if (env.crossMachine) notes.push('different machines: time, throughput and memory deltas compare machines, not code');
  if (cols.has('tuned')) notes.push('different kernel tuning: losses can differ in the last bits, and times compare kernels');
  if (cols.has('jobs')) notes.push('different worker counts: trials shared the cores differently, so times are not like for like');
  return notes;
}
