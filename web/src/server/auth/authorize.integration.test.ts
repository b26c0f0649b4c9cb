import { listScenariosForDealership } from '@avatar-adam/db';
import { DEMO_PASSWORD, DEMO_USERS } from '@avatar-adam/db/seed';
import { auditLog } from '@avatar-adam/db/schema';
import { createTestDb } from '@avatar-adam/db/testing';
import { desc, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGN_IN_LOCKED } from '@/lib/sign-in-errors';
import { authorizeCredentials, clientAddress } from './authorize';
import { ACCOUNT_FAILURES, createLoginLimiter } from './login-limiter';

let t: Awaited<ReturnType<typeof createTestDb>>;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(() => t.close());

const trainee = DEMO_USERS.find((u) => u.role === 'trainee')!;
const manager = DEMO_USERS.find((u) => u.role === 'dealership_admin')!;
const logger = pino({ level: 'silent' });

const attempt = (limiter: ReturnType<typeof createLoginLimiter>, email: string, password: string, ip = '203.0.113.7') =>
  authorizeCredentials({ db: t.db, limiter, credentials: { email, password }, ip, logger });

async function lastAudit() {
  const [row] = await t.db.select().from(auditLog).orderBy(desc(auditLog.createdAt)).limit(1);
  return row!;
}

describe('sign-in with lockout', () => {
  it('locks an account after repeated wrong passwords, even against the right one, and audits it', async () => {
    const limiter = createLoginLimiter();
    for (let i = 0; i < ACCOUNT_FAILURES - 1; i++) expect(await attempt(limiter, trainee.email, 'wrong-password')).toBeNull();
    expect((await lastAudit()).action).toBe('auth.sign_in_failed');
    expect(await attempt(limiter, trainee.email, 'wrong-password')).toBeNull();
    expect(await lastAudit()).toMatchObject({ action: 'auth.locked_out', ip: '203.0.113.7' });

    await expect(attempt(limiter, trainee.email, DEMO_PASSWORD)).rejects.toThrow(SIGN_IN_LOCKED);
    expect((await lastAudit()).action).toBe('auth.sign_in_locked');
    // The same address is still free to sign in to another account.
    expect(await attempt(limiter, manager.email, DEMO_PASSWORD)).toMatchObject({ email: manager.email });
    // And a different capitalisation is the same account.
    await expect(attempt(limiter, trainee.email.toUpperCase(), DEMO_PASSWORD)).rejects.toThrow(SIGN_IN_LOCKED);
  });

  it('forgets earlier failures after a successful sign-in', async () => {
    const limiter = createLoginLimiter();
    for (let i = 0; i < ACCOUNT_FAILURES - 1; i++) await attempt(limiter, trainee.email, 'wrong-password');
    expect(await attempt(limiter, trainee.email, DEMO_PASSWORD)).toMatchObject({ email: trainee.email });
    expect(await lastAudit()).toMatchObject({ action: 'auth.sign_in' });
    for (let i = 0; i < ACCOUNT_FAILURES - 1; i++) expect(await attempt(limiter, trainee.email, 'wrong-password')).toBeNull();
    expect(await attempt(limiter, trainee.email, DEMO_PASSWORD)).not.toBeNull();
  });

  it('locks an address that sprays passwords across accounts', async () => {
    const byAddress = new RateLimiterMemory({ keyPrefix: 'test_address', points: 3, duration: 60, blockDuration: 60 });
    const limiter = createLoginLimiter({ byAddress });
    for (const email of ['a@x.example', 'b@x.example', 'c@x.example']) await attempt(limiter, email, 'guess', '198.51.100.9');
    await expect(attempt(limiter, manager.email, DEMO_PASSWORD, '198.51.100.9')).rejects.toThrow(SIGN_IN_LOCKED);
    expect(await attempt(limiter, manager.email, DEMO_PASSWORD, '198.51.100.10')).not.toBeNull();
  });

  it('refuses malformed input without counting it or touching the database', async () => {
    const limiter = createLoginLimiter();
    expect(await authorizeCredentials({ db: t.db, limiter, credentials: { email: 'x', password: '' }, ip: 'i', logger })).toBeNull();
    expect(await limiter.lockedForMs({ email: 'x', ip: 'i' })).toBe(0);
  });
});

describe('clientAddress', () => {
  it('takes the first forwarded hop', () => {
    expect(clientAddress({ 'x-forwarded-for': '203.0.113.7, 10.0.0.1' })).toBe('203.0.113.7');
    expect(clientAddress({})).toBe('unknown');
  });
});

describe('sign-in and the coach greetings', () => {
  const coachGreetingJobs = async (userId: string) => {
    const result = await t.db.execute(
      sql`select data from pgboss.job where name = 'keep-greeting' and state = 'created' and data->'trainee'->>'id' = ${userId}`,
    );
    return ((result as unknown as { rows?: { data: unknown }[] }).rows ?? (result as unknown as { data: unknown }[])).map((r) => r.data);
  };

  it("asks the job worker for the greeting of each coach scenario the user's dealership can practise; a failed sign-in asks nothing", async () => {
    const limiter = createLoginLimiter();
    const traineeId = t.seeded.userIds.trainee!;
    // The earlier sign-ins' jobs, as if the job worker had done them.
    await t.db.execute(sql`update pgboss.job set state = 'completed' where name = 'keep-greeting'`);
    expect(await attempt(limiter, trainee.email, 'wrong-password')).toBeNull();
    expect(await coachGreetingJobs(traineeId)).toEqual([]);

    expect(await attempt(limiter, trainee.email, DEMO_PASSWORD)).not.toBeNull();
    const coaches = (await listScenariosForDealership({ db: t.db, dealershipId: t.seeded.dealershipId })).filter((s) => s.mode === 'coach');
    expect(coaches.length).toBeGreaterThan(0);
    const jobs = await coachGreetingJobs(traineeId);
    expect(jobs).toHaveLength(coaches.length);
    expect(jobs).toContainEqual({
      scenarioId: coaches[0]!.id,
      dealershipId: coaches[0]!.isPlatform ? null : t.seeded.dealershipId,
      trainee: { id: traineeId, dealershipId: t.seeded.dealershipId },
    });
    // Signing in again while they wait stores no second copy.
    expect(await attempt(limiter, trainee.email, DEMO_PASSWORD)).not.toBeNull();
    expect(await coachGreetingJobs(traineeId)).toHaveLength(coaches.length);
  });
});
