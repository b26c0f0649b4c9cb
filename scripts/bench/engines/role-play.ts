import { customerInstructions } from '../../../agent/src/prompts/customer';
import { customerGreeting } from '../../../agent/src/prompts/greeting';
import { SEED_SCENARIOS } from '../../../db/src/seed/scenarios';

/** The seeded role-play the LLM bench plays: an upside-down trade, a long loan, a hard customer. */
export const BENCH_SCENARIO_TITLE = 'Negative equity, stretched budget';

export type TRolePlay = { title: string; instructions: string; greeting: string; traineeTurns: string[] };

/**
 * The conversation a session would hold: the customer's system prompt and greeting exactly as the
 * agent builds them from a seeded scenario, then five trainee turns that quote the deal's figures.
 */
export function benchRolePlay(title = BENCH_SCENARIO_TITLE): TRolePlay {
  const scenario = SEED_SCENARIOS.find((s) => s.title === title && s.mode === 'roleplay');
  if (!scenario?.dealJacket) throw new Error(`no seeded role-play scenario with a deal jacket titled "${title}"`);
  const deal = scenario.dealJacket;
  const first = scenario.persona.name.split(' ')[0];
  const dollars = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;
  const gap = deal.menu.find((p) => p.kind === 'gap');
  const vsc = deal.menu.find((p) => p.kind === 'service_contract');
  return {
    title,
    instructions: customerInstructions(scenario),
    greeting: customerGreeting(scenario),
    traineeTurns: [
      `Nice to meet you, ${first}. Before you sign, I'll go over your numbers and a couple of options that protect you.`,
      `You're financing ${dollars(deal.amountFinanced)} at ${deal.apr}% for ${deal.termMonths} months, so your payment is ${dollars(deal.payment)} a month.`,
      `Your truck was worth less than you owed, so that difference is in this loan. If the new truck is totaled, GAP covers the gap; it's ${dollars(gap?.price ?? 895)}.`,
      `I hear you on the payment. The service contract is ${dollars(vsc?.price ?? 2495)} and covers the engine and transmission for ${vsc?.termMonths ?? 72} months, about forty dollars a month.`,
      "None of this is required for your approval. Would you like GAP on its own, or GAP and the service contract?",
    ],
  };
}
