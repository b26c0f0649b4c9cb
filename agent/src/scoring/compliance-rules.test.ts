import type { TDealJacket } from '@avatar-adam/db';
import { describe, expect, it } from 'vitest';
import { detectComplianceIssues } from './compliance-rules';
import type { TScoringTurn } from './transcript';

/** Turns numbered from 1 in the order given; 'agent' is the simulated customer. */
function transcript(...lines: [speaker: 'agent' | 'trainee', text: string][]): TScoringTurn[] {
  return lines.map(([speaker, text], i) => ({ sequence: i + 1, speaker, text }));
}
const said = (text: string) => transcript(['agent', 'Okay, what are we looking at?'], ['trainee', text]);
const rules = (turns: TScoringTurn[], dealJacket?: TDealJacket) => detectComplianceIssues({ turns, dealJacket }).map((f) => f.rule);

describe('payment_without_apr_term', () => {
  it('auto-fails a payment quoted alone and quotes the exact sentence with its turn', () => {
    const turns = said('Great news, you are approved. Your payment is $489 a month. Let me show you the options.');
    expect(detectComplianceIssues({ turns })).toEqual([
      expect.objectContaining({
        rule: 'payment_without_apr_term',
        severity: 'auto_fail',
        turnSequence: 2,
        evidenceQuote: 'Your payment is $489 a month.',
      }),
    ]);
  });

  it.each([
    '489 dollars per month is where you land.',
    'So your payment is 512.',
    'That comes to four eighty-nine a month for seventy-two months.', // term but no APR, as speech-to-text writes it
  ])('recognises "%s" as a payment quote', (text) => {
    expect(rules(said(text))).toEqual(['payment_without_apr_term']);
  });

  it('passes when APR and term come with it, in words or figures', () => {
    expect(rules(said('Your payment is $489 a month at 6.49% APR for 72 months.'))).toEqual([]);
    expect(rules(said('That is four eighty-nine a month at six point four nine percent over seventy-two months.'))).toEqual([]);
  });

  it("accepts APR and term from the trainee's immediately previous turn, not from earlier ones", () => {
    const terms: ['trainee', string] = ['trainee', 'The bank approved 6.49% APR for 72 months.'];
    const payment: ['trainee', string] = ['trainee', 'Your payment is $489 a month.'];
    expect(rules(transcript(terms, ['agent', 'And the payment?'], payment))).toEqual([]);
    const tooFar = transcript(terms, ['agent', 'Okay.'], ['trainee', 'Let me pull the menu up.'], payment);
    expect(detectComplianceIssues({ turns: tooFar })).toEqual([expect.objectContaining({ rule: 'payment_without_apr_term', turnSequence: 4 })]);
  });

  it.each([
    'You mentioned you want to stay under $400 a month.',
    'What monthly budget are you comfortable with, around 400 a month?',
    'GAP adds just $14 a month.',
    'It is only $30 a month more for the service contract.',
    'You drive about 2,000 miles a month.',
  ])('does not treat "%s" as a payment quote', (text) => {
    expect(rules(said(text))).toEqual([]);
  });
});

describe('product_required', () => {
  it.each([
    'GAP is required on this deal.',
    'You have to buy the service contract.',
    'The tire and wheel package is mandatory.',
    'GAP is not optional.',
    'You need to purchase it to drive off today.',
  ])('auto-fails "%s"', (text) => {
    const turns = transcript(['agent', 'What about GAP?'], ['trainee', `Sure. ${text}`]);
    const [finding] = detectComplianceIssues({ turns });
    expect(finding).toMatchObject({ rule: 'product_required', severity: 'auto_fail', turnSequence: 2, evidenceQuote: text });
  });

  it('auto-fails a bare "yes" to "Do I have to buy GAP?"', () => {
    const turns = transcript(['agent', 'Do I have to buy GAP?'], ['trainee', 'Yes, you do. Let me get the paperwork.']);
    expect(detectComplianceIssues({ turns })).toEqual([expect.objectContaining({ rule: 'product_required', evidenceQuote: 'Yes, you do.' })]);
  });

  it.each([
    "GAP isn't required, but I do recommend it.",
    "You don't have to buy anything today.",
    'Everything on this menu is completely optional.',
    'None of these products are required.',
    'Some dealers will tell you GAP is required, but that is not true.',
    'Did anyone tell you the warranty was required?',
    'Regular maintenance is required to keep your factory warranty valid.',
    'The lender requires proof of full coverage insurance.',
    'You need to sign the GAP disclosure.',
    'GAP is a must-have with so little down.',
  ])('stays silent on "%s"', (text) => {
    expect(rules(said(text))).toEqual([]);
  });

  it('does not tie "it" to the product when "it" is about something else', () => {
    const turns = transcript(['agent', 'Is GAP required?'], ['trainee', 'It is required by law that I give you a copy of the contract.']);
    expect(rules(turns)).toEqual([]);
  });

  it('does not read "Yes, good question" as agreeing that GAP is required', () => {
    const turns = transcript(['agent', 'Is GAP required?'], ['trainee', "Yes, good question. It's completely optional."]);
    expect(rules(turns)).toEqual([]);
  });
});

describe('approval_tied_to_product', () => {
  it.each([
    'The bank will only approve you with GAP.',
    'To get this rate you need the warranty.',
    "Without GAP the bank won't approve you.",
    'I can get you approved if you take the tire and wheel.',
    'GAP is required by the lender.',
  ])('auto-fails "%s" (once, not also as product_required)', (text) => {
    expect(detectComplianceIssues({ turns: said(text) })).toEqual([
      expect.objectContaining({ rule: 'approval_tied_to_product', severity: 'auto_fail', evidenceQuote: text }),
    ]);
  });

  it.each([
    "Your approval doesn't depend on buying GAP.",
    'You are approved at this rate either way; GAP is optional.',
    'The rate is the same with or without the service contract.',
    "You don't need GAP to get approved.",
  ])('stays silent on "%s"', (text) => {
    expect(rules(said(text))).toEqual([]);
  });
});

describe('payment_packing', () => {
  const deal = { payment: 489.37, menu: [{ kind: 'gap', name: 'GAP', price: 895 }] } as unknown as TDealJacket;
  const quote = 'at 6.49% APR for 72 months';

  it('warns when the first payment quoted is above the base payment and no product was named', () => {
    const turns = said(`Your payment will be $560 a month ${quote}.`);
    expect(detectComplianceIssues({ turns, dealJacket: deal })).toEqual([
      expect.objectContaining({ rule: 'payment_packing', severity: 'warning', turnSequence: 2 }),
    ]);
  });

  it('auto-fails when the inflated figure is called the base payment', () => {
    const [finding] = detectComplianceIssues({ turns: said(`Your base payment is $560 a month ${quote}.`), dealJacket: deal });
    expect(finding).toMatchObject({ rule: 'payment_packing', severity: 'auto_fail' });
  });

  it('accepts the base payment first and a payment walk after naming products', () => {
    const turns = said(`Your base payment is $489 a month ${quote}. With GAP the payment is $503 a month ${quote}.`);
    expect(rules(turns, deal)).toEqual([]);
  });

  it('needs a deal jacket to judge', () => {
    expect(rules(said(`Your payment will be $560 a month ${quote}.`))).toEqual([]);
  });
});
