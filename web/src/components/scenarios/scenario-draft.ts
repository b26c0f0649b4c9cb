import {
  computeAmountFinanced,
  computeMonthlyPayment,
  computeNegativeEquity,
  type TScenarioContent,
  type TScenarioInput,
} from '@avatar-adam/db/scenario-input';
import { PATIENCE_PRESETS, patiencePresetOf, type TPatiencePreset } from './labels';

/**
 * The builder form's state. Numbers stay the strings the inputs hold, so a half-typed "12." is not
 * lost; `draftToInput` turns them into the builder input the server validates. Amount financed
 * and payment are never typed: they are computed from the deal, as a desk would.
 */
export type TDraft = {
  title: string;
  summary: string;
  mode: TScenarioInput['mode'];
  persona: { name: string; voice: string; personality: string; background: string };
  deal: {
    year: string;
    make: string;
    model: string;
    trim: string;
    condition: string;
    mileage: string;
    price: string;
    taxesAndFees: string;
    downPayment: string;
    tradeAllowance: string;
    tradePayoff: string;
    apr: string;
    termMonths: string;
    creditTier: string;
  };
  menu: { key: string; kind: string; name: string; price: string; termMonths: string }[];
  objections: { key: string; text: string }[];
  difficulty: TScenarioInput['difficulty'];
  patience: { preset: TPatiencePreset; minMs: string; maxMs: string };
};

let keys = 0;
/** Stable React keys for rows; `crypto.randomUUID` is missing on plain-http LAN addresses. */
export const rowKey = () => `row-${++keys}`;

export function emptyDraft(): TDraft {
  const patience = PATIENCE_PRESETS.normal;
  return {
    title: '',
    summary: '',
    mode: 'roleplay',
    persona: { name: '', voice: 'slt', personality: '', background: '' },
    deal: {
      year: String(new Date().getFullYear()), make: '', model: '', trim: '', condition: 'new', mileage: '',
      price: '', taxesAndFees: '0', downPayment: '0', tradeAllowance: '0', tradePayoff: '0',
      apr: '', termMonths: '72', creditTier: 'prime',
    },
    menu: [],
    objections: [{ key: rowKey(), text: '' }],
    difficulty: 'medium',
    patience: { preset: 'normal', minMs: String(patience.minEndpointingDelayMs), maxMs: String(patience.maxEndpointingDelayMs) },
  };
}

export function draftFromContent(content: TScenarioContent): TDraft {
  const empty = emptyDraft();
  const deal = content.dealJacket;
  const text = (n: number | undefined) => (n === undefined ? '' : String(n));
  return {
    title: content.title,
    summary: content.summary,
    mode: content.mode,
    persona: { ...content.persona },
    deal: deal
      ? {
          year: text(deal.vehicle.year), make: deal.vehicle.make, model: deal.vehicle.model, trim: deal.vehicle.trim ?? '',
          condition: deal.vehicle.condition, mileage: text(deal.vehicle.mileage),
          price: text(deal.price), taxesAndFees: text(deal.taxesAndFees), downPayment: text(deal.downPayment),
          tradeAllowance: text(deal.tradeAllowance), tradePayoff: text(deal.tradePayoff),
          apr: text(deal.apr), termMonths: text(deal.termMonths), creditTier: deal.creditTier,
        }
      : empty.deal,
    menu: (deal?.menu ?? []).map((p) => ({ key: rowKey(), kind: p.kind, name: p.name, price: text(p.price), termMonths: text(p.termMonths) })),
    objections: content.objections.length > 0 ? content.objections.map((o) => ({ key: rowKey(), text: o })) : empty.objections,
    difficulty: content.difficulty,
    patience: {
      preset: patiencePresetOf(content.patience),
      minMs: text(content.patience.minEndpointingDelayMs),
      maxMs: text(content.patience.maxEndpointingDelayMs),
    },
  };
}

/** "" → undefined (the schema says "Required."), anything unreadable → NaN ("Enter a number."). */
function numberOf(value: string): number | undefined {
  const trimmed = value.trim().replace(/[$,\s]/g, '');
  return trimmed === '' ? undefined : Number(trimmed);
}

const orZero = (n: number | undefined) => (n !== undefined && Number.isFinite(n) ? n : 0);

/** Amount financed, negative equity and base payment from what is typed so far (null: not computable yet). */
export function dealFigures(deal: TDraft['deal']) {
  const amountFinanced = computeAmountFinanced({
    price: orZero(numberOf(deal.price)),
    taxesAndFees: orZero(numberOf(deal.taxesAndFees)),
    downPayment: orZero(numberOf(deal.downPayment)),
    tradeAllowance: orZero(numberOf(deal.tradeAllowance)),
    tradePayoff: orZero(numberOf(deal.tradePayoff)),
  });
  const apr = numberOf(deal.apr);
  const term = numberOf(deal.termMonths);
  const computable = apr !== undefined && apr >= 0 && Number.isInteger(term) && term! >= 1 && amountFinanced >= 0;
  return {
    amountFinanced,
    negativeEquity: computeNegativeEquity(orZero(numberOf(deal.tradeAllowance)), orZero(numberOf(deal.tradePayoff))),
    payment: computable ? computeMonthlyPayment(amountFinanced, apr, term!) : null,
  };
}

/** The draft as builder input; a coaching scenario carries no deal and no objections. */
export function draftToInput(draft: TDraft): TScenarioInput {
  const base = {
    title: draft.title,
    summary: draft.summary,
    mode: draft.mode,
    persona: draft.persona,
    difficulty: draft.difficulty,
    patience: { minEndpointingDelayMs: numberOf(draft.patience.minMs), maxEndpointingDelayMs: numberOf(draft.patience.maxMs) },
  };
  if (draft.mode === 'coach') return { ...base, dealJacket: null, objections: [] } as TScenarioInput;
  const d = draft.deal;
  const figures = dealFigures(d);
  const dealJacket = {
    vehicle: {
      year: numberOf(d.year), make: d.make, model: d.model, trim: d.trim.trim() || undefined,
      condition: d.condition, mileage: numberOf(d.mileage),
    },
    price: numberOf(d.price), taxesAndFees: numberOf(d.taxesAndFees), downPayment: numberOf(d.downPayment),
    tradeAllowance: numberOf(d.tradeAllowance) ?? 0, tradePayoff: numberOf(d.tradePayoff) ?? 0,
    amountFinanced: figures.amountFinanced,
    apr: numberOf(d.apr), termMonths: numberOf(d.termMonths),
    payment: figures.payment ?? 0,
    creditTier: d.creditTier,
    menu: draft.menu.map((p) => ({ kind: p.kind, name: p.name, price: numberOf(p.price), termMonths: numberOf(p.termMonths) })),
  };
  // Unfinished numbers and blank rows go through as they are on purpose: the schema then names
  // the exact field (`dealJacket.apr`, `objections.2`) and the form shows the message beside it.
  return { ...base, dealJacket, objections: draft.objections.map((o) => o.text) } as TScenarioInput;
}

/** What every form section gets: the draft, a way to change it, and the message for a field path. */
export type TSectionProps = {
  draft: TDraft;
  update: (change: (draft: TDraft) => TDraft) => void;
  errorOf: (path: string) => string | undefined;
};
