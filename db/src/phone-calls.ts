import { type SQL, and, asc, eq, isNull, sql } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { Db } from './client';
import { AppError } from './errors';
import { digestPhonePin } from './phone-pins';
import { getScenarioForDealership, scenarioVisibleTo } from './scenarios';
import { assignments, phoneCalls, phoneLines, phonePins, practiceSessions, scenarios, users } from './schema';
import type { TPhoneLine } from './phone-lines';
import type { TPracticeSession } from './sessions';

export type TPhoneCall = typeof phoneCalls.$inferSelect;
export type TPhoneCallOutcome = TPhoneCall['outcome'];
export type TPhoneTraineeMatch = { id: string; name: string };

/** Wrong PINs a caller may enter before the call is ended. */
export const MAX_PIN_ATTEMPTS = 3;

/**
 * Records a call that reached the agent. The dispatch names the line; if that line is gone or no
 * longer has the dialled number, the call is stored as `unknown_number` (already ended) and
 * `line` is null. Idempotent per room: a restarted job finds the same call.
 */
export async function openPhoneCall(opts: {
  db: Db;
  phoneLineId: string;
  roomName: string;
  callerNumber: string | null;
  calledNumber: string | null;
}): Promise<{ call: TPhoneCall; line: TPhoneLine | null }> {
  const [found] = await opts.db.select().from(phoneLines).where(eq(phoneLines.id, opts.phoneLineId)).limit(1);
  const line = found && (!opts.calledNumber || found.phoneNumber === opts.calledNumber) ? found : null;
  await opts.db
    .insert(phoneCalls)
    .values({
      dealershipId: line?.dealershipId ?? null,
      roomName: opts.roomName,
      callerNumber: opts.callerNumber,
      calledNumber: opts.calledNumber,
      ...(line ? {} : { outcome: 'unknown_number' as const, endedAt: new Date() }),
    })
    .onConflictDoNothing({ target: phoneCalls.roomName });
  const [call] = await opts.db.select().from(phoneCalls).where(eq(phoneCalls.roomName, opts.roomName)).limit(1);
  if (!call) throw new AppError('INTERNAL', { message: `phone call for room ${opts.roomName} not stored` });
  return { call, line };
}

/** A trainee whose registered caller ID is the calling number, if the line's dealership has one. */
export async function findTraineeByCallerId(opts: {
  db: Db;
  dealershipId: string;
  callerNumber: string | null;
}): Promise<TPhoneTraineeMatch | null> {
  if (!opts.callerNumber) return null;
  return findActivePinHolder(opts.db, opts.dealershipId, eq(phonePins.callerId, opts.callerNumber));
}

/** The active member of the dealership whose phone PIN row matches `match`. */
async function findActivePinHolder(db: Db, dealershipId: string, match: SQL): Promise<TPhoneTraineeMatch | null> {
  const [row] = await db
    .select({ id: users.id, name: users.name })
    .from(phonePins)
    .innerJoin(users, eq(users.id, phonePins.userId))
    .where(and(eq(phonePins.dealershipId, dealershipId), match, eq(users.status, 'active'), eq(users.dealershipId, dealershipId)))
    .limit(1);
  return row ?? null;
}

/**
 * Checks a PIN entered on a call. A wrong one counts as an attempt and is audited; the caller
 * decides what to say. Returns the trainee, or null with the attempts used so far.
 */
export async function checkPhonePin(opts: {
  db: Db;
  secret: string;
  call: TPhoneCall;
  dealershipId: string;
  pin: string;
}): Promise<{ trainee: TPhoneTraineeMatch | null; attempts: number }> {
  const pinDigest = digestPhonePin({ secret: opts.secret, dealershipId: opts.dealershipId, pin: opts.pin });
  const trainee = await findActivePinHolder(opts.db, opts.dealershipId, eq(phonePins.pinDigest, pinDigest));
  const [updated] = await opts.db
    .update(phoneCalls)
    .set({ pinAttempts: sql`${phoneCalls.pinAttempts} + 1` })
    .where(eq(phoneCalls.id, opts.call.id))
    .returning({ attempts: phoneCalls.pinAttempts });
  const attempts = updated?.attempts ?? opts.call.pinAttempts + 1;
  if (!trainee) {
    await recordAudit({
      db: opts.db,
      action: 'phone.pin_failed',
      dealershipId: opts.dealershipId,
      targetType: 'phone_call',
      targetId: opts.call.id,
      meta: { attempt: attempts, callerNumber: opts.call.callerNumber, roomName: opts.call.roomName },
    });
  }
  return { trainee: trainee ?? null, attempts };
}

/**
 * What an identified caller practises: their earliest-due assignment not yet passed, else the
 * line's default scenario, else Adam the coach.
 */
export async function choosePhoneScenario(opts: {
  db: Db;
  line: TPhoneLine;
  traineeId: string;
}): Promise<{ scenarioId: string; assignmentId: string | null }> {
  const passed = sql`exists (
    select 1 from ${practiceSessions} ps join scorecards sc on sc.session_id = ps.id
    where ps.assignment_id = ${assignments.id} and sc.status = 'complete' and sc.overall_score >= ${assignments.passMark})`;
  const [assignment] = await opts.db
    .select({ id: assignments.id, scenarioId: assignments.scenarioId })
    .from(assignments)
    .innerJoin(scenarios, eq(scenarios.id, assignments.scenarioId))
    .where(
      and(
        eq(assignments.dealershipId, opts.line.dealershipId),
        eq(assignments.traineeId, opts.traineeId),
        eq(scenarios.isActive, true),
        scenarioVisibleTo(opts.line.dealershipId),
        sql`not ${passed}`,
      ),
    )
    .orderBy(asc(assignments.dueAt))
    .limit(1);
  if (assignment) return { scenarioId: assignment.scenarioId, assignmentId: assignment.id };
  if (opts.line.defaultScenarioId) {
    const scenario = await getScenarioForDealership({
      db: opts.db,
      dealershipId: opts.line.dealershipId,
      scenarioId: opts.line.defaultScenarioId,
    });
    if (scenario) return { scenarioId: scenario.id, assignmentId: null };
  }
  const [coach] = await opts.db
    .select({ id: scenarios.id })
    .from(scenarios)
    .where(and(scenarioVisibleTo(opts.line.dealershipId), eq(scenarios.isActive, true), eq(scenarios.mode, 'coach')))
    .orderBy(sql`${scenarios.dealershipId} is null`, asc(scenarios.title))
    .limit(1);
  if (!coach) {
    throw new AppError('NOT_FOUND', {
      message: `dealership ${opts.line.dealershipId} has no scenario a phone call could start`,
      userMessage: 'There is no practice scenario set up for this line yet.',
    });
  }
  return { scenarioId: coach.id, assignmentId: null };
}

/** Creates the phone session in the call's room for an identified trainee and links it to the call. */
export async function startPhonePracticeSession(opts: {
  db: Db;
  call: TPhoneCall;
  line: TPhoneLine;
  traineeId: string;
}): Promise<TPracticeSession> {
  const choice = await choosePhoneScenario(opts);
  const [scenario] = await opts.db.select({ mode: scenarios.mode }).from(scenarios).where(eq(scenarios.id, choice.scenarioId));
  if (!scenario) throw new AppError('NOT_FOUND', { message: `scenario ${choice.scenarioId} vanished` });
  return opts.db.transaction(async (tx) => {
    const [session] = await tx
      .insert(practiceSessions)
      .values({
        dealershipId: opts.line.dealershipId,
        traineeId: opts.traineeId,
        scenarioId: choice.scenarioId,
        assignmentId: choice.assignmentId,
        mode: scenario.mode,
        channel: 'phone',
        roomName: opts.call.roomName,
      })
      .returning();
    if (!session) throw new AppError('INTERNAL', { message: 'insert returned no session row' });
    await tx
      .update(phoneCalls)
      .set({ traineeId: opts.traineeId, sessionId: session.id, outcome: 'practised' })
      .where(eq(phoneCalls.id, opts.call.id));
    return session;
  });
}

/**
 * Ends the call record once: the outcome is set only while it is still in progress (a practised
 * call stays practised), the end time only if not set yet.
 */
export async function finishPhoneCall(opts: { db: Db; callId: string; outcome: Exclude<TPhoneCallOutcome, 'in_progress'> }): Promise<void> {
  await opts.db
    .update(phoneCalls)
    .set({
      outcome: sql`case when ${phoneCalls.outcome} = 'in_progress' then ${opts.outcome}::phone_call_outcome else ${phoneCalls.outcome} end`,
      endedAt: sql`coalesce(${phoneCalls.endedAt}, now())`,
    })
    .where(and(eq(phoneCalls.id, opts.callId), isNull(phoneCalls.endedAt)));
}

export async function getPhoneCall(opts: { db: Db; roomName: string }): Promise<TPhoneCall | null> {
  const [row] = await opts.db.select().from(phoneCalls).where(eq(phoneCalls.roomName, opts.roomName)).limit(1);
  return row ?? null;
}
