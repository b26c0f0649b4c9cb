import { schema, type TAuthUser } from '@avatar-adam/db';
import { DEMO_PASSWORD } from '@avatar-adam/db/seed';
import { createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authorizeCredentials } from '../../auth/authorize';
import { createLoginLimiter } from '../../auth/login-limiter';
import type { Mailer, TMailMessage } from '../../mail';
import { createCaller } from '../root';
import { createTRPCContext } from '../trpc';
import { unreachableLiveKit } from './test-support';

const { auditLog, dealerships } = schema;
const logger = pino({ level: 'silent' });
const APP_URL = 'https://train.example.test';

/** Keeps messages instead of sending them; `failing` makes every send throw, like a dead SMTP server. */
class RecordingMailer implements Mailer {
  readonly sent: TMailMessage[] = [];
  failing = false;
  send(message: TMailMessage): Promise<void> {
    if (this.failing) return Promise.reject(new Error('SMTP connection refused'));
    this.sent.push(message);
    return Promise.resolve();
  }
  tokenOf(message: TMailMessage | undefined): string {
    const match = message?.link.match(/^https:\/\/train\.example\.test\/invite\/([\w-]+)$/);
    if (!match) throw new Error(`no invitation link in ${message?.link}`);
    return match[1]!;
  }
}

let t: Awaited<ReturnType<typeof createTestDb>>;
let tenant: Awaited<ReturnType<typeof createTenantUsers>>;
let superAdmin: TAuthUser;
let mailer: RecordingMailer;

beforeAll(async () => {
  t = await createTestDb();
  tenant = await createTenantUsers(t);
  superAdmin = { id: t.seeded.userIds.super_admin!, email: 'admin@avatar-adam.example', name: 'Platform Admin', role: 'super_admin', dealershipId: null };
});
afterAll(() => t.close());
beforeEach(() => {
  mailer = new RecordingMailer();
});

function callerAs(user: TAuthUser | null) {
  const session = user ? { user, expires: new Date(Date.now() + 3_600_000).toISOString() } : null;
  return createCaller(createTRPCContext({ db: t.db, session, livekit: unreachableLiveKit('admin'), mailer, appUrl: APP_URL, logger }));
}

async function errorOf(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}
const codeOf = async (call: Promise<unknown>) => (await errorOf(call)).code;

const newDealership = { name: 'Hilltop Auto', slug: 'hilltop-auto', timezone: 'America/Denver', adminEmail: 'gm@hilltop.example' };

describe('who may administer the platform', () => {
  it('refuses every admin procedure to managers, trainees (of any dealership) and signed-out callers', async () => {
    const lakesideId = t.seeded.dealershipId;
    for (const user of [tenant.lakeside.manager, tenant.lakeside.trainee, tenant.outsiders.manager]) {
      const caller = callerAs(user);
      for (const call of [
        caller.admin.dealerships(),
        caller.admin.health(),
        caller.admin.createDealership({ ...newDealership, slug: 'sneaky' }),
        caller.admin.inviteManager({ dealershipId: lakesideId, email: 'boss@sneaky.example' }),
        caller.admin.suspend({ dealershipId: lakesideId }),
        caller.admin.reactivate({ dealershipId: lakesideId }),
      ]) {
        expect(await codeOf(call)).toBe('FORBIDDEN');
      }
    }
    expect(await codeOf(callerAs(null).admin.dealerships())).toBe('UNAUTHORIZED');
    expect(await t.db.select().from(dealerships).where(eq(dealerships.slug, 'sneaky'))).toEqual([]);
    expect((await t.db.select().from(dealerships).where(eq(dealerships.id, lakesideId)))[0]!.status).toBe('active');
    expect(mailer.sent).toEqual([]);
  });
});

describe('admin.createDealership', () => {
  it('creates the dealership and emails its first manager a link that works', async () => {
    const created = await callerAs(superAdmin).admin.createDealership(newDealership);
    expect(created).toMatchObject({ name: 'Hilltop Auto', slug: 'hilltop-auto', invitedEmail: 'gm@hilltop.example', invitationSent: true });
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: 'gm@hilltop.example', subject: 'Set up Hilltop Auto on AvatarAdam' });
    expect(mailer.sent[0]!.text).toContain(mailer.sent[0]!.link);

    await callerAs(null).invitation.accept({ token: mailer.tokenOf(mailer.sent[0]), name: 'Gina Manager', password: 'a-long-enough-password' });
    const list = await callerAs(superAdmin).admin.dealerships();
    expect(list.find((d) => d.id === created.id)).toMatchObject({ status: 'active', userCount: 1, sessionCount: 0 });
  });

  it('refuses a taken slug and smuggled fields, sending nothing', async () => {
    expect(await codeOf(callerAs(superAdmin).admin.createDealership({ ...newDealership, adminEmail: 'x@y.example' }))).toBe('CONFLICT');
    const withStatus = { ...newDealership, slug: 'born-suspended', status: 'suspended' } as never;
    expect(await codeOf(callerAs(superAdmin).admin.createDealership(withStatus))).toBe('BAD_REQUEST');
    expect(mailer.sent).toEqual([]);
  });

  it('keeps the dealership when the email fails, and inviteManager sends a fresh link', async () => {
    mailer.failing = true;
    const created = await callerAs(superAdmin).admin.createDealership({ ...newDealership, slug: 'mail-down', adminEmail: 'gm@mail-down.example' });
    expect(created.invitationSent).toBe(false);
    mailer.failing = false;
    const again = await callerAs(superAdmin).admin.inviteManager({ dealershipId: created.id, email: 'gm@mail-down.example' });
    expect(again).toEqual({ invitedEmail: 'gm@mail-down.example', invitationSent: true });
    const { email } = await callerAs(null).invitation.accept({ token: mailer.tokenOf(mailer.sent[0]), name: 'Late Mail', password: 'a-long-enough-password' });
    expect(email).toBe('gm@mail-down.example');
  });
});

describe('admin.suspend / admin.reactivate', () => {
  it("locks a dealership's people out of sign-in and the API at once, and lets them back in", async () => {
    const lakesideId = t.seeded.dealershipId;
    const { manager, trainee } = tenant.lakeside;
    const range = { from: '2025-01-01', to: '2025-01-31' };
    const signIn = (email: string) =>
      authorizeCredentials({ db: t.db, limiter: createLoginLimiter(), credentials: { email, password: DEMO_PASSWORD }, ip: '203.0.113.9', logger });

    expect(await callerAs(superAdmin).admin.suspend({ dealershipId: lakesideId })).toMatchObject({ status: 'suspended', changed: true });

    // Sessions signed in before the suspension stop working on their next request...
    // errorOf handles each rejection at once: on Postgres the later calls fail while the first is awaited.
    for (const pending of [callerAs(manager).analytics.dashboard(range), callerAs(manager).history.list({}), callerAs(trainee).history.list({}), callerAs(trainee).scenario.list()].map(errorOf)) {
      const error = await pending;
      expect(error.code).toBe('FORBIDDEN');
      expect(error.cause).toMatchObject({ userMessage: expect.stringContaining('suspended') });
    }
    // ...and nobody of the dealership can sign in again.
    expect(await signIn(trainee.email)).toBeNull();
    expect(await signIn(manager.email)).toBeNull();
    // Another dealership is unaffected.
    await expect(callerAs(tenant.outsiders.manager).analytics.dashboard(range)).resolves.toBeDefined();

    expect(await callerAs(superAdmin).admin.reactivate({ dealershipId: lakesideId })).toMatchObject({ status: 'active', changed: true });
    await expect(callerAs(trainee).history.list({})).resolves.toBeDefined();
    expect(await signIn(trainee.email)).toMatchObject({ email: trainee.email });

    const audit = await t.db.select().from(auditLog).where(eq(auditLog.targetId, lakesideId));
    expect(audit.filter((a) => a.action.startsWith('dealership.')).map((a) => [a.action, a.actorId])).toEqual([
      ['dealership.suspend', superAdmin.id],
      ['dealership.reactivate', superAdmin.id],
    ]);
  });

  it('answers NOT_FOUND for an unknown dealership', async () => {
    expect(await codeOf(callerAs(superAdmin).admin.suspend({ dealershipId: '00000000-0000-4000-8000-000000000000' }))).toBe('NOT_FOUND');
  });
});
