import { voice } from '@livekit/agents';
import type { TSessionData } from '../session/metadata';

/**
 * A persona that opens the conversation itself: the trainee joins a silent room, so the agent
 * speaks first, as soon as it takes over the session.
 */
export class GreetingAgent extends voice.Agent<TSessionData> {
  readonly greeting: string;

  constructor(opts: { instructions: string; greeting: string }) {
    super({ instructions: opts.instructions });
    this.greeting = opts.greeting;
  }

  override async onEnter(): Promise<void> {
    this.session.say(this.greeting);
  }
}
