import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from './errors';
import { practiceSessions, turnMetrics } from './schema';
import { failAbandonedSessions, getPracticeSession, markSessionLive, touchSessionHeartbeat } from './sessions';
import { createOtherDealership, createTestDb, startTestRoleplay } from './testing';
import { appendSessionTurn, listSessionTurns, recordTurnMetrics } from './turns';

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createOtherDealership>>;

beforeAll(async () => {
  t = await createTestDb();
  other = await createOtherDealership(t.db);
});
afterAll(() => t.close());

const newSession = () => startTestRoleplay(t);

describe('recording turns', () => {
  it('stores turns in spoken order with the interrupted flag, citations and latency', async () => {
    const s = await newSession();
    const base = { db: t.db, sessionId: s.id, dealershipId: s.dealershipId };
    const citation = { documentId: crypto.randomUUID(), chunkId: crypto.randomUUID(), title: 'GAP basics' };
    await appendSessionTurn({ ...base, sequence: 2, speaker: 'agent', text: 'GAP covers the', interrupted: true, startedAt: new Date(), citations: [citation] });
    await appendSessionTurn({ ...base, sequence: 1, speaker: 'trainee', text: 'What does GAP cover?', startedAt: new Date(Date.now() - 2000) });
    const turns = await listSessionTurns(base);
    expect(turns.map((r) => [r.sequence, r.speaker, r.text, r.interrupted])).toEqual([
      [1, 'trainee', 'What does GAP cover?', false],
      [2, 'agent', 'GAP covers the', true],
    ]);
    expect(turns[1]!.citations).toEqual([citation]);

    await recordTurnMetrics({ ...base, turnId: turns[1]!.id, speechId: 'speech_1', latency: { llmTtftMs: 420, ttsTtfbMs: 180, voiceToVoiceMs: 910 } });
    const [metrics] = await t.db.select().from(turnMetrics).where(eq(turnMetrics.sessionId, s.id));
    expect(metrics).toMatchObject({ turnId: turns[1]!.id, llmTtftMs: 420, ttsTtfbMs: 180, voiceToVoiceMs: 910, transcriptionDelayMs: null });
  });

  it('refuses a duplicate sequence, a bad sequence and bad latency, writing nothing', async () => {
    const s = await newSession();
    const base = { db: t.db, sessionId: s.id, dealershipId: s.dealershipId };
    await appendSessionTurn({ ...base, sequence: 1, speaker: 'trainee', text: 'hello', startedAt: new Date() });
    await expect(appendSessionTurn({ ...base, sequence: 1, speaker: 'agent', text: 'again', startedAt: new Date() })).rejects.toThrow();
    await expect(appendSessionTurn({ ...base, sequence: 0, speaker: 'agent', text: 'zero', startedAt: new Date() })).rejects.toThrow(/positive integer/);
    await expect(recordTurnMetrics({ ...base, latency: { llmTtftMs: Number.NaN } })).rejects.toThrow(/llmTtftMs/);
    expect((await listSessionTurns(base)).map((r) => r.text)).toEqual(['hello']);
  });

  it('never attaches or shows a turn across dealerships', async () => {
    const s = await newSession();
    const wrongTenant = { db: t.db, sessionId: s.id, dealershipId: other.dealershipId };
    const refused = await appendSessionTurn({ ...wrongTenant, sequence: 1, speaker: 'trainee', text: 'sneaky', startedAt: new Date() }).catch((e: unknown) => e);
    expect(isAppError(refused) && refused.code).toBe('NOT_FOUND');
    await expect(recordTurnMetrics({ ...wrongTenant, latency: { llmTtftMs: 1 } })).rejects.toThrow(/not found/);
    await appendSessionTurn({ db: t.db, sessionId: s.id, dealershipId: s.dealershipId, sequence: 1, speaker: 'trainee', text: 'mine', startedAt: new Date() });
    expect(await listSessionTurns(wrongTenant)).toEqual([]);
  });
});

describe('the reaper', () => {
  it('fails sessions whose agent stopped beating or never came, keeping their turns', async () => {
    const lost = await newSession();
    const healthy = await newSession();
    const neverPicked = await newSession();
    const fresh = await newSession();
    await markSessionLive({ db: t.db, sessionId: lost.id });
    await touchSessionHeartbeat({ db: t.db, sessionId: lost.id });
    await touchSessionHeartbeat({ db: t.db, sessionId: healthy.id });
    await appendSessionTurn({ db: t.db, sessionId: lost.id, dealershipId: lost.dealershipId, sequence: 1, speaker: 'agent', text: 'Hi there', startedAt: new Date() });
    const old = new Date(Date.now() - 10 * 60_000);
    await t.db.update(practiceSessions).set({ heartbeatAt: old }).where(eq(practiceSessions.id, lost.id));
    await t.db.update(practiceSessions).set({ createdAt: old }).where(eq(practiceSessions.id, neverPicked.id));

    const reaped = await failAbandonedSessions({ db: t.db });
    const byId = new Map(reaped.map((r) => [r.id, r.endReason]));
    expect(byId.get(lost.id)).toBe('agent_lost');
    expect(byId.get(neverPicked.id)).toBe('agent_never_joined');
    expect(byId.has(healthy.id)).toBe(false);
    expect(byId.has(fresh.id)).toBe(false);

    const read = (id: string) => getPracticeSession({ db: t.db, sessionId: id, dealershipId: lost.dealershipId });
    expect(await read(lost.id)).toMatchObject({ status: 'failed', endReason: 'agent_lost' });
    expect(await read(healthy.id)).toMatchObject({ status: 'pending' });
    const turns = await listSessionTurns({ db: t.db, sessionId: lost.id, dealershipId: lost.dealershipId });
    expect(turns.map((r) => r.text)).toEqual(['Hi there']);
    // A failed session takes no more heartbeats, and a second pass changes nothing.
    expect(await touchSessionHeartbeat({ db: t.db, sessionId: lost.id })).toBe(false);
    expect((await failAbandonedSessions({ db: t.db })).map((r) => r.id)).not.toContain(lost.id);
  });

  it('limited to one dealership, leaves the others alone', async () => {
    const s = await newSession();
    await t.db.update(practiceSessions).set({ createdAt: new Date(Date.now() - 10 * 60_000) }).where(eq(practiceSessions.id, s.id));
    expect(await failAbandonedSessions({ db: t.db, dealershipId: other.dealershipId })).toEqual([]);
    expect((await failAbandonedSessions({ db: t.db, dealershipId: s.dealershipId })).map((r) => r.id)).toContain(s.id);
  });
});
