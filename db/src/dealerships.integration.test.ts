import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAnalyticsSession } from './analytics-testing';
import { getDealershipStatus, listDealerships, reactivateDealership, suspendDealership } from './dealerships';
import { createDealership } from './dealerships-create';
import { acceptInvitation } from './invitations';
import { auditLog, dealerships, invitations } from './schema';
import { listScenariosForDealership } from './scenarios';
import { DEMO_PASSWORD, DEMO_USERS } from './seed';
import { createTestDb } from './testing';
import { verifyCredentials } from './users';

let t: Awaited<ReturnType<typeof createTestDb>>;
let superAdminId: string;
beforeAll(async () => {
  t = await createTestDb();
  superAdminId = t.seeded.userIds.super_admin!;
});
afterAll(() => t.close());

const create = (over: Partial<Parameters<typeof createDealership>[0]> = {}) =>
  createDealership({ db: t.db, actorId: superAdminId, name: 'Hilltop Auto', slug: 'hilltop-auto', timezone: 'America/Denver', adminEmail: 'Gm@Hilltop.example', ...over });

const actionsFor = async (dealershipId: string) =>
  (await t.db.select().from(auditLog).where(eq(auditLog.targetId, dealershipId))).map((a) => a.action).sort();

describe('createDealership', () => {
  it('creates the tenant and a manager invitation its first admin can accept, audited', async () => {
    const { dealership, invitation, token } = await create();
    expect(dealership).toMatchObject({ name: 'Hilltop Auto', slug: 'hilltop-auto', timezone: 'America/Denver', status: 'active' });
    expect(invitation).toMatchObject({ dealershipId: dealership.id, email: 'gm@hilltop.example', role: 'dealership_admin', invitedById: superAdminId });
    expect(await actionsFor(dealership.id)).toEqual(['dealership.create']);

    const { user } = await acceptInvitation({ db: t.db, token, name: 'Gina Manager', password: 'a-long-enough-password' });
    expect(user).toMatchObject({ dealershipId: dealership.id, role: 'dealership_admin' });
  });

  it('refuses a slug already taken, whatever its case, and changes nothing', async () => {
    await expect(create({ slug: 'Lakeside-Motors', adminEmail: 'someone@new.example' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const pending = await t.db.select().from(invitations).where(eq(invitations.email, 'someone@new.example'));
    expect(pending).toEqual([]);
  });

  it('refuses bad slugs, names and time zones with a message saying what to fix', async () => {
    for (const slug of ['ab', 'has space', 'double--hyphen', '-leading', 'ümlaut']) {
      await expect(create({ slug, adminEmail: 'x@new.example' })).rejects.toMatchObject({ code: 'BAD_REQUEST', userMessage: expect.stringContaining('short name') });
    }
    await expect(create({ name: ' ', slug: 'blank-name' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(create({ slug: 'moon-base', timezone: 'Moon/Tranquility' })).rejects.toMatchObject({ code: 'BAD_REQUEST', userMessage: expect.stringContaining('time zone') });
    expect(await t.db.select().from(dealerships).where(eq(dealerships.slug, 'moon-base'))).toEqual([]);
  });

  it('rolls the dealership back when its first admin’s email already has an account', async () => {
    await expect(create({ slug: 'taken-email', adminEmail: DEMO_USERS[2].email })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await t.db.select().from(dealerships).where(eq(dealerships.slug, 'taken-email'))).toEqual([]);
  });
});

describe('suspend and reactivate', () => {
  it('locks the dealership’s people out of sign-in until reactivated, each change audited once', async () => {
    const { dealership, token } = await create({ slug: 'suspend-me', adminEmail: 'gm@suspend-me.example' });
    await acceptInvitation({ db: t.db, token, name: 'Sus Pended', password: 'a-long-enough-password' });
    const signIn = () => verifyCredentials({ db: t.db, email: 'gm@suspend-me.example', password: 'a-long-enough-password' });
    expect(await signIn()).not.toBeNull();

    expect(await suspendDealership({ db: t.db, dealershipId: dealership.id, actorId: superAdminId })).toMatchObject({ status: 'suspended', changed: true });
    expect(await getDealershipStatus({ db: t.db, dealershipId: dealership.id })).toBe('suspended');
    expect(await signIn()).toBeNull();
    // Suspending again is a no-op, not a second audit entry.
    expect(await suspendDealership({ db: t.db, dealershipId: dealership.id, actorId: superAdminId })).toMatchObject({ changed: false });
    // Other tenants are untouched.
    expect(await verifyCredentials({ db: t.db, email: DEMO_USERS[2].email, password: DEMO_PASSWORD })).not.toBeNull();

    expect(await reactivateDealership({ db: t.db, dealershipId: dealership.id, actorId: superAdminId })).toMatchObject({ status: 'active', changed: true });
    expect(await signIn()).not.toBeNull();
    expect(await actionsFor(dealership.id)).toEqual(['dealership.create', 'dealership.reactivate', 'dealership.suspend']);
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.targetId, dealership.id), eq(auditLog.action, 'dealership.suspend')));
    expect(entry).toMatchObject({ actorId: superAdminId, dealershipId: dealership.id, meta: { from: 'active', to: 'suspended' } });
  });

  it('answers NOT_FOUND for a dealership that does not exist', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(suspendDealership({ db: t.db, dealershipId: missing, actorId: superAdminId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await getDealershipStatus({ db: t.db, dealershipId: missing })).toBeNull();
  });
});

describe('listDealerships', () => {
  it('lists every tenant with its people and sessions counted', async () => {
    const lakesideId = t.seeded.dealershipId;
    const scenario = (await listScenariosForDealership({ db: t.db, dealershipId: lakesideId }))[0]!;
    const base = { dealershipId: lakesideId, traineeId: t.seeded.userIds.trainee!, scenarioId: scenario.id, status: 'ended' as const };
    await insertAnalyticsSession(t.db, { ...base, at: '2025-01-01T10:00:00Z' });
    await insertAnalyticsSession(t.db, { ...base, at: '2025-01-02T10:00:00Z' });

    const rows = await listDealerships({ db: t.db });
    const lakeside = rows.find((r) => r.id === lakesideId)!;
    expect(lakeside).toMatchObject({ name: 'Lakeside Motors', status: 'active', userCount: 2, sessionCount: 2 });
    expect(lakeside.lastSessionAt?.toISOString()).toBe('2025-01-02T10:00:00.000Z');
    expect(rows.find((r) => r.slug === 'hilltop-auto')).toMatchObject({ userCount: 1, sessionCount: 0, lastSessionAt: null });
    expect(rows.map((r) => r.name)).toEqual([...rows.map((r) => r.name)].sort((a, b) => a.localeCompare(b)));
  });
});
