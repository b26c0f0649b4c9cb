import { schema, type TAuthUser, type TScenarioContent } from '@avatar-adam/db';
import { createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import { TRPCError } from '@trpc/server';
import { and, eq, isNull } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../root';
import { createTRPCContext } from '../trpc';
import { unreachableLiveKit } from './test-support';

const { auditLog, scenarios } = schema;

let t: Awaited<ReturnType<typeof createTestDb>>;
let users: Awaited<ReturnType<typeof createTenantUsers>>;
let superAdmin: TAuthUser;
let platformId: string;
/** The content of a seeded platform role-play: valid builder input. */
let content: TScenarioContent;

beforeAll(async () => {
  t = await createTestDb();
  users = await createTenantUsers(t);
  superAdmin = { id: t.seeded.userIds.super_admin!, email: 'admin@avatar-adam.example', name: 'Platform Admin', role: 'super_admin', dealershipId: null };
  const [platform] = await t.db.select().from(scenarios).where(and(isNull(scenarios.dealershipId), eq(scenarios.mode, 'roleplay'))).limit(1);
  platformId = platform!.id;
  content = (await callerAs(users.lakeside.manager).get({ scenarioId: platformId })).content;
});
afterAll(() => t.close());

function callerAs(user: TAuthUser) {
  const session = { user, expires: new Date(Date.now() + 3_600_000).toISOString() };
  const livekit = unreachableLiveKit('the scenario builder');
  return createCaller(createTRPCContext({ db: t.db, session, livekit, logger: pino({ level: 'silent' }) })).scenarioBuilder;
}

async function errorOf(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

const rowOf = async (id: string) => (await t.db.select().from(scenarios).where(eq(scenarios.id, id)))[0];

describe('scenarioBuilder for a manager', () => {
  it('creates, opens, edits and archives a scenario of their own dealership', async () => {
    const manager = callerAs(users.lakeside.manager);
    const { id } = await manager.create({ ...content, title: 'Our own trade-in' });
    expect(await rowOf(id)).toMatchObject({ dealershipId: t.seeded.dealershipId, createdById: users.lakeside.manager.id });
    expect(await manager.get({ scenarioId: id })).toMatchObject({ editable: true, isPlatform: false, content: { title: 'Our own trade-in' } });

    await manager.update({ scenarioId: id, scenario: { ...content, title: 'Renamed', difficulty: 'easy' } });
    expect(await rowOf(id)).toMatchObject({ title: 'Renamed', difficulty: 'easy' });
    await manager.archive({ scenarioId: id });
    const listed = (await manager.list()).find((s) => s.id === id);
    expect(listed).toMatchObject({ isActive: false, editable: true, title: 'Renamed' });
  });

  it('lists platform scenarios read-only and refuses to change them', async () => {
    const manager = callerAs(users.lakeside.manager);
    expect((await manager.list()).find((s) => s.id === platformId)).toMatchObject({ isPlatform: true, editable: false });
    const before = await rowOf(platformId);
    expect((await errorOf(manager.update({ scenarioId: platformId, scenario: { ...content, title: 'Mine now' } }))).code).toBe('FORBIDDEN');
    expect((await errorOf(manager.archive({ scenarioId: platformId }))).code).toBe('FORBIDDEN');
    expect(await rowOf(platformId)).toEqual(before);
  });

  it('refuses invalid content (inconsistent maths, a smuggled owner, a negative loan) with BAD_REQUEST', async () => {
    const manager = callerAs(users.lakeside.manager);
    const before = await t.db.$count(scenarios);
    const deal = content.dealJacket!;
    const badPayment = { ...content, dealJacket: { ...deal, payment: deal.payment + 50 } };
    const negative = { ...content, dealJacket: { ...deal, downPayment: deal.price * 3, amountFinanced: deal.amountFinanced - deal.price * 3 + deal.downPayment } };
    for (const input of [badPayment, { ...content, dealershipId: users.other.dealershipId }, negative]) {
      expect((await errorOf(manager.create(input as TScenarioContent))).code).toBe('BAD_REQUEST');
    }
    expect(await t.db.$count(scenarios)).toBe(before);
  });
});

describe('scenarioBuilder tenant isolation', () => {
  it("a manager of another dealership cannot open, edit, archive or list Lakeside's scenario", async () => {
    const { id } = await callerAs(users.lakeside.manager).create({ ...content, title: 'Lakeside private' });
    const outsider = callerAs(users.outsiders.manager);
    const before = await rowOf(id);
    expect((await errorOf(outsider.get({ scenarioId: id }))).code).toBe('NOT_FOUND');
    expect((await errorOf(outsider.update({ scenarioId: id, scenario: { ...content, title: 'Taken' } }))).code).toBe('NOT_FOUND');
    expect((await errorOf(outsider.archive({ scenarioId: id }))).code).toBe('NOT_FOUND');
    expect((await errorOf(outsider.restore({ scenarioId: id }))).code).toBe('NOT_FOUND');
    expect((await outsider.list()).map((s) => s.id)).not.toContain(id);
    expect(await rowOf(id)).toEqual(before);
  });

  it('trainees cannot use the builder at all, not even to read', async () => {
    const trainee = callerAs(users.lakeside.trainee);
    const before = await t.db.$count(scenarios);
    for (const call of [trainee.list(), trainee.get({ scenarioId: platformId }), trainee.create(content), trainee.archive({ scenarioId: platformId })]) {
      expect((await errorOf(call)).code).toBe('FORBIDDEN');
    }
    expect(await t.db.$count(scenarios)).toBe(before);
  });
});

describe('scenarioBuilder for a platform admin', () => {
  it('creates and edits platform-wide scenarios that every dealership can practise', async () => {
    const admin = callerAs(superAdmin);
    const { id } = await admin.create({ ...content, title: 'Platform-wide new' });
    expect((await rowOf(id))!.dealershipId).toBeNull();
    await admin.update({ scenarioId: id, scenario: { ...content, title: 'Platform-wide edited' } });
    const audit = await t.db.select().from(auditLog).where(eq(auditLog.targetId, id));
    expect(audit.map((a) => a.action).sort()).toEqual(['scenario.create', 'scenario.update']);
    expect(audit.every((a) => a.actorId === superAdmin.id && a.dealershipId === null)).toBe(true);

    const outsiderPractice = createCaller(
      createTRPCContext({
        db: t.db,
        session: { user: users.outsiders.trainee, expires: new Date(Date.now() + 60_000).toISOString() },
        livekit: unreachableLiveKit('scenario.list'),
        logger: pino({ level: 'silent' }),
      }),
    ).scenario;
    expect((await outsiderPractice.list()).find((s) => s.id === id)).toMatchObject({ title: 'Platform-wide edited', isPlatform: true });
  });

  it("does not see or change a dealership's own scenarios", async () => {
    const { id } = await callerAs(users.lakeside.manager).create({ ...content, title: 'Dealer only' });
    const admin = callerAs(superAdmin);
    expect((await admin.list()).every((s) => s.isPlatform)).toBe(true);
    expect((await errorOf(admin.get({ scenarioId: id }))).code).toBe('NOT_FOUND');
    expect((await errorOf(admin.update({ scenarioId: id, scenario: content }))).code).toBe('NOT_FOUND');
  });
});
