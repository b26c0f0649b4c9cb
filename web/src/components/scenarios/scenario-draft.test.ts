import {
  computeAmountFinanced,
  computeMonthlyPayment,
  parseScenarioInput,
  type TScenarioContent,
} from '@avatar-adam/db/scenario-input';
import { describe, expect, it } from 'vitest';
import { patiencePresetOf } from './labels';
import { dealFigures, draftFromContent, draftToInput, emptyDraft } from './scenario-draft';

const numbers = { price: 52400, taxesAndFees: 4150, downPayment: 0, tradeAllowance: 21000, tradePayoff: 27800 };
const amountFinanced = computeAmountFinanced(numbers);
const roleplay: TScenarioContent = {
  title: 'Negative equity, stretched budget',
  summary: 'Rolling an upside-down trade into a long loan.',
  mode: 'roleplay',
  persona: { name: 'Marcus Hill', voice: 'rms', personality: 'Stressed, blunt.', background: '' },
  dealJacket: {
    vehicle: { year: 2026, make: 'Ford', model: 'F-150', trim: 'XLT', condition: 'new' },
    ...numbers,
    amountFinanced,
    apr: 8.9,
    termMonths: 84,
    payment: computeMonthlyPayment(amountFinanced, 8.9, 84),
    creditTier: 'prime',
    menu: [{ kind: 'service_contract', name: 'Platinum', price: 2495, termMonths: 72 }, { kind: 'gap', name: 'GAP', price: 895 }],
  },
  objections: ['Why is my payment higher?', 'Just get me through the paperwork.'],
  difficulty: 'hard',
  patience: { minEndpointingDelayMs: 300, maxEndpointingDelayMs: 3000 },
};
const coach: TScenarioContent = {
  ...roleplay,
  title: 'Ask Adam',
  mode: 'coach',
  dealJacket: null,
  objections: [],
  patience: { minEndpointingDelayMs: 900, maxEndpointingDelayMs: 8000 },
};

const issuesOf = (input: unknown) => {
  const parsed = parseScenarioInput(input);
  return parsed.ok ? {} : Object.fromEntries(parsed.issues.map((i) => [i.path, i.message]));
};

describe('scenario draft', () => {
  it('round-trips a stored role-play unchanged, payment included', () => {
    const parsed = parseScenarioInput(draftToInput(draftFromContent(roleplay)));
    expect(parsed.ok && parsed.data).toEqual(roleplay);
  });

  it('computes amount financed, negative equity and payment as the manager types', () => {
    const draft = emptyDraft();
    Object.assign(draft.deal, { price: '30,000', taxesAndFees: '2000', downPayment: '1000', tradeAllowance: '5000', tradePayoff: '8000', apr: '6', termMonths: '60' });
    expect(dealFigures(draft.deal)).toEqual({ amountFinanced: 34000, negativeEquity: 3000, payment: 657.32 });
    draft.deal.apr = '';
    expect(dealFigures(draft.deal).payment).toBeNull();
  });

  it('points at the exact field that is missing or unreadable', () => {
    const draft = emptyDraft();
    Object.assign(draft, { title: 'Test drive', persona: { name: 'Ana', voice: 'slt', personality: 'Calm.', background: '' } });
    Object.assign(draft.deal, { make: 'Kia', model: 'Soul', price: '21000', apr: 'six', termMonths: '60' });
    draft.objections = [{ key: 'a', text: 'Too much.' }, { key: 'b', text: '' }];
    expect(issuesOf(draftToInput(draft))).toEqual({ 'dealJacket.apr': 'Enter a number.', 'objections.1': 'Required.' });
  });

  it('sends no deal or objections for a coaching scenario', () => {
    const draft = draftFromContent(coach);
    expect(draftToInput(draft)).toMatchObject({ mode: 'coach', dealJacket: null, objections: [] });
    expect(draft.patience.preset).toBe('patient');
    expect(patiencePresetOf({ minEndpointingDelayMs: 700, maxEndpointingDelayMs: 6000 })).toBe('custom');
  });
});
