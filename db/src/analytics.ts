import { sql } from 'drizzle-orm';
import { type TAnalyticsScope, scopedSessions } from './analytics-scope';
import { rowsOf } from './rows';
import type { TFiStep } from './scorecards';

/*
 * Weekly team analytics for managers, aggregated in SQL over the sessions `scopedSessions` picks
 * (one dealership, one date range, optionally one trainee). Weeks are the Monday they start on,
 * in the dealership's time zone. Progress, latency and the headline numbers: analytics-progress.ts.
 */

export type TSessionsPerWeekRow = {
  week: string;
  traineeId: string;
  traineeName: string;
  /** Every session started that week, whatever became of it. */
  sessions: number;
  /** Those that ended normally (not failed, not still running). */
  completed: number;
};

/** Sessions per trainee and week, oldest week first, then by name. */
export async function getSessionsPerWeek(opts: TAnalyticsScope): Promise<TSessionsPerWeekRow[]> {
  const result = await opts.db.execute(sql`
    with ${scopedSessions(opts)}
    select s.week, s.trainee_id as "traineeId", u.name as "traineeName",
           count(*)::int as sessions,
           (count(*) filter (where s.status = 'ended'))::int as completed
    from scoped s
    join users u on u.id = s.trainee_id
    group by s.week, s.trainee_id, u.name
    order by s.week, u.name, s.trainee_id`);
  return rowsOf<TSessionsPerWeekRow>(result);
}

export type TStepScoreRow = {
  week: string;
  step: TFiStep;
  /** Mean of the step's scores that week, on the rubric's 0–10 scale, one decimal. */
  averageScore: number;
  /** How many scored role-plays the mean is over. */
  scoredSessions: number;
};

/** Average score per F&I step and week, from complete scorecards only. */
export async function getStepScoresPerWeek(opts: TAnalyticsScope): Promise<TStepScoreRow[]> {
  const result = await opts.db.execute(sql`
    with ${scopedSessions(opts)}
    select s.week, si.step,
           round(avg(si.score * 10.0 / nullif(si.max_score, 0)), 1)::float8 as "averageScore",
           count(distinct s.id)::int as "scoredSessions"
    from scoped s
    join scorecards sc on sc.session_id = s.id and sc.dealership_id = ${opts.dealershipId} and sc.status = 'complete'
    join score_items si on si.scorecard_id = sc.id
    group by s.week, si.step
    order by s.week, si.step`);
  return rowsOf<TStepScoreRow>(result);
}

export type TComplianceFlagRow = {
  week: string;
  rule: string;
  severity: 'warning' | 'auto_fail';
  flags: number;
  /** Sessions with at least one such flag. */
  sessions: number;
};

/** Compliance flags raised per week, by rule and severity. */
export async function getComplianceFlagsPerWeek(opts: TAnalyticsScope): Promise<TComplianceFlagRow[]> {
  const result = await opts.db.execute(sql`
    with ${scopedSessions(opts)}
    select s.week, cf.rule, cf.severity::text as severity,
           count(*)::int as flags,
           count(distinct s.id)::int as sessions
    from scoped s
    join scorecards sc on sc.session_id = s.id and sc.dealership_id = ${opts.dealershipId} and sc.status = 'complete'
    join compliance_flags cf on cf.scorecard_id = sc.id
    group by s.week, cf.rule, cf.severity
    order by s.week, cf.severity desc, cf.rule`);
  return rowsOf<TComplianceFlagRow>(result);
}
