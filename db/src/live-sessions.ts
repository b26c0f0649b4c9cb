import { and, desc, eq, gte, inArray, isNull, or } from 'drizzle-orm';
import type { Db } from './client';
import { AppError } from './errors';
import { practiceSessions, scenarios, users } from './schema';
import { HEARTBEAT_TIMEOUT_MS, PICKUP_TIMEOUT_MS, type TPracticeSession } from './sessions';

const OPEN_STATUSES: TPracticeSession['status'][] = ['pending', 'live'];

export type TLiveSession = {
  id: string;
  status: 'pending' | 'live';
  mode: TPracticeSession['mode'];
  channel: TPracticeSession['channel'];
  roomName: string;
  traineeId: string;
  traineeName: string;
  scenarioTitle: string;
  /** Who the agent plays (the customer, or Adam), so a listener can tell the voices apart. */
  personaName: string;
  createdAt: Date;
  /** When the agent started talking; null while the session is still pending. */
  liveAt: Date | null;
};

/**
 * The practice sessions of `dealershipId` going on right now (pending or live), newest first, for
 * a manager who may listen in. Sessions the reaper is about to fail (no heartbeat, or never picked
 * up) are left out: their room is gone, so there is nothing to listen to.
 */
export async function listLiveSessions(opts: { db: Db; dealershipId: string; now?: Date }): Promise<TLiveSession[]> {
  const now = (opts.now ?? new Date()).getTime();
  const heartbeatFresh = gte(practiceSessions.heartbeatAt, new Date(now - HEARTBEAT_TIMEOUT_MS));
  const awaitingPickup = and(
    isNull(practiceSessions.heartbeatAt),
    gte(practiceSessions.createdAt, new Date(now - PICKUP_TIMEOUT_MS)),
  );
  const rows = await opts.db
    .select({
      id: practiceSessions.id,
      status: practiceSessions.status,
      mode: practiceSessions.mode,
      channel: practiceSessions.channel,
      roomName: practiceSessions.roomName,
      traineeId: practiceSessions.traineeId,
      traineeName: users.name,
      scenarioTitle: scenarios.title,
      persona: scenarios.persona,
      createdAt: practiceSessions.createdAt,
      liveAt: practiceSessions.liveAt,
    })
    .from(practiceSessions)
    .innerJoin(users, eq(users.id, practiceSessions.traineeId))
    .innerJoin(scenarios, eq(scenarios.id, practiceSessions.scenarioId))
    .where(
      and(
        eq(practiceSessions.dealershipId, opts.dealershipId),
        inArray(practiceSessions.status, OPEN_STATUSES),
        or(heartbeatFresh, awaitingPickup),
      ),
    )
    .orderBy(desc(practiceSessions.createdAt));
  return rows.map(({ persona, status, ...row }) => ({
    ...row,
    status: status as TLiveSession['status'],
    personaName: persona.name,
  }));
}

/**
 * The session of `dealershipId` a manager asked to listen to, if it is still going on. Another
 * dealership's session is NOT_FOUND (ids cannot be probed); one still starting or already over is
 * CONFLICT.
 */
export async function getSessionToObserve(opts: {
  db: Db;
  dealershipId: string;
  sessionId: string;
}): Promise<TPracticeSession> {
  const [session] = await opts.db
    .select()
    .from(practiceSessions)
    .where(and(eq(practiceSessions.id, opts.sessionId), eq(practiceSessions.dealershipId, opts.dealershipId)))
    .limit(1);
  if (!session) {
    throw new AppError('NOT_FOUND', {
      message: `session ${opts.sessionId} not found for dealership ${opts.dealershipId}`,
      userMessage: 'That practice session does not exist.',
    });
  }
  // Only once the agent is talking: an observer who joins a pending room and leaves before the
  // trainee arrives makes livekit-server close the room early (it counts as a participant), and
  // the trainee would then find no agent.
  if (session.status === 'pending') {
    throw new AppError('CONFLICT', {
      message: `session ${session.id} is still pending`,
      userMessage: 'That session is still starting. Try again in a few seconds.',
    });
  }
  if (!OPEN_STATUSES.includes(session.status)) {
    throw new AppError('CONFLICT', {
      message: `session ${session.id} is ${session.status}, not observable`,
      userMessage: 'That practice session has already ended, so there is nothing to listen to.',
    });
  }
  return session;
}
