import {
  type APIConnectOptions,
  DEFAULT_API_CONNECT_OPTIONS,
  shortuuid,
  tts,
} from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { listFliteVoices, synthesizeWav } from './flite-process';
import { ClauseFirstTokenizer } from './speech-chunks';
import { parsePcmWav } from './wav';

/** Flite's speaking voices in Debian (`awb_time` is left out: it can only say clock times). */
export const FLITE_VOICES = ['slt', 'rms', 'awb', 'kal16', 'kal'] as const;
export type TFliteVoice = (typeof FLITE_VOICES)[number];

/** 50 ms frames: small enough to start playout at once, large enough to keep IPC cheap. */
const FRAME_MS = 50;

export function isFliteVoice(name: string): name is TFliteVoice {
  return (FLITE_VOICES as readonly string[]).includes(name);
}

const probedVoices = new Map<TFliteVoice, Promise<FliteTTS>>();

/** Probes every installed flite voice ahead of its first session (see `FliteTTS.shared`); never throws. */
export async function probeFliteVoices(): Promise<void> {
  const installed = await listFliteVoices('flite').catch(() => [] as string[]);
  await Promise.allSettled(installed.filter(isFliteVoice).map((voice) => FliteTTS.shared(voice)));
}

/**
 * Local text-to-speech on Debian's `flite`. Flite renders a whole utterance at once, so this is a
 * non-streaming engine: the voice pipeline wraps it in `tts.StreamAdapter` with a clause-first
 * tokenizer (speech-chunks.ts), and each chunk is played as soon as flite has rendered it.
 */
export class FliteTTS extends tts.TTS {
  label = 'flite.TTS';
  readonly voice: TFliteVoice;
  readonly binary: string;

  private constructor(opts: { voice: TFliteVoice; binary: string; sampleRate: number }) {
    super(opts.sampleRate, 1, { streaming: false });
    this.voice = opts.voice;
    this.binary = opts.binary;
  }

  /**
   * Checks that flite and the voice are installed (flite silently swaps an unknown voice for
   * `kal`), and reads the voice's real sample rate from a probe so the declared rate is measured,
   * not assumed.
   */
  static async create(opts: { voice: TFliteVoice; binary?: string }): Promise<FliteTTS> {
    const binary = opts.binary ?? 'flite';
    const installed = await listFliteVoices(binary);
    if (!installed.includes(opts.voice)) {
      throw new Error(`flite has no voice "${opts.voice}" (installed: ${installed.join(', ') || 'none'})`);
    }
    // Without an abort signal the probe always yields bytes (or throws).
    const probe = await synthesizeWav(binary, { voice: opts.voice, text: 'ok' });
    const wav = parsePcmWav(probe ?? Buffer.alloc(0));
    if (wav.channels !== 1) throw new Error(`flite voice ${opts.voice} is not mono`);
    return new FliteTTS({ voice: opts.voice, binary, sampleRate: wav.sampleRate });
  }

  /**
   * The voice checked and probed once per process (two flite runs, ~30 ms alone but several hundred
   * on a busy machine): a warm job process probes every voice while it waits (`probeFliteVoices`),
   * so a session's failover voice costs it nothing. A failed probe is tried again by the next call.
   */
  static shared(voice: TFliteVoice): Promise<FliteTTS> {
    let engine = probedVoices.get(voice);
    if (!engine) {
      engine = FliteTTS.create({ voice });
      engine.catch(() => probedVoices.delete(voice));
      probedVoices.set(voice, engine);
    }
    return engine;
  }

  get provider(): string {
    return 'flite';
  }

  get model(): string {
    return this.voice;
  }

  synthesize(text: string, connOptions?: APIConnectOptions, abortSignal?: AbortSignal): FliteChunkedStream {
    return new FliteChunkedStream(this, text, connOptions, abortSignal);
  }

  /** For callers that push text incrementally; sentences are synthesised one by one. */
  stream(options?: { connOptions?: APIConnectOptions }): tts.SynthesizeStream {
    return new tts.StreamAdapterWrapper(this, new ClauseFirstTokenizer(), options?.connOptions);
  }
}

export class FliteChunkedStream extends tts.ChunkedStream {
  label = 'flite.ChunkedStream';
  #engine: FliteTTS;
  #timeoutMs: number;

  constructor(engine: FliteTTS, text: string, connOptions?: APIConnectOptions, abortSignal?: AbortSignal) {
    super(text, engine, connOptions, abortSignal);
    // The base class only listens for a later 'abort' event, so an already-aborted signal is lost.
    if (abortSignal?.aborted) this.abortController.abort();
    this.#engine = engine;
    this.#timeoutMs = (connOptions ?? DEFAULT_API_CONNECT_OPTIONS).timeoutMs;
  }

  protected async run(): Promise<void> {
    const text = this.inputText.trim();
    if (!text) return;
    const out = await synthesizeWav(this.#engine.binary, {
      voice: this.#engine.voice,
      text: speakableText(text),
      timeoutMs: this.#timeoutMs,
      signal: this.abortSignal,
    });
    // Interrupted while flite ran: the queue may already be closed.
    if (!out || this.abortSignal.aborted || this.queue.closed) return;

    const wav = parsePcmWav(out);
    const requestId = shortuuid('flite_');
    const frames = splitFrames(wav.samples, wav.sampleRate, wav.channels);
    frames.forEach((frame, i) => {
      this.queue.put({ requestId, segmentId: requestId, frame, final: i === frames.length - 1 });
    });
  }
}

/** Flite spells "&" out as "ampersand" ("F&I" → "F ampersand I"); people say "and". */
export function speakableText(text: string): string {
  return text.replace(/\s*&\s*/g, ' and ');
}

/** Cuts PCM into fixed-length frames (the last one may be shorter). */
export function splitFrames(samples: Int16Array, sampleRate: number, channels: number): AudioFrame[] {
  const perChannel = Math.round((sampleRate * FRAME_MS) / 1000);
  const step = perChannel * channels;
  const frames: AudioFrame[] = [];
  for (let start = 0; start < samples.length; start += step) {
    const data = samples.slice(start, Math.min(start + step, samples.length));
    frames.push(new AudioFrame(data, sampleRate, channels, data.length / channels));
  }
  return frames;
}
