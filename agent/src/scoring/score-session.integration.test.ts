import { getScorecard, isAppError, listScenariosForDealership, markScorecardFailed, schema, startPracticeSession, type Db } from '@avatar-adam/db';
import { createOtherDealership, createTestDb } from '@avatar-adam/db/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreSession } from './score-session';

let t: Awaited<ReturnType<typeof createTestDb>>;
let other: Awaited<ReturnType<typeof createOtherDealership>>;

beforeAll(async () => {
  t = await createTestDb();
  other = await createOtherDealership(t.db);
});
afterAll(() => t?.close());

const demo = () => ({ db: t.db, dealershipId: t.seeded.dealershipId });

async function newSession(title: string, lines: [speaker: 'agent' | 'trainee', text: string][]) {
  const scenario = (await listScenariosForDealership(demo())).find((s) => s.title === title)!;
  const session = await startPracticeSession({ ...demo(), traineeId: t.seeded.userIds.trainee!, scenarioId: scenario.id, channel: 'web' });
  const turns = await t.db
    .insert(schema.sessionTurns)
    .values(lines.map(([speaker, text], i) => ({ sessionId: session.id, dealershipId: session.dealershipId, sequence: i + 1, speaker, text, startedAt: new Date() })))
    .returning();
  return { session, scenario, turns };
}

async function rowCounts(sessionId: string) {
  const cards = await t.db.select().from(schema.scorecards).where(eq(schema.scorecards.sessionId, sessionId));
  if (!cards[0]) return { cards: 0, items: 0, flags: 0 };
  const items = await t.db.select().from(schema.scoreItems).where(eq(schema.scoreItems.scorecardId, cards[0].id));
  const flags = await t.db.select().from(schema.complianceFlags).where(eq(schema.complianceFlags.scorecardId, cards[0].id));
  return { cards: cards.length, items: items.length, flags: flags.length };
}

const ROLE_PLAY: [speaker: 'agent' | 'trainee', text: string][] = [
  ['trainee', "Hi Dana, welcome! My name is Chris and I'm your finance manager. Congratulations on the new Highlander."],
  ['agent', 'Thanks. Do I have to buy any of these extras?'],
  ['trainee', 'Here is the menu. GAP is required for this loan. Your base payment is $609.52 a month at 6.49% APR for 72 months.'],
  ['agent', 'The factory warranty covers me.'],
  ['trainee', 'I understand. I recommend the platinum service contract because you keep your cars eight years.'],
  ['agent', 'Fine.'],
  ['trainee', 'Please sign the retail installment contract here.'],
];

describe('scoreSession (embedded database)', () => {
  it('stores a role-play scorecard whose items and flags point at the real turns', async () => {
    const { session, scenario, turns } = await newSession('Warranty-skeptic engineer', ROLE_PLAY);
    expect(scenario.dealJacket!.payment).toBe(609.52); // the transcript quotes the seeded base payment

    const card = await scoreSession({ ...demo(), sessionId: session.id });
    expect(card).toMatchObject({ status: 'complete', autoFailed: true, tier: 'needs_work', error: null });
    expect(card.items.map((i) => i.step)).toEqual(schema.fiStep.enumValues);
    const reClose = card.items.find((i) => i.step === 're_close')!;
    expect(reClose).toMatchObject({ turnId: turns[4]!.id, turnSequence: 5, maxScore: 10 });
    expect(reClose.score).toBeGreaterThan(0);
    expect(card.items.find((i) => i.step === 'interview')).toMatchObject({ score: 0, turnId: null, evidenceQuote: null });
    expect(card.flags).toEqual([
      expect.objectContaining({ rule: 'product_required', severity: 'auto_fail', detectedBy: 'rule', turnId: turns[2]!.id, evidenceQuote: 'GAP is required for this loan.' }),
    ]);
  });

  it('replaces the result on re-scoring instead of duplicating it', async () => {
    const { session } = await newSession('Warranty-skeptic engineer', ROLE_PLAY);
    const first = await scoreSession({ ...demo(), sessionId: session.id });
    const judge = async () => JSON.stringify({ steps: [], findings: [{ rule: 'pushy_close', severity: 'warning', turnSequence: 5, evidenceQuote: 'I recommend the platinum service contract', explanation: 'Check tone.' }] });
    const second = await scoreSession({ ...demo(), sessionId: session.id, judge });
    expect(second.id).toBe(first.id);
    expect(await rowCounts(session.id)).toEqual({ cards: 1, items: 8, flags: 2 });
    expect(second.flags.map((f) => f.detectedBy)).toEqual(['rule', 'llm_judge']);
  });

  it("keeps every dealership's scorecards to itself", async () => {
    const { session } = await newSession('Warranty-skeptic engineer', ROLE_PLAY);
    await scoreSession({ ...demo(), sessionId: session.id });
    expect(await getScorecard({ db: t.db, sessionId: session.id, dealershipId: other.dealershipId })).toBeNull();

    const { session: unscored } = await newSession('Warranty-skeptic engineer', ROLE_PLAY);
    const wrongTenant = scoreSession({ db: t.db, sessionId: unscored.id, dealershipId: other.dealershipId });
    await expect(wrongTenant).rejects.toSatisfy((e) => isAppError(e) && e.code === 'NOT_FOUND');
    expect(await rowCounts(unscored.id)).toEqual({ cards: 0, items: 0, flags: 0 });
  });

  it('stores a coach session as a summary with no scores or items', async () => {
    const { session } = await newSession('Ask Adam — F&I coach', [
      ['trainee', 'What does GAP cover?'],
      ['agent', 'The difference between what you owe and what the car is worth after a total loss.'],
    ]);
    const card = await scoreSession({ ...demo(), sessionId: session.id });
    expect(card).toMatchObject({ status: 'complete', overallScore: null, tier: null, items: [], flags: [] });
    expect(card.summary).toBe('Coach session with 1 question from the trainee. Topics: GAP.');
  });

  it('records a failure with its message, clears the old result, and rethrows', async () => {
    const { session } = await newSession('Warranty-skeptic engineer', ROLE_PLAY);
    await scoreSession({ ...demo(), sessionId: session.id });
    let failSaves = 1;
    const flaky = new Proxy(t.db, {
      get(target, prop, receiver) {
        if (prop === 'transaction' && failSaves-- > 0) return () => Promise.reject(new Error('disk full'));
        return Reflect.get(target, prop, receiver);
      },
    }) as Db;
    await expect(scoreSession({ db: flaky, dealershipId: t.seeded.dealershipId, sessionId: session.id })).rejects.toThrow('disk full');
    expect(await getScorecard({ ...demo(), sessionId: session.id })).toMatchObject({ status: 'failed', error: 'disk full', overallScore: null, items: [], flags: [] });

    await expect(markScorecardFailed({ db: t.db, sessionId: session.id, dealershipId: other.dealershipId, error: 'x' })).rejects.toThrow(/not found/);
  });
});
