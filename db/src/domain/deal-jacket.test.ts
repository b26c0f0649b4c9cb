import { describe, expect, it } from 'vitest';
import { ZDealJacket } from './deal-jacket';
import { computeMonthlyPayment } from './finance';

const valid = {
  vehicle: { year: 2026, make: 'Toyota', model: 'Camry', condition: 'new' as const },
  price: 30000,
  taxesAndFees: 2000,
  downPayment: 2000,
  tradeAllowance: 0,
  tradePayoff: 0,
  amountFinanced: 30000,
  apr: 6,
  termMonths: 60,
  payment: computeMonthlyPayment(30000, 6, 60),
  creditTier: 'prime' as const,
  menu: [{ kind: 'gap' as const, name: 'GAP', price: 895 }],
};

describe('ZDealJacket', () => {
  it('accepts a deal whose numbers agree', () => {
    expect(ZDealJacket.safeParse(valid).success).toBe(true);
  });
  it('rejects a packed payment that does not match the amortised figure', () => {
    const result = ZDealJacket.safeParse({ ...valid, payment: valid.payment + 45 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['payment']);
    expect(result.error?.issues[0]?.message).toContain('579.98');
  });
  it('rejects an amount financed that ignores the trade payoff', () => {
    const result = ZDealJacket.safeParse({ ...valid, tradePayoff: 5000 });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toContain('amountFinanced');
  });
  it('reports a negative amount financed as a field error instead of failing the payment check', () => {
    const result = ZDealJacket.safeParse({ ...valid, downPayment: 40000, amountFinanced: -10000 });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toContain('amountFinanced');
  });
  it('rejects impossible values', () => {
    expect(ZDealJacket.safeParse({ ...valid, apr: -1 }).success).toBe(false);
    expect(ZDealJacket.safeParse({ ...valid, termMonths: 6 }).success).toBe(false);
    expect(ZDealJacket.safeParse({ ...valid, creditTier: 'excellent' }).success).toBe(false);
  });
});
