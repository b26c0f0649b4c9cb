import { appendSessionTurn, endPracticeSession, listScenariosForDealership, markSessionLive, startPracticeSession, touchSessionHeartbeat } from '@avatar-adam/db';
import { practiceSessions } from '@avatar-adam/db/schema';
import { sweepUnqueuedWork } from '@avatar-adam/db/job-queue-sweep';
import { createTestDb } from '@avatar-adam/db/testing';
import { initializeLogger, log } from '@livekit/agents';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMaintenancePass } from './maintenance';

let t: Awaited<ReturnType<typeof createTestDb>>;
beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'silent' });
  t = await createTestDb();
});
afterAll(() => t.close());

async function roleplaySession() {
  const dealershipId = t.seeded.dealershipId;
  const scenarioId = (await listScenariosForDealership({ db: t.db, dealershipId })).find((s) => s.mode === 'roleplay')!.id;
  return startPracticeSession({ db: t.db, dealershipId, traineeId: t.seeded.userIds.trainee!, scenarioId, channel: 'web' });
}

describe('the worker maintenance pass', () => {
  it('fails a session whose agent died; the sweep then gives it a scoring job, once', async () => {
    const s = await roleplaySession();
    const scope = { db: t.db, sessionId: s.id, dealershipId: s.dealershipId };
    await markSessionLive(scope);
    await touchSessionHeartbeat(scope);
    await appendSessionTurn({ ...scope, sequence: 1, speaker: 'agent', text: "Hi, I'm here to sign.", startedAt: new Date() });
    await appendSessionTurn({ ...scope, sequence: 2, speaker: 'trainee', text: 'Good news, GAP is required by the bank to approve you.', startedAt: new Date() });
    await t.db.update(practiceSessions).set({ heartbeatAt: new Date(Date.now() - 5 * 60_000) }).where(eq(practiceSessions.id, s.id));

    const pass = await runMaintenancePass({ db: t.db, logger: log() });
    expect(pass.reaped).toBeGreaterThanOrEqual(1);
    expect((await t.db.select().from(practiceSessions).where(eq(practiceSessions.id, s.id)))[0]).toMatchObject({ status: 'failed', endReason: 'agent_lost' });
    expect((await sweepUnqueuedWork({ db: t.db })).sessions).toBe(1);

    // Nothing left to do: a second pass reaps nothing, a second sweep adds no second job.
    expect(await runMaintenancePass({ db: t.db, logger: log() })).toEqual({ reaped: 0 });
    expect((await sweepUnqueuedWork({ db: t.db })).sessions).toBe(0);
  });

  it('gives no scoring job to a session where the trainee never spoke', async () => {
    const s = await roleplaySession();
    const scope = { db: t.db, sessionId: s.id, dealershipId: s.dealershipId };
    await appendSessionTurn({ ...scope, sequence: 1, speaker: 'agent', text: 'Hello?', startedAt: new Date() });
    await endPracticeSession({ db: t.db, sessionId: s.id, reason: 'trainee_left' });
    expect((await sweepUnqueuedWork({ db: t.db })).sessions).toBe(0);
  });
});
