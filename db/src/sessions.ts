import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from './client';
import { AppError } from './errors';
import { getScenarioForDealership } from './scenarios';
import { practiceSessions, scenarios, users } from './schema';

export type TPracticeSession = typeof practiceSessions.$inferSelect;

/**
 * Creates the session row (status pending) for a trainee of `dealershipId` on a scenario that
 * dealership may use. The LiveKit room is created by the caller after this succeeds.
 */
export async function startPracticeSession(opts: {
  db: Db;
  dealershipId: string;
  traineeId: string;
  scenarioId: string;
  channel: 'web' | 'phone';
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
  const [session] = await opts.db
    .insert(practiceSessions)
    .values({
      dealershipId: opts.dealershipId,
      traineeId: opts.traineeId,
      scenarioId: scenario.id,
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
 * outcome, so a late shutdown hook cannot overwrite why it really ended.
 */
export async function endPracticeSession(opts: {
  db: Db;
  sessionId: string;
  reason: string;
  status?: 'ended' | 'failed';
}): Promise<boolean> {
  const rows = await opts.db
    .update(practiceSessions)
    .set({ status: opts.status ?? 'ended', endedAt: new Date(), endReason: opts.reason })
    .where(
      and(
        eq(practiceSessions.id, opts.sessionId),
        inArray(practiceSessions.status, ['pending', 'live']),
      ),
    )
    .returning({ id: practiceSessions.id });
  return rows.length > 0;
}
