import {
  ANALYTICS_SERIES,
  exportAnalyticsCsv,
  getAnalyticsSummary,
  getComplianceFlagsPerWeek,
  getFirstToBest,
  getLatencyPerWeek,
  getSessionsPerWeek,
  getStepScoresPerWeek,
  type TAnalyticsScope,
} from '@avatar-adam/db';
import { z } from 'zod';
import { createTRPCRouter, managerProcedure, serializeOnce } from '../trpc';
import { createWebCache } from '../../cache';

/**
 * Calendar days in the dealership's time zone, both inclusive. The range rules (order, at most
 * two years, real dates) are the db layer's, so the CSV route and the page get the same answers.
 */
export const ZAnalyticsRange = z.strictObject({
  from: z.iso.date(),
  to: z.iso.date(),
  /** A person of the caller's dealership; anyone else's id matches no session. */
  traineeId: z.uuid().optional(),
});

export const ZAnalyticsExportInput = ZAnalyticsRange.extend({ series: z.enum(ANALYTICS_SERIES) });

async function loadDashboard(scope: TAnalyticsScope) {
  const [summary, sessionsPerWeek, stepScoresPerWeek, firstToBest, complianceFlagsPerWeek, latencyPerWeek] = await Promise.all([
    getAnalyticsSummary(scope),
    getSessionsPerWeek(scope),
    getStepScoresPerWeek(scope),
    getFirstToBest(scope),
    getComplianceFlagsPerWeek(scope),
    getLatencyPerWeek(scope),
  ]);
  return { summary, sessionsPerWeek, stepScoresPerWeek, firstToBest, complianceFlagsPerWeek, latencyPerWeek };
}

/*
 * The dashboard aggregates a whole team's quarter (six queries, ~70–150 ms on the embedded
 * database with 2,000 sessions): a reload, or a dozen managers opening it at once, should not
 * recompute it. Its numbers move only when a session ends, so 30 s of staleness is invisible;
 * for 5 more minutes an expired entry is still served while it is recomputed in the background.
 * The key starts with the dealership from the session, so one tenant can never read another's.
 */
const dashboards = createWebCache<Awaited<ReturnType<typeof loadDashboard>>>({ name: 'analytics_dashboard', ttlMs: 30_000, staleMs: 5 * 60_000, maxEntries: 500, adopt: serializeOnce });

/** Team analytics for managers, always of their own dealership (`ctx.dealershipId`). */
export const analyticsRouter = createTRPCRouter({
  /** The headline numbers and every chart's series for the range, in one request (cached 30 s). */
  dashboard: managerProcedure.input(ZAnalyticsRange).query(({ ctx, input }) => {
    const key = [ctx.dealershipId, input.from, input.to, input.traineeId ?? ''].join('|');
    return dashboards.get(key, async () => serializeOnce(await loadDashboard({ db: ctx.db, dealershipId: ctx.dealershipId, ...input })));
  }),

  /** One series as CSV text and a file name; `/api/analytics/export` serves it as a download. */
  exportCsv: managerProcedure
    .input(ZAnalyticsExportInput)
    .query(({ ctx, input }) => exportAnalyticsCsv({ db: ctx.db, dealershipId: ctx.dealershipId, ...input })),
});
