import { z } from 'zod';
import { computeAmountFinanced, computeMonthlyPayment } from './finance';

const money = z.number().finite().min(0).max(1_000_000);

export const ZCreditTier = z.enum(['super_prime', 'prime', 'near_prime', 'subprime', 'deep_subprime']);

export const ZProductKind = z.enum([
  'service_contract',
  'gap',
  'tire_wheel',
  'dent_repair',
  'appearance',
  'prepaid_maintenance',
  'key_replacement',
  'theft_deterrent',
]);

export const ZMenuProduct = z.object({
  kind: ZProductKind,
  name: z.string().trim().min(1).max(80),
  price: money,
  /** Coverage length where it applies (service contract, maintenance). */
  termMonths: z.number().int().min(1).max(120).optional(),
});

/** Tolerance for rounding in hand-entered figures (one dollar). */
const TOLERANCE = 1;

/**
 * The customer's "deal jacket": the numbers the F&I manager works from. The figures must agree
 * with each other, so the role-play customer can check a quoted payment against real maths.
 */
export const ZDealJacket = z
  .object({
    vehicle: z.object({
      year: z.number().int().min(1990).max(2100),
      make: z.string().trim().min(1).max(40),
      model: z.string().trim().min(1).max(60),
      trim: z.string().trim().max(60).optional(),
      condition: z.enum(['new', 'used', 'certified']),
      mileage: z.number().int().min(0).max(500_000).optional(),
    }),
    price: money,
    taxesAndFees: money,
    downPayment: money,
    tradeAllowance: money.default(0),
    tradePayoff: money.default(0),
    amountFinanced: money,
    apr: z.number().finite().min(0).max(36),
    termMonths: z.number().int().min(12).max(96),
    /** Base monthly payment, before any products. */
    payment: money,
    creditTier: ZCreditTier,
    menu: z.array(ZMenuProduct).max(12).default([]),
  })
  .superRefine((deal, ctx) => {
    // Field-level checks have already reported these; the cross-checks need sane inputs.
    if (deal.apr < 0 || deal.amountFinanced < 0 || !Number.isInteger(deal.termMonths) || deal.termMonths < 1) return;
    const expectedFinanced = computeAmountFinanced(deal);
    if (Math.abs(expectedFinanced - deal.amountFinanced) > TOLERANCE) {
      ctx.addIssue({
        code: 'custom',
        path: ['amountFinanced'],
        message: `amount financed should be ${expectedFinanced.toFixed(2)} (price + taxes/fees − down − trade allowance + trade payoff)`,
      });
    }
    const expectedPayment = computeMonthlyPayment(deal.amountFinanced, deal.apr, deal.termMonths);
    if (Math.abs(expectedPayment - deal.payment) > TOLERANCE) {
      ctx.addIssue({
        code: 'custom',
        path: ['payment'],
        message: `payment should be ${expectedPayment.toFixed(2)} for ${deal.amountFinanced.toFixed(2)} at ${deal.apr}% over ${deal.termMonths} months`,
      });
    }
  });

export type TDealJacket = z.infer<typeof ZDealJacket>;
export type TMenuProduct = z.infer<typeof ZMenuProduct>;
