import { and, asc, eq, gte, isNotNull, isNull, ne, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { deriveAssignmentStatus, type TAssignmentStatus } from './assignments-status';
import type { Db } from './client';
import { assignments, practiceSessions, scenarios, scorecards, users } from './schema';

export type TAssignmentProgress = {
  id: string;
  scenarioId: string;
  scenarioTitle: string;
  /** Archived scenarios cannot be practised; the assignment stays visible with its history. */
  scenarioActive: boolean;
  personaName: string;
  traineeId: string;
  traineeName: string;
  assignedByName: string | null;
  dueAt: Date;
  passMark: number;
  createdAt: Date;
  status: TAssignmentStatus;
  /** Sessions that count for the assignment, except rooms that never opened. */
  attempts: number;
  /** Highest overall score among its complete scorecards (auto-failed ones are capped at 49). */
  bestScore: number | null;
  lastAttemptAt: Date | null;
};

const assigner = alias(users, 'assigner');

/**
 * Which sessions count for an assignment: those started from it (`assignment_id`), plus the
 * trainee's free practice of the same scenario started after it was assigned (no assignment id)
 * — however they practised, the work shows. A session started from another assignment counts
 * only for that one. Failed sessions that never went live (room not created, no agent) are not
 * attempts.
 */
const countedSession = and(
  eq(practiceSessions.dealershipId, assignments.dealershipId),
  eq(practiceSessions.traineeId, assignments.traineeId),
  eq(practiceSessions.scenarioId, assignments.scenarioId),
  or(
    eq(practiceSessions.assignmentId, assignments.id),
    and(isNull(practiceSessions.assignmentId), gte(practiceSessions.createdAt, assignments.createdAt)),
  ),
  or(ne(practiceSessions.status, 'failed'), isNotNull(practiceSessions.liveAt)),
);

async function listProgress(db: Db, where: SQL | undefined, now: Date): Promise<TAssignmentProgress[]> {
  const rows = await db
    .select({
      id: assignments.id,
      scenarioId: assignments.scenarioId,
      scenarioTitle: scenarios.title,
      scenarioActive: scenarios.isActive,
      persona: scenarios.persona,
      traineeId: assignments.traineeId,
      traineeName: users.name,
      assignedByName: assigner.name,
      dueAt: assignments.dueAt,
      passMark: assignments.passMark,
      createdAt: assignments.createdAt,
      attempts: sql<number>`count(${practiceSessions.id})`.mapWith(Number),
      bestScore: sql<number | null>`max(${scorecards.overallScore}) filter (where ${scorecards.status} = 'complete')`.mapWith(Number),
      passed: sql<boolean>`coalesce(bool_or(${scorecards.status} = 'complete' and not ${scorecards.autoFailed} and ${scorecards.overallScore} >= ${assignments.passMark}), false)`,
      lastAttemptAt: sql<Date | null>`max(${practiceSessions.createdAt})`.mapWith(practiceSessions.createdAt),
    })
    .from(assignments)
    .innerJoin(scenarios, eq(scenarios.id, assignments.scenarioId))
    .innerJoin(users, eq(users.id, assignments.traineeId))
    .leftJoin(assigner, eq(assigner.id, assignments.assignedById))
    .leftJoin(practiceSessions, countedSession)
    .leftJoin(
      scorecards,
      and(eq(scorecards.sessionId, practiceSessions.id), eq(scorecards.dealershipId, assignments.dealershipId)),
    )
    .where(where)
    .groupBy(assignments.id, scenarios.id, users.id, assigner.id)
    .orderBy(asc(assignments.dueAt), asc(users.name), asc(assignments.id));
  return rows.map(({ persona, passed, ...row }) => ({
    ...row,
    personaName: persona.name,
    status: deriveAssignmentStatus({ dueAt: row.dueAt, attempts: row.attempts, passed: Boolean(passed) }, now),
  }));
}

/** Every assignment of the dealership with its derived status, soonest due first. */
export function listAssignmentsForDealership(opts: { db: Db; dealershipId: string; now?: Date }) {
  return listProgress(opts.db, eq(assignments.dealershipId, opts.dealershipId), opts.now ?? new Date());
}

/** One trainee's own assignments, soonest due first. */
export function listAssignmentsForTrainee(opts: { db: Db; dealershipId: string; traineeId: string; now?: Date }) {
  return listProgress(
    opts.db,
    and(eq(assignments.dealershipId, opts.dealershipId), eq(assignments.traineeId, opts.traineeId)),
    opts.now ?? new Date(),
  );
}
