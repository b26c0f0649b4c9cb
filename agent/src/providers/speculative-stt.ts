import { type APIConnectOptions, log, stt, type VAD, VADEventType, type VADStream } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';

/** Beyond this much buffered speech a guess is not worth its copy; the end of speech is awaited. */
const MAX_GUESS_SAMPLES_SECONDS = 60;

/**
 * agents-js's `stt.StreamAdapter` (a non-streaming recogniser behind the Silero VAD), plus one
 * speculation: once the trainee has been silent for `speculateAfterMs` inside an utterance, the
 * speech so far is already sent to the recogniser. If the silence lasts until the VAD ends the
 * utterance (its minimum silence, 300 ms here), that transcript is used, and arrives up to
 * minimum-silence − `speculateAfterMs` sooner; if they speak again it is dropped and the whole
 * utterance is recognised at its end as before.
 *
 * Written here because neither agents-js nor a plugin offers it for non-streaming recognisers,
 * and Whisper's fixed ~0.35 s per utterance sits on every reply's critical path: starting it
 * during the VAD's silence wait takes that wait off the path. The cost is a wasted recognition
 * for each pause of `speculateAfterMs` that is not the end of the utterance.
 */
export class SpeculativeStreamAdapter extends stt.STT {
  label: string;

  constructor(
    private readonly inner: stt.STT,
    private readonly vad: VAD,
    private readonly opts: { speculateAfterMs: number },
  ) {
    super({ streaming: true, interimResults: false });
    this.label = `SpeculativeStreamAdapter<${inner.label}>`;
    inner.on('metrics_collected', (metrics) => this.emit('metrics_collected', metrics));
    inner.on('error', (error) => this.emit('error', error));
  }

  protected _recognize(frame: AudioFrame | AudioFrame[], abortSignal?: AbortSignal): Promise<stt.SpeechEvent> {
    return this.inner.recognize(frame, abortSignal);
  }

  stream(options?: { connOptions?: APIConnectOptions }): stt.SpeechStream {
    return new SpeculativeSpeechStream(this, this.inner, this.vad.stream(), this.opts.speculateAfterMs, options?.connOptions);
  }
}

type TGuess = { result: Promise<stt.SpeechEvent | null>; abort: AbortController };

class SpeculativeSpeechStream extends stt.SpeechStream {
  label: string;
  /** Guesses used / dropped, for the tests and the debug log. */
  readonly counts = { used: 0, dropped: 0 };

  constructor(
    owner: stt.STT,
    private readonly inner: stt.STT,
    private readonly vadStream: VADStream,
    private readonly speculateAfterMs: number,
    connOptions?: APIConnectOptions,
  ) {
    super(owner, undefined, connOptions);
    this.label = `SpeculativeSpeechStream<${inner.label}>`;
  }

  /** Set once the VAD stream has ended on its own (its output is then closed already). */
  private vadEnded = false;

  close(): void {
    super.close();
    // Closing an ended VAD stream closes its output a second time: a rejected promise nobody can
    // catch (agents-js's own StreamAdapter has the same), logged as an unhandled rejection. So does
    // closing it twice, which agents-js's FallbackAdapter does (when the session closes, and again
    // as its read loop ends): the VAD stream's own `closed` flag (protected in agents-js) says so.
    const vadClosed = (this.vadStream as unknown as { closed: boolean }).closed;
    if (!this.vadEnded && !vadClosed) this.vadStream.close();
  }

  /** The recogniser reports its own metrics; this stream adds none (as StreamAdapter). */
  protected async monitorMetrics(): Promise<void> {}

  /** A recognition that never throws: a failure is logged and counts as "nothing heard". */
  private recognize(frames: AudioFrame[], signal: AbortSignal): Promise<stt.SpeechEvent | null> {
    return this.inner.recognize(frames, signal).catch((error: unknown) => {
      if (!signal.aborted) log().child({ error: error instanceof Error ? error.message : error }).error(`${this.label}: recognition failed`);
      return null;
    });
  }

  protected async run(): Promise<void> {
    const forwardInput = async () => {
      for await (const input of this.input) {
        if (input === stt.SpeechStream.FLUSH_SENTINEL) this.vadStream.flush();
        else this.vadStream.pushFrame(input);
      }
      try {
        this.vadStream.endInput();
      } catch {
        // Closed during a handover while input was still being forwarded: nothing left to end.
      }
    };

    const transcribe = async () => {
      let speech: AudioFrame[] | null = null;
      let samples = 0;
      let guess: TGuess | undefined;
      const drop = () => {
        if (!guess) return;
        guess.abort.abort();
        guess = undefined;
        this.counts.dropped++;
      };
      for await (const ev of this.vadStream) {
        if (ev.type === VADEventType.START_OF_SPEECH) {
          // The speech buffer so far (prefix padding included); later windows are appended.
          speech = [...ev.frames];
          samples = ev.frames.reduce((n, f) => n + f.samplesPerChannel, 0);
          this.output.put({ type: stt.SpeechEventType.START_OF_SPEECH });
        } else if (ev.type === VADEventType.INFERENCE_DONE && speech) {
          speech.push(...ev.frames);
          samples += ev.frames.reduce((n, f) => n + f.samplesPerChannel, 0);
          // The event reports the silence before its own window: 0 means speech came back.
          if (ev.rawAccumulatedSilence === 0) drop();
          else if (!guess && ev.rawAccumulatedSilence >= this.speculateAfterMs && samples < MAX_GUESS_SAMPLES_SECONDS * (ev.frames[0]?.sampleRate ?? 48_000)) {
            const abort = new AbortController();
            guess = { abort, result: this.recognize([...speech], AbortSignal.any([this.abortSignal, abort.signal])) };
          }
        } else if (ev.type === VADEventType.END_OF_SPEECH) {
          speech = null;
          const speechEndTime = Date.now() - ev.silenceDuration - ev.inferenceDuration;
          this.output.put({ type: stt.SpeechEventType.END_OF_SPEECH, speechEndTime });
          const taken = guess;
          guess = undefined;
          if (taken) this.counts.used++;
          const event = taken ? await taken.result : await this.recognize(ev.frames, this.abortSignal);
          if (!event?.alternatives?.[0]?.text) continue;
          this.output.put({ ...event, speechEndTime: event.speechEndTime ?? speechEndTime });
        }
      }
      this.vadEnded = true;
      drop();
    };

    await Promise.all([forwardInput(), transcribe()]);
  }
}
