import { hashPassword, schema, verifyCredentials } from '@avatar-adam/db';
import { createTestDb } from '@avatar-adam/db/testing';
import { desc, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Mailer, TMailMessage } from '../../mail';
import { RESET_EMAILS_PER_HOUR, createResetLimiter } from '../../auth/reset-limiter';
import { createCaller } from '../root';
import { unreachableLiveKit } from './test-support';
import { createTRPCContext } from '../trpc';

const { auditLog, passwordResets, users } = schema;
const APP_URL = 'https://train.example.test';
const OLD_PASSWORD = 'the-old-long-password';
const NEW_PASSWORD = 'a-brand-new-long-password';

/** Keeps every message instead of sending it, so a test can follow the link. */
class RecordingMailer implements Mailer {
  readonly sent: TMailMessage[] = [];
  send(message: TMailMessage): Promise<void> {
    this.sent.push(message);
    return Promise.resolve();
  }
  tokenOf(message: TMailMessage | undefined): string {
    const match = message?.link.match(/^https:\/\/train\.example\.test\/reset-password\/([\w-]+)$/);
    if (!match) throw new Error(`no reset link in ${message?.link}`);
    return match[1]!;
  }
}

const noLiveKit = unreachableLiveKit('password resets');

let t: Awaited<ReturnType<typeof createTestDb>>;
let mailer: RecordingMailer;
let userId: string;
const email = 'forgetful@lakeside.example';

beforeAll(async () => {
  t = await createTestDb();
  const [user] = await t.db
    .insert(users)
    .values({ dealershipId: t.seeded.dealershipId, email, name: 'Fran Forgetful', role: 'trainee', passwordHash: await hashPassword(OLD_PASSWORD) })
    .returning();
  userId = user!.id;
  await t.db.insert(users).values({
    dealershipId: t.seeded.dealershipId,
    email: 'disabled@lakeside.example',
    name: 'Dis Abled',
    status: 'disabled',
    passwordHash: await hashPassword(OLD_PASSWORD),
  });
});
afterAll(() => t.close());
beforeEach(() => {
  mailer = new RecordingMailer();
});

const anonymous = () =>
  createCaller(createTRPCContext({ db: t.db, session: null, livekit: noLiveKit, mailer, appUrl: APP_URL, logger: pino({ level: 'silent' }) }));

describe('auth.requestPasswordReset', () => {
  it('answers the same for an unknown or disabled address and sends nothing', async () => {
    const known = await anonymous().auth.requestPasswordReset({ email: 'Forgetful@Lakeside.example' });
    expect(mailer.sent.map((m) => m.to)).toEqual([email]);
    const unknown = await anonymous().auth.requestPasswordReset({ email: 'nobody@lakeside.example' });
    const disabled = await anonymous().auth.requestPasswordReset({ email: 'disabled@lakeside.example' });
    expect(unknown).toEqual(known);
    expect(disabled).toEqual(known);
    expect(mailer.sent).toHaveLength(1);
    const [audit] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'auth.password_reset_requested')).orderBy(desc(auditLog.createdAt)).limit(1);
    expect(audit?.actorId).toBeNull();
  });
});

describe('auth.requestPasswordReset throttling', () => {
  it('sends at most three reset emails an hour to one address, answering the same after that', async () => {
    const resetLimiter = createResetLimiter();
    const caller = () =>
      createCaller(createTRPCContext({ db: t.db, session: null, livekit: noLiveKit, mailer, appUrl: APP_URL, resetLimiter, logger: pino({ level: 'silent' }) }));
    const answers = [];
    for (let i = 0; i < RESET_EMAILS_PER_HOUR + 2; i++) answers.push(await caller().auth.requestPasswordReset({ email }));
    expect(mailer.sent).toHaveLength(RESET_EMAILS_PER_HOUR);
    expect(new Set(answers.map((a) => a.message)).size).toBe(1);
    expect(await t.db.$count(auditLog, eq(auditLog.action, 'auth.password_reset_throttled'))).toBe(2);
    // Another address is not affected.
    await caller().auth.requestPasswordReset({ email: 'nobody-else@lakeside.example' });
    expect(await t.db.$count(auditLog, eq(auditLog.action, 'auth.password_reset_throttled'))).toBe(2);
  });
});

describe('auth.resetPassword', () => {
  it('works once: the new password signs in, the old one stops working, the link is then dead', async () => {
    await anonymous().auth.requestPasswordReset({ email });
    const token = mailer.tokenOf(mailer.sent[0]);
    const [stored] = await t.db.select().from(passwordResets).where(eq(passwordResets.userId, userId)).orderBy(desc(passwordResets.createdAt)).limit(1);
    expect(stored!.tokenHash).not.toContain(token);

    await expect(anonymous().auth.resetPassword({ token, password: NEW_PASSWORD })).resolves.toEqual({ ok: true });
    expect(await verifyCredentials({ db: t.db, email, password: OLD_PASSWORD })).toBeNull();
    expect(await verifyCredentials({ db: t.db, email, password: NEW_PASSWORD })).toMatchObject({ id: userId });

    await expect(anonymous().auth.resetPassword({ token, password: 'yet-another-long-password' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await verifyCredentials({ db: t.db, email, password: NEW_PASSWORD })).not.toBeNull();
    const actions = (await t.db.select().from(auditLog).where(eq(auditLog.targetId, userId))).map((a) => a.action);
    expect(actions).toContain('auth.password_reset');
  });

  it('voids the other outstanding links of the same user once one is used', async () => {
    await anonymous().auth.requestPasswordReset({ email });
    await anonymous().auth.requestPasswordReset({ email });
    const [first, second] = mailer.sent.map((m) => mailer.tokenOf(m));
    await anonymous().auth.resetPassword({ token: second!, password: OLD_PASSWORD });
    await expect(anonymous().auth.resetPassword({ token: first!, password: NEW_PASSWORD })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await verifyCredentials({ db: t.db, email, password: OLD_PASSWORD })).not.toBeNull();
  });

  it('refuses an expired link, an unknown one and a weak password, changing nothing', async () => {
    await anonymous().auth.requestPasswordReset({ email });
    const token = mailer.tokenOf(mailer.sent[0]);

    await expect(anonymous().auth.resetPassword({ token, password: 'short' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'weak password' });
    await expect(anonymous().auth.resetPassword({ token: 'y'.repeat(43), password: NEW_PASSWORD })).rejects.toMatchObject({
      code: 'BAD_REQUEST',
      message: 'reset token not usable',
    });

    await t.db.update(passwordResets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResets.userId, userId));
    await expect(anonymous().auth.resetPassword({ token, password: NEW_PASSWORD })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await verifyCredentials({ db: t.db, email, password: OLD_PASSWORD })).not.toBeNull();
  });
});
