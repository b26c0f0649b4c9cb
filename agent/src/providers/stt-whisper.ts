import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  type AudioBuffer,
  asLanguageCode,
  log,
  shortuuid,
  stt,
} from '@livekit/agents';
import { AudioFrame, AudioResampler } from '@livekit/rtc-node';

/** Whisper models are trained on 16 kHz mono. */
export const WHISPER_SAMPLE_RATE = 16000;
const WORKER_SCRIPT = fileURLToPath(new URL('./whisper_worker.py', import.meta.url));
const MODEL_FILES = ['model.bin', 'config.json', 'tokenizer.json'];
/** A worker that dies again this soon after a restart is broken, not unlucky. */
const CRASH_LOOP_MS = 60_000;
const MAX_STDERR_CHARS = 4000;

export type TWhisperOptions = {
  /** CTranslate2 model folder (model.bin, config.json, tokenizer.json, vocabulary.txt). */
  modelDir: string;
  /** Python with faster-whisper installed (the project venv's `bin/python`). */
  python: string;
  threads?: number;
  /** The window short utterances are encoded in (whisper_worker.py); 30 = always the full window. */
  windowSeconds?: number;
  /** Per utterance, queueing included; a worker that overruns it is killed and restarted. */
  requestTimeoutMs?: number;
  /** Worker start-up budget (model load + warm-up). */
  startTimeoutMs?: number;
  /** The command that repairs a broken install, appended to file errors. */
  fix?: string;
};

type TReply = {
  id?: number;
  ready?: boolean;
  load_ms?: number;
  text?: string;
  logprob?: number | null;
  /** The window the utterance was encoded in, seconds. */
  window?: number;
  ms?: number;
  error?: string;
};
type TPending = { resolve: (reply: TReply) => void; reject: (error: Error) => void };

/** Missing model or Python runtime; the message names the fix. */
export class WhisperModelError extends Error {
  constructor(message: string, fix?: string) {
    super(fix ? `${message}; fix: ${fix}` : message);
    this.name = 'WhisperModelError';
  }
}

/**
 * Local speech-to-text: Whisper (CTranslate2 via faster-whisper) in one long-lived Python worker
 * per engine, spoken to in JSON lines. Non-streaming: the voice pipeline wraps it in
 * `stt.StreamAdapter` with the Silero VAD and sends each finished utterance to `recognize()`.
 * A dead worker is restarted; the utterance it held fails as an `APIError`, the job lives on.
 */
export class WhisperSTT extends stt.STT {
  label = 'whisper.STT';
  readonly modelDir: string;
  #worker: WhisperWorker;
  #requestTimeoutMs: number;
  #lastWindowSeconds: number | undefined;
  /**
   * Every utterance in Whisper's full 30 s window while set: where accuracy matters more than
   * ~0.15 s, e.g. a phone caller's spoken PIN (a short window measured slightly worse on digit runs).
   */
  fullWindow = false;

  private constructor(worker: WhisperWorker, opts: TWhisperOptions) {
    super({ streaming: false, interimResults: false, alignedTranscript: false });
    this.#worker = worker;
    this.modelDir = opts.modelDir;
    this.#requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
  }

  /**
   * Checks the files and starts the worker (model loaded and warmed). With `deferStart` the worker
   * starts on {@link warmUp} or the first utterance instead: an idle job process then holds no
   * Python process, and a session starts it while its greeting plays.
   */
  static async create(opts: TWhisperOptions & { deferStart?: boolean }): Promise<WhisperSTT> {
    for (const file of MODEL_FILES) {
      const path = join(opts.modelDir, file);
      if (!existsSync(path)) throw new WhisperModelError(`Whisper model file not found: ${path}`, opts.fix);
    }
    if (!existsSync(opts.python)) throw new WhisperModelError(`Python not found at ${opts.python}`, opts.fix);
    const worker = new WhisperWorker(opts);
    if (!opts.deferStart) await worker.start();
    return new WhisperSTT(worker, opts);
  }

  /** Starts the worker if it is not running yet; resolves when it can transcribe. */
  warmUp(): Promise<void> {
    return this.#worker.ensureStarted();
  }

  get provider(): string {
    return 'faster-whisper';
  }

  get model(): string {
    return this.modelDir;
  }

  /** The window (s) the last utterance was encoded in: 30 for the full window (for diagnosis and tests). */
  get lastWindowSeconds(): number | undefined {
    return this.#lastWindowSeconds;
  }

  /** Process id of the current worker (for health checks and tests). */
  get workerPid(): number | undefined {
    return this.#worker.pid;
  }

  protected async _recognize(buffer: AudioBuffer, abortSignal?: AbortSignal): Promise<stt.SpeechEvent> {
    const requestId = shortuuid('whisper_');
    const pcm = toWhisperPcm(Array.isArray(buffer) ? buffer : [buffer]);
    const audioSeconds = pcm.length / WHISPER_SAMPLE_RATE;
    const started = performance.now();
    // Under 0.1 s there is no word to find; whisper would only hallucinate one.
    const tooShort = pcm.length < WHISPER_SAMPLE_RATE / 10;
    const reply = tooShort ? null : await this.#worker.transcribe(pcm, this.#requestTimeoutMs, abortSignal, this.fullWindow);
    // Aborted (stream closed) or no audio: the StreamAdapter drops an empty final without logging a failure.
    const text = reply?.text ?? '';
    if (reply?.window !== undefined) this.#lastWindowSeconds = reply.window;
    const totalMs = Math.round(performance.now() - started);
    log().debug(
      { requestId, audioMs: Math.round(audioSeconds * 1000), windowSeconds: reply?.window, workerMs: reply?.ms, totalMs },
      'whisper transcribed utterance',
    );
    // Confidence = exp(lowest segment mean log-probability), 0 when unknown.
    const confidence = typeof reply?.logprob === 'number' ? Math.exp(reply.logprob) : 0;
    return finalTranscript(requestId, text, audioSeconds, confidence);
  }

  /** Whisper only transcribes whole utterances; the pipeline must wrap it with a VAD. */
  stream(): stt.SpeechStream {
    throw new Error('WhisperSTT is not a streaming recogniser: wrap it with new stt.StreamAdapter(whisper, vad)');
  }

  async close(): Promise<void> {
    this.#worker.close();
  }
}

/** The one event a whole-utterance recogniser returns: its final English transcript. */
export function finalTranscript(requestId: string, text: string, audioSeconds: number, confidence = 0): stt.SpeechEvent {
  return {
    type: stt.SpeechEventType.FINAL_TRANSCRIPT,
    requestId,
    alternatives: [{ text, language: asLanguageCode('en'), startTime: 0, endTime: audioSeconds, confidence }],
    recognitionUsage: { audioDuration: audioSeconds },
  };
}

/** Merges frames, down-mixes to mono and resamples to 16 kHz (whatever rate the frames carry). */
export function toWhisperPcm(frames: AudioFrame[]): Int16Array {
  const parts: Int16Array[] = [];
  let resampler: AudioResampler | undefined;
  let rate = 0;
  const drain = () => {
    if (!resampler) return;
    for (const out of resampler.flush()) parts.push(out.data);
    resampler.close();
    resampler = undefined;
  };
  for (const frame of frames) {
    if (frame.samplesPerChannel === 0) continue;
    const mono = downmix(frame);
    if (frame.sampleRate === WHISPER_SAMPLE_RATE) {
      drain();
      parts.push(mono);
      continue;
    }
    if (!resampler || rate !== frame.sampleRate) {
      drain();
      resampler = new AudioResampler(frame.sampleRate, WHISPER_SAMPLE_RATE, 1);
      rate = frame.sampleRate;
    }
    for (const out of resampler.push(new AudioFrame(mono, frame.sampleRate, 1, mono.length))) parts.push(out.data);
  }
  drain();
  const total = parts.reduce((n, p) => n + p.length, 0);
  const pcm = new Int16Array(total);
  let at = 0;
  for (const part of parts) {
    pcm.set(part, at);
    at += part.length;
  }
  return pcm;
}

function downmix(frame: AudioFrame): Int16Array {
  if (frame.channels === 1) return frame.data.subarray(0, frame.samplesPerChannel);
  const mono = new Int16Array(frame.samplesPerChannel);
  for (let i = 0; i < mono.length; i++) {
    let sum = 0;
    for (let c = 0; c < frame.channels; c++) sum += frame.data[i * frame.channels + c] ?? 0;
    mono[i] = Math.round(sum / frame.channels);
  }
  return mono;
}

/**
 * Owns the Python process: request ids, timeouts, and one restart after an unexpected exit (a
 * second death within a minute of a restart marks the engine broken).
 */
class WhisperWorker {
  #opts: TWhisperOptions;
  #child?: ChildProcessWithoutNullStreams;
  #ready: Promise<void> = Promise.resolve();
  #pending = new Map<number, TPending>();
  #nextId = 1;
  #stderr = '';
  #restartedAt = 0;
  #broken?: APIError;
  #closed = false;
  #started = false;

  constructor(opts: TWhisperOptions) {
    this.#opts = opts;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): Promise<void> {
    this.#started = true;
    this.#ready = this.#spawn();
    return this.#ready;
  }

  ensureStarted(): Promise<void> {
    return this.#started ? this.#ready : this.start();
  }

  async transcribe(pcm: Int16Array, timeoutMs: number, signal?: AbortSignal, fullWindow = false): Promise<TReply | null> {
    if (this.#closed) throw new APIError('whisper STT is closed', { retryable: false });
    if (this.#broken) throw this.#broken;
    try {
      await this.ensureStarted();
    } catch (error) {
      throw new APIConnectionError({ message: `whisper worker unavailable: ${(error as Error).message}` });
    }
    const child = this.#child;
    if (!child || signal?.aborted) return null;
    const id = this.#nextId++;
    return new Promise<TReply | null>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#pending.delete(id);
      };
      // The worker cannot be interrupted mid-utterance; its late reply is dropped by id.
      const onAbort = () => {
        settle();
        resolve(null);
      };
      const timer = setTimeout(() => {
        settle();
        reject(new APITimeoutError({ message: `whisper did not answer within ${timeoutMs} ms` }));
        // A stuck worker would hold every later utterance: replace it now, not when the kill lands.
        child.kill('SIGKILL');
        this.#onExit(child, `whisper worker killed after ${timeoutMs} ms without an answer`, true);
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, {
        resolve: (reply) => {
          settle();
          if (reply.error) reject(new APIError(`whisper failed: ${reply.error}`, { retryable: false }));
          else resolve(reply);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      });
      const pcm16 = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64');
      child.stdin.write(`${JSON.stringify(fullWindow ? { id, pcm16, window: 30 } : { id, pcm16 })}\n`);
    });
  }

  close(): void {
    this.#closed = true;
    const closed = new APIError('whisper STT closed', { retryable: false });
    for (const pending of [...this.#pending.values()]) pending.reject(closed);
    this.#child?.stdin.end();
    this.#child?.kill('SIGTERM');
    this.#child = undefined;
  }

  #spawn(): Promise<void> {
    const { modelDir, python, threads = 2, windowSeconds = 15, startTimeoutMs = 60_000 } = this.#opts;
    const child = spawn(python, [WORKER_SCRIPT, modelDir, String(threads), 'en', String(windowSeconds)], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, HF_HUB_OFFLINE: '1', OMP_NUM_THREADS: String(threads), PYTHONUNBUFFERED: '1' },
    });
    this.#child = child;
    this.#stderr = '';
    // Writing to a dead worker raises EPIPE on stdin; the exit handler reports it instead.
    child.stdin.on('error', () => undefined);
    child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-MAX_STDERR_CHARS);
    });

    let ready = false;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`whisper worker not ready within ${startTimeoutMs} ms`));
        child.kill('SIGKILL');
      }, startTimeoutMs);
      createInterface({ input: child.stdout }).on('line', (line) => {
        const reply = parseReply(line);
        if (reply?.ready) {
          clearTimeout(timer);
          ready = true;
          log().debug({ pid: child.pid, loadMs: reply.load_ms }, 'whisper worker ready');
          resolve();
        } else if (reply?.id !== undefined) {
          this.#pending.get(reply.id)?.resolve(reply);
        }
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new WhisperModelError(`cannot start ${python}: ${error.message}`, this.#opts.fix));
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        const why = `whisper worker exited (${code === null ? signal : `code ${code}`}): ${lastLine(this.#stderr)}`;
        reject(new Error(why));
        this.#onExit(child, why, ready);
      });
    });
  }

  #onExit(child: ChildProcessWithoutNullStreams, why: string, wasReady: boolean): void {
    if (this.#child !== child) return; // closed, or already replaced
    this.#child = undefined;
    for (const pending of [...this.#pending.values()]) pending.reject(new APIConnectionError({ message: why }));
    // Died while loading: start() or the restart's catch reports it; looping would not help.
    if (this.#closed || !wasReady) return;
    if (Date.now() - this.#restartedAt < CRASH_LOOP_MS) {
      this.#broken = new APIError(`whisper worker keeps dying; giving up: ${why}`, { retryable: false });
      log().error({ reason: why }, 'whisper worker died again after a restart; STT disabled');
      return;
    }
    log().warn({ reason: why }, 'whisper worker died; restarting it');
    this.#restartedAt = Date.now();
    this.#ready = this.#spawn();
    // Awaited by the next transcribe(); a failed restart must not become an unhandled rejection.
    this.#ready.catch((error: Error) => {
      this.#broken ??= new APIError(`whisper worker could not restart: ${error.message}`, { retryable: false });
    });
  }
}

function parseReply(line: string): TReply | undefined {
  try {
    return JSON.parse(line) as TReply;
  } catch {
    log().warn({ line: line.slice(0, 200) }, 'whisper worker wrote a non-protocol line');
    return undefined;
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.slice(0, 500) || 'no output';
}
