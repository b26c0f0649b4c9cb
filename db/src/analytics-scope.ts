import { type SQL, sql } from 'drizzle-orm';
import type { Db } from './client';
import { AppError } from './errors';

/**
 * What every analytics query takes. `from` and `to` are calendar days (`YYYY-MM-DD`, both
 * inclusive) in the dealership's own time zone, so "March" means March where the store is, and
 * weeks start on Monday there too.
 */
export type TAnalyticsScope = {
  db: Db;
  dealershipId: string;
  from: string;
  to: string;
  /** Narrows to one person's sessions; someone of another dealership simply matches nothing. */
  traineeId?: string;
};

/** Two years: enough for any trend a manager looks at, and it bounds the cost of one request. */
export const ANALYTICS_MAX_DAYS = 731;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 60 * 60 * 1000;

function parseDay(value: string, field: 'from' | 'to'): number {
  const ms = DAY.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  // Date.parse accepts 2025-02-30 as March 2nd; a day must survive the round trip unchanged.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) {
    throw new AppError('BAD_REQUEST', {
      message: `analytics ${field} ${JSON.stringify(value.slice(0, 40))} is not a YYYY-MM-DD date`,
      userMessage: 'Pick a valid start and end date.',
    });
  }
  return ms;
}

/** BAD_REQUEST, before any query runs, for dates that are malformed, reversed or too far apart. */
export function assertAnalyticsRange(opts: { from: string; to: string }): void {
  const from = parseDay(opts.from, 'from');
  const to = parseDay(opts.to, 'to');
  if (from > to) {
    throw new AppError('BAD_REQUEST', {
      message: `analytics range ${opts.from}..${opts.to} is reversed`,
      userMessage: 'The start date must be on or before the end date.',
    });
  }
  if ((to - from) / DAY_MS + 1 > ANALYTICS_MAX_DAYS) {
    throw new AppError('BAD_REQUEST', {
      message: `analytics range ${opts.from}..${opts.to} is longer than ${ANALYTICS_MAX_DAYS} days`,
      userMessage: 'Pick a range of at most two years.',
    });
  }
}

/**
 * The two CTEs every analytics query starts from: `scope` (the dealership's time zone and the
 * range as instants) and `scoped` (the dealership's sessions in range, with the local Monday of
 * their week as `week`). Everything downstream joins `scoped`, so the tenant filter is in one place.
 */
export function scopedSessions(opts: TAnalyticsScope): SQL {
  assertAnalyticsRange(opts);
  return sql`
    scope as (
      select d.timezone as tz,
             (${opts.from}::date)::timestamp at time zone d.timezone as start_at,
             (${opts.to}::date + 1)::timestamp at time zone d.timezone as end_at
      from dealerships d
      where d.id = ${opts.dealershipId}
    ),
    scoped as (
      select ps.id, ps.trainee_id, ps.scenario_id, ps.status, ps.mode, ps.created_at,
             to_char(date_trunc('week', ps.created_at at time zone scope.tz), 'YYYY-MM-DD') as week
      from practice_sessions ps
      cross join scope
      where ps.dealership_id = ${opts.dealershipId}
        and ps.created_at >= scope.start_at
        and ps.created_at < scope.end_at
        ${opts.traineeId ? sql`and ps.trainee_id = ${opts.traineeId}` : sql``}
    )`;
}
