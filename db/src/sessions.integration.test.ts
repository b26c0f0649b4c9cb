import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { practiceSessions, scenarios } from './schema';
import {
  endPracticeSession,
  getPracticeSession,
  loadSessionForAgent,
  markSessionLive,
  startPracticeSession,
} from './sessions';
import { createOtherDealership, createTestDb } from './testing';
import { verifyCredentials } from './users';
import { DEMO_PASSWORD } from './seed';
import { listScenariosForDealership } from './scenarios';

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createOtherDealership>>;

beforeAll(async () => {
  t = await createTestDb();
  other = await createOtherDealership(t.db);
});
afterAll(() => t.close());

const demo = () => ({ dealershipId: t.seeded.dealershipId, traineeId: t.seeded.userIds.trainee! });

async function roleplayScenarioId(dealershipId: string) {
  const list = await listScenariosForDealership({ db: t.db, dealershipId });
  return list.find((s) => s.mode === 'roleplay')!.id;
}

describe('practice session lifecycle', () => {
  it('goes pending → live → ended, and a late shutdown does not overwrite the reason', async () => {
    const scenarioId = await roleplayScenarioId(demo().dealershipId);
    const s = await startPracticeSession({ db: t.db, ...demo(), scenarioId, channel: 'web' });
    expect(s).toMatchObject({ status: 'pending', mode: 'roleplay', channel: 'web' });
    expect(s.roomName).toMatch(/^practice-[0-9a-f-]{36}$/);

    expect(await markSessionLive({ db: t.db, sessionId: s.id })).toBe(true);
    expect(await markSessionLive({ db: t.db, sessionId: s.id })).toBe(false);
    expect(await endPracticeSession({ db: t.db, sessionId: s.id, reason: 'trainee_left' })).toBe(true);
    expect(await endPracticeSession({ db: t.db, sessionId: s.id, reason: 'agent_shutdown', status: 'failed' })).toBe(false);

    const row = await getPracticeSession({ db: t.db, sessionId: s.id, dealershipId: demo().dealershipId });
    expect(row).toMatchObject({ status: 'ended', endReason: 'trainee_left' });
    expect(row!.liveAt).toBeInstanceOf(Date);
    expect(row!.endedAt!.getTime()).toBeGreaterThanOrEqual(row!.liveAt!.getTime());
  });

  it('loads persona, deal and trainee for the agent', async () => {
    const scenarioId = await roleplayScenarioId(demo().dealershipId);
    const s = await startPracticeSession({ db: t.db, ...demo(), scenarioId, channel: 'phone' });
    const loaded = await loadSessionForAgent({ db: t.db, sessionId: s.id, dealershipId: demo().dealershipId });
    expect(loaded.trainee.name).toBe('Tom Becker');
    expect(loaded.scenario.dealJacket?.payment).toBeGreaterThan(0);
    expect(loaded.session.channel).toBe('phone');
  });
});

describe('tenant isolation', () => {
  it("refuses a scenario private to another dealership and creates no row", async () => {
    const [privateScenario] = await t.db
      .select({ id: scenarios.id })
      .from(scenarios)
      .where(eq(scenarios.dealershipId, demo().dealershipId));
    const before = await t.db.$count(practiceSessions);
    await expect(
      startPracticeSession({ db: t.db, dealershipId: other.dealershipId, traineeId: other.traineeId, scenarioId: privateScenario!.id, channel: 'web' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await t.db.$count(practiceSessions)).toBe(before);
  });

  it('platform-wide scenarios are visible to both, private ones only to their owner', async () => {
    const mine = await listScenariosForDealership({ db: t.db, dealershipId: demo().dealershipId });
    const theirs = await listScenariosForDealership({ db: t.db, dealershipId: other.dealershipId });
    expect(theirs.every((s) => s.isPlatform)).toBe(true);
    expect(mine.length).toBe(theirs.length + 1);
  });

  it("refuses to start a session for a user of another dealership", async () => {
    const scenarioId = await roleplayScenarioId(demo().dealershipId);
    await expect(
      startPracticeSession({ db: t.db, dealershipId: demo().dealershipId, traineeId: other.traineeId, scenarioId, channel: 'web' }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("cannot read or load another dealership's session", async () => {
    const scenarioId = await roleplayScenarioId(demo().dealershipId);
    const s = await startPracticeSession({ db: t.db, ...demo(), scenarioId, channel: 'web' });
    expect(await getPracticeSession({ db: t.db, sessionId: s.id, dealershipId: other.dealershipId })).toBeNull();
    await expect(loadSessionForAgent({ db: t.db, sessionId: s.id, dealershipId: other.dealershipId })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('verifyCredentials', () => {
  it('accepts the seeded trainee in any email case and rejects a wrong password', async () => {
    const user = await verifyCredentials({ db: t.db, email: ' Trainee@Lakeside.example ', password: DEMO_PASSWORD });
    expect(user).toMatchObject({ role: 'trainee', dealershipId: demo().dealershipId, name: 'Tom Becker' });
    expect(await verifyCredentials({ db: t.db, email: 'trainee@lakeside.example', password: 'wrong' })).toBeNull();
    expect(await verifyCredentials({ db: t.db, email: 'nobody@lakeside.example', password: DEMO_PASSWORD })).toBeNull();
  });
});
