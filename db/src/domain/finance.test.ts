import { describe, expect, it } from 'vitest';
import { computeAmountFinanced, computeMonthlyPayment, computeNegativeEquity } from './finance';

describe('computeMonthlyPayment', () => {
  it('matches a textbook amortisation figure', () => {
    // $25,000 at 6% for 60 months is $483.32 in every loan calculator.
    expect(computeMonthlyPayment(25000, 6, 60)).toBe(483.32);
  });
  it('divides evenly at 0% APR', () => {
    expect(computeMonthlyPayment(24000, 0, 48)).toBe(500);
  });
  it('stretching the term lowers the payment but costs more in total', () => {
    const short = computeMonthlyPayment(30000, 7.9, 60);
    const long = computeMonthlyPayment(30000, 7.9, 84);
    expect(long).toBeLessThan(short);
    expect(long * 84).toBeGreaterThan(short * 60);
  });
  it('rejects a fractional or zero term', () => {
    expect(() => computeMonthlyPayment(1000, 5, 0)).toThrow(RangeError);
    expect(() => computeMonthlyPayment(1000, 5, 12.5)).toThrow(RangeError);
  });
});

describe('deal figures', () => {
  it('rolls negative equity into the amount financed', () => {
    const financed = computeAmountFinanced({ price: 40000, taxesAndFees: 3000, downPayment: 0, tradeAllowance: 10000, tradePayoff: 14000 });
    expect(financed).toBe(47000);
    expect(computeNegativeEquity(10000, 14000)).toBe(4000);
    expect(computeNegativeEquity(14000, 10000)).toBe(0);
  });
});
