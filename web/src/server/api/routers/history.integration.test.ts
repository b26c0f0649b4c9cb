import {
  saveSessionRecording,
  appendSessionTurn,
  createPendingScorecard,
  listScenariosForDealership,
  markScorecardFailed,
  recordTurnMetrics,
  saveScorecard,
  schema,
  startPracticeSession,
  type TAuthUser,
  type TScorecardInput,
} from '@avatar-adam/db';
import { type createOtherDealership, createTenantUsers, createTestDb } from '@avatar-adam/db/testing';
import { TRPCError } from '@trpc/server';
import { asc, eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaller } from '../root';
import { unreachableLiveKit } from './test-support';
import { createTRPCContext } from '../trpc';

const { documentChunks, documents } = schema;

const noLiveKit = unreachableLiveKit('history reads');

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createOtherDealership>>;
let lakeside: { trainee: TAuthUser; secondTrainee: TAuthUser; manager: TAuthUser };
let outsiders: { trainee: TAuthUser; manager: TAuthUser };
let chunk: { id: string; documentId: string; title: string; heading: string | null; text: string };

beforeAll(async () => {
  t = await createTestDb();
  ({ other, lakeside, outsiders } = await createTenantUsers(t));
  const [seededChunk] = await t.db
    .select({
      id: documentChunks.id,
      documentId: documents.id,
      title: documents.title,
      heading: documentChunks.heading,
      text: documentChunks.text,
    })
    .from(documentChunks)
    .innerJoin(documents, eq(documents.id, documentChunks.documentId))
    .where(eq(documentChunks.dealershipId, t.seeded.dealershipId))
    .orderBy(asc(documentChunks.ordinal))
    .limit(1);
  chunk = seededChunk!;
});
afterAll(() => t.close());

function callerAs(user: TAuthUser) {
  const session = { user, expires: new Date(Date.now() + 3_600_000).toISOString() };
  return createCaller(createTRPCContext({ db: t.db, session, livekit: noLiveKit, logger: pino({ level: 'silent' }) }));
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

const ROLEPLAY_RESULT: TScorecardInput = {
  overallScore: 42,
  tier: 'needs_work',
  autoFailed: true,
  summary: 'Strong greeting; the payment was quoted without APR or term.',
  items: [
    { step: 'greeting', score: 9, maxScore: 10, evidenceQuote: 'Welcome in, I am Tom', turnSequence: 2, rationale: 'Warm and named.' },
    { step: 'menu_presentation', score: 0, maxScore: 20, evidenceQuote: null, turnSequence: null, rationale: 'No menu shown.' },
  ],
  flags: [
    {
      rule: 'payment_without_apr_term',
      severity: 'auto_fail',
      evidenceQuote: 'It is only 450 a month',
      turnSequence: 4,
      detectedBy: 'rule',
      explanation: 'A payment must be quoted with its APR and term.',
    },
  ],
};

/** A finished role-play of the Lakeside trainee: four turns, one interrupted, one reply measured. */
async function recordedRoleplay() {
  const dealershipId = t.seeded.dealershipId;
  const scenarios = await listScenariosForDealership({ db: t.db, dealershipId });
  const scenario = scenarios.find((s) => s.mode === 'roleplay')!;
  const session = await startPracticeSession({
    db: t.db,
    dealershipId,
    traineeId: lakeside.trainee.id,
    scenarioId: scenario.id,
    channel: 'web',
  });
  const base = { db: t.db, sessionId: session.id, dealershipId };
  const at = (s: number) => new Date(Date.UTC(2025, 0, 1, 9, 0, s));
  const citation = { documentId: chunk.documentId, chunkId: chunk.id, title: chunk.title, heading: chunk.heading ?? undefined };
  await appendSessionTurn({ ...base, sequence: 1, speaker: 'agent', text: 'Hi, I am here to sign.', startedAt: at(0), endedAt: at(2) });
  await appendSessionTurn({ ...base, sequence: 2, speaker: 'trainee', text: 'Welcome in, I am Tom.', startedAt: at(3), endedAt: at(5) });
  const reply = await appendSessionTurn({
    ...base,
    sequence: 3,
    speaker: 'agent',
    text: 'Do I really need all',
    interrupted: true,
    startedAt: at(6),
    endedAt: at(7),
    citations: [citation],
  });
  await appendSessionTurn({ ...base, sequence: 4, speaker: 'trainee', text: 'It is only 450 a month.', startedAt: at(7), endedAt: at(9) });
  await recordTurnMetrics({
    ...base,
    turnId: reply.id,
    speechId: 'speech_1',
    latency: { endOfUtteranceDelayMs: 310, transcriptionDelayMs: 120, llmTtftMs: 480, ttsTtfbMs: 150, voiceToVoiceMs: 1040 },
  });
  return { session, scenario, citation };
}

describe('history.transcript', () => {
  it('gives the trainee their turns in spoken order with the interrupted marker, citations and reply latency', async () => {
    const { session, scenario, citation } = await recordedRoleplay();

    const transcript = await callerAs(lakeside.trainee).history.transcript({ sessionId: session.id });

    expect(transcript.session).toMatchObject({
      id: session.id,
      mode: 'roleplay',
      scenarioTitle: scenario.title,
      personaName: scenario.persona.name,
      traineeName: lakeside.trainee.name,
    });
    expect(transcript.turns.map((turn) => [turn.sequence, turn.speaker, turn.text, turn.interrupted])).toEqual([
      [1, 'agent', 'Hi, I am here to sign.', false],
      [2, 'trainee', 'Welcome in, I am Tom.', false],
      [3, 'agent', 'Do I really need all', true],
      [4, 'trainee', 'It is only 450 a month.', false],
    ]);
    expect(transcript.turns[2]!.citations).toEqual([citation]);
    expect(transcript.turns[2]!.latency).toEqual({
      endOfUtteranceDelayMs: 310,
      transcriptionDelayMs: 120,
      llmTtftMs: 480,
      ttsTtfbMs: 150,
      voiceToVoiceMs: 1040,
    });
    expect(transcript.turns[0]!.latency).toBeNull();
    expect(transcript.turns[1]!.latency).toBeNull();
  });

  it('lets a manager of the same dealership read any trainee’s transcript', async () => {
    const { session } = await recordedRoleplay();
    const transcript = await callerAs(lakeside.manager).history.transcript({ sessionId: session.id });
    expect(transcript.turns).toHaveLength(4);
    expect(transcript.session.traineeName).toBe(lakeside.trainee.name);
  });
});

describe('history.scorecard', () => {
  it('is null before scoring, pending while scoring, then the full card for the trainee and their manager', async () => {
    const { session } = await recordedRoleplay();
    const scope = { db: t.db, sessionId: session.id, dealershipId: t.seeded.dealershipId };
    const trainee = callerAs(lakeside.trainee);

    expect(await trainee.history.scorecard({ sessionId: session.id })).toBeNull();

    await createPendingScorecard(scope);
    expect(await trainee.history.scorecard({ sessionId: session.id })).toMatchObject({ status: 'pending', items: [], flags: [] });

    await saveScorecard({ ...scope, result: ROLEPLAY_RESULT });
    const card = await trainee.history.scorecard({ sessionId: session.id });
    expect(card).toMatchObject({
      status: 'complete',
      mode: 'roleplay',
      overallScore: 42,
      tier: 'needs_work',
      autoFailed: true,
      summary: ROLEPLAY_RESULT.summary,
    });
    expect(card!.items.map((i) => [i.step, i.score, i.maxScore, i.evidenceQuote, i.turnSequence, i.rationale])).toEqual([
      ['greeting', 9, 10, 'Welcome in, I am Tom', 2, 'Warm and named.'],
      ['menu_presentation', 0, 20, null, null, 'No menu shown.'],
    ]);
    expect(card!.flags).toEqual([
      expect.objectContaining({
        rule: 'payment_without_apr_term',
        severity: 'auto_fail',
        evidenceQuote: 'It is only 450 a month',
        turnSequence: 4,
        explanation: 'A payment must be quoted with its APR and term.',
      }),
    ]);

    expect(await callerAs(lakeside.manager).history.scorecard({ sessionId: session.id })).toEqual(card);
  });

  it('reports a failed scoring without the scorer’s internal error', async () => {
    const { session } = await recordedRoleplay();
    await markScorecardFailed({
      db: t.db,
      sessionId: session.id,
      dealershipId: t.seeded.dealershipId,
      error: 'judge request to http://10.0.0.7:8080 timed out',
    });
    const card = await callerAs(lakeside.trainee).history.scorecard({ sessionId: session.id });
    expect(card).toMatchObject({ status: 'failed', overallScore: null, items: [], flags: [] });
    expect(JSON.stringify(card)).not.toContain('10.0.0.7');
  });
});

describe('history.citation', () => {
  it('returns the cited passage of the caller’s dealership', async () => {
    const passage = await callerAs(lakeside.trainee).history.citation({ chunkId: chunk.id });
    expect(passage).toMatchObject({
      chunkId: chunk.id,
      documentId: chunk.documentId,
      title: chunk.title,
      heading: chunk.heading,
      text: chunk.text,
    });
    expect(passage.text.length).toBeGreaterThan(0);
  });

  it('answers NOT_FOUND for a chunk id that does not exist', async () => {
    expect(await codeOf(callerAs(lakeside.trainee).history.citation({ chunkId: crypto.randomUUID() }))).toBe('NOT_FOUND');
  });
});

describe('history.recordings', () => {
  it('lists the session’s recorded parts for its trainee and their manager, nobody else', async () => {
    const { session } = await recordedRoleplay();
    const audio = Buffer.concat([Buffer.from('OggS'), Buffer.alloc(300, 1)]);
    const saved = await saveSessionRecording({ db: t.db, sessionId: session.id, dealershipId: t.seeded.dealershipId, content: audio, durationMs: 42_000, startedAt: new Date() });
    const expected = [{ id: saved.id, mime: 'audio/ogg', sizeBytes: 304, durationMs: 42_000, startedAt: saved.startedAt }];
    expect(await callerAs(lakeside.trainee).history.recordings({ sessionId: session.id })).toEqual(expected);
    expect(await callerAs(lakeside.manager).history.recordings({ sessionId: session.id })).toEqual(expected);
    for (const stranger of [lakeside.secondTrainee, outsiders.trainee, outsiders.manager]) {
      expect(await codeOf(callerAs(stranger).history.recordings({ sessionId: session.id }))).toBe('NOT_FOUND');
    }
  });

  it('is an empty list for a session without audio', async () => {
    const { session } = await recordedRoleplay();
    expect(await callerAs(lakeside.trainee).history.recordings({ sessionId: session.id })).toEqual([]);
  });
});

describe('who may read a session', () => {
  it('hides a trainee’s session from another trainee of the same dealership as NOT_FOUND', async () => {
    const { session } = await recordedRoleplay();
    await saveScorecard({ db: t.db, sessionId: session.id, dealershipId: t.seeded.dealershipId, result: ROLEPLAY_RESULT });
    const colleague = callerAs(lakeside.secondTrainee);
    expect(await codeOf(colleague.history.transcript({ sessionId: session.id }))).toBe('NOT_FOUND');
    expect(await codeOf(colleague.history.scorecard({ sessionId: session.id }))).toBe('NOT_FOUND');
  });

  it('refuses a trainee and a manager of another dealership everything, as NOT_FOUND', async () => {
    const { session } = await recordedRoleplay();
    await saveScorecard({ db: t.db, sessionId: session.id, dealershipId: t.seeded.dealershipId, result: ROLEPLAY_RESULT });
    for (const outsider of [outsiders.trainee, outsiders.manager]) {
      const caller = callerAs(outsider);
      expect(await codeOf(caller.history.transcript({ sessionId: session.id }))).toBe('NOT_FOUND');
      expect(await codeOf(caller.history.scorecard({ sessionId: session.id }))).toBe('NOT_FOUND');
      expect(await codeOf(caller.history.citation({ chunkId: chunk.id }))).toBe('NOT_FOUND');
      expect(await codeOf(caller.session.get({ sessionId: session.id }))).toBe('NOT_FOUND');
    }
  });

  it('rejects ids that are not uuids as BAD_REQUEST', async () => {
    const caller = callerAs(lakeside.manager);
    expect(await codeOf(caller.history.transcript({ sessionId: 'not-a-uuid' }))).toBe('BAD_REQUEST');
    expect(await codeOf(caller.history.scorecard({ sessionId: '42' }))).toBe('BAD_REQUEST');
    expect(await codeOf(caller.history.citation({ chunkId: "1' or '1'='1" }))).toBe('BAD_REQUEST');
  });
});
