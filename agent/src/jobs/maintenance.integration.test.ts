import { appendSessionTurn, endPracticeSession, getScorecard, listScenariosForDealership, markSessionLive, startPracticeSession, touchSessionHeartbeat } from '@avatar-adam/db';
import { practiceSessions } from '@avatar-adam/db/schema';
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
  it('fails a session whose agent died, then scores what the trainee said before it died', async () => {
    const s = await roleplaySession();
    const scope = { db: t.db, sessionId: s.id, dealershipId: s.dealershipId };
    await markSessionLive(scope);
    await touchSessionHeartbeat(scope);
    await appendSessionTurn({ ...scope, sequence: 1, speaker: 'agent', text: "Hi, I'm here to sign.", startedAt: new Date() });
    await appendSessionTurn({ ...scope, sequence: 2, speaker: 'trainee', text: 'Good news, GAP is required by the bank to approve you.', startedAt: new Date() });
    await t.db.update(practiceSessions).set({ heartbeatAt: new Date(Date.now() - 5 * 60_000) }).where(eq(practiceSessions.id, s.id));

    const pass = await runMaintenancePass({ db: t.db, logger: log() });
    expect(pass.reaped).toBeGreaterThanOrEqual(1);
    expect(pass.scored).toBeGreaterThanOrEqual(1);
    const card = await getScorecard(scope);
    expect(card).toMatchObject({ status: 'complete', autoFailed: true });
    expect(card!.flags.map((f) => f.rule)).toContain('approval_tied_to_product');

    // Nothing left to do: a second pass neither reaps nor re-scores it.
    const again = await runMaintenancePass({ db: t.db, logger: log() });
    expect(again).toMatchObject({ reaped: 0, scored: 0 });
  });

  it('leaves sessions where the trainee never spoke unscored', async () => {
    const s = await roleplaySession();
    const scope = { db: t.db, sessionId: s.id, dealershipId: s.dealershipId };
    await appendSessionTurn({ ...scope, sequence: 1, speaker: 'agent', text: 'Hello?', startedAt: new Date() });
    await endPracticeSession({ db: t.db, sessionId: s.id, reason: 'trainee_left' });
    await runMaintenancePass({ db: t.db, logger: log() });
    expect(await getScorecard(scope)).toBeNull();
  });
});
