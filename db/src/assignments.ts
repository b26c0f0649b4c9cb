import { and, asc, eq, inArray } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { Db } from './client';
import { AppError } from './errors';
import { getScenarioForDealership } from './scenarios';
import { assignments, users } from './schema';

export type TAssignment = typeof assignments.$inferSelect;

/** More than a dealership's whole floor at once would be a mistake rather than a plan. */
export const MAX_TRAINEES_PER_ASSIGNMENT = 100;

const badRequest = (message: string, userMessage: string) => new AppError('BAD_REQUEST', { message, userMessage });

/**
 * Assigns one scenario to several trainees of the dealership at once (one row each), all or
 * nothing. The scenario must be an active role-play the dealership may use (coach sessions are not
 * scored, so they could never pass), every trainee an active trainee of the same dealership, the
 * due date in the future and the pass mark a whole number from 1 to 100.
 */
export async function createAssignments(opts: {
  db: Db;
  dealershipId: string;
  assignedById: string;
  scenarioId: string;
  traineeIds: readonly string[];
  dueAt: Date;
  passMark: number;
  now?: Date;
}): Promise<TAssignment[]> {
  const traineeIds = [...new Set(opts.traineeIds)];
  const now = opts.now ?? new Date();
  if (traineeIds.length === 0) throw badRequest('no trainees', 'Choose at least one trainee.');
  if (traineeIds.length > MAX_TRAINEES_PER_ASSIGNMENT) {
    throw badRequest('too many trainees', `Assign at most ${MAX_TRAINEES_PER_ASSIGNMENT} trainees at a time.`);
  }
  if (!Number.isInteger(opts.passMark) || opts.passMark < 1 || opts.passMark > 100) {
    throw badRequest(`pass mark ${opts.passMark}`, 'The pass mark must be a whole number from 1 to 100.');
  }
  if (Number.isNaN(opts.dueAt.getTime()) || opts.dueAt.getTime() <= now.getTime()) {
    throw badRequest(`due date ${opts.dueAt.getTime()} not after ${now.getTime()}`, 'The due date must be in the future.');
  }
  const scenario = await getScenarioForDealership(opts);
  if (!scenario) {
    throw new AppError('NOT_FOUND', {
      message: `scenario ${opts.scenarioId} not available to dealership ${opts.dealershipId}`,
      userMessage: 'That scenario does not exist or has been archived.',
    });
  }
  if (scenario.mode !== 'roleplay') {
    throw badRequest('coach scenario assigned', 'Coaching sessions are not scored, so only role-plays can be assigned.');
  }
  const trainees = await listAssignableTrainees({ db: opts.db, dealershipId: opts.dealershipId, ids: traineeIds });
  if (trainees.length !== traineeIds.length) {
    // Says neither which id failed nor why, so another dealership's users cannot be probed.
    throw badRequest(
      `trainees ${traineeIds.join(',')} are not all active trainees of ${opts.dealershipId}`,
      'Only active trainees of your dealership can be given assignments.',
    );
  }
  return opts.db.transaction(async (tx) => {
    const rows = await tx
      .insert(assignments)
      .values(
        traineeIds.map((traineeId) => ({
          dealershipId: opts.dealershipId,
          scenarioId: scenario.id,
          traineeId,
          assignedById: opts.assignedById,
          dueAt: opts.dueAt,
          passMark: opts.passMark,
        })),
      )
      .returning();
    for (const row of rows) {
      await recordAudit({
        db: tx,
        action: 'assignment.create',
        actorId: opts.assignedById,
        dealershipId: opts.dealershipId,
        targetType: 'assignment',
        targetId: row.id,
        meta: { scenarioId: row.scenarioId, traineeId: row.traineeId, dueAt: row.dueAt.toISOString(), passMark: row.passMark },
      });
    }
    return rows;
  });
}

/** Removes an assignment; its sessions stay in the history (their assignment link is cleared). */
export async function deleteAssignment(opts: {
  db: Db;
  dealershipId: string;
  assignmentId: string;
  actorId: string;
}): Promise<void> {
  await opts.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(assignments)
      .where(and(eq(assignments.id, opts.assignmentId), eq(assignments.dealershipId, opts.dealershipId)))
      .returning();
    if (!row) {
      throw new AppError('NOT_FOUND', {
        message: `assignment ${opts.assignmentId} not found in dealership ${opts.dealershipId}`,
        userMessage: 'That assignment does not exist.',
      });
    }
    await recordAudit({
      db: tx,
      action: 'assignment.delete',
      actorId: opts.actorId,
      dealershipId: opts.dealershipId,
      targetType: 'assignment',
      targetId: row.id,
      meta: { scenarioId: row.scenarioId, traineeId: row.traineeId },
    });
  });
}

/** Active trainees of the dealership (optionally only these ids), by name: who can be assigned. */
export async function listAssignableTrainees(opts: { db: Db; dealershipId: string; ids?: readonly string[] }) {
  return opts.db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(
      and(
        eq(users.dealershipId, opts.dealershipId),
        eq(users.role, 'trainee'),
        eq(users.status, 'active'),
        opts.ids ? inArray(users.id, [...opts.ids]) : undefined,
      ),
    )
    .orderBy(asc(users.name), asc(users.id));
}

/**
 * For `startPracticeSession`: the assignment must be the trainee's own, in their dealership, and
 * for the scenario being started, before a session may carry its id.
 */
export async function assertAssignmentForSession(opts: {
  db: Db;
  dealershipId: string;
  traineeId: string;
  scenarioId: string;
  assignmentId: string;
}): Promise<void> {
  const [row] = await opts.db
    .select({ scenarioId: assignments.scenarioId })
    .from(assignments)
    .where(
      and(
        eq(assignments.id, opts.assignmentId),
        eq(assignments.dealershipId, opts.dealershipId),
        eq(assignments.traineeId, opts.traineeId),
      ),
    )
    .limit(1);
  if (!row) {
    throw new AppError('NOT_FOUND', {
      message: `assignment ${opts.assignmentId} is not user ${opts.traineeId}'s in dealership ${opts.dealershipId}`,
      userMessage: 'That assignment does not exist or is not yours.',
    });
  }
  if (row.scenarioId !== opts.scenarioId) {
    throw badRequest(
      `assignment ${opts.assignmentId} is for scenario ${row.scenarioId}, not ${opts.scenarioId}`,
      'That assignment is for a different scenario.',
    );
  }
}
