import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssignments, deleteAssignment } from './assignments';
import { listAssignmentsForDealership, listAssignmentsForTrainee } from './assignments-progress';
import { hashPassword } from './passwords';
import { saveScorecard } from './scorecards';
import { assignments, auditLog, practiceSessions, scenarios, users } from './schema';
import { endPracticeSession, startPracticeSession } from './sessions';
import { createOtherDealership, createTestDb } from './testing';

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createOtherDealership>>;
let ids: { dealershipId: string; manager: string; trainee: string; second: string; disabled: string };
let roleplay: string;
let coach: string;
let otherPrivate: string;

const DAY = 24 * 60 * 60 * 1000;
const inDays = (n: number) => new Date(Date.now() + n * DAY);

beforeAll(async () => {
  t = await createTestDb();
  other = await createOtherDealership(t.db);
  const dealershipId = t.seeded.dealershipId;
  const passwordHash = await hashPassword('a-long-enough-password');
  const [second, disabled] = await t.db
    .insert(users)
    .values([
      { dealershipId, email: 'second@lakeside.example', name: 'Sam Second', role: 'trainee', passwordHash },
      { dealershipId, email: 'gone@lakeside.example', name: 'Gina Gone', role: 'trainee', status: 'disabled', passwordHash },
    ])
    .returning();
  ids = { dealershipId, manager: t.seeded.userIds.dealership_admin!, trainee: t.seeded.userIds.trainee!, second: second!.id, disabled: disabled!.id };
  const rows = await t.db.select().from(scenarios);
  roleplay = rows.find((s) => s.dealershipId === null && s.mode === 'roleplay')!.id;
  coach = rows.find((s) => s.mode === 'coach')!.id;
  const [theirs] = await t.db
    .insert(scenarios)
    .values({ ...rows.find((s) => s.id === roleplay)!, id: undefined, dealershipId: other.dealershipId, title: 'Theirs' })
    .returning();
  otherPrivate = theirs!.id;
});
afterAll(() => t.close());

const assign = (over: Partial<Parameters<typeof createAssignments>[0]> = {}) =>
  createAssignments({
    db: t.db,
    dealershipId: ids.dealershipId,
    assignedById: ids.manager,
    scenarioId: roleplay,
    traineeIds: [ids.trainee],
    dueAt: inDays(7),
    passMark: 80,
    ...over,
  });

const start = (traineeId: string, assignmentId?: string, scenarioId = roleplay) =>
  startPracticeSession({ db: t.db, dealershipId: ids.dealershipId, traineeId, scenarioId, channel: 'web', assignmentId });

const score = (sessionId: string, overallScore: number, autoFailed = false) =>
  saveScorecard({
    db: t.db,
    sessionId,
    dealershipId: ids.dealershipId,
    result: { overallScore, tier: 'developing', autoFailed, summary: '', items: [], flags: [] },
  });

const progressOf = async (id: string, now?: Date) =>
  (await listAssignmentsForDealership({ db: t.db, dealershipId: ids.dealershipId, now })).find((a) => a.id === id)!;

const counts = async () => ({ assignments: await t.db.$count(assignments), audit: await t.db.$count(auditLog) });

describe('createAssignments', () => {
  it('creates one audited assignment per trainee, not started', async () => {
    const rows = await assign({ traineeIds: [ids.trainee, ids.second, ids.second] });
    expect(rows).toHaveLength(2);
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.action, 'assignment.create'));
    expect(audit.map((a) => a.targetId)).toEqual(expect.arrayContaining(rows.map((r) => r.id)));
    const listed = await progressOf(rows[0]!.id);
    expect(listed).toMatchObject({ status: 'not_started', attempts: 0, bestScore: null, passMark: 80, assignedByName: 'Maria Delgado' });
  });

  it('refuses bad input, and changes nothing', async () => {
    const before = await counts();
    const refusals: [Partial<Parameters<typeof createAssignments>[0]>, string][] = [
      [{ dueAt: new Date(Date.now() - 1000) }, 'The due date must be in the future.'],
      [{ passMark: 0 }, 'The pass mark must be a whole number from 1 to 100.'],
      [{ passMark: 101 }, 'The pass mark must be a whole number from 1 to 100.'],
      [{ passMark: 79.5 }, 'The pass mark must be a whole number from 1 to 100.'],
      [{ traineeIds: [] }, 'Choose at least one trainee.'],
      [{ traineeIds: [ids.trainee, other.traineeId] }, 'Only active trainees of your dealership can be given assignments.'],
      [{ traineeIds: [ids.manager] }, 'Only active trainees of your dealership can be given assignments.'],
      [{ traineeIds: [ids.disabled] }, 'Only active trainees of your dealership can be given assignments.'],
      [{ scenarioId: otherPrivate }, 'That scenario does not exist or has been archived.'],
      [{ scenarioId: coach }, 'Coaching sessions are not scored, so only role-plays can be assigned.'],
    ];
    for (const [over, userMessage] of refusals) {
      await expect(assign(over), JSON.stringify(over)).rejects.toMatchObject({ userMessage });
    }
    expect(await counts()).toEqual(before);
  });
});

describe('assignment status', () => {
  it('not started → in progress → passed when a complete, compliant scorecard reaches the pass mark', async () => {
    // Practice before the assignment existed does not count for it.
    const early = await start(ids.trainee);
    await score(early.id, 95);
    const [a] = await assign({ passMark: 75 });
    expect(await progressOf(a!.id)).toMatchObject({ status: 'not_started', attempts: 0 });

    const first = await start(ids.trainee, a!.id);
    expect(first.assignmentId).toBe(a!.id);
    expect(await progressOf(a!.id)).toMatchObject({ status: 'in_progress', attempts: 1, bestScore: null });
    await score(first.id, 60);
    expect(await progressOf(a!.id)).toMatchObject({ status: 'in_progress', bestScore: 60 });

    // An auto-failed scorecard never passes, whatever the score.
    const second = await start(ids.trainee, a!.id);
    await score(second.id, 90, true);
    expect(await progressOf(a!.id)).toMatchObject({ status: 'in_progress', attempts: 2 });

    // A room that never opened is not an attempt.
    const broken = await start(ids.trainee, a!.id);
    await endPracticeSession({ db: t.db, sessionId: broken.id, reason: 'room_create_failed', status: 'failed' });
    expect(await progressOf(a!.id)).toMatchObject({ attempts: 2 });

    // Free practice of the same scenario after the assignment counts too.
    const free = await start(ids.trainee);
    await score(free.id, 75);
    expect(await progressOf(a!.id)).toMatchObject({ status: 'passed', attempts: 3, bestScore: 90 });
    expect(await progressOf(a!.id, inDays(30))).toMatchObject({ status: 'passed' });
  });

  it('is overdue past the due date without a pass; sessions of another assignment do not count', async () => {
    const [a] = await assign({ traineeIds: [ids.second], dueAt: inDays(2), passMark: 90 });
    const [b] = await assign({ traineeIds: [ids.second], dueAt: inDays(3), passMark: 50 });
    const fromB = await start(ids.second, b!.id);
    await score(fromB.id, 95);
    expect(await progressOf(a!.id)).toMatchObject({ status: 'not_started', attempts: 0 });
    expect(await progressOf(a!.id, inDays(2.5))).toMatchObject({ status: 'overdue' });
    expect(await progressOf(b!.id, inDays(2.5))).toMatchObject({ status: 'passed' });
  });

  it('a trainee lists only their own assignments; another dealership sees none of them', async () => {
    const mine = await listAssignmentsForTrainee({ db: t.db, dealershipId: ids.dealershipId, traineeId: ids.second });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((a) => a.traineeId === ids.second)).toBe(true);
    expect(await listAssignmentsForDealership({ db: t.db, dealershipId: other.dealershipId })).toEqual([]);
    expect(await listAssignmentsForTrainee({ db: t.db, dealershipId: other.dealershipId, traineeId: ids.second })).toEqual([]);
  });
});

describe('sessions started from an assignment', () => {
  it("refuses someone else's assignment or another scenario, creating no session", async () => {
    const [a] = await assign();
    const before = await t.db.$count(practiceSessions);
    await expect(start(ids.second, a!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const otherRoleplay = (await t.db.select().from(scenarios).where(and(isNull(scenarios.dealershipId), eq(scenarios.mode, 'roleplay'))))
      .find((s) => s.id !== roleplay)!;
    await expect(start(ids.trainee, a!.id, otherRoleplay.id)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await t.db.$count(practiceSessions)).toBe(before);
  });
});

describe('deleteAssignment', () => {
  it("refuses another dealership's assignment; deleting keeps the sessions in the history", async () => {
    const [a] = await assign();
    const session = await start(ids.trainee, a!.id);
    await expect(
      deleteAssignment({ db: t.db, dealershipId: other.dealershipId, assignmentId: a!.id, actorId: other.adminId }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await progressOf(a!.id)).toBeDefined();

    await deleteAssignment({ db: t.db, dealershipId: ids.dealershipId, assignmentId: a!.id, actorId: ids.manager });
    expect(await progressOf(a!.id)).toBeUndefined();
    const [kept] = await t.db.select().from(practiceSessions).where(eq(practiceSessions.id, session.id));
    expect(kept).toMatchObject({ assignmentId: null, scenarioId: roleplay });
    const [entry] = await t.db.select().from(auditLog).where(and(eq(auditLog.targetId, a!.id), eq(auditLog.action, 'assignment.delete')));
    expect(entry?.actorId).toBe(ids.manager);
  });
});
