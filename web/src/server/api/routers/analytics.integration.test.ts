import type { TAuthUser } from '@avatar-adam/db';
import { seedAnalyticsFixture } from '@avatar-adam/db/analytics-testing';
import { createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import { TRPCError } from '@trpc/server';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../root';
import { createTRPCContext } from '../trpc';
import { unreachableLiveKit } from './test-support';

const noLiveKit = unreachableLiveKit('analytics');
let t: Awaited<ReturnType<typeof createTestDb>>;
let tenant: Awaited<ReturnType<typeof createTenantUsers>>;
const range = { from: '2025-02-03', to: '2025-02-23' };

beforeAll(async () => {
  t = await createTestDb();
  tenant = await createTenantUsers(t);
  await seedAnalyticsFixture(t.db, {
    dealershipId: t.seeded.dealershipId,
    tomId: tenant.lakeside.trainee.id,
    samId: tenant.lakeside.secondTrainee.id,
    otherDealershipId: tenant.other.dealershipId,
    otherTraineeId: tenant.other.traineeId,
  });
});
afterAll(() => t.close());

function callerAs(user: TAuthUser | null) {
  const session = user ? { user, expires: new Date(Date.now() + 3_600_000).toISOString() } : null;
  return createCaller(createTRPCContext({ db: t.db, session, livekit: noLiveKit, logger: pino({ level: 'silent' }) }));
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

describe('analytics.dashboard', () => {
  it("gives a manager their dealership's summary and every series", async () => {
    const dashboard = await callerAs(tenant.lakeside.manager).analytics.dashboard(range);
    expect(dashboard.summary).toMatchObject({ sessions: 8, activeTrainees: 2, scoredSessions: 5, averageScore: 63, autoFailedSessions: 2 });
    expect(dashboard.sessionsPerWeek).toHaveLength(6);
    expect(dashboard.stepScoresPerWeek.map((r) => r.week)).toEqual(['2025-02-03', '2025-02-03', '2025-02-10', '2025-02-17']);
    expect(dashboard.firstToBest.map((r) => [r.traineeName, r.improvement])).toEqual([['Sam Second', 50], ['Tom Becker', 20]]);
    expect(dashboard.complianceFlagsPerWeek).toHaveLength(3);
    expect(dashboard.latencyPerWeek.map((r) => r.voiceToVoiceP50)).toEqual([2000, 1350, 850]);
  });

  it('narrows to one trainee of the dealership', async () => {
    const dashboard = await callerAs(tenant.lakeside.manager).analytics.dashboard({ ...range, traineeId: tenant.lakeside.trainee.id });
    expect(dashboard.summary).toMatchObject({ sessions: 5, activeTrainees: 1 });
    expect(new Set(dashboard.sessionsPerWeek.map((r) => r.traineeName))).toEqual(new Set(['Tom Becker']));
  });

  it("shows another dealership's manager only their own numbers, even when given Lakeside's trainee", async () => {
    const outsider = callerAs(tenant.outsiders.manager);
    const withTom = await outsider.analytics.dashboard({ ...range, traineeId: tenant.lakeside.trainee.id });
    expect(withTom.summary).toMatchObject({ sessions: 0, scoredSessions: 0, averageScore: null, voiceToVoiceP50: null });
    for (const series of [withTom.sessionsPerWeek, withTom.stepScoresPerWeek, withTom.firstToBest, withTom.complianceFlagsPerWeek, withTom.latencyPerWeek]) {
      expect(series).toEqual([]);
    }
    const own = await outsider.analytics.dashboard(range);
    expect(own.summary).toMatchObject({ sessions: 1, averageScore: 99, voiceToVoiceP50: 50_000 });
    expect(own.sessionsPerWeek.map((r) => r.traineeName)).toEqual(['Other Trainee']);
    expect(JSON.stringify(own)).not.toMatch(/Tom Becker|Sam Second/);
  });

  it('refuses trainees, platform admins and signed-out callers', async () => {
    expect(await codeOf(callerAs(tenant.lakeside.trainee).analytics.dashboard(range))).toBe('FORBIDDEN');
    expect(await codeOf(callerAs(tenant.outsiders.trainee).analytics.exportCsv({ ...range, series: 'sessions' }))).toBe('FORBIDDEN');
    const admin: TAuthUser = { id: t.seeded.userIds.super_admin!, email: 'admin@avatar-adam.example', name: 'Platform Admin', role: 'super_admin', dealershipId: null };
    expect(await codeOf(callerAs(admin).analytics.dashboard(range))).toBe('FORBIDDEN');
    expect(await codeOf(callerAs(null).analytics.dashboard(range))).toBe('UNAUTHORIZED');
  });

  it('refuses a dealership in the input and a bad range', async () => {
    const manager = callerAs(tenant.outsiders.manager);
    const smuggled = { ...range, dealershipId: t.seeded.dealershipId } as never;
    expect(await codeOf(manager.analytics.dashboard(smuggled))).toBe('BAD_REQUEST');
    expect(await codeOf(manager.analytics.dashboard({ from: '2025-02-23', to: '2025-02-03' }))).toBe('BAD_REQUEST');
    expect(await codeOf(manager.analytics.dashboard({ from: '2025-02-30', to: '2025-03-03' }))).toBe('BAD_REQUEST');
  });
});

describe('analytics.exportCsv', () => {
  it("exports a series of the caller's dealership only", async () => {
    const ours = await callerAs(tenant.lakeside.manager).analytics.exportCsv({ ...range, series: 'sessions' });
    expect(ours.filename).toBe('analytics-sessions-2025-02-03-to-2025-02-23.csv');
    const lines = ours.csv.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('Week starting,Trainee,Sessions,Completed,Trainee id');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      '2025-02-03,Sam Second,1,1',
      '2025-02-03,Tom Becker,2,2',
      '2025-02-10,Sam Second,1,1',
      '2025-02-10,Tom Becker,1,1',
      '2025-02-17,Sam Second,1,1',
      '2025-02-17,Tom Becker,2,1',
    ]);
    const theirs = await callerAs(tenant.outsiders.manager).analytics.exportCsv({ ...range, series: 'first-to-best', traineeId: tenant.lakeside.trainee.id });
    expect(theirs.csv.replace(/^\uFEFF/, '')).toBe('Trainee,Scenario,Scored attempts,First score,Best score,Improvement,First attempt at,Last attempt at\r\n');
  });
});
