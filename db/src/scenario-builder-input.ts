/**
 * What a manager (or a platform admin) writes in the scenario builder, and the plain-language
 * messages for what is wrong with it. Pure: the web app's form imports this module in the browser
 * (`@avatar-adam/db/scenario-input`) so the fields are checked live with the same rules the
 * server enforces.
 */
import { z } from 'zod';
import { ZDealJacket, type TDealJacket } from './domain/deal-jacket';
import { computeMonthlyPayment, roundCents } from './domain/finance';
import { ZObjections, ZPatience, ZPersona } from './domain/persona';

export { computeAmountFinanced, computeMonthlyPayment, computeNegativeEquity } from './domain/finance';
export type { TDealJacket, TMenuProduct } from './domain/deal-jacket';
export type { TPatience, TPersona } from './domain/persona';
export { ZPatience };

export const SCENARIO_MODES = ['coach', 'roleplay'] as const;
export const SCENARIO_DIFFICULTIES = ['easy', 'medium', 'hard'] as const;

/**
 * How many objections of the pool a customer raises per session. The agent
 * (agent/src/prompts/customer.ts, OBJECTION_COUNT) picks the same numbers; keep them in step.
 */
export const OBJECTIONS_PER_SESSION = { easy: 1, medium: 2, hard: 3 } as const;

/** Strict at the top, so a dealership or an owner cannot be smuggled in with the content. */
export const ZScenarioInput = z
  .strictObject({
    title: z.string().trim().min(3).max(120),
    summary: z.string().trim().max(400),
    mode: z.enum(SCENARIO_MODES),
    persona: ZPersona,
    dealJacket: ZDealJacket.nullable(),
    objections: ZObjections,
    difficulty: z.enum(SCENARIO_DIFFICULTIES),
    patience: ZPatience,
  })
  .superRefine((s, ctx) => {
    if (s.mode === 'roleplay') {
      if (!s.dealJacket) ctx.addIssue({ code: 'custom', path: ['dealJacket'], message: 'A role-play needs a deal jacket.' });
      if (s.objections.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['objections'], message: 'Add at least one objection for the customer to raise.' });
      }
      return;
    }
    // Adam the coach never sees a deal or raises objections; storing them would only mislead.
    if (s.dealJacket) ctx.addIssue({ code: 'custom', path: ['dealJacket'], message: 'A coaching scenario has no deal jacket.' });
    if (s.objections.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['objections'], message: 'A coaching scenario has no objections.' });
    }
  });

export type TScenarioInput = z.input<typeof ZScenarioInput>;
export type TScenarioContent = z.output<typeof ZScenarioInput>;
export type TScenarioIssue = { path: string; message: string };

/** Messages a manager can act on, instead of zod's "expected number, received NaN". */
const friendlyMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null || issue.input === '') return 'Required.';
      if (issue.expected === 'int') return 'Enter a whole number.';
      return issue.expected === 'number' ? 'Enter a number.' : undefined;
    case 'too_small': {
      const min = Number(issue.minimum);
      // The builder computes amount financed; below zero means the deal pays for itself.
      if (issue.path?.at(-1) === 'amountFinanced') return 'The down payment and trade cover more than the price and fees.';
      if (issue.origin === 'string') return min <= 1 || issue.input === '' ? 'Required.' : `Use at least ${min} characters.`;
      if (issue.origin === 'array') return `Add at least ${min}.`;
      return `Must be at least ${min.toLocaleString('en-US')}.`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `Use at most ${max} characters.`;
      if (issue.origin === 'array') return `At most ${max} allowed.`;
      return `Must be at most ${max.toLocaleString('en-US')}.`;
    }
    case 'invalid_value':
      return 'Choose one of the options.';
    case 'unrecognized_keys':
      return `Unexpected field: ${issue.keys.join(', ')}.`;
    default:
      return undefined;
  }
};

/** Parses builder input; on failure, one message per offending field (`dealJacket.menu.1.price`). */
export function parseScenarioInput(
  input: unknown,
): { ok: true; data: TScenarioContent } | { ok: false; issues: TScenarioIssue[] } {
  const result = ZScenarioInput.safeParse(input, { error: friendlyMessage });
  if (result.success) return { ok: true, data: result.data };
  const issues = result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  return { ok: false, issues: issues.filter((i, n) => issues.findIndex((j) => j.path === i.path) === n) };
}

const PATH_WORDS: Record<string, string> = {
  dealJacket: 'Deal jacket',
  persona: 'Customer',
  menu: 'Product menu',
  taxesAndFees: 'taxes and fees',
  termMonths: 'term',
  apr: 'APR',
  minEndpointingDelayMs: 'shortest wait',
  maxEndpointingDelayMs: 'longest wait',
};

/** `dealJacket.menu.1.price` → "Deal jacket › Product menu › row 2 › price", for messages. */
export function describeIssuePath(path: string): string {
  if (!path) return 'Scenario';
  return path
    .split('.')
    .map((part) => PATH_WORDS[part] ?? (/^\d+$/.test(part) ? `row ${Number(part) + 1}` : part.replace(/([A-Z])/g, ' $1').toLowerCase()))
    .map((word, i) => (i === 0 ? word.charAt(0).toUpperCase() + word.slice(1) : word))
    .join(' › ');
}

/** "2026 Toyota Highlander XLE": the vehicle as the trainee's scenario card shows it. */
export function describeScenarioVehicle(deal: Pick<TDealJacket, 'vehicle'>): string {
  const { vehicle } = deal;
  return [vehicle.year, vehicle.make, vehicle.model, vehicle.trim].filter(Boolean).join(' ');
}

/** What financing one product at the deal's APR and term adds to the monthly payment. */
export function productMonthlyImpact(
  deal: Pick<TDealJacket, 'amountFinanced' | 'apr' | 'termMonths'>,
  price: number,
): number {
  const base = computeMonthlyPayment(deal.amountFinanced, deal.apr, deal.termMonths);
  return roundCents(computeMonthlyPayment(deal.amountFinanced + price, deal.apr, deal.termMonths) - base);
}

/** The editable part of a stored scenario, as builder input: for the edit form and for copies. */
export function scenarioInputOf(row: TScenarioContent): TScenarioContent {
  const { title, summary, mode, persona, dealJacket, objections, difficulty, patience } = row;
  return { title, summary, mode, persona, dealJacket, objections, difficulty, patience };
}
