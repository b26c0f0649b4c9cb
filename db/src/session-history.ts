import { and, asc, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from './client';
import { AppError } from './errors';
import { practiceMode, practiceSessions, scenarios, scorecards, sessionStatus, sessionTurns, users } from './schema';
import type { TSessionViewer } from './session-views';

export type TSessionHistoryFilters = {
  traineeId?: string;
  scenarioId?: string;
  mode?: (typeof practiceMode.enumValues)[number];
  status?: (typeof sessionStatus.enumValues)[number];
  /** Sessions started at or after this instant. */
  from?: Date;
  /** Sessions started before this instant (exclusive, so a day range ends at the next midnight). */
  to?: Date;
};

export type TSessionHistoryRow = {
  id: string;
  createdAt: Date;
  endedAt: Date | null;
  status: (typeof sessionStatus.enumValues)[number];
  endReason: string | null;
  mode: (typeof practiceMode.enumValues)[number];
  channel: 'web' | 'phone';
  scenarioTitle: string;
  personaName: string;
  traineeId: string;
  traineeName: string;
  turnCount: number;
  /** Null until a role-play is scored, and always for coach sessions. */
  overallScore: number | null;
  tier: string | null;
  autoFailed: boolean;
  /** Null when the session has no scorecard (yet). */
  scorecardStatus: 'pending' | 'complete' | 'failed' | null;
};

export type TSessionHistoryPage = { items: TSessionHistoryRow[]; nextCursor: string | null };

export const SESSION_HISTORY_MAX_LIMIT = 100;

/*
 * The cursor is the last row's (created_at, id). Postgres keeps microseconds and a JS Date only
 * milliseconds, so the timestamp travels as text formatted by Postgres itself: a truncated one
 * would skip rows started within the same millisecond.
 */
const CURSOR_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function encodeCursor(createdAt: string, id: string): string {
  return Buffer.from(`${createdAt}|${id}`, 'utf8').toString('base64url');
}

function badCursor(cursor: string): AppError {
  return new AppError('BAD_REQUEST', {
    message: `malformed session history cursor ${JSON.stringify(cursor.slice(0, 80))}`,
    userMessage: 'That page of the history could not be loaded. Reload the list and try again.',
  });
}

/** The cursor's position, or BAD_REQUEST for anything this module did not write. */
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!createdAt || !id || rest.length > 0 || !CURSOR_TIMESTAMP.test(createdAt) || !UUID.test(id)) {
    throw badCursor(cursor);
  }
  // The pattern lets through dates that do not exist (2025-02-30); Postgres would reject them
  // with a 500, so the date must survive a round trip through Date unchanged.
  const parsed = new Date(createdAt);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 23) !== createdAt.slice(0, 23)) {
    throw badCursor(cursor);
  }
  return { createdAt, id };
}

/**
 * The practice sessions of `dealershipId` that `viewer` may see, newest first, a page at a time.
 * A dealership admin sees every session of the dealership and may filter by trainee; anyone else
 * sees only their own, whatever `filters.traineeId` says (asking for someone else's gives an
 * empty page). Pass the previous page's `nextCursor` to continue; it is null on the last page.
 */
export async function listSessionsForViewer(opts: {
  db: Db;
  dealershipId: string;
  viewer: TSessionViewer;
  filters?: TSessionHistoryFilters;
  cursor?: string | null;
  limit: number;
}): Promise<TSessionHistoryPage> {
  const { filters = {}, limit } = opts;
  if (!Number.isInteger(limit) || limit < 1 || limit > SESSION_HISTORY_MAX_LIMIT) {
    throw new AppError('BAD_REQUEST', { message: `session history limit ${limit} is out of range` });
  }
  const after = opts.cursor ? decodeCursor(opts.cursor) : null;
  const seesWholeDealership = opts.viewer.role === 'dealership_admin';
  const ps = practiceSessions;

  const rows = await opts.db
    .select({
      id: ps.id,
      createdAt: ps.createdAt,
      endedAt: ps.endedAt,
      status: ps.status,
      endReason: ps.endReason,
      mode: ps.mode,
      channel: ps.channel,
      scenarioTitle: scenarios.title,
      personaName: sql<string>`${scenarios.persona}->>'name'`,
      traineeId: ps.traineeId,
      traineeName: users.name,
      turnCount: sql<number>`(select count(*)::int from ${sessionTurns} where ${sessionTurns.sessionId} = ${ps.id})`,
      overallScore: scorecards.overallScore,
      tier: scorecards.tier,
      autoFailed: scorecards.autoFailed,
      scorecardStatus: scorecards.status,
      cursorCreatedAt: sql<string>`to_char(${ps.createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
    })
    .from(ps)
    .innerJoin(scenarios, eq(scenarios.id, ps.scenarioId))
    .innerJoin(users, eq(users.id, ps.traineeId))
    .leftJoin(scorecards, and(eq(scorecards.sessionId, ps.id), eq(scorecards.dealershipId, opts.dealershipId)))
    .where(
      and(
        eq(ps.dealershipId, opts.dealershipId),
        seesWholeDealership ? undefined : eq(ps.traineeId, opts.viewer.id),
        filters.traineeId ? eq(ps.traineeId, filters.traineeId) : undefined,
        filters.scenarioId ? eq(ps.scenarioId, filters.scenarioId) : undefined,
        filters.mode ? eq(ps.mode, filters.mode) : undefined,
        filters.status ? eq(ps.status, filters.status) : undefined,
        filters.from ? gte(ps.createdAt, filters.from) : undefined,
        filters.to ? lt(ps.createdAt, filters.to) : undefined,
        // A row comparison, so the (…, created_at) indexes bound the scan and id breaks ties.
        after ? sql`(${ps.createdAt}, ${ps.id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : undefined,
      ),
    )
    .orderBy(desc(ps.createdAt), desc(ps.id))
    .limit(limit + 1);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ cursorCreatedAt: _, autoFailed, ...row }) => ({ ...row, autoFailed: autoFailed ?? false })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.cursorCreatedAt, last.id) : null,
  };
}

export type TTraineeOption = { id: string; name: string; role: 'super_admin' | 'dealership_admin' | 'trainee' };

/**
 * Everyone of the dealership a manager can filter the history by: trainees and managers alike,
 * since both can practise, including disabled accounts whose sessions are still on record.
 */
export async function listTraineesForFilter(opts: { db: Db; dealershipId: string }): Promise<TTraineeOption[]> {
  return opts.db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(eq(users.dealershipId, opts.dealershipId))
    .orderBy(asc(users.name), asc(users.id));
}
