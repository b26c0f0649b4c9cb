import type { TDealJacket, TPersona } from '@avatar-adam/db';
import { customerInstructions } from '../prompts/customer';
import { customerGreeting } from '../prompts/greeting';
import { GreetingAgent } from './greeting-agent';

/** The role-play customer: walks into the F&I office in character, about the car on the deal jacket. */
export class CustomerAgent extends GreetingAgent {
  constructor(opts: {
    persona: TPersona;
    dealJacket: TDealJacket | null;
    objections: readonly string[];
    difficulty: 'easy' | 'medium' | 'hard';
  }) {
    super({ instructions: customerInstructions(opts), greeting: customerGreeting(opts) });
  }
}
