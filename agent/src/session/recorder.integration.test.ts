import { listScenariosForDealership, listSessionTurns, startPracticeSession } from '@avatar-adam/db';
import { turnMetrics } from '@avatar-adam/db/schema';
import { createTestDb } from '@avatar-adam/db/testing';
import { initializeLogger, llm, log } from '@livekit/agents';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TurnRecorder } from './recorder';

let t: Awaited<ReturnType<typeof createTestDb>>;
beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'silent' });
  t = await createTestDb();
});
afterAll(() => t.close());

async function recorderForNewSession() {
  const dealershipId = t.seeded.dealershipId;
  const scenarioId = (await listScenariosForDealership({ db: t.db, dealershipId }))[0]!.id;
  const s = await startPracticeSession({ db: t.db, dealershipId, traineeId: t.seeded.userIds.trainee!, scenarioId, channel: 'web' });
  const pending = [{ documentId: crypto.randomUUID(), chunkId: crypto.randomUUID(), title: 'Compliance essentials' }];
  const recorder = new TurnRecorder({ db: t.db, sessionId: s.id, dealershipId, logger: log(), takeCitations: () => pending.splice(0) });
  return { recorder, scope: { db: t.db, sessionId: s.id, dealershipId } };
}

const at = (s: number) => 1_800_000_000 + s; // agents-js reports seconds

describe('TurnRecorder', () => {
  it('stores a barge-in in spoken order, the cut-off greeting as heard, and the reply with its latency', async () => {
    const { recorder, scope } = await recorderForNewSession();
    const greeting = "Hi, I'm Jordan. The salesperson said you'd finish up the paperwork on my Civic.";
    // agents-js commits the trainee's turn first: the barge-in is confirmed by their transcript.
    recorder.record(new llm.ChatMessage({ role: 'user', content: 'Sorry, can we look at the payment?', metrics: { startedSpeakingAt: at(1.5), stoppedSpeakingAt: at(3), transcriptionDelay: 0.3, endOfTurnDelay: 0.6 } }));
    recorder.record(new llm.ChatMessage({ role: 'assistant', content: greeting, interrupted: true, metrics: { startedSpeakingAt: at(0), stoppedSpeakingAt: at(1.2), ttsNodeTtfb: 0.2 } }));
    recorder.record(new llm.ChatMessage({ role: 'assistant', content: 'Sure, what is it?', metrics: { startedSpeakingAt: at(4), stoppedSpeakingAt: at(5), llmNodeTtft: 0.4, ttsNodeTtfb: 0.15, e2eLatency: 1.0 } }));
    await recorder.flush();

    const turns = await listSessionTurns(scope);
    expect(turns.map((r) => [r.sequence, r.speaker, r.interrupted])).toEqual([
      [1, 'agent', true],
      [2, 'trainee', false],
      [3, 'agent', false],
    ]);
    expect(turns[0]!.text).toBe("Hi, I'm Jordan.");
    expect(turns[0]!.citations).toHaveLength(1); // the first agent turn took the pending sources
    const metrics = await t.db.select().from(turnMetrics).where(eq(turnMetrics.sessionId, scope.sessionId));
    const reply = metrics.find((m) => m.turnId === turns[2]!.id)!;
    expect(reply).toMatchObject({ endOfUtteranceDelayMs: 600, transcriptionDelayMs: 300, llmTtftMs: 400, ttsTtfbMs: 150, voiceToVoiceMs: 1000 });
    // The greeting answered nothing: it keeps only its own voice timing.
    expect(metrics.find((m) => m.turnId === turns[0]!.id)).toMatchObject({ ttsTtfbMs: 200, endOfUtteranceDelayMs: null });
    expect(recorder.traineeTurns).toBe(1);
  });

  it('gives a reply cut off by a barge-in the timings of the turn it answered, not of the interruption', async () => {
    const { recorder, scope } = await recorderForNewSession();
    recorder.record(new llm.ChatMessage({ role: 'user', content: 'What is GAP?', metrics: { startedSpeakingAt: at(0), stoppedSpeakingAt: at(1), endOfTurnDelay: 0.5, transcriptionDelay: 0.4 } }));
    // The reply starts at 2 s; the trainee cuts in at 3 s; agents-js commits their turn first.
    recorder.record(new llm.ChatMessage({ role: 'user', content: 'Wait, one thing first.', metrics: { startedSpeakingAt: at(3), stoppedSpeakingAt: at(4), endOfTurnDelay: 0.7, transcriptionDelay: 0.6 } }));
    recorder.record(new llm.ChatMessage({ role: 'assistant', content: 'GAP covers the gap between', interrupted: true, metrics: { startedSpeakingAt: at(2), stoppedSpeakingAt: at(3.3), llmNodeTtft: 0.3, e2eLatency: 1.0 } }));
    recorder.record(new llm.ChatMessage({ role: 'assistant', content: 'Sure, go ahead.', metrics: { startedSpeakingAt: at(5.2), stoppedSpeakingAt: at(6), llmNodeTtft: 0.35, e2eLatency: 1.2 } }));
    await recorder.flush();
    const turns = await listSessionTurns(scope);
    expect(turns.map((r) => r.text)).toEqual(['What is GAP?', 'GAP covers the gap between', 'Wait, one thing first.', 'Sure, go ahead.']);
    const metrics = await t.db.select().from(turnMetrics).where(eq(turnMetrics.sessionId, scope.sessionId));
    expect(metrics.find((m) => m.turnId === turns[1]!.id)).toMatchObject({ endOfUtteranceDelayMs: 500, transcriptionDelayMs: 400, llmTtftMs: 300 });
    expect(metrics.find((m) => m.turnId === turns[3]!.id)).toMatchObject({ endOfUtteranceDelayMs: 700, transcriptionDelayMs: 600, llmTtftMs: 350 });
  });

  it('drops an agent reply interrupted before a word was heard, and writes a held turn on flush', async () => {
    const { recorder, scope } = await recorderForNewSession();
    recorder.record(new llm.ChatMessage({ role: 'assistant', content: '', interrupted: true, metrics: { llmNodeTtft: 0.4 } }));
    recorder.record(new llm.ChatMessage({ role: 'user', content: 'One more thing.', metrics: { startedSpeakingAt: at(1) } }));
    await recorder.flush();
    expect((await listSessionTurns(scope)).map((r) => r.text)).toEqual(['One more thing.']);
  });
});
