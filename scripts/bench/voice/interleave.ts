// The order of a `--baseline` run of `npm run bench:voice` and how its pieces add up (pure). Each
// conversation runs on a stack of its own (one at a time: two would share the two cores), main and
// baseline alternating A B B A A B…, so that a machine getting busier or quieter over the run
// weighs on both series alike instead of on whichever ran second.
import type { TSeriesResult } from './series';

export type TSeriesName = TSeriesResult['name'];
export type TStep = { series: TSeriesName; index: number };

export function interleavedOrder(conversations: number): TStep[] {
  return Array.from({ length: conversations }, (_, index): TStep[] => {
    const pair: TSeriesName[] = index % 2 === 0 ? ['main', 'baseline'] : ['baseline', 'main'];
    return pair.map((series) => ({ series, index }));
  }).flat();
}

/** One series from the runs of its conversations, in the order they ran; undefined when none ran. */
export function mergeSeries(parts: readonly TSeriesResult[]): TSeriesResult | undefined {
  const first = parts[0];
  const last = parts.at(-1);
  if (!first || !last) return undefined;
  return {
    name: first.name,
    agentEnv: first.agentEnv,
    stackStarted: parts.some((p) => p.stackStarted),
    results: parts.flatMap((p) => p.results),
    failure: parts.find((p) => p.failure)?.failure,
    calibrationMs: parts.flatMap((p) => p.calibrationMs),
    loadAvg: { start: first.loadAvg.start, end: last.loadAvg.end },
  };
}
