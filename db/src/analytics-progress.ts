import { sql } from 'drizzle-orm';
import { type TAnalyticsScope, scopedSessions } from './analytics-scope';
import { rowsOf } from './rows';

export type TFirstToBestRow = {
  traineeId: string;
  traineeName: string;
  scenarioId: string;
  scenarioTitle: string;
  /** Scored attempts at this scenario in the range. */
  attempts: number;
  /** Overall score (0–100) of the first scored attempt in the range. */
  firstScore: number;
  bestScore: number;
  /** best − first: what practice earned; 0 for a single attempt. */
  improvement: number;
  firstAt: Date;
  lastAt: Date;
};

/**
 * Per trainee and scenario: the first scored role-play in the range against the best one. Only
 * complete scorecards with an overall score count (coach sessions have none). Biggest gains first.
 */
export async function getFirstToBest(opts: TAnalyticsScope): Promise<TFirstToBestRow[]> {
  const result = await opts.db.execute(sql`
    with ${scopedSessions(opts)},
    scored as (
      select s.trainee_id, s.scenario_id, s.created_at, sc.overall_score,
             row_number() over (partition by s.trainee_id, s.scenario_id order by s.created_at, s.id) as attempt
      from scoped s
      join scorecards sc on sc.session_id = s.id and sc.dealership_id = ${opts.dealershipId}
      where sc.status = 'complete' and sc.overall_score is not null
    ),
    per_pair as (
      select trainee_id, scenario_id, count(*)::int as attempts,
             (max(overall_score) filter (where attempt = 1))::float8 as first_score,
             max(overall_score)::float8 as best_score,
             min(created_at) as first_at, max(created_at) as last_at
      from scored
      group by trainee_id, scenario_id
    )
    select p.trainee_id as "traineeId", u.name as "traineeName",
           p.scenario_id as "scenarioId", sn.title as "scenarioTitle",
           p.attempts, p.first_score as "firstScore", p.best_score as "bestScore",
           (p.best_score - p.first_score)::float8 as improvement,
           p.first_at as "firstAt", p.last_at as "lastAt"
    from per_pair p
    join users u on u.id = p.trainee_id
    join scenarios sn on sn.id = p.scenario_id
    order by improvement desc, u.name, sn.title`);
  // Raw queries return timestamps as the driver likes (Date or text); the API promises Dates.
  return rowsOf<TFirstToBestRow>(result).map((r) => ({ ...r, firstAt: new Date(r.firstAt), lastAt: new Date(r.lastAt) }));
}

export type TLatencyRow = {
  week: string;
  /** Agent replies measured that week. */
  replies: number;
  /** End of the trainee's speech → the agent's first audio, as the agent recorded it (ms). */
  voiceToVoiceP50: number;
  voiceToVoiceP95: number;
};

/** Voice-to-voice latency per week (p50 and p95 of every measured reply). */
export async function getLatencyPerWeek(opts: TAnalyticsScope): Promise<TLatencyRow[]> {
  const result = await opts.db.execute(sql`
    with ${scopedSessions(opts)}
    select s.week, count(*)::int as replies,
           round(percentile_cont(0.5) within group (order by tm.voice_to_voice_ms))::float8 as "voiceToVoiceP50",
           round(percentile_cont(0.95) within group (order by tm.voice_to_voice_ms))::float8 as "voiceToVoiceP95"
    from scoped s
    join turn_metrics tm on tm.session_id = s.id and tm.dealership_id = ${opts.dealershipId}
    where tm.voice_to_voice_ms is not null
    group by s.week
    order by s.week`);
  return rowsOf<TLatencyRow>(result);
}

export type TAnalyticsSummary = {
  sessions: number;
  completedSessions: number;
  /** People with at least one session in the range. */
  activeTrainees: number;
  scoredSessions: number;
  /** Mean overall score (0–100) of scored role-plays, one decimal; null when none were scored. */
  averageScore: number | null;
  autoFailedSessions: number;
  voiceToVoiceP50: number | null;
};

/** The headline numbers above the charts, in one round trip. */
export async function getAnalyticsSummary(opts: TAnalyticsScope): Promise<TAnalyticsSummary> {
  const result = await opts.db.execute(sql`
    with ${scopedSessions(opts)},
    cards as (
      select sc.overall_score, sc.auto_failed
      from scoped s
      join scorecards sc on sc.session_id = s.id and sc.dealership_id = ${opts.dealershipId}
      where sc.status = 'complete' and sc.overall_score is not null
    )
    select
      (select count(*)::int from scoped) as sessions,
      (select count(*)::int from scoped where status = 'ended') as "completedSessions",
      (select count(distinct trainee_id)::int from scoped) as "activeTrainees",
      (select count(*)::int from cards) as "scoredSessions",
      (select round(avg(overall_score)::numeric, 1)::float8 from cards) as "averageScore",
      (select count(*)::int from cards where auto_failed) as "autoFailedSessions",
      (select round(percentile_cont(0.5) within group (order by tm.voice_to_voice_ms))::float8
         from scoped s
         join turn_metrics tm on tm.session_id = s.id and tm.dealership_id = ${opts.dealershipId}
         where tm.voice_to_voice_ms is not null) as "voiceToVoiceP50"`);
  const [row] = rowsOf<TAnalyticsSummary>(result);
  if (!row) throw new Error('analytics summary returned no row');
  return row;
}
