import { appendSessionTurn, endPracticeSession, listScenariosForDealership, markSessionLive, startPracticeSession, touchSessionHeartbeat } from '@avatar-adam/db';
import { practiceSessions } from '@avatar-adam/db/schema';
import { sweepUnqueuedWork } from '@avatar-adam/db/job-queue-sweep';
import { createTestDb } from '@avatar-adam/db/testing';
import { initializeLogger, log } from '@livekit/agents';
import { SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sessionLossTimings } from '../session/lifecycle';
import { runMaintenancePass } from './maintenance';

// A real provider with an in-memory exporter, registered globally as registerAgentTracing does in
// the worker supervisor when OTEL_EXPORTER_OTLP_ENDPOINT is set.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();

let t: Awaited<ReturnType<typeof createTestDb>>;
beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'silent' });
  t = await createTestDb();
});
beforeEach(() => exporter.reset());
afterAll(async () => {
  await t.close();
  await provider.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

const reapSpans = () => exporter.getFinishedSpans().filter((s) => s.name === 'maintenance.reap');

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
    // The pass is one span of its own trace, with the count only: no session ids, no trainee words.
    const [span] = reapSpans();
    expect(reapSpans()).toHaveLength(1);
    expect(span!.parentSpanContext).toBeUndefined();
    expect(span!.attributes).toEqual({ 'avatar_adam.sessions_reaped': pass.reaped });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect((await t.db.select().from(practiceSessions).where(eq(practiceSessions.id, s.id)))[0]).toMatchObject({ status: 'failed', endReason: 'agent_lost' });
    expect((await sweepUnqueuedWork({ db: t.db })).sessions).toBe(1);

    // Nothing left to do: a second pass reaps nothing, a second sweep adds no second job.
    expect(await runMaintenancePass({ db: t.db, logger: log() })).toEqual({ reaped: 0 });
    expect((await sweepUnqueuedWork({ db: t.db })).sessions).toBe(0);
    expect(reapSpans().map((s) => s.attributes['avatar_adam.sessions_reaped'])).toEqual([pass.reaped, 0]);
  });

  it('fails a held session after the configured silence (AGENT_SESSION_LOST_SECONDS), and not before', async () => {
    const s = await roleplaySession();
    const scope = { db: t.db, sessionId: s.id, dealershipId: s.dealershipId };
    await markSessionLive(scope);
    await t.db.update(practiceSessions).set({ heartbeatAt: new Date(Date.now() - 8_000) }).where(eq(practiceSessions.id, s.id));
    const status = async () => (await t.db.select().from(practiceSessions).where(eq(practiceSessions.id, s.id)))[0]!.status;

    // 8 s without a beat: alive by the 45 s default and by a 9 s setting, lost by a 6 s one.
    await runMaintenancePass({ db: t.db, logger: log() });
    await runMaintenancePass({ db: t.db, logger: log(), heartbeatTimeoutMs: sessionLossTimings(9).reapAfterMs });
    expect(await status()).toBe('live');
    await runMaintenancePass({ db: t.db, logger: log(), heartbeatTimeoutMs: sessionLossTimings(6).reapAfterMs });
    expect(await status()).toBe('failed');
  });

  it('marks the span of a pass that fails (database gone) as an error, and passes the error on', async () => {
    const gone = await createTestDb();
    await gone.close();
    await expect(runMaintenancePass({ db: gone.db, logger: log() })).rejects.toThrow();
    const [span] = reapSpans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes['avatar_adam.sessions_reaped']).toBeUndefined();
  });

  it('gives no scoring job to a session where the trainee never spoke', async () => {
    const s = await roleplaySession();
    const scope = { db: t.db, sessionId: s.id, dealershipId: s.dealershipId };
    await appendSessionTurn({ ...scope, sequence: 1, speaker: 'agent', text: 'Hello?', startedAt: new Date() });
    await endPracticeSession({ db: t.db, sessionId: s.id, reason: 'trainee_left' });
    expect((await sweepUnqueuedWork({ db: t.db })).sessions).toBe(0);
  });
});
