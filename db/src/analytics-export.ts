import { getComplianceFlagsPerWeek, getSessionsPerWeek, getStepScoresPerWeek } from './analytics';
import { type TCsvColumn, toCsv } from './analytics-csv';
import { getFirstToBest, getLatencyPerWeek } from './analytics-progress';
import type { TAnalyticsScope } from './analytics-scope';

/** The chart series a manager can download, one CSV each. */
export const ANALYTICS_SERIES = ['sessions', 'step-scores', 'first-to-best', 'compliance', 'latency'] as const;
export type TAnalyticsSeries = (typeof ANALYTICS_SERIES)[number];

type TExport<T extends Record<string, unknown>> = {
  load: (scope: TAnalyticsScope) => Promise<T[]>;
  columns: ReadonlyArray<TCsvColumn<T>>;
};

/* Each entry ties a loader to its columns, so a column can only name a field its rows have. */
const exportOf =
  <T extends Record<string, unknown>>(e: TExport<T>) =>
  async (scope: TAnalyticsScope): Promise<string> =>
    toCsv(await e.load(scope), e.columns);

const EXPORTS = {
  sessions: exportOf({
    load: getSessionsPerWeek,
    columns: [
      { key: 'week', header: 'Week starting' },
      { key: 'traineeName', header: 'Trainee' },
      { key: 'sessions', header: 'Sessions' },
      { key: 'completed', header: 'Completed' },
      { key: 'traineeId', header: 'Trainee id' },
    ],
  }),
  'step-scores': exportOf({
    load: getStepScoresPerWeek,
    columns: [
      { key: 'week', header: 'Week starting' },
      { key: 'step', header: 'F&I step' },
      { key: 'averageScore', header: 'Average score (0-10)' },
      { key: 'scoredSessions', header: 'Scored sessions' },
    ],
  }),
  'first-to-best': exportOf({
    load: getFirstToBest,
    columns: [
      { key: 'traineeName', header: 'Trainee' },
      { key: 'scenarioTitle', header: 'Scenario' },
      { key: 'attempts', header: 'Scored attempts' },
      { key: 'firstScore', header: 'First score' },
      { key: 'bestScore', header: 'Best score' },
      { key: 'improvement', header: 'Improvement' },
      { key: 'firstAt', header: 'First attempt at' },
      { key: 'lastAt', header: 'Last attempt at' },
    ],
  }),
  compliance: exportOf({
    load: getComplianceFlagsPerWeek,
    columns: [
      { key: 'week', header: 'Week starting' },
      { key: 'rule', header: 'Rule' },
      { key: 'severity', header: 'Severity' },
      { key: 'flags', header: 'Flags' },
      { key: 'sessions', header: 'Sessions flagged' },
    ],
  }),
  latency: exportOf({
    load: getLatencyPerWeek,
    columns: [
      { key: 'week', header: 'Week starting' },
      { key: 'replies', header: 'Replies measured' },
      { key: 'voiceToVoiceP50', header: 'Voice-to-voice p50 (ms)' },
      { key: 'voiceToVoiceP95', header: 'Voice-to-voice p95 (ms)' },
    ],
  }),
} satisfies Record<TAnalyticsSeries, (scope: TAnalyticsScope) => Promise<string>>;

/** One series as a CSV file: its name (dealership-neutral, dated) and its text. */
export async function exportAnalyticsCsv(opts: TAnalyticsScope & { series: TAnalyticsSeries }) {
  const csv = await EXPORTS[opts.series](opts);
  return { filename: `analytics-${opts.series}-${opts.from}-to-${opts.to}.csv`, csv };
}
