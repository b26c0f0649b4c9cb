import { and, asc, eq } from 'drizzle-orm';
import { recordAudit } from './audit';
import type { Db } from './client';
import { AppError } from './errors';
import { digestPhonePin, generatePhonePin, normalizePhoneNumber } from './phone-pins';
import { getScenarioForDealership } from './scenarios';
import { phoneLines, phonePins, users } from './schema';

export type TPhoneLine = typeof phoneLines.$inferSelect;

export async function getPhoneLine(opts: { db: Db; dealershipId: string }): Promise<TPhoneLine | null> {
  const [row] = await opts.db.select().from(phoneLines).where(eq(phoneLines.dealershipId, opts.dealershipId)).limit(1);
  return row ?? null;
}

/** A line by id, only if it belongs to the dealership (the agent checks its dispatch this way). */
export async function getPhoneLineById(opts: { db: Db; phoneLineId: string }): Promise<TPhoneLine | null> {
  const [row] = await opts.db.select().from(phoneLines).where(eq(phoneLines.id, opts.phoneLineId)).limit(1);
  return row ?? null;
}

/**
 * Validates a practice line's settings without saving them, so the caller can provision LiveKit
 * first and store only what LiveKit accepted.
 */
export async function validatePhoneLine(opts: {
  db: Db;
  dealershipId: string;
  phoneNumber: string;
  defaultScenarioId: string | null;
}): Promise<{ phoneNumber: string; defaultScenarioId: string | null }> {
  const phoneNumber = normalizePhoneNumber(opts.phoneNumber);
  if (!phoneNumber) {
    throw new AppError('BAD_REQUEST', {
      message: `invalid phone number ${JSON.stringify(opts.phoneNumber)}`,
      userMessage: 'Enter the number in international form, e.g. +1 312 555 0100.',
    });
  }
  const [taken] = await opts.db
    .select({ dealershipId: phoneLines.dealershipId })
    .from(phoneLines)
    .where(eq(phoneLines.phoneNumber, phoneNumber))
    .limit(1);
  if (taken && taken.dealershipId !== opts.dealershipId) {
    throw new AppError('CONFLICT', {
      message: `phone number ${phoneNumber} belongs to another dealership`,
      userMessage: 'That number is already used by another dealership.',
    });
  }
  if (opts.defaultScenarioId) {
    const scenario = await getScenarioForDealership({ db: opts.db, dealershipId: opts.dealershipId, scenarioId: opts.defaultScenarioId });
    if (!scenario) {
      throw new AppError('NOT_FOUND', {
        message: `scenario ${opts.defaultScenarioId} not available to dealership ${opts.dealershipId}`,
        userMessage: 'That scenario does not exist or is no longer available.',
      });
    }
  }
  return { phoneNumber, defaultScenarioId: opts.defaultScenarioId };
}

/** Stores the line with the LiveKit SIP objects provisioned for it (one line per dealership). */
export async function savePhoneLine(opts: {
  db: Db;
  /** The id the SIP dispatch already names; kept when the line exists. */
  id?: string;
  dealershipId: string;
  actorId: string;
  phoneNumber: string;
  defaultScenarioId: string | null;
  sipTrunkId: string;
  sipDispatchRuleId: string;
}): Promise<TPhoneLine> {
  const values = {
    dealershipId: opts.dealershipId,
    phoneNumber: opts.phoneNumber,
    defaultScenarioId: opts.defaultScenarioId,
    sipTrunkId: opts.sipTrunkId,
    sipDispatchRuleId: opts.sipDispatchRuleId,
  };
  return opts.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(phoneLines)
      .values({ ...values, ...(opts.id ? { id: opts.id } : {}) })
      .onConflictDoUpdate({ target: phoneLines.dealershipId, set: { ...values, updatedAt: new Date() } })
      .returning();
    if (!row) throw new AppError('INTERNAL', { message: 'phone line upsert returned no row' });
    await recordAudit({
      db: tx,
      action: 'phone.line_saved',
      actorId: opts.actorId,
      dealershipId: opts.dealershipId,
      targetType: 'phone_line',
      targetId: row.id,
      meta: { phoneNumber: row.phoneNumber, defaultScenarioId: row.defaultScenarioId },
    });
    return row;
  });
}

export async function deletePhoneLine(opts: { db: Db; dealershipId: string; actorId: string }): Promise<TPhoneLine | null> {
  return opts.db.transaction(async (tx) => {
    const [row] = await tx.delete(phoneLines).where(eq(phoneLines.dealershipId, opts.dealershipId)).returning();
    if (row) {
      await recordAudit({
        db: tx,
        action: 'phone.line_removed',
        actorId: opts.actorId,
        dealershipId: opts.dealershipId,
        targetType: 'phone_line',
        targetId: row.id,
        meta: { phoneNumber: row.phoneNumber },
      });
    }
    return row ?? null;
  });
}

export type TPhoneTrainee = { id: string; name: string; email: string; hasPin: boolean; callerId: string | null };

/** The dealership's active trainees with whether each can call in. */
export async function listPhoneTrainees(opts: { db: Db; dealershipId: string }): Promise<TPhoneTrainee[]> {
  const rows = await opts.db
    .select({ id: users.id, name: users.name, email: users.email, pin: phonePins.pinDigest, callerId: phonePins.callerId })
    .from(users)
    .leftJoin(phonePins, eq(phonePins.userId, users.id))
    .where(and(eq(users.dealershipId, opts.dealershipId), eq(users.role, 'trainee'), eq(users.status, 'active')))
    .orderBy(asc(users.name));
  return rows.map((r) => ({ id: r.id, name: r.name, email: r.email, hasPin: r.pin !== null, callerId: r.callerId }));
}

/**
 * Gives a trainee of the dealership a new random PIN and returns it: the only time it exists in
 * clear. A collision with another trainee's PIN is retried with a new one.
 */
export async function issuePhonePin(opts: {
  db: Db;
  secret: string;
  dealershipId: string;
  traineeId: string;
  actorId: string;
}): Promise<string> {
  await assertTraineeOfDealership(opts);
  for (let attempt = 0; attempt < 5; attempt++) {
    const pin = generatePhonePin();
    const pinDigest = digestPhonePin({ secret: opts.secret, dealershipId: opts.dealershipId, pin });
    // Outside a transaction: a unique violation would abort it, and the retry needs a live one.
    const [row] = await opts.db
      .insert(phonePins)
      .values({ userId: opts.traineeId, dealershipId: opts.dealershipId, pinDigest })
      .onConflictDoUpdate({ target: phonePins.userId, set: { pinDigest, updatedAt: new Date() } })
      .returning()
      .catch((error: unknown) => {
        if (isUniqueViolation(error)) return [];
        throw error;
      });
    if (row) {
      await recordAudit({
        db: opts.db,
        action: 'phone.pin_issued',
        actorId: opts.actorId,
        dealershipId: opts.dealershipId,
        targetType: 'user',
        targetId: opts.traineeId,
      });
      return pin;
    }
  }
  throw new AppError('INTERNAL', { message: 'could not find an unused PIN in 5 tries' });
}

/** Sets or clears the caller ID that identifies a trainee without a PIN. */
export async function setPhoneCallerId(opts: {
  db: Db;
  dealershipId: string;
  traineeId: string;
  actorId: string;
  callerId: string | null;
}): Promise<string | null> {
  await assertTraineeOfDealership(opts);
  const callerId = opts.callerId === null || opts.callerId.trim() === '' ? null : normalizePhoneNumber(opts.callerId);
  if (opts.callerId && opts.callerId.trim() !== '' && !callerId) {
    throw new AppError('BAD_REQUEST', {
      message: `invalid caller ID ${JSON.stringify(opts.callerId)}`,
      userMessage: 'Enter the caller ID in international form, e.g. +1 312 555 0123.',
    });
  }
  return opts.db.transaction(async (tx) => {
    const [row] = await tx
      .update(phonePins)
      .set({ callerId, updatedAt: new Date() })
      .where(and(eq(phonePins.userId, opts.traineeId), eq(phonePins.dealershipId, opts.dealershipId)))
      .returning()
      .catch((error: unknown) => {
        if (!isUniqueViolation(error)) throw error;
        throw new AppError('CONFLICT', {
          message: `caller ID ${callerId} already identifies another trainee`,
          userMessage: 'That caller ID already belongs to another trainee.',
        });
      });
    if (!row) {
      throw new AppError('BAD_REQUEST', {
        message: `trainee ${opts.traineeId} has no PIN yet`,
        userMessage: 'Issue a PIN first; the caller ID is an addition to it.',
      });
    }
    await recordAudit({
      db: tx,
      action: 'phone.caller_id_set',
      actorId: opts.actorId,
      dealershipId: opts.dealershipId,
      targetType: 'user',
      targetId: opts.traineeId,
      meta: { callerId },
    });
    return callerId;
  });
}

async function assertTraineeOfDealership(opts: { db: Db; dealershipId: string; traineeId: string }): Promise<void> {
  const [row] = await opts.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, opts.traineeId), eq(users.dealershipId, opts.dealershipId), eq(users.status, 'active')))
    .limit(1);
  if (!row) {
    throw new AppError('NOT_FOUND', {
      message: `user ${opts.traineeId} is not an active member of dealership ${opts.dealershipId}`,
      userMessage: 'That person is not an active member of your dealership.',
    });
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string; cause?: { code?: string } })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  return code === '23505';
}
