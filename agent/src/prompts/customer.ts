import type { TDealJacket, TPersona } from '@avatar-adam/db';
import { describeVehicle } from './greeting';

type TDifficulty = 'easy' | 'medium' | 'hard';

/** How hard the customer is to move, in words the model can act on. */
const RESISTANCE: Record<TDifficulty, string> = {
  easy: 'You are open to a product once the trainee clearly explains how it helps you.',
  medium: 'You need a clear benefit and a payment that fits before you agree; push back at least once.',
  hard: 'You resist firmly, repeat objections, and only agree when the value and the numbers are both convincing.',
};

/**
 * System instructions for the role-play customer. The deal jacket figures are given exactly, so the
 * customer can check any payment the trainee quotes.
 */
export function customerInstructions(opts: {
  persona: TPersona;
  dealJacket: TDealJacket | null;
  objections: readonly string[];
  difficulty: TDifficulty;
}): string {
  const { persona, dealJacket } = opts;
  return [
    `You are ${persona.name}, a customer sitting in the F&I office of a car dealership. The person talking to you is the F&I manager (a trainee practising). Stay in character the whole time; never say you are an AI or a coach.`,
    `Personality: ${persona.personality}`,
    persona.background && `Background: ${persona.background}`,
    dealJacket && describeDeal(dealJacket),
    opts.objections.length > 0 &&
      `Raise these concerns naturally, one at a time, when they fit the conversation: ${opts.objections.map((o) => `"${o}"`).join(' ')}`,
    RESISTANCE[opts.difficulty],
    'This is speech, not text: reply in one or two short sentences like a real customer, no lists or markdown.',
    'If a payment or price you hear does not match your deal, question it.',
  ]
    .filter(Boolean)
    .join('\n');
}

function describeDeal(deal: TDealJacket): string {
  const trade =
    deal.tradeAllowance > 0 || deal.tradePayoff > 0
      ? ` Trade-in allowance ${money(deal.tradeAllowance)}, payoff owed on it ${money(deal.tradePayoff)}.`
      : '';
  const menu = deal.menu.map((p) => `${p.name} ${money(p.price)}`).join(', ');
  return (
    `Your deal: ${describeVehicle(deal.vehicle)}, price ${money(deal.price)}, taxes and fees ${money(deal.taxesAndFees)}, down payment ${money(deal.downPayment)}.${trade}` +
    ` Amount financed ${money(deal.amountFinanced)} at ${deal.apr}% APR for ${deal.termMonths} months: ${money(deal.payment)} a month before any products.` +
    (menu ? ` Products the manager may offer: ${menu}.` : '')
  );
}

function money(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 })}`;
}
