import { OBJECTIONS_PER_SESSION, type TDealJacket, type TPersona } from '@avatar-adam/db';
import { describeVehicle } from './greeting';

export type TDifficulty = 'easy' | 'medium' | 'hard';

/**
 * How many objections from the scenario's pool the customer brings (hard: three, or all if fewer);
 * the scenario builder shows managers the same numbers.
 */
const OBJECTION_COUNT: Record<TDifficulty, number> = OBJECTIONS_PER_SESSION;

/**
 * What it takes to move the customer, in words a 135M-parameter model can act on. Every word here
 * is evaluated on CPU before the first reply, so the rules are short and concrete.
 */
const RESISTANCE: Record<TDifficulty, string> = {
  easy: 'A clear, honest answer settles your concern.',
  medium:
    'Agree only when they tie a benefit to your own needs and show a monthly payment that fits your budget.',
  hard: 'Push back firmly. After their first answer, raise your first concern once more. Agree only to a specific recommendation with exact numbers.',
};

/**
 * The objections this session's customer raises, in the order they come up. Chosen from the pool by
 * a seed (the session id), so a session can be replayed and two trainees see different mixes.
 */
export function pickObjections(pool: readonly string[], difficulty: TDifficulty, seed = ''): string[] {
  const random = mulberry32(fnv1a(seed));
  const shuffled = [...pool];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
  }
  return shuffled.slice(0, OBJECTION_COUNT[difficulty]);
}

/**
 * System instructions for the role-play customer: who they are, the deal they agreed with the
 * salesperson, the concerns they bring and how hard they are to move. Aimed at under ~180 words:
 * the local model is tiny and every token costs first-reply latency. Payment checks arrive per turn
 * as private notes (see agents/customer.ts), so the menu and its prices are not listed here.
 */
export function customerInstructions(opts: {
  persona: TPersona;
  dealJacket: TDealJacket | null;
  objections: readonly string[];
  difficulty: TDifficulty;
  seed?: string;
}): string {
  const { persona, dealJacket, difficulty } = opts;
  const objections = pickObjections(opts.objections, difficulty, opts.seed);
  const quoted = objections.map((o) => `"${o}"`).join(' ');
  return [
    `You are ${persona.name}, a customer in a car dealership's finance office, talking with the finance manager. You are a real person, never an AI; stay in character.`,
    `Personality: ${persona.personality}`,
    persona.background && `Background: ${persona.background}`,
    dealJacket && describeDeal(dealJacket),
    objections.length === 1 && `Your concern: ${quoted}`,
    objections.length > 1 && `Your concerns, raise them one at a time: ${quoted}`,
    RESISTANCE[difficulty],
    'Reply in one or two short spoken sentences. If a payment does not match your deal, question it.',
  ]
    .filter(Boolean)
    .join('\n');
}

function describeDeal(deal: TDealJacket): string {
  const trade =
    deal.tradeAllowance > 0 || deal.tradePayoff > 0
      ? ` Trade-in ${money(deal.tradeAllowance)}, ${money(deal.tradePayoff)} still owed on it.`
      : '';
  return (
    `Your deal: ${describeVehicle(deal.vehicle)} for ${money(deal.price)}, ${money(deal.downPayment)} down.${trade}` +
    ` Base payment ${money(deal.payment)} a month at ${deal.apr}% for ${deal.termMonths} months.`
  );
}

function money(amount: number): string {
  return `$${Math.round(amount).toLocaleString('en-US')}`;
}

/** 32-bit FNV-1a: a stable number from any string, the same on every machine. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** A tiny seeded PRNG: Math.random cannot be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
