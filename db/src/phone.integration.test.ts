import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from './errors';
import { checkPhonePin, finishPhoneCall, findTraineeByCallerId, openPhoneCall, startPhonePracticeSession } from './phone-calls';
import { deletePhoneLine, issuePhonePin, listPhoneTrainees, savePhoneLine, setPhoneCallerId, validatePhoneLine } from './phone-lines';
import { normalizePhoneNumber } from './phone-pins';
import { assignments, auditLog, phoneCalls, phonePins, scenarios } from './schema';
import { createTenantUsers, createTestDb } from './testing';

const SECRET = 'phone-pin-secret-for-tests-only-0123456789';

describe('phone practice records', () => {
  let t: Awaited<ReturnType<typeof createTestDb>>;
  let users: Awaited<ReturnType<typeof createTenantUsers>>;
  beforeAll(async () => {
    t = await createTestDb();
    users = await createTenantUsers(t);
  });
  afterAll(async () => t?.close());

  const lakeside = () => t.seeded.dealershipId;
  const saveLine = async (phoneNumber = '+13125550100', defaultScenarioId: string | null = null) => {
    const valid = await validatePhoneLine({ db: t.db, dealershipId: lakeside(), phoneNumber, defaultScenarioId });
    return savePhoneLine({ db: t.db, dealershipId: lakeside(), actorId: users.lakeside.manager.id, ...valid, sipTrunkId: 'ST_x', sipDispatchRuleId: 'SDR_x' });
  };

  it('normalises numbers to E.164 and refuses what is not a number', () => {
    expect(normalizePhoneNumber('(312) 555-0100')).toBe('+13125550100');
    expect(normalizePhoneNumber('+44 20 7946 0958')).toBe('+442079460958');
    expect(normalizePhoneNumber('call me')).toBeNull();
    expect(normalizePhoneNumber('12')).toBeNull();
  });

  it("refuses another dealership's number and a scenario the dealership cannot use", async () => {
    const line = await saveLine();
    await expect(
      validatePhoneLine({ db: t.db, dealershipId: users.other.dealershipId, phoneNumber: line.phoneNumber, defaultScenarioId: null }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    const [foreign] = await t.db
      .insert(scenarios)
      .values({ dealershipId: users.other.dealershipId, title: 'Theirs', mode: 'coach', persona: { name: 'X', personality: 'x', background: 'x' } as never, patience: { minEndpointingDelayMs: 500, maxEndpointingDelayMs: 3000 } as never })
      .returning();
    await expect(
      validatePhoneLine({ db: t.db, dealershipId: lakeside(), phoneNumber: '+13125550100', defaultScenarioId: foreign!.id }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('issues a PIN that identifies the trainee on a call; a wrong one counts and is audited', async () => {
    const line = await saveLine();
    const pin = await issuePhonePin({ db: t.db, secret: SECRET, dealershipId: lakeside(), traineeId: users.lakeside.trainee.id, actorId: users.lakeside.manager.id });
    expect(pin).toMatch(/^\d{6}$/);
    const [stored] = await t.db.select().from(phonePins).where(eq(phonePins.userId, users.lakeside.trainee.id));
    expect(stored?.pinDigest).not.toContain(pin);

    const { call } = await openPhoneCall({ db: t.db, phoneLineId: line.id, roomName: 'phone-a', callerNumber: '+15550111', calledNumber: line.phoneNumber });
    const wrongPin = pin === '000000' ? '111111' : '000000';
    const wrong = await checkPhonePin({ db: t.db, secret: SECRET, call, dealershipId: lakeside(), pin: wrongPin });
    expect(wrong).toEqual({ trainee: null, attempts: 1 });
    const right = await checkPhonePin({ db: t.db, secret: SECRET, call, dealershipId: lakeside(), pin });
    expect(right.trainee?.id).toBe(users.lakeside.trainee.id);
    expect(right.attempts).toBe(2);
    const audits = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'phone.pin_failed'), eq(auditLog.targetId, call.id)));
    expect(audits).toHaveLength(1);

    // The same PIN means nothing on another dealership's line.
    const other = await checkPhonePin({ db: t.db, secret: SECRET, call, dealershipId: users.other.dealershipId, pin });
    expect(other.trainee).toBeNull();
  });

  it('refuses PINs and caller IDs for people outside the dealership', async () => {
    await expect(
      issuePhonePin({ db: t.db, secret: SECRET, dealershipId: lakeside(), traineeId: users.outsiders.trainee.id, actorId: users.lakeside.manager.id }),
    ).rejects.toSatisfy((e) => isAppError(e) && e.code === 'NOT_FOUND');
    await expect(
      setPhoneCallerId({ db: t.db, dealershipId: users.other.dealershipId, traineeId: users.lakeside.trainee.id, actorId: users.outsiders.manager.id, callerId: '+15550199' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const listed = await listPhoneTrainees({ db: t.db, dealershipId: users.other.dealershipId });
    expect(listed.map((u) => u.id)).toEqual([users.outsiders.trainee.id]);
  });

  it('identifies by registered caller ID, and refuses a caller ID already taken', async () => {
    await issuePhonePin({ db: t.db, secret: SECRET, dealershipId: lakeside(), traineeId: users.lakeside.secondTrainee.id, actorId: users.lakeside.manager.id });
    await setPhoneCallerId({ db: t.db, dealershipId: lakeside(), traineeId: users.lakeside.secondTrainee.id, actorId: users.lakeside.manager.id, callerId: '(312) 555-0123' });
    const match = await findTraineeByCallerId({ db: t.db, dealershipId: lakeside(), callerNumber: '+13125550123' });
    expect(match?.id).toBe(users.lakeside.secondTrainee.id);
    expect(await findTraineeByCallerId({ db: t.db, dealershipId: users.other.dealershipId, callerNumber: '+13125550123' })).toBeNull();
    await expect(
      setPhoneCallerId({ db: t.db, dealershipId: lakeside(), traineeId: users.lakeside.trainee.id, actorId: users.lakeside.manager.id, callerId: '+13125550123' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('starts the open assignment first, then the line default, then the coach', async () => {
    const all = await t.db.select().from(scenarios).where(eq(scenarios.isActive, true));
    const roleplays = all.filter((s) => s.mode === 'roleplay');
    const line = await saveLine('+13125550100', roleplays[0]!.id);
    const start = async (roomName: string) => {
      const { call } = await openPhoneCall({ db: t.db, phoneLineId: line.id, roomName, callerNumber: null, calledNumber: line.phoneNumber });
      return startPhonePracticeSession({ db: t.db, call, line, traineeId: users.lakeside.trainee.id });
    };
    const byDefault = await start('phone-default');
    expect(byDefault).toMatchObject({ scenarioId: roleplays[0]!.id, channel: 'phone', assignmentId: null, roomName: 'phone-default' });
    const [assignment] = await t.db
      .insert(assignments)
      .values({ dealershipId: lakeside(), scenarioId: roleplays[1]!.id, traineeId: users.lakeside.trainee.id, dueAt: new Date(Date.now() + 86_400_000), passMark: 70 })
      .returning();
    const byAssignment = await start('phone-assigned');
    expect(byAssignment).toMatchObject({ scenarioId: roleplays[1]!.id, assignmentId: assignment!.id });
    const [call] = await t.db.select().from(phoneCalls).where(eq(phoneCalls.roomName, 'phone-assigned'));
    expect(call).toMatchObject({ outcome: 'practised', sessionId: byAssignment.id, traineeId: users.lakeside.trainee.id });

    await t.db.delete(assignments);
    const noDefault = await saveLine('+13125550100', null);
    const { call: coachCall } = await openPhoneCall({ db: t.db, phoneLineId: noDefault.id, roomName: 'phone-coach', callerNumber: null, calledNumber: null });
    const coach = await startPhonePracticeSession({ db: t.db, call: coachCall, line: noDefault, traineeId: users.lakeside.trainee.id });
    expect(coach.mode).toBe('coach');
  });

  it('stores a call to a line that no longer exists as unknown_number, ended', async () => {
    const line = await saveLine('+13125550100');
    await deletePhoneLine({ db: t.db, dealershipId: lakeside(), actorId: users.lakeside.manager.id });
    const { call, line: found } = await openPhoneCall({ db: t.db, phoneLineId: line.id, roomName: 'phone-gone', callerNumber: '+15550111', calledNumber: '+13125550100' });
    expect(found).toBeNull();
    expect(call.outcome).toBe('unknown_number');
    expect(call.endedAt).not.toBeNull();
  });

  it('finishes a call once and never overwrites a practised outcome', async () => {
    const line = await saveLine('+13125550100');
    const { call } = await openPhoneCall({ db: t.db, phoneLineId: line.id, roomName: 'phone-finish', callerNumber: null, calledNumber: null });
    await finishPhoneCall({ db: t.db, callId: call.id, outcome: 'wrong_pin' });
    await finishPhoneCall({ db: t.db, callId: call.id, outcome: 'hung_up' });
    const [row] = await t.db.select().from(phoneCalls).where(eq(phoneCalls.id, call.id));
    expect(row).toMatchObject({ outcome: 'wrong_pin' });
    expect(row?.endedAt).toBeInstanceOf(Date);
  });
});
