import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from './client';
import { assertAssignmentForSession } from './assignments';
import { AppError } from './errors';
import { enqueueScoreSession } from './job-queue';
import { getScenarioForDealership } from './scenarios';
import { practiceSessions, scenarios, sessionTurns, users } from './schema';

export type TPracticeSession = typeof practiceSessions.$inferSelect;

/**
 * Creates the session row (status pending) for a trainee of `dealershipId` on a scenario that
 * dealership may use. The LiveKit room is created by the caller after this succeeds. With an
 * `assignmentId` (the trainee's own, for this scenario) the session counts for that assignment.
 */
export async function startPracticeSession(opts: {
  db: Db;
  dealershipId: string;
  traineeId: string;
  scenarioId: string;
  channel: 'web' | 'phone';
  assignmentId?: string | null;
}): Promise<TPracticeSession> {
  const scenario = await getScenarioForDealership(opts);
  if (!scenario) {
    throw new AppError('NOT_FOUND', {
      message: `scenario ${opts.scenarioId} is not available to dealership ${opts.dealershipId}`,
      userMessage: 'That scenario does not exist or is no longer available.',
    });
  }
  const [trainee] = await opts.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, opts.traineeId), eq(users.dealershipId, opts.dealershipId)))
    .limit(1);
  if (!trainee) {
    throw new AppError('FORBIDDEN', {
      message: `user ${opts.traineeId} does not belong to dealership ${opts.dealershipId}`,
      userMessage: 'Only members of this dealership can practise here.',
    });
  }
  if (opts.assignmentId) {
    await assertAssignmentForSession({ ...opts, assignmentId: opts.assignmentId, scenarioId: scenario.id });
  }
  const [session] = await opts.db
    .insert(practiceSessions)
    .values({
      dealershipId: opts.dealershipId,
      traineeId: opts.traineeId,
      scenarioId: scenario.id,
      assignmentId: opts.assignmentId ?? null,
      mode: scenario.mode,
      channel: opts.channel,
      roomName: `practice-${randomUUID()}`,
    })
    .returning();
  if (!session) throw new AppError('INTERNAL', { message: 'insert returned no session row' });
  return session;
}

/** A session of the given dealership, or null (never another tenant's). */
export async function getPracticeSession(opts: {
  db: Db;
  sessionId: string;
  dealershipId: string;
}): Promise<TPracticeSession | null> {
  const [row] = await opts.db
    .select()
    .from(practiceSessions)
    .where(
      and(
        eq(practiceSessions.id, opts.sessionId),
        eq(practiceSessions.dealershipId, opts.dealershipId),
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Everything the agent needs to play its part; the dealership must match the dispatch metadata. */
export async function loadSessionForAgent(opts: { db: Db; sessionId: string; dealershipId: string }) {
  const [row] = await opts.db
    .select({
      session: practiceSessions,
      scenario: scenarios,
      trainee: { id: users.id, name: users.name },
    })
    .from(practiceSessions)
    .innerJoin(scenarios, eq(scenarios.id, practiceSessions.scenarioId))
    .innerJoin(users, eq(users.id, practiceSessions.traineeId))
    .where(
      and(
        eq(practiceSessions.id, opts.sessionId),
        eq(practiceSessions.dealershipId, opts.dealershipId),
      ),
    )
    .limit(1);
  if (!row) {
    throw new AppError('NOT_FOUND', {
      message: `practice session ${opts.sessionId} not found for dealership ${opts.dealershipId}`,
    });
  }
  return row;
}

/** pending → live when the agent starts talking; a no-op in any other state. */
export async function markSessionLive(opts: { db: Db; sessionId: string }): Promise<boolean> {
  const rows = await opts.db
    .update(practiceSessions)
    .set({ status: 'live', liveAt: new Date() })
    .where(and(eq(practiceSessions.id, opts.sessionId), eq(practiceSessions.status, 'pending')))
    .returning({ id: practiceSessions.id });
  return rows.length > 0;
}

/**
 * Closes a pending or live session. Idempotent: a session already ended or failed keeps its first
 * outcome, so a late shutdown hook cannot overwrite why it really ended. When the trainee spoke,
 * its `score-session` job is stored in the same transaction: an ended session is never left
 * without a way to its scorecard (the job worker's sweep is only a backstop).
 */
export async function endPracticeSession(opts: {
  db: Db;
  sessionId: string;
  reason: string;
  status?: 'ended' | 'failed';
  /** The ender's W3C trace context, carried by the scoring job so the scorecard joins its trace. */
  trace?: { traceparent?: string; tracestate?: string };
}): Promise<boolean> {
  return opts.db.transaction(async (tx) => {
    const [ended] = await tx
      .update(practiceSessions)
      .set({ status: opts.status ?? 'ended', endedAt: new Date(), endReason: opts.reason })
      .where(
        and(
          eq(practiceSessions.id, opts.sessionId),
          inArray(practiceSessions.status, ['pending', 'live']),
        ),
      )
      .returning({ id: practiceSessions.id, dealershipId: practiceSessions.dealershipId });
    if (!ended) return false;
    const [spoke] = await tx
      .select({ one: sql`1` })
      .from(sessionTurns)
      .where(and(eq(sessionTurns.sessionId, ended.id), eq(sessionTurns.speaker, 'trainee')))
      .limit(1);
    if (spoke) await enqueueScoreSession({ db: tx, sessionId: ended.id, dealershipId: ended.dealershipId, ...opts.trace });
    return true;
  });
}

/** Called by the agent while it holds a session; false when the session is no longer open. */
export async function touchSessionHeartbeat(opts: { db: Db; sessionId: string }): Promise<boolean> {
  const rows = await opts.db
    .update(practiceSessions)
    .set({ heartbeatAt: new Date() })
    .where(and(eq(practiceSessions.id, opts.sessionId), inArray(practiceSessions.status, ['pending', 'live'])))
    .returning({ id: practiceSessions.id });
  return rows.length > 0;
}

/** How long a held session may go without a heartbeat; the agent beats every 10 s. */
export const HEARTBEAT_TIMEOUT_MS = 45_000;
/** How long a session may wait for an agent to pick it up at all. */
export const PICKUP_TIMEOUT_MS = 120_000;

/**
 * The reaper: fails sessions whose agent died (a crashed or killed job stops its heartbeat) or
 * that no agent ever picked up. Their turns stay as recorded. Safe to run from several processes
 * at once: each row changes only while still pending or live.
 */
export async function failAbandonedSessions(opts: {
  db: Db;
  now?: Date;
  dealershipId?: string;
  heartbeatTimeoutMs?: number;
  pickupTimeoutMs?: number;
}): Promise<{ id: string; dealershipId: string; endReason: string }[]> {
  const now = opts.now ?? new Date();
  const heartbeatCutoff = new Date(now.getTime() - (opts.heartbeatTimeoutMs ?? HEARTBEAT_TIMEOUT_MS));
  const pickupCutoff = new Date(now.getTime() - (opts.pickupTimeoutMs ?? PICKUP_TIMEOUT_MS));
  const lost = lt(practiceSessions.heartbeatAt, heartbeatCutoff);
  const neverPicked = and(isNull(practiceSessions.heartbeatAt), lt(practiceSessions.createdAt, pickupCutoff));
  return opts.db
    .update(practiceSessions)
    .set({
      status: 'failed',
      endedAt: now,
      endReason: sql`case when ${practiceSessions.heartbeatAt} is null then 'agent_never_joined' else 'agent_lost' end`,
    })
    .where(
      and(
        inArray(practiceSessions.status, ['pending', 'live']),
        or(lost, neverPicked),
        opts.dealershipId ? eq(practiceSessions.dealershipId, opts.dealershipId) : undefined,
      ),
    )
    .returning({
      id: practiceSessions.id,
      dealershipId: practiceSessions.dealershipId,
      endReason: sql<string>`${practiceSessions.endReason}`,
    });
}

/**
 * Every tenant-scoped write about a session starts here: the session must belong to
 * `dealershipId`, so a turn, metric or scorecard can never be attached to another tenant's session.
 */
export async function assertSessionOfDealership(db: Db | Tx, opts: { sessionId: string; dealershipId: string }): Promise<void> {
  const [session] = await db
    .select({ id: practiceSessions.id })
    .from(practiceSessions)
    .where(and(eq(practiceSessions.id, opts.sessionId), eq(practiceSessions.dealershipId, opts.dealershipId)))
    .limit(1);
  if (!session) {
    throw new AppError('NOT_FOUND', {
      message: `practice session ${opts.sessionId} not found for dealership ${opts.dealershipId}`,
    });
  }
}
