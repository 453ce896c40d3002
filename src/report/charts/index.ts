/** Every chart of a report, in page order. Each is always drawn: with nothing to plot, as an empty frame that says why (Chart.empty). */
import type { ReportModel } from '../model.ts';
import { accuracyVsParams } from './accuracy.ts';
import type { Chart } from './common.ts';
import { memoryVsParams, timeVsParams } from './cost.ts';
import { learningCurves } from './curves.ts';
import { lossVsParams } from './loss.ts';
import { pareto } from './pareto.ts';
import { widthVsDepth } from './shape.ts';

export const CHART_NAMES = ['accuracy-vs-params', 'loss-vs-params', 'time-vs-params', 'memory-vs-params', 'learning-curves', 'pareto', 'width-vs-depth'] as const;
export type ChartName = (typeof CHART_NAMES)[number];

const BUILDERS: Record<ChartName, (m: ReportModel) => Chart> = {
  'accuracy-vs-params': accuracyVsParams,
  'loss-vs-params': lossVsParams,
  'time-vs-params': timeVsParams,
  'memory-vs-params': memoryVsParams,
  'learning-curves': learningCurves,
  pareto,
  'width-vs-depth': widthVsDepth,
};

/** Every chart, in CHART_NAMES order. */
export function buildCharts(m: ReportModel): Chart[] {
  return CHART_NAMES.map((n) => BUILDERS[n](m));
}

export type { Chart } from './common.ts';
