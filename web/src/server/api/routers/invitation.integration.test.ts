import { schema, verifyCredentials, type TAuthUser } from '@avatar-adam/db';
import { createOtherDealership, createTestDb } from '@avatar-adam/db/testing';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Mailer, TMailMessage } from '../../mail';
import { createCaller } from '../root';
import { unreachableLiveKit } from './test-support';
import { createTRPCContext } from '../trpc';

const { auditLog, invitations, users } = schema;
const APP_URL = 'https://train.example.test';
const PASSWORD = 'a-long-enough-password';

/** Keeps every message instead of sending it, so a test can follow the link. */
class RecordingMailer implements Mailer {
  readonly sent: TMailMessage[] = [];
  send(message: TMailMessage): Promise<void> {
    this.sent.push(message);
    return Promise.resolve();
  }
  tokenOf(message: TMailMessage | undefined): string {
    const match = message?.link.match(/^https:\/\/train\.example\.test\/invite\/([\w-]+)$/);
    if (!match) throw new Error(`no invitation link in ${message?.link}`);
    return match[1]!;
  }
}

const noLiveKit = unreachableLiveKit('invitations');

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createOtherDealership>>;
let manager: TAuthUser;
let trainee: TAuthUser;
let otherManager: TAuthUser;
let mailer: RecordingMailer;

beforeAll(async () => {
  t = await createTestDb();
  other = await createOtherDealership(t.db);
  const rows = await t.db.select().from(users).where(eq(users.dealershipId, t.seeded.dealershipId));
  const asUser = (u: typeof users.$inferSelect): TAuthUser => ({ id: u.id, email: u.email, name: u.name, role: u.role, dealershipId: u.dealershipId });
  manager = asUser(rows.find((u) => u.role === 'dealership_admin')!);
  trainee = asUser(rows.find((u) => u.role === 'trainee')!);
  otherManager = { id: other.adminId, email: 'admin@other-motors.example', name: 'Other Admin', role: 'dealership_admin', dealershipId: other.dealershipId };
});
afterAll(() => t.close());
beforeEach(() => {
  mailer = new RecordingMailer();
});

function callerAs(user: TAuthUser | null) {
  const session = user ? { user, expires: new Date(Date.now() + 3_600_000).toISOString() } : null;
  return createCaller(createTRPCContext({ db: t.db, session, livekit: noLiveKit, mailer, appUrl: APP_URL, logger: pino({ level: 'silent' }) }));
}

describe('invitation.create → mail → invitation.accept', () => {
  it('lets the invitee set a password and sign in, in the inviting dealership with the chosen role', async () => {
    const created = await callerAs(manager).invitation.create({ email: 'New.Hire@Lakeside.example', role: 'trainee' });
    expect(created.email).toBe('new.hire@lakeside.example');
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]!.to).toBe('new.hire@lakeside.example');
    expect(mailer.sent[0]!.text).toContain(mailer.sent[0]!.link);
    const token = mailer.tokenOf(mailer.sent[0]);

    // Only the hash is stored.
    const [row] = await t.db.select().from(invitations).where(eq(invitations.id, created.id));
    expect(row!.tokenHash).not.toContain(token);

    await expect(callerAs(null).invitation.accept({ token, name: 'Nina Newhire', password: PASSWORD })).resolves.toEqual({ email: 'new.hire@lakeside.example' });
    const signedIn = await verifyCredentials({ db: t.db, email: 'new.hire@lakeside.example', password: PASSWORD });
    expect(signedIn).toMatchObject({ name: 'Nina Newhire', role: 'trainee', dealershipId: manager.dealershipId });

    const audit = await t.db.select().from(auditLog).where(eq(auditLog.targetId, created.id));
    expect(audit.map((a) => a.action).sort()).toEqual(['user.invite', 'user.invite_accepted']);

    // Used once: the same link no longer works.
    await expect(callerAs(null).invitation.accept({ token, name: 'Again', password: PASSWORD })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('can invite a manager', async () => {
    await callerAs(manager).invitation.create({ email: 'deputy@lakeside.example', role: 'dealership_admin' });
    await callerAs(null).invitation.accept({ token: mailer.tokenOf(mailer.sent[0]), name: 'Dee Puty', password: PASSWORD });
    const user = await verifyCredentials({ db: t.db, email: 'deputy@lakeside.example', password: PASSWORD });
    expect(user?.role).toBe('dealership_admin');
  });

  it('replaces a pending invitation for the same address: only the newest link works', async () => {
    await callerAs(manager).invitation.create({ email: 'twice@lakeside.example', role: 'trainee' });
    await callerAs(manager).invitation.create({ email: 'twice@lakeside.example', role: 'trainee' });
    const [first, second] = mailer.sent.map((m) => mailer.tokenOf(m));
    const pending = await callerAs(manager).invitation.list();
    expect(pending.filter((i) => i.email === 'twice@lakeside.example')).toHaveLength(1);
    await expect(callerAs(null).invitation.accept({ token: first!, name: 'Old Link', password: PASSWORD })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(callerAs(null).invitation.accept({ token: second!, name: 'New Link', password: PASSWORD })).resolves.toBeDefined();
  });
});

describe('who may invite whom', () => {
  it('refuses a trainee (FORBIDDEN) and a signed-out caller, and sends nothing', async () => {
    await expect(callerAs(trainee).invitation.create({ email: 'friend@lakeside.example', role: 'trainee' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(callerAs(null).invitation.create({ email: 'friend@lakeside.example', role: 'trainee' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(callerAs(trainee).invitation.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(mailer.sent).toEqual([]);
  });

  it('refuses a super_admin role and a dealership in the input', async () => {
    const caller = callerAs(manager);
    await expect(caller.invitation.create({ email: 'boss@lakeside.example', role: 'super_admin' } as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(
      caller.invitation.create({ email: 'spy@lakeside.example', role: 'trainee', dealershipId: other.dealershipId } as never),
    ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(mailer.sent).toEqual([]);
    const smuggled = await t.db.select().from(invitations).where(eq(invitations.dealershipId, other.dealershipId));
    expect(smuggled).toEqual([]);
  });

  it('refuses an email that already has an account (CONFLICT), whatever its case or dealership', async () => {
    await expect(callerAs(manager).invitation.create({ email: 'TRAINEE@lakeside.example', role: 'trainee' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(callerAs(manager).invitation.create({ email: 'admin@other-motors.example', role: 'trainee' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(mailer.sent).toEqual([]);
  });
});

describe('invitation.accept refuses', () => {
  it('an unknown token, an expired one, and a weak password (leaving the invitation usable)', async () => {
    await expect(callerAs(null).invitation.accept({ token: 'x'.repeat(43), name: 'Nobody', password: PASSWORD })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'invitation token not usable',
    });

    const created = await callerAs(manager).invitation.create({ email: 'weak@lakeside.example', role: 'trainee' });
    const token = mailer.tokenOf(mailer.sent[0]);
    await expect(callerAs(null).invitation.accept({ token, name: 'Weak', password: 'short' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'weak password' });
    expect(await verifyCredentials({ db: t.db, email: 'weak@lakeside.example', password: 'short' })).toBeNull();

    await t.db.update(invitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(invitations.id, created.id));
    await expect(callerAs(null).invitation.accept({ token, name: 'Late', password: PASSWORD })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const created2 = await t.db.select().from(users).where(eq(users.email, 'weak@lakeside.example'));
    expect(created2).toEqual([]);
  });
});

describe('invitation.list', () => {
  it("shows only the caller's dealership's pending invitations", async () => {
    await callerAs(otherManager).invitation.create({ email: 'their.hire@other-motors.example', role: 'trainee' });
    await callerAs(manager).invitation.create({ email: 'our.hire@lakeside.example', role: 'trainee' });
    const ours = await callerAs(manager).invitation.list();
    const theirs = await callerAs(otherManager).invitation.list();
    expect(ours.map((i) => i.email)).toContain('our.hire@lakeside.example');
    expect(ours.map((i) => i.email)).not.toContain('their.hire@other-motors.example');
    expect(theirs.map((i) => i.email)).toEqual(['their.hire@other-motors.example']);
    // Accepted ones drop off the list.
    expect(ours.map((i) => i.email)).not.toContain('new.hire@lakeside.example');
    const [stored] = await t.db
      .select()
      .from(invitations)
      .where(and(eq(invitations.email, 'their.hire@other-motors.example'), eq(invitations.dealershipId, other.dealershipId)));
    expect(stored?.invitedById).toBe(otherManager.id);
  });
});
