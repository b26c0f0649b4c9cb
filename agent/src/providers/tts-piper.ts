import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { type APIConnectOptions, APIError, log, shortuuid, tts } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { RemoteVoice } from '../voice-server/client';
import { type TPiperFiles, type TSherpaTts, loadPiperVoice } from './piper-voice';
import { ClauseFirstTokenizer } from './speech-chunks';
import { splitFrames } from './tts-flite';

import { DEBIAN_ESPEAK_DATA_DIR } from './model-ids';

export { DEBIAN_ESPEAK_DATA_DIR };
export { type TPiperFiles, type TSherpaTts, loadPiperVoice };

/** The metadata sherpa-onnx needs in a Piper ONNX; without it the native code exits the process. */
const REQUIRED_METADATA = ['sample_rate', 'model_type', 'comment', 'voice', 'has_espeak'] as const;

export type TPiperOptions = TPiperFiles & {
  numThreads?: number;
  speakerId?: number;
  speed?: number;
  /**
   * The worker's shared voice (voice-server/, AGENT_SHARED_VOICE): synthesise there instead of
   * loading the voice into this process. If it cannot be reached (or serves another voice), the
   * voice loads here as without it.
   */
  sharedVoiceSocket?: string;
};

/** Missing or unusable voice files; `fix` is the one command that repairs the install. */
export class PiperModelError extends Error {
  constructor(message: string, fix?: string) {
    super(fix ? `${message}; fix: ${fix}` : message);
    this.name = 'PiperModelError';
  }
}

/**
 * Checks the files before the native loader sees them: sherpa-onnx ends the whole process (not a
 * thrown error) when a file or a metadata key is missing.
 */
export function checkPiperFiles(files: TPiperFiles, fix?: string): void {
  const dataDir = files.espeakDataDir ?? DEBIAN_ESPEAK_DATA_DIR;
  if (!existsSync(files.model)) throw new PiperModelError(`Piper voice model not found at ${files.model}`, fix);
  if (!existsSync(files.tokens)) throw new PiperModelError(`Piper tokens file not found at ${files.tokens}`, fix);
  if (!existsSync(join(dataDir, 'phontab'))) {
    throw new PiperModelError(`espeak-ng data not found in ${dataDir}`, 'apt-get install espeak-ng-data');
  }
  const meta = readOnnxMetadata(files.model);
  const missing = REQUIRED_METADATA.filter((key) => !(key in meta));
  if (missing.length > 0) {
    throw new PiperModelError(`Piper model ${files.model} lacks sherpa-onnx metadata (${missing.join(', ')})`, fix);
  }
}

/** Connections to the shared voice, one per socket per process; a closed one is replaced on next use. */
const sharedVoices = new Map<string, Promise<RemoteVoice>>();

function sharedVoice(socketPath: string): Promise<RemoteVoice> {
  const cached = sharedVoices.get(socketPath);
  if (cached) {
    return cached.then((voice) => {
      if (voice.connected) return voice;
      if (sharedVoices.get(socketPath) === cached) sharedVoices.delete(socketPath);
      return sharedVoice(socketPath);
    });
  }
  const connecting = RemoteVoice.connect(socketPath);
  sharedVoices.set(socketPath, connecting);
  // Not cached when it fails: the supervisor restarts the server, and the next call connects.
  connecting.catch(() => {
    if (sharedVoices.get(socketPath) === connecting) sharedVoices.delete(socketPath);
  });
  return connecting;
}

/**
 * Local neural text-to-speech: a Piper voice run by sherpa-onnx in this process. Generation runs
 * on libuv's thread pool (the event loop stays free for audio), one utterance at a time because
 * espeak-ng's phonemiser is not thread-safe. Non-streaming: the pipeline wraps it in
 * `tts.StreamAdapter` with a clause-first tokenizer (speech-chunks.ts).
 *
 * `open` checks the files and reads the sample rate without loading the voice (~0.7 s of CPU and
 * ~115 MB): a session whose greeting is already recorded (session/greeting-audio.ts) loads it
 * while the greeting plays. `load` starts the load; the first synthesis waits for it either way.
 */
export class PiperTTS extends tts.TTS {
  label = 'piper.TTS';
  readonly modelPath: string;
  readonly speakerId: number;
  readonly speed: number;
  readonly #files: TPiperFiles;
  readonly #numThreads: number;
  readonly #sharedVoiceSocket: string | undefined;
  #sharedVoiceWarned = false;
  #voice?: Promise<TSherpaTts>;
  #loadStarted = false;
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(sampleRate: number, opts: TPiperOptions) {
    // Declared at the voice's own rate (22050 Hz for medium voices); the pipeline resamples.
    super(sampleRate, 1, { streaming: false });
    this.#files = { model: opts.model, tokens: opts.tokens, espeakDataDir: opts.espeakDataDir };
    this.#numThreads = opts.numThreads ?? 2;
    this.#sharedVoiceSocket = opts.sharedVoiceSocket;
    this.modelPath = opts.model;
    this.speakerId = opts.speakerId ?? 0;
    this.speed = opts.speed ?? 1;
  }

  /** Checks the voice's files and reads its sample rate; the voice itself loads with `load()`. */
  static open(opts: TPiperOptions & { fix?: string }): PiperTTS {
    checkPiperFiles(opts, opts.fix);
    const sampleRate = Number(readOnnxMetadata(opts.model).sample_rate);
    if (!Number.isInteger(sampleRate) || sampleRate <= 0) {
      throw new PiperModelError(`Piper model ${opts.model} has no usable sample_rate in its metadata`, opts.fix);
    }
    return new PiperTTS(sampleRate, opts);
  }

  /** Opens the voice and loads it (once per process): a process that speaks at once. */
  static async create(opts: TPiperOptions & { fix?: string }): Promise<PiperTTS> {
    const engine = PiperTTS.open(opts);
    await engine.load();
    return engine;
  }

  /** Loads the voice unless it is loaded or loading; a failed load is tried again by the next call. */
  async load(): Promise<void> {
    await this.#loadedVoice();
  }

  async #loadedVoice(): Promise<TSherpaTts> {
    this.#loadStarted = true;
    if (this.#sharedVoiceSocket) {
      const shared = await sharedVoice(this.#sharedVoiceSocket)
        .then((voice) => {
          if (voice.sampleRate === this.sampleRate) return voice;
          throw new Error(`it renders at ${voice.sampleRate} Hz, this voice at ${this.sampleRate} Hz`);
        })
        .catch((error: unknown) => {
          if (!this.#sharedVoiceWarned) log().warn({ error }, 'the shared voice is unavailable: loading the voice in this process');
          this.#sharedVoiceWarned = true;
          return undefined;
        });
      if (shared) return shared;
    }
    const loading = (this.#voice ??= loadPiperVoice(this.#files, this.#numThreads));
    try {
      const voice = await loading;
      if (voice.sampleRate !== this.sampleRate) {
        throw new PiperModelError(`Piper voice renders at ${voice.sampleRate} Hz, its metadata says ${this.sampleRate} Hz`);
      }
      return voice;
    } catch (error) {
      if (this.#voice === loading) this.#voice = undefined;
      throw error;
    }
  }

  /** Whether the voice has been asked to load (it may still be loading). */
  get loadStarted(): boolean {
    return this.#loadStarted;
  }

  get provider(): string {
    return 'piper';
  }

  get model(): string {
    return this.modelPath;
  }

  synthesize(text: string, connOptions?: APIConnectOptions, abortSignal?: AbortSignal): PiperChunkedStream {
    return new PiperChunkedStream(this, text, connOptions, abortSignal);
  }

  /** For callers that push text incrementally; sentences are synthesised one by one. */
  stream(options?: { connOptions?: APIConnectOptions }): tts.SynthesizeStream {
    return new tts.StreamAdapterWrapper(this, new ClauseFirstTokenizer(), options?.connOptions);
  }

  /**
   * Renders `text`, handing each sentence's samples to `onChunk` as soon as it exists. Returning
   * false from `onChunk` (or aborting) stops the native generation at the next sentence.
   */
  generate(text: string, onChunk: (samples: Float32Array) => boolean, signal: AbortSignal): Promise<void> {
    const run = async () => {
      if (signal.aborted) return;
      const voice = await this.#loadedVoice();
      if (signal.aborted) return;
      await voice.generateAsync({
        text,
        sid: this.speakerId,
        speed: this.speed,
        onProgress: ({ samples }) => !signal.aborted && onChunk(samples),
      });
    };
    const done = this.#queue.then(run, run);
    this.#queue = done.catch(() => undefined);
    return done;
  }
}

export class PiperChunkedStream extends tts.ChunkedStream {
  label = 'piper.ChunkedStream';
  #engine: PiperTTS;

  constructor(engine: PiperTTS, text: string, connOptions?: APIConnectOptions, abortSignal?: AbortSignal) {
    super(text, engine, connOptions, abortSignal);
    // The base class only listens for a later 'abort' event, so an already-aborted signal is lost.
    if (abortSignal?.aborted) this.abortController.abort();
    this.#engine = engine;
  }

  protected async run(): Promise<void> {
    const text = this.inputText.trim();
    if (!text) return;
    const requestId = shortuuid('piper_');
    // The newest frame is held back so that the last one put can be marked final.
    let held: AudioFrame | undefined;
    const put = (frame: AudioFrame, final: boolean) =>
      this.queue.put({ requestId, segmentId: requestId, frame, final });
    // On abort, end the stream at once; the native run stops by itself at its next sentence.
    const aborted = new Promise<void>((resolve) => {
      this.abortSignal.addEventListener('abort', () => resolve(), { once: true });
    });
    try {
      const generating = this.#engine.generate(
        // espeak-ng already reads "&" as "and" (measured), unlike flite: no rewrite needed.
        text,
        (samples) => {
          // Interrupted while a sentence rendered: the queue may already be closed.
          if (this.abortSignal.aborted || this.queue.closed) return false;
          for (const frame of splitFrames(toInt16(samples), this.#engine.sampleRate, 1)) {
            if (held) put(held, false);
            held = frame;
          }
          return true;
        },
        this.abortSignal,
      );
      generating.catch(() => undefined); // still awaited below unless aborted first
      await Promise.race([generating, aborted]);
    } catch (error) {
      throw new APIError(`piper failed to synthesise: ${(error as Error).message}`, { retryable: false });
    }
    if (held && !this.abortSignal.aborted && !this.queue.closed) put(held, true);
  }
}

function toInt16(samples: Float32Array): Int16Array {
  const out = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    out[i] = Math.round(s * 32767);
  }
  return out;
}

/**
 * Reads an ONNX file's `metadata_props` (ModelProto field 14) by walking the top-level protobuf
 * fields and skipping the graph, so a 60 MB model costs a few small reads.
 */
export function readOnnxMetadata(path: string): Record<string, string> {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(20);
    const meta: Record<string, string> = {};
    let pos = 0;
    for (;;) {
      const got = readSync(fd, head, 0, head.length, pos);
      if (got === 0) return meta;
      let at = 0;
      const varint = () => {
        let value = 0;
        for (let shift = 0; at < got; shift += 7) {
          const byte = head[at++] ?? 0;
          value += (byte & 0x7f) * 2 ** shift;
          if (byte < 0x80) return value;
        }
        throw new Error(`${path} is not an ONNX model`);
      };
      const tag = varint();
      const wire = tag & 7;
      if (wire === 0) varint();
      else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else if (wire !== 2) throw new Error(`${path} is not an ONNX model`);
      const length = wire === 2 ? varint() : 0;
      if (wire === 2 && tag >>> 3 === 14) {
        const entry = Buffer.alloc(length);
        readSync(fd, entry, 0, length, pos + at);
        const { key, value } = decodeStringEntry(entry);
        meta[key] = value;
      }
      pos += at + length;
    }
  } finally {
    closeSync(fd);
  }
}

/** Decodes a StringStringEntryProto (1: key, 2: value); both are short. */
function decodeStringEntry(buf: Buffer): { key: string; value: string } {
  const out = { key: '', value: '' };
  let at = 0;
  while (at < buf.length) {
    const tag = buf[at++] ?? 0;
    let length = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = buf[at++] ?? 0;
      length += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    const text = buf.toString('utf8', at, at + length);
    if (tag === 0x0a) out.key = text;
    if (tag === 0x12) out.value = text;
    at += length;
  }
  return out;
}
