import { log, type stt, voice } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { PausedSpeechTracker, dropBackchannelsWhilePaused } from './backchannel';
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

  private pausedSpeech?: PausedSpeechTracker;

  override async onEnter(): Promise<void> {
    this.pausedSpeech = new PausedSpeechTracker(this.session);
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
    return dropBackchannelsWhilePaused(
      events,
      () => this.pausedSpeech?.paused ?? false,
      (text) => log().info({ text }, 'backchannel while the agent was speaking: resuming'),
    );
  }
}
