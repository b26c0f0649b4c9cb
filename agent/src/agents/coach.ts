import type { TPersona } from '@avatar-adam/db';
import { coachInstructions } from '../prompts/coach';
import { coachGreeting } from '../prompts/greeting';
import { GreetingAgent } from './greeting-agent';

/** Adam, the F&I coach: introduces himself and asks what the trainee wants to work on. */
export class CoachAgent extends GreetingAgent {
  constructor(opts: { persona: TPersona; traineeName: string }) {
    super({ instructions: coachInstructions(opts), greeting: coachGreeting(opts) });
  }
}
