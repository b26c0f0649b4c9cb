import { describe, expect, it } from 'vitest';
import { computeAmountFinanced, computeMonthlyPayment } from './domain/finance';
import { describeIssuePath, parseScenarioInput, productMonthlyImpact } from './scenario-builder-input';

const deal = (over: Record<string, unknown> = {}) => {
  const numbers = { price: 20000, taxesAndFees: 1500, downPayment: 2000, tradeAllowance: 0, tradePayoff: 0, ...over };
  const amountFinanced = computeAmountFinanced(numbers as never);
  return {
    vehicle: { year: 2025, make: 'Mazda', model: 'CX-5', condition: 'used' },
    ...numbers,
    amountFinanced,
    apr: 6,
    termMonths: 60,
    payment: amountFinanced >= 0 ? computeMonthlyPayment(amountFinanced, 6, 60) : 0,
    creditTier: 'prime',
  };
};

const input = (over: Record<string, unknown> = {}) => ({
  title: 'Mazda buyer',
  summary: '',
  mode: 'roleplay',
  persona: { name: 'Lee', voice: 'slt', personality: 'Careful.', background: '' },
  dealJacket: deal(),
  objections: ['I need to think about it.'],
  difficulty: 'medium',
  patience: { minEndpointingDelayMs: 500, maxEndpointingDelayMs: 6000 },
  ...over,
});

const issuesOf = (value: unknown) => {
  const result = parseScenarioInput(value);
  if (result.ok) throw new Error('expected issues');
  return Object.fromEntries(result.issues.map((i) => [i.path, i.message]));
};

describe('parseScenarioInput', () => {
  it('accepts a consistent role-play and fills the deal defaults', () => {
    const result = parseScenarioInput(input());
    expect(result.ok && result.data.dealJacket?.menu).toEqual([]);
  });

  it('says in plain words what is wrong with each field', () => {
    const persona = { name: '', voice: 'slt', personality: 'x', background: '' };
    expect(issuesOf(input({ persona, dealJacket: { ...deal(), apr: Number.NaN, termMonths: 60.5 } }))).toMatchObject({
      'persona.name': 'Required.',
      'dealJacket.apr': 'Enter a number.',
      'dealJacket.termMonths': 'Enter a whole number.',
    });
    expect(issuesOf(input({ patience: { minEndpointingDelayMs: 2000, maxEndpointingDelayMs: 1000 } }))).toEqual({
      'patience.maxEndpointingDelayMs': 'maximum delay must be at least the minimum delay',
    });
  });

  it('reports a deal whose down payment exceeds the price instead of throwing', () => {
    expect(issuesOf(input({ dealJacket: deal({ downPayment: 50000 }) }))).toMatchObject({
      'dealJacket.amountFinanced': expect.stringMatching(/cover more than the price/),
    });
  });

  it('requires a deal and objections for role-plays and refuses them for coaching', () => {
    expect(issuesOf(input({ dealJacket: null, objections: [] }))).toEqual({
      dealJacket: 'A role-play needs a deal jacket.',
      objections: 'Add at least one objection for the customer to raise.',
    });
    expect(issuesOf(input({ mode: 'coach' }))).toEqual({
      dealJacket: 'A coaching scenario has no deal jacket.',
      objections: 'A coaching scenario has no objections.',
    });
    expect(parseScenarioInput(input({ mode: 'coach', dealJacket: null, objections: [] })).ok).toBe(true);
  });

  it('refuses fields that are not part of a scenario (no smuggled owner)', () => {
    expect(issuesOf({ ...input(), dealershipId: 'x' })).toEqual({ '': 'Unexpected field: dealershipId.' });
  });
});

describe('describeIssuePath', () => {
  it('turns a field path into words', () => {
    expect(describeIssuePath('dealJacket.menu.1.price')).toBe('Deal jacket › Product menu › row 2 › price');
    expect(describeIssuePath('persona.name')).toBe('Customer › name');
  });
});

describe('productMonthlyImpact', () => {
  it('is what financing the product adds to the payment at the deal terms', () => {
    const d = { amountFinanced: 19500, apr: 6, termMonths: 60 };
    const impact = productMonthlyImpact(d, 895);
    expect(impact).toBeCloseTo(computeMonthlyPayment(20395, 6, 60) - computeMonthlyPayment(19500, 6, 60), 2);
    expect(impact).toBeGreaterThan(17);
    expect(impact).toBeLessThan(18);
  });
});
