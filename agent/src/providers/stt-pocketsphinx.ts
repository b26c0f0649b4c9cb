import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import {
  APIConnectionError,
  APIError,
  APITimeoutError,
  type AudioBuffer,
  log,
  shortuuid,
  stt,
} from '@livekit/agents';
import { WHISPER_SAMPLE_RATE, finalTranscript, toWhisperPcm } from './stt-whisper';

/** The en-us acoustic model is trained on 16 kHz mono, the rate `toWhisperPcm` produces. */
export const POCKETSPHINX_SAMPLE_RATE = WHISPER_SAMPLE_RATE;
/** Where Debian's `pocketsphinx-en-us` (0.8+5prealpha) puts the US English model. */
export const DEBIAN_POCKETSPHINX_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
export const POCKETSPHINX_BINARY = 'pocketsphinx_continuous';
export const POCKETSPHINX_FIX = 'apt-get install pocketsphinx pocketsphinx-en-us';
/** Files of the acoustic model (`-hmm`) that the decoder cannot start without. */
const ACOUSTIC_MODEL_FILES = ['mdef', 'means', 'variances', 'transition_matrices', 'sendump', 'noisedict', 'feat.params'];
const MAX_STDERR_CHARS = 4000;

export type TPocketsphinxFiles = {
  /** Acoustic model folder (`-hmm`). */
  hmm: string;
  /** Pronunciation dictionary (`-dict`). */
  dict: string;
  /** General English trigram language model (`-lm`). */
  lm: string;
};

export type TPocketsphinxOptions = {
  /** `pocketsphinx_continuous`, looked up on PATH unless it is a path. */
  binary?: string;
  /** Holds `en-us/` (acoustic model), `cmudict-en-us.dict` and `en-us.lm.bin`; Debian's by default. */
  modelDir?: string;
  /** Per utterance, from the moment the audio is handed over; an overrunning decoder is killed. */
  requestTimeoutMs?: number;
  /** Budget for the warm-up decode that `create()` or `verify()` runs (model load included). */
  startTimeoutMs?: number;
  /**
   * When the warm-up decode runs: in `create()` (default), or `'later'`, when {@link
   * PocketsphinxSTT.verify} is called. A job process started for a waiting session checks its
   * failover recogniser after the greeting, not in its CPU time.
   */
  verify?: 'now' | 'later';
  /** The command that repairs a broken install, appended to errors; the apt-get line by default. */
  fix?: string;
};

/** Missing binary or model files; the message names the fix. */
export class PocketsphinxModelError extends Error {
  constructor(message: string, fix: string = POCKETSPHINX_FIX) {
    super(`${message}; fix: ${fix}`);
    this.name = 'PocketsphinxModelError';
  }
}

export function pocketsphinxFiles(modelDir: string = DEBIAN_POCKETSPHINX_MODEL_DIR): TPocketsphinxFiles {
  return {
    hmm: join(modelDir, 'en-us'),
    dict: join(modelDir, 'cmudict-en-us.dict'),
    lm: join(modelDir, 'en-us.lm.bin'),
  };
}

/** The binary's absolute path (searched on PATH when given a bare name), or undefined. */
export function findExecutable(name: string, path: string = process.env.PATH ?? ''): string | undefined {
  const candidates = name.includes('/') ? [name] : path.split(delimiter).filter(Boolean).map((dir) => join(dir, name));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Every required model file that is missing, as absolute paths. */
export function missingModelFiles(files: TPocketsphinxFiles): string[] {
  const required = [...ACOUSTIC_MODEL_FILES.map((f) => join(files.hmm, f)), files.dict, files.lm];
  return required.filter((file) => !existsSync(file));
}

/**
 * Whether pocketsphinx can run here — cheaply: the binary on PATH and the model files, no decode.
 * `model` is the name the provider plan shows.
 */
export async function probePocketsphinx(
  opts: Pick<TPocketsphinxOptions, 'binary' | 'modelDir'> = {},
): Promise<{ ok: true; model: string } | { ok: false; reason: string; fix: string }> {
  const binary = opts.binary ?? POCKETSPHINX_BINARY;
  if (!findExecutable(binary)) return { ok: false, reason: `${binary} is not installed`, fix: POCKETSPHINX_FIX };
  const missing = missingModelFiles(pocketsphinxFiles(opts.modelDir));
  if (missing.length > 0) {
    return { ok: false, reason: `pocketsphinx model file not found: ${missing[0]}`, fix: POCKETSPHINX_FIX };
  }
  return { ok: true, model: 'en-us' };
}

/**
 * Decoder settings, measured on 36 F&I sentences spoken by flite (slt) on this 2-core machine:
 * - `-fwdflat no` skips the second (flat-lexicon) search pass: 15 % less decode CPU and no worse
 *   (20.4 % WER vs 21.3 % with it). Narrower beams, `-maxhmmpf`, `-topn 2` or `-ds 2` each saved
 *   another 10–30 % CPU but cost 2–13 points of WER, too much for an engine this weak already.
 * - `-remove_silence no`: the Silero VAD has already cut the utterance, so pocketsphinx's own
 *   energy VAD is not asked to second-guess it (it can drop quiet speech and splits an utterance
 *   at pauses into several output lines); the accuracy is the same.
 * - The general-English trigram LM (`en-us.lm.bin`, 26 MB, loads in ~0.3 s): trainees say
 *   arbitrary sentences, so no grammar or keyword list.
 */
export function pocketsphinxArgs(files: TPocketsphinxFiles): string[] {
  return [
    ...['-infile', '/dev/stdin', '-samprate', String(POCKETSPHINX_SAMPLE_RATE)],
    ...['-hmm', files.hmm, '-dict', files.dict, '-lm', files.lm],
    ...['-fwdflat', 'no', '-bestpath', 'yes', '-remove_silence', 'no'],
  ];
}

/** pocketsphinx_continuous prints one line per (internally segmented) utterance; join them. */
export function parseHypothesis(stdout: string): string {
  return stdout.split('\n').map((line) => line.trim()).filter(Boolean).join(' ');
}

/** The decoder's own reason for failing (its ERROR/FATAL log lines), else its last line. */
export function failureReason(stderr: string): string {
  const lines = stderr.trim().split('\n');
  const errors = lines.filter((l) => /\b(ERROR|FATAL|FATAL_ERROR)\b|not found|Permission denied/.test(l));
  return (errors.slice(-2).join(' | ') || lines.pop() || 'no output').slice(0, 500);
}

/** 16-bit little-endian bytes, what `-infile` reads as raw audio (the default `-input_endian`). */
export function toRawPcm(pcm: Int16Array): Buffer {
  const bytes = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  return new Uint16Array(new Uint8Array([1, 0]).buffer)[0] === 1 ? bytes : Buffer.from(bytes).swap16();
}

/**
 * Local speech-to-text on Debian's pocketsphinx: the last-resort engine, for a machine with only
 * apt packages. Non-streaming: the voice pipeline wraps it in `stt.StreamAdapter` with the Silero
 * VAD and sends each finished utterance to `recognize()`.
 *
 * How it runs (Debian's 0.8+5prealpha ships only the `pocketsphinx_continuous` and `_batch` tools,
 * no library binding without python3-pocketsphinx): one `pocketsphinx_continuous` process per
 * utterance, but started one utterance ahead. Each process loads the model (~0.3 s CPU, ~0.55 s
 * wall, ~100 MB) and then blocks reading stdin; the utterance is written and stdin closed, so the
 * process decodes, prints the transcript and exits. The per-utterance latency is the decode alone
 * (~0.25 × the audio duration), yet every utterance is framed exactly by end-of-file and isolated:
 * a hung or crashed decoder only costs its own utterance, and abort just kills it.
 * The first standby starts with the first utterance, not at `create`: as the last resort this engine
 * is rarely asked at all, and an idle decoder holds ~100 MB in every job process. So the first
 * utterance after a failover pays the model load once; later ones do not.
 * Rejected: spawning on demand (adds the model load to every turn); one long-lived process fed a
 * stream (it segments the stream with its own energy VAD, so a request cannot be matched to its
 * transcript — an utterance it hears no speech in prints nothing at all).
 *
 * stdin goes through `cat |`: Node gives a child UNIX sockets for stdio, which `fopen("/dev/stdin")`
 * cannot open (ENXIO), while a shell pipe is a real pipe. It also ends an idle decoder when this
 * process dies: the socket closes, cat exits and the decoder reads end-of-file.
 */
export class PocketsphinxSTT extends stt.STT {
  label = 'pocketsphinx.STT';
  readonly binary: string;
  readonly files: TPocketsphinxFiles;
  #args: string[];
  #requestTimeoutMs: number;
  #standby?: DecoderProcess;
  #closed = false;
  #verified?: Promise<void>;
  readonly #startTimeoutMs: number;
  readonly #fix: string;

  private constructor(binary: string, files: TPocketsphinxFiles, opts: TPocketsphinxOptions) {
    super({ streaming: false, interimResults: false, alignedTranscript: false });
    this.binary = binary;
    this.files = files;
    this.#args = pocketsphinxArgs(files);
    this.#requestTimeoutMs = opts.requestTimeoutMs ?? 10_000;
    this.#startTimeoutMs = opts.startTimeoutMs ?? 30_000;
    this.#fix = opts.fix ?? POCKETSPHINX_FIX;
  }

  /**
   * Checks the binary and model files and, unless `verify: 'later'`, runs the warm-up decode
   * ({@link verify}) — call it from prewarm. No decoder waits afterwards until the first utterance
   * (see above).
   */
  static async create(opts: TPocketsphinxOptions = {}): Promise<PocketsphinxSTT> {
    const fix = opts.fix ?? POCKETSPHINX_FIX;
    const name = opts.binary ?? POCKETSPHINX_BINARY;
    const binary = findExecutable(name);
    if (!binary) throw new PocketsphinxModelError(`${name} not found${name.includes('/') ? '' : ' on PATH'}`, fix);
    const files = pocketsphinxFiles(opts.modelDir);
    const missing = missingModelFiles(files);
    if (missing.length > 0) throw new PocketsphinxModelError(`pocketsphinx model file not found: ${missing[0]}`, fix);

    const engine = new PocketsphinxSTT(binary, files, opts);
    if (opts.verify !== 'later') await engine.verify();
    return engine;
  }

  /**
   * Runs one warm-up decode: the model really loads and the decoder exits cleanly. Once per engine;
   * rejects with {@link PocketsphinxModelError} when pocketsphinx does not start.
   */
  verify(): Promise<void> {
    this.#verified ??= (async () => {
      const started = performance.now();
      try {
        // 0.2 s of silence: nothing to hear, but the whole load → decode → exit path runs.
        await this.#spawn().decode(new Int16Array(POCKETSPHINX_SAMPLE_RATE / 5), this.#startTimeoutMs);
      } catch (error) {
        throw new PocketsphinxModelError(`pocketsphinx does not start: ${(error as Error).message}`, this.#fix);
      }
      log().debug({ binary: this.binary, warmUpMs: Math.round(performance.now() - started) }, 'pocketsphinx ready');
    })();
    return this.#verified;
  }

  get provider(): string {
    return 'pocketsphinx';
  }

  get model(): string {
    return 'en-us';
  }

  /** Process id (of the `sh` leading its process group) of the decoder the next utterance gets. */
  get standbyPid(): number | undefined {
    return this.#standby?.pid;
  }

  protected async _recognize(buffer: AudioBuffer, abortSignal?: AbortSignal): Promise<stt.SpeechEvent> {
    const requestId = shortuuid('pocketsphinx_');
    const pcm = toWhisperPcm(Array.isArray(buffer) ? buffer : [buffer]);
    const audioSeconds = pcm.length / POCKETSPHINX_SAMPLE_RATE;
    const started = performance.now();
    // Under 0.1 s there is no word to find; an aborted request needs no decoder either.
    const skip = pcm.length < POCKETSPHINX_SAMPLE_RATE / 10 || abortSignal?.aborted;
    let text = '';
    let standbyAgeMs: number | undefined;
    if (!skip) {
      // Taken synchronously, so each concurrent utterance gets its own decoder.
      const decoder = this.#takeDecoder();
      standbyAgeMs = decoder.ageMs;
      // The replacement loads on the other core while this one decodes (the LLM waits for us).
      this.#standby = this.#spawn();
      text = (await decoder.decode(pcm, this.#requestTimeoutMs, abortSignal)) ?? '';
    }
    const totalMs = Math.round(performance.now() - started);
    log().debug({ requestId, audioMs: Math.round(audioSeconds * 1000), totalMs, standbyAgeMs }, 'pocketsphinx transcribed utterance');
    // Aborted (stream closed) or no audio: the StreamAdapter drops an empty final without logging a failure.
    return finalTranscript(requestId, text, audioSeconds);
  }

  /** Pocketsphinx is driven one whole utterance at a time; the pipeline must wrap it with a VAD. */
  stream(): stt.SpeechStream {
    throw new Error('PocketsphinxSTT is not a streaming recogniser: wrap it with new stt.StreamAdapter(pocketsphinx, vad)');
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#standby?.kill();
    this.#standby = undefined;
  }

  #takeDecoder(): DecoderProcess {
    if (this.#closed) throw new APIError('pocketsphinx STT is closed', { retryable: false });
    const standby = this.#standby;
    this.#standby = undefined;
    if (standby?.alive) return standby;
    // Died while waiting (it was logged) or none yet: start one now and pay the model load.
    return this.#spawn();
  }

  #spawn(): DecoderProcess {
    return new DecoderProcess(this.binary, this.#args, () => !this.#closed);
  }
}

type TExit = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

/**
 * One `pocketsphinx_continuous` run: loads the model at once, then waits for its single utterance
 * on stdin. Its own process group, so a kill reaches the shell, cat and the decoder alike.
 */
class DecoderProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #born = performance.now();
  #stdout = '';
  #stderr = '';
  #exit?: TExit;
  #onExit?: () => void;
  #used = false;
  #killed = false;

  constructor(binary: string, args: string[], warnIfDies: () => boolean) {
    // `trap : TERM`: on kill the shell outlives cat and the decoder and reaps them, so none is left
    // a zombie under a PID 1 that never reaps (npm or node in a container).
    this.#child = spawn('/bin/sh', ['-c', 'trap : TERM; cat | "$0" "$@"', binary, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    // Writing to a dead decoder raises EPIPE on stdin; the close handler reports the exit instead.
    this.#child.stdin.on('error', () => undefined);
    this.#child.stdout.on('data', (chunk: Buffer) => {
      this.#stdout += chunk.toString('utf8');
    });
    this.#child.stderr.on('data', (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString('utf8')).slice(-MAX_STDERR_CHARS);
    });
    const settle = (exit: TExit) => {
      if (this.#exit) return;
      this.#exit = exit;
      if (!this.#used && !this.#killed && warnIfDies()) {
        log().warn({ reason: this.#describeExit() }, 'idle pocketsphinx decoder exited; the next utterance starts a new one');
      }
      this.#onExit?.();
    };
    this.#child.on('error', (error) => settle({ code: null, signal: null, error }));
    // 'close', not 'exit': stdout must be fully read before the transcript is taken.
    this.#child.on('close', (code, signal) => settle({ code, signal }));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get alive(): boolean {
    return !this.#exit && !this.#killed;
  }

  get ageMs(): number {
    return Math.round(performance.now() - this.#born);
  }

  /**
   * Hands over the utterance and waits for the transcript. Resolves `null` when aborted (the
   * decoder is killed); a crash is a retryable `APIConnectionError`, an overrun an `APITimeoutError`.
   */
  decode(pcm: Int16Array, timeoutMs: number, signal?: AbortSignal): Promise<string | null> {
    this.#used = true;
    return new Promise<string | null>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#onExit = undefined;
      };
      const onAbort = () => {
        done();
        this.kill();
        resolve(null);
      };
      const onExit = () => {
        done();
        const exit = this.#exit!;
        if (!exit.error && exit.code === 0) resolve(parseHypothesis(this.#stdout));
        else if (exit.code === 127) {
          reject(new APIError(`pocketsphinx binary is gone: ${this.#describeExit()}; fix: ${POCKETSPHINX_FIX}`, { retryable: false }));
        } else reject(new APIConnectionError({ message: this.#describeExit() }));
      };
      if (signal?.aborted) return onAbort();
      if (this.#exit) return onExit();
      this.#onExit = onExit;
      signal?.addEventListener('abort', onAbort, { once: true });
      timer = setTimeout(() => {
        done();
        this.kill();
        reject(new APITimeoutError({ message: `pocketsphinx did not finish an utterance within ${timeoutMs} ms` }));
      }, timeoutMs);
      this.#child.stdin.end(toRawPcm(pcm));
    });
  }

  /**
   * SIGTERM to the whole group (the shell waits for the others, see the constructor), then SIGKILL
   * for anything still there a second later; harmless once it has exited.
   */
  kill(): void {
    this.#killed = true;
    const pid = this.#child.pid;
    if (this.#exit || pid === undefined) return;
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal);
      } catch {
        // already gone
      }
    };
    signalGroup('SIGTERM');
    setTimeout(() => this.#exit || signalGroup('SIGKILL'), 1000).unref();
  }

  #describeExit(): string {
    const exit = this.#exit;
    if (exit?.error) return `pocketsphinx could not start: ${exit.error.message}`;
    const how = exit?.code === null ? `killed by ${exit.signal}` : `code ${exit?.code}`;
    return `pocketsphinx exited (${how}): ${failureReason(this.#stderr)}`;
  }
}
