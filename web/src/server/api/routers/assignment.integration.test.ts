import { schema, type TAuthUser } from '@avatar-adam/db';
import { createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import { TRPCError } from '@trpc/server';
import { and, eq, isNull } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../root';
import { createTRPCContext } from '../trpc';
import { unreachableLiveKit } from './test-support';

const { assignments, scenarios } = schema;

let t: Awaited<ReturnType<typeof createTestDb>>;
let users: Awaited<ReturnType<typeof createTenantUsers>>;
let platformRoleplay: string;
let lakesidePrivate: string;

beforeAll(async () => {
  t = await createTestDb();
  users = await createTenantUsers(t);
  const rows = await t.db.select().from(scenarios).where(eq(scenarios.mode, 'roleplay'));
  platformRoleplay = rows.find((s) => s.dealershipId === null)!.id;
  lakesidePrivate = rows.find((s) => s.dealershipId === t.seeded.dealershipId)!.id;
});
afterAll(() => t.close());

function callerAs(user: TAuthUser) {
  const session = { user, expires: new Date(Date.now() + 3_600_000).toISOString() };
  const livekit = unreachableLiveKit('assignments');
  return createCaller(createTRPCContext({ db: t.db, session, livekit, logger: pino({ level: 'silent' }) })).assignment;
}

async function errorOf(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

const nextWeek = () => new Date(Date.now() + 7 * 86_400_000);

describe('assignment for a manager', () => {
  it('offers active role-plays and active trainees, assigns several at once and lists their status', async () => {
    const manager = callerAs(users.lakeside.manager);
    const options = await manager.options();
    expect(options.scenarios.map((s) => s.id)).toEqual(expect.arrayContaining([platformRoleplay, lakesidePrivate]));
    expect(options.trainees.map((u) => u.id).sort()).toEqual([users.lakeside.trainee.id, users.lakeside.secondTrainee.id].sort());

    const traineeIds = [users.lakeside.trainee.id, users.lakeside.secondTrainee.id];
    expect(await manager.create({ scenarioId: lakesidePrivate, traineeIds, dueAt: nextWeek(), passMark: 80 })).toEqual({ created: 2 });
    const listed = (await manager.list()).filter((a) => a.scenarioId === lakesidePrivate);
    expect(listed.map((a) => a.traineeName).sort()).toEqual(['Sam Second', 'Tom Becker']);
    expect(listed.every((a) => a.status === 'not_started' && a.attempts === 0 && a.bestScore === null)).toBe(true);
  });

  it('explains a refusal in words the form can show', async () => {
    const manager = callerAs(users.lakeside.manager);
    const error = await errorOf(
      manager.create({ scenarioId: platformRoleplay, traineeIds: [users.lakeside.trainee.id], dueAt: new Date(Date.now() - 60_000), passMark: 80 }),
    );
    expect(error.code).toBe('BAD_REQUEST');
    expect((error.cause as { userMessage?: string }).userMessage).toBe('The due date must be in the future.');
  });

  it('deletes an assignment of its own dealership', async () => {
    const manager = callerAs(users.lakeside.manager);
    await manager.create({ scenarioId: platformRoleplay, traineeIds: [users.lakeside.trainee.id], dueAt: nextWeek(), passMark: 60 });
    const target = (await manager.list()).find((a) => a.scenarioId === platformRoleplay && a.passMark === 60)!;
    await manager.delete({ assignmentId: target.id });
    expect((await manager.list()).map((a) => a.id)).not.toContain(target.id);
  });
});

describe('assignment tenant isolation', () => {
  it("a manager of another dealership cannot assign Lakeside's scenario or trainees, see or delete Lakeside's assignments", async () => {
    await callerAs(users.lakeside.manager).create({ scenarioId: platformRoleplay, traineeIds: [users.lakeside.trainee.id], dueAt: nextWeek(), passMark: 70 });
    const lakesideIds = (await callerAs(users.lakeside.manager).list()).map((a) => a.id);
    const outsider = callerAs(users.outsiders.manager);
    const before = await t.db.$count(assignments);

    const privateScenario = await errorOf(outsider.create({ scenarioId: lakesidePrivate, traineeIds: [users.other.traineeId], dueAt: nextWeek(), passMark: 70 }));
    expect(privateScenario.code).toBe('NOT_FOUND');
    const theirTrainee = await errorOf(outsider.create({ scenarioId: platformRoleplay, traineeIds: [users.lakeside.trainee.id], dueAt: nextWeek(), passMark: 70 }));
    expect(theirTrainee.code).toBe('BAD_REQUEST');
    expect((await errorOf(outsider.delete({ assignmentId: lakesideIds[0]! }))).code).toBe('NOT_FOUND');
    expect(await outsider.list()).toEqual([]);
    expect((await outsider.options()).trainees.map((u) => u.id)).toEqual([users.other.traineeId]);
    expect((await outsider.options()).scenarios.map((s) => s.id)).not.toContain(lakesidePrivate);
    expect(await t.db.$count(assignments)).toBe(before);
  });

  it('trainees cannot call the manager procedures', async () => {
    const trainee = callerAs(users.lakeside.trainee);
    const [any] = await t.db.select().from(assignments).limit(1);
    const before = await t.db.$count(assignments);
    const calls = [
      trainee.list(),
      trainee.options(),
      trainee.create({ scenarioId: platformRoleplay, traineeIds: [users.lakeside.trainee.id], dueAt: nextWeek(), passMark: 1 }),
      trainee.delete({ assignmentId: any!.id }),
    ].map(errorOf); // handled at once: on Postgres the later calls fail while the first is awaited
    for (const call of calls) expect((await call).code).toBe('FORBIDDEN');
    expect(await t.db.$count(assignments)).toBe(before);
  });

  it('a trainee sees only their own assignments; another dealership’s trainee sees none of Lakeside’s', async () => {
    const own = await callerAs(users.lakeside.trainee).mine();
    const second = await callerAs(users.lakeside.secondTrainee).mine();
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((a) => a.traineeId === users.lakeside.trainee.id)).toBe(true);
    expect(second.every((a) => a.traineeId === users.lakeside.secondTrainee.id)).toBe(true);
    expect(second.filter((a) => own.some((o) => o.id === a.id))).toEqual([]);
    expect(await callerAs(users.outsiders.trainee).mine()).toEqual([]);
    const [platformRow] = await t.db.select().from(scenarios).where(and(isNull(scenarios.dealershipId), eq(scenarios.id, platformRoleplay)));
    expect(own.find((a) => a.scenarioId === platformRoleplay)).toMatchObject({ scenarioTitle: platformRow!.title, scenarioActive: true });
  });
});
