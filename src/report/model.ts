/**
 * Everything a report shows, computed once from the CSV rows: typed trials, configurations over seeds,
 * learning curves and the fitted laws. Pure: the same rows give the same model, field for field.
 */
import { groupConfigs, sortTrials, toTrial, type ConfigRecord, type Metric, type TrialRecord } from '../analysis/aggregate.ts';
import { fitPowerLaw, fitSaturating, type PowerLawFit, type SaturatingFit } from '../analysis/fit.ts';
import type { EpochRow, ResultRow } from '../results/columns.ts';
import { num } from '../results/read.ts';

/** One input: a results CSV (and its per-epoch sibling), under the label that colours it in overlays. */
export interface SourceInput {
  label: string;
  /** Path shown in the README, relative to the report directory. */
  file: string;
  rows: ResultRow[];
  epochs: EpochRow[];
}

/** Bootstrap resamples behind the loss-law intervals, and the PRNG seed that makes them repeatable. */
export const BOOTSTRAP = { resamples: 200, seed: 1 } as const;

/** The laws fitted per source. */
export type Law = 'time' | 'throughput' | 'memory' | 'loss';

export interface SourceFits {
  source: string;
  /** Why a law has no fit, for each law without one: "no fit: one parameter count (N = 88)". */
  unfit: Partial<Record<Law, string>>;
  /** train_time_s ∝ N^k */
  time?: PowerLawFit;
  /** samples_per_s ∝ N^k */
  throughput?: PowerLawFit;
  /** peak_tensor_bytes ∝ N^k */
  memory?: PowerLawFit;
  /** test_loss = E + A·N^(−α) */
  loss?: SaturatingFit;
}

/** One epoch of one trial, joined with that trial's configuration. */
export interface EpochPoint {
  source: string;
  trialId: string;
  seed: number;
  epoch: number;
  trainLoss: number;
  testLoss: number;
  params: number;
  width: number;
  depth: number;
  status: string;
}

export interface ReportModel {
  name: string;
  sources: { label: string; file: string }[];
  trials: TrialRecord[];
  configs: ConfigRecord[];
  /** Settings other than width and depth that vary within a source, per config (`source\0trial_id` → "lr=0.01"). */
  variants: Map<string, string>;
  epochs: EpochPoint[];
  /** Per-epoch rows whose trial has no results row: counted, not drawn. */
  orphanEpochs: number;
  fits: SourceFits[];
}

export const configKey = (c: { source: string; trialId: string }) => `${c.source}\u0000${c.trialId}`;

export function buildModel(name: string, inputs: readonly SourceInput[]): ReportModel {
  const labels = inputs.map((s) => s.label);
  const trials = sortTrials(inputs.flatMap((s) => s.rows.map((r) => toTrial(s.label, r))), labels);
  const configs = groupConfigs(trials);
  const byTrial = new Map(trials.map((t) => [`${t.source}\u0000${t.trialId}\u0000${t.seed}`, t]));
  const epochs: EpochPoint[] = [];
  let orphanEpochs = 0;
  for (const s of inputs) {
    for (const e of s.epochs) {
      const t = byTrial.get(`${s.label}\u0000${e.trial_id}\u0000${num(e.seed)}`);
      if (!t) {
        orphanEpochs++;
        continue;
      }
      epochs.push({
        source: s.label, trialId: t.trialId, seed: t.seed, epoch: num(e.epoch), trainLoss: num(e.train_loss), testLoss: num(e.test_loss),
        params: t.params, width: t.width, depth: t.depth, status: t.status,
      });
    }
  }
  const order = new Map(trials.map((t, i) => [`${t.source}\u0000${t.trialId}\u0000${t.seed}`, i]));
  epochs.sort((a, b) => (order.get(`${a.source}\u0000${a.trialId}\u0000${a.seed}`)! - order.get(`${b.source}\u0000${b.trialId}\u0000${b.seed}`)!) || a.epoch - b.epoch);
  return {
    name,
    sources: inputs.map((s) => ({ label: s.label, file: s.file })),
    trials,
    configs,
    variants: variants(configs),
    epochs,
    orphanEpochs,
    fits: labels.map((source) => fitSource(source, configs.filter((c) => c.source === source && c.ok > 0))),
  };
}

/** Distinct parameter counts each law needs: two for a power law's slope, three for E, A and α. */
const NEEDED: Record<Law, number> = { time: 2, throughput: 2, memory: 2, loss: 3 };
const METRIC: Record<Law, Metric> = { time: 'train_time_s', throughput: 'samples_per_s', memory: 'peak_tensor_bytes', loss: 'test_loss' };

function fitSource(source: string, configs: readonly ConfigRecord[]): SourceFits {
  const n = configs.map((c) => c.params);
  const mean = (law: Law) => configs.map((c) => c.stats[METRIC[law]].mean);
  const fits = {
    time: fitPowerLaw(n, mean('time')),
    throughput: fitPowerLaw(n, mean('throughput')),
    memory: fitPowerLaw(n, mean('memory')),
    loss: fitSaturating(n, mean('loss'), { bootstrap: BOOTSTRAP.resamples, seed: BOOTSTRAP.seed }),
  };
  const unfit: Partial<Record<Law, string>> = {};
  for (const law of Object.keys(fits) as Law[]) if (!fits[law]) unfit[law] = whyNoFit(configs, METRIC[law], NEEDED[law]);
  return { source, unfit, ...fits };
}

/** Why `metric` against N could not be fitted over these ok configurations, in words for the charts and tables. */
function whyNoFit(configs: readonly ConfigRecord[], metric: Metric, needed: number): string {
  if (configs.length === 0) return 'no fit: no ok configurations';
  const usable = (x: number) => Number.isFinite(x) && x > 0;
  const ns = [...new Set(configs.filter((c) => usable(c.params) && usable(c.stats[metric].mean)).map((c) => c.params))];
  if (ns.length === 0) return `no fit: no ok configuration has a positive ${metric} and parameter count`;
  if (ns.length === 1) return `no fit: one parameter count (N = ${ns[0]})`;
  return `no fit: ${ns.length} distinct parameter counts (needs ${needed})`;
}

/** Flatten a settings JSON object to `path=value` pairs; unparsable settings give none. */
export function flattenSettings(json: string): Map<string, string> {
  const out = new Map<string, string>();
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return out;
  }
  const walk = (v: unknown, path: string) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    else out.set(path, JSON.stringify(v));
  };
  walk(value, '');
  return out;
}

/** For each config, the settings besides model.width and model.depth that vary within its source, as "path=value, …". */
export function variants(configs: readonly ConfigRecord[]): Map<string, string> {
  const flat = new Map(configs.map((c) => [configKey(c), flattenSettings(c.settings)]));
  const out = new Map<string, string>();
  for (const source of new Set(configs.map((c) => c.source))) {
    const mine = configs.filter((c) => c.source === source);
    const values = new Map<string, Set<string>>();
    for (const c of mine) for (const [k, v] of flat.get(configKey(c))!) values.set(k, (values.get(k) ?? new Set()).add(v));
    const varying = [...values].filter(([k, v]) => v.size > 1 && k !== 'model.width' && k !== 'model.depth').map(([k]) => k).sort();
    for (const c of mine) {
      const f = flat.get(configKey(c))!;
      out.set(configKey(c), varying.map((k) => `${k}=${f.get(k) ?? '—'}`).join(', '));
    }
  }
  return out;
}
