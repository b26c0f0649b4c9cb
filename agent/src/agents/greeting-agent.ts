import { log, type stt, voice } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { ReplyTracker, dropNoiseDuringReply } from './backchannel';
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

  private replies?: ReplyTracker;

  override async onEnter(): Promise<void> {
    this.replies = new ReplyTracker(this.session);
    this.session.say(this.greeting);
  }

  /**
   * A "mm-hm" or a cough while the agent talks pauses it; dropping its transcript lets agents-js
   * resume the sentence instead of answering a noise (see backchannel.ts).
   */
  override async sttNode(
    audio: ReadableStream<AudioFrame>,
    modelSettings: voice.ModelSettings,
  ): Promise<ReadableStream<stt.SpeechEvent | string> | null> {
    const events = await voice.Agent.default.sttNode(this, audio, modelSettings);
    if (!events) return events;
    return dropNoiseDuringReply(
      events,
      () => this.replies?.midReply ?? false,
      (text) => log().info({ text }, 'noise or backchannel during a reply: not a turn'),
    );
  }
}
