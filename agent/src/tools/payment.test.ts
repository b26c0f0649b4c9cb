import { computeAmountFinanced, computeMonthlyPayment, type TDealJacket, type TMenuProduct } from '@avatar-adam/db';
import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { checkPaymentTool, checkQuotedPayment, extractPaymentQuotes } from './payment';

const MENU: TMenuProduct[] = [
  { kind: 'service_contract', name: 'Platinum service contract', price: 2495, termMonths: 72 },
  { kind: 'gap', name: 'GAP', price: 895 },
  { kind: 'tire_wheel', name: 'Tire & wheel', price: 749, termMonths: 60 },
  { kind: 'appearance', name: 'Appearance protection', price: 499, termMonths: 60 },
  { kind: 'prepaid_maintenance', name: 'Prepaid maintenance', price: 699, termMonths: 36 },
];

/** Built the way db/src/seed/scenarios.ts builds its deals, so the figures agree with each other. */
function deal(input: Omit<TDealJacket, 'amountFinanced' | 'payment' | 'menu' | 'vehicle' | 'creditTier'>): TDealJacket {
  const amountFinanced = computeAmountFinanced(input);
  const payment = computeMonthlyPayment(amountFinanced, input.apr, input.termMonths);
  const vehicle = { year: 2026, make: 'Toyota', model: 'Highlander', condition: 'new' } as const;
  return { ...input, vehicle, creditTier: 'prime', amountFinanced, payment, menu: MENU };
}

// The warranty-skeptic engineer's deal: $36,270 at 6.49% for 72 months → $609.52.
const highlander = deal({ price: 46850, taxesAndFees: 3420, downPayment: 5000, tradeAllowance: 9000, tradePayoff: 0, apr: 6.49, termMonths: 72 });
// The negative-equity truck: $6,800 more owed on the trade than it is worth, rolled in.
const f150 = deal({ price: 52400, taxesAndFees: 4150, downPayment: 0, tradeAllowance: 21000, tradePayoff: 27800, apr: 8.9, termMonths: 84 });
const withProducts = (d: TDealJacket, extra: number, term = d.termMonths) => computeMonthlyPayment(d.amountFinanced + extra, d.apr, term);

describe('extractPaymentQuotes', () => {
  it.each([
    ['Your payment is $489 a month.', 489],
    ['That comes to 489 per month', 489],
    ['with a payment of 512.40', 512.4],
    ['about 1,250 dollars monthly', 1250],
    ['The payment for 72 months is 489', 489],
  ])('reads digits: %s', (text, payment) => expect(extractPaymentQuotes(text).payments).toEqual([payment]));

  it.each([
    ['four eighty-nine a month', 489],
    ['four eighty nine a month', 489],
    ['five hundred and twelve dollars a month', 512],
    ['five oh nine a month', 509],
    ['one thousand two hundred fifty a month', 1250],
    ['five hundred twelve dollars and forty cents a month', 512.4],
  ])('reads the spoken forms speech recognisers emit: %s', (text, payment) => expect(extractPaymentQuotes(text).payments).toEqual([payment]));

  it('reads APR and term, in words or digits', () => {
    expect(extractPaymentQuotes('6.9 percent').aprs).toEqual([6.9]);
    expect(extractPaymentQuotes('6.9% APR').aprs).toEqual([6.9]);
    expect(extractPaymentQuotes('six point four nine percent').aprs).toEqual([6.49]);
    expect(extractPaymentQuotes('72 months at 6.49').aprs).toEqual([6.49]);
    expect(extractPaymentQuotes('72 months').terms).toEqual([72]);
    expect(extractPaymentQuotes('over six years').terms).toEqual([72]);
    expect(extractPaymentQuotes('a seventy-two month loan').terms).toEqual([72]);
  });

  it('reads a whole quote and the products named in it', () => {
    expect(extractPaymentQuotes('With GAP your payment will be $560 a month for 84 months at 6.9%')).toEqual({
      payments: [560], aprs: [6.9], terms: [84], productsNamed: ['gap'],
    });
  });

  it('finds no payment in a term, a product price or a coverage length', () => {
    expect(extractPaymentQuotes('72 months').payments).toEqual([]);
    expect(extractPaymentQuotes('seventy two months at six point nine percent').payments).toEqual([]);
    expect(extractPaymentQuotes('GAP is $895 and the tire and wheel plan is 749').payments).toEqual([]);
    expect(extractPaymentQuotes('a 36 month service contract').terms).toEqual([]);
    expect(extractPaymentQuotes('the service contract covers 6 years').terms).toEqual([]);
  });
});

describe('checkQuotedPayment', () => {
  it('an exact base quote matches, even rounded the way people say it', () => {
    for (const payment of [609.52, 610]) {
      const check = checkQuotedPayment({ deal: highlander, quote: { payment } });
      expect(check).toMatchObject({ verdict: 'matches_base', possiblePacking: false, basePayment: 609.52 });
      expect(check.customerNote).toContain('matches your base');
    }
  });

  it('base plus GAP matches the GAP line of the menu; disclosed, it is no packing', () => {
    const payment = withProducts(highlander, 895);
    const named = checkQuotedPayment({ deal: highlander, quote: { payment, productsNamed: ['gap'] } });
    expect(named).toMatchObject({ verdict: 'matches_products', matchedProducts: ['GAP'], possiblePacking: false });
    expect(named.productPayments.find((p) => p.kind === 'gap')?.payment).toBe(payment);
    expect(named.allProductsPayment).toBe(withProducts(highlander, 2495 + 895 + 749 + 499 + 699));
    const silent = checkQuotedPayment({ deal: highlander, quote: { payment } });
    expect(silent.possiblePacking).toBe(true);
    expect(silent.customerNote).toMatch(/includes GAP, which they have not mentioned/);
  });

  it('a payment above base that no product explains is flagged as possible packing', () => {
    const check = checkQuotedPayment({ deal: highlander, quote: { payment: 673 } });
    expect(check).toMatchObject({ verdict: 'unexplained', possiblePacking: true, unexplainedAmount: 63.48 });
    expect(check.customerNote).toBe(
      'They quoted $673 a month; your base payment is $610 at 6.49% for 72 months, so $63 a month is unexplained.',
    );
  });

  it('a stretched term that hides a service contract behind a familiar payment', () => {
    const payment = withProducts(highlander, 2495, 84);
    const check = checkQuotedPayment({ deal: highlander, quote: { payment, termMonths: 84 } });
    expect(check).toMatchObject({ verdict: 'matches_products', stretchedByMonths: 12, possiblePacking: true, matchedProducts: ['Platinum service contract'] });
    expect(check.basePayment).toBe(withProducts(highlander, 0, 84));
    expect(check.customerNote).toContain('Stretching the loan 12 months');
  });

  it('rolled-in negative equity is part of what the customer knows', () => {
    const check = checkQuotedPayment({ deal: f150, quote: { payment: 1016 } });
    expect(check).toMatchObject({ verdict: 'matches_base', negativeEquity: 6800 });
    expect(check.customerNote).toContain('$6,800 of negative equity');
  });

  it('a quote below base and a quoted APR that differs are both called out', () => {
    const check = checkQuotedPayment({ deal: highlander, quote: { payment: 550, aprPercent: 5.9 } });
    expect(check.verdict).toBe('below_base');
    expect(check.customerNote).toMatch(/\$60 a month less than your real payment\. They said 5\.9% but your approved rate is 6\.49%\.$/);
  });
});

describe('checkPaymentTool', () => {
  const opts = {} as Parameters<ReturnType<typeof checkPaymentTool>['execute']>[1];

  it('returns the customer note for a function-calling LLM', async () => {
    const tool = checkPaymentTool(highlander);
    await expect(tool.execute({ monthlyPayment: 673 }, opts)).resolves.toContain('$63 a month is unexplained');
    const gap = await tool.execute({ monthlyPayment: withProducts(highlander, 895), productsMentioned: ['GAP'] }, opts);
    expect(gap).toContain('includes GAP.');
  });

  it('turns a quote the maths cannot check into a ToolError the model may repeat', async () => {
    const error = await checkPaymentTool(highlander).execute({ monthlyPayment: 500, termMonths: 72.5 }, opts).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(llm.ToolError);
    expect((error as Error).message).toMatch(/not a whole number of months/);
  });
});
