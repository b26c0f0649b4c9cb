import type { TDealJacket } from '@avatar-adam/db';
import { describe, expect, it } from 'vitest';
import { buildCoachSummary, buildScorecard, tierFor } from './scorecard';
import type { TScoringTurn } from './transcript';

/** The warranty-skeptic scenario's numbers: $36,270 financed at 6.49 % for 72 months. */
const DEAL = {
  vehicle: { year: 2026, make: 'Toyota', model: 'Highlander', condition: 'new' },
  price: 46850, taxesAndFees: 3420, downPayment: 5000, tradeAllowance: 9000, tradePayoff: 0,
  amountFinanced: 36270, apr: 6.49, termMonths: 72, payment: 609.52, creditTier: 'super_prime',
  menu: [{ kind: 'service_contract', name: 'Platinum service contract', price: 2495, termMonths: 72 }],
} satisfies TDealJacket;

function transcript(...lines: [speaker: 'agent' | 'trainee', text: string][]): TScoringTurn[] {
  return lines.map(([speaker, text], i) => ({ sequence: i + 1, speaker, text }));
}

function rolePlay(menuLine = 'Here is the menu, and all of these options are optional.') {
  return transcript(
    ['trainee', "Hi Dana, welcome! My name is Chris and I'm your finance manager. Congratulations on the new Highlander."],
    ['agent', 'Thanks.'],
    ['trainee', "Here's what we'll do today: I'll verify a few details, go over your options and finalize the paperwork. It takes about fifteen minutes."],
    ['agent', 'Fine.'],
    ['trainee', 'Can you confirm your address is still the same? Who is your insurance company? How many miles do you drive a year, and how long do you usually keep your cars?'],
    ['agent', 'Same address, State Farm, 24,000 miles a year, and I keep them eight years.'],
    ['trainee', 'Have you ever had a big repair bill on a previous car? Since you drive 24,000 miles a year, the factory warranty runs out in two years.'],
    ['agent', 'Once, a transmission.'],
    ['trainee', `${menuLine} Your base payment is $609.52 a month at 6.49% APR for 72 months. The service contract and GAP are shown with their payments.`],
    ['agent', "The factory warranty covers me."],
    ['trainee', 'I understand, that makes sense. Since you keep your cars eight years, the factory warranty ends long before you are done with this one.'],
    ['agent', 'Okay.'],
    ['trainee', 'I recommend the platinum service contract because you keep your cars for eight years. With it your payment is $651 a month at 6.49% APR for 72 months.'],
    ['agent', "Let's do it."],
    ['trainee', 'Here is the retail installment contract and the Truth in Lending disclosure. Please sign here, and I will give you a copy for your records.'],
  );
}

describe('buildScorecard', () => {
  it('rates a complete, compliant role-play in a high tier with no flags', async () => {
    const card = await buildScorecard({ turns: rolePlay(), dealJacket: DEAL });
    expect(card.flags).toEqual([]);
    expect(card.autoFailed).toBe(false);
    expect(card.overallScore).toBeGreaterThanOrEqual(85);
    expect(card.tier).toBe('expert');
    expect(card.items).toHaveLength(8);
    expect(card.summary).toContain('No compliance issues found');
    expect(card.judge).toBe('not_used');
  });

  it('auto-fails the same role-play when the trainee says GAP is required, whatever the step scores', async () => {
    const card = await buildScorecard({ turns: rolePlay('Here is the menu. GAP is required for every customer.'), dealJacket: DEAL });
    expect(card.autoFailed).toBe(true);
    expect(card.tier).toBe('needs_work');
    expect(card.overallScore).toBeLessThanOrEqual(49);
    expect(card.flags).toEqual([
      expect.objectContaining({ rule: 'product_required', severity: 'auto_fail', turnSequence: 9, evidenceQuote: 'GAP is required for every customer.', detectedBy: 'rule' }),
    ]);
    expect(card.summary).toContain('Auto-failed on compliance: product required (turn 9)');
  });

  it('names the steps that were never heard and scores an empty role-play at zero', async () => {
    const partial = await buildScorecard({ turns: rolePlay().slice(0, 8), dealJacket: DEAL });
    expect(partial.summary).toMatch(/Not heard: menu presentation, re-close, documents\./);
    const empty = await buildScorecard({ turns: [], dealJacket: DEAL });
    expect(empty).toMatchObject({ overallScore: 0, tier: 'needs_work', autoFailed: false });
  });

  it('takes points off for a packing warning without failing the session', async () => {
    const clean = await buildScorecard({ turns: rolePlay(), dealJacket: DEAL });
    const packed = rolePlay();
    packed[8] = { ...packed[8]!, text: 'Your payment will be $660 a month at 6.49% APR for 72 months. Here is the menu, and the options are optional.' };
    const card = await buildScorecard({ turns: packed, dealJacket: DEAL });
    expect(card.flags).toEqual([expect.objectContaining({ rule: 'payment_packing', severity: 'warning', turnSequence: 9 })]);
    expect(card.autoFailed).toBe(false);
    expect(card.overallScore).toBeLessThan(clean.overallScore);
  });
});

describe('tierFor', () => {
  it('uses the documented thresholds', () => {
    expect([0, 49, 50, 69, 70, 84, 85, 100].map(tierFor)).toEqual([
      'needs_work', 'needs_work', 'developing', 'developing', 'proficient', 'proficient', 'expert', 'expert',
    ]);
  });
});

describe('buildCoachSummary', () => {
  it('counts the questions and names the topics, with no score', () => {
    const summary = buildCoachSummary({
      turns: transcript(
        ['trainee', 'What does GAP actually cover?'],
        ['agent', 'GAP pays the difference between the loan balance and the car value after a total loss.'],
        ['trainee', 'How do I handle a customer who says they need to think about it?'],
        ['agent', 'Ask what concerns them, then tie it back to their needs.'],
      ),
    });
    expect(summary).toEqual({
      summary: 'Coach session with 2 questions from the trainee. Topics: GAP, objection handling.',
      exchanges: 2,
      topics: ['GAP', 'objection handling'],
    });
    expect(summary).not.toHaveProperty('overallScore');
  });

  it('says so when nothing was asked', () => {
    expect(buildCoachSummary({ turns: [] }).summary).toBe('Coach session: the trainee asked nothing.');
  });
});
