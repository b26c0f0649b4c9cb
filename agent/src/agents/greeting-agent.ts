import { log, type stt, voice } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { ReplyTracker, dropNoiseDuringReply } from './backchannel';
import type { TSessionData } from '../session/metadata';

/**
 * The greeting as recorded earlier in the session's voice (session/greeting-audio.ts), and where
 * to keep it once synthesised when there is no recording yet.
 */
export type TGreetingAudio = {
  text: string;
  recorded: AudioFrame[] | null;
  /** Called once with the greeting's frames when their synthesis completed (not when cut short). */
  record(frames: AudioFrame[]): void;
};

/**
 * A persona that opens the conversation itself: the trainee joins a silent room, so the agent
 * speaks first, as soon as it takes over the session.
 */
export class GreetingAgent extends voice.Agent<TSessionData> {
  readonly greeting: string;
  #greetingAudio?: TGreetingAudio;
  /** Set until the greeting's synthesis starts, when it should be recorded. */
  #recordGreeting?: (frames: AudioFrame[]) => void;

  constructor(opts: { instructions: string; greeting: string }) {
    super({ instructions: opts.instructions });
    this.greeting = opts.greeting;
  }

  private replies?: ReplyTracker;

  /** Plays a recorded greeting instead of synthesising it, or records the synthesised one. */
  useGreetingAudio(audio: TGreetingAudio): void {
    if (audio.text === this.greeting) this.#greetingAudio = audio;
  }

  override async onEnter(): Promise<void> {
    this.replies = new ReplyTracker(this.session);
    const audio = this.#greetingAudio;
    if (audio?.recorded) {
      this.session.say(this.greeting, { audio: streamOf(audio.recorded) });
      return;
    }
    this.#recordGreeting = audio?.record;
    this.session.say(this.greeting);
  }

  /** The greeting's synthesis is recorded as it streams to the room (see `useGreetingAudio`). */
  override async ttsNode(
    text: ReadableStream<string> | AsyncIterable<string>,
    modelSettings: voice.ModelSettings,
  ): Promise<ReadableStream<AudioFrame> | null> {
    const record = this.#recordGreeting;
    this.#recordGreeting = undefined;
    if (!record) return voice.Agent.default.ttsNode(this, text, modelSettings);
    // Only the greeting's words are recorded: if the trainee's first turn came first, this is a reply.
    let said = '';
    const input = text instanceof ReadableStream ? text : ReadableStream.from(text);
    const words = input.pipeThrough(
      new TransformStream<string, string>({
        transform(chunk, controller) {
          said += chunk;
          controller.enqueue(chunk);
        },
      }),
    );
    const audio = await voice.Agent.default.ttsNode(this, words, modelSettings);
    if (!audio) return audio;
    const frames: AudioFrame[] = [];
    const greeting = this.greeting;
    return audio.pipeThrough(
      new TransformStream<AudioFrame, AudioFrame>({
        transform(frame, controller) {
          frames.push(frame);
          controller.enqueue(frame);
        },
        // Not called when the stream is cancelled (the greeting cut short) or fails.
        flush() {
          if (said.trim() === greeting.trim()) record(frames);
        },
      }),
    );
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

function streamOf(frames: AudioFrame[]): ReadableStream<AudioFrame> {
  let next = 0;
  return new ReadableStream<AudioFrame>({
    pull(controller) {
      const frame = frames[next++];
      if (frame) controller.enqueue(frame);
      else controller.close();
    },
  });
}
