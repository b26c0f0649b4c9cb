import { createHash, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dataDir } from '@avatar-adam/db';
import { type log, tts } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import type { TGreetingAudio } from '../agents/greeting-agent';
import { env } from '../env';
import { type TResolvedProviders, openVoices, personaVoice } from '../providers';
import { FliteTTS, splitFrames } from '../providers/tts-flite';
import { PiperTTS } from '../providers/tts-piper';
import { encodePcmWav, parsePcmWav } from '../providers/wav';

/** Bumped when the stored audio or the key changes meaning: old files are then never read. */
const FORMAT_VERSION = 1;
/** ~150–200 KB per greeting: about 200 MB at most; the least recently played go first. */
const DEFAULT_MAX_FILES = 1000;

/**
 * A voice, named precisely enough that the same words in it sound the same, and whether the
 * engine speaking right now is that voice (a fallback adapter may be using its next engine).
 */
export type TVoiceIdentity = { id: string; speakingAsNamed(): boolean };

/**
 * Names the voice of a session's TTS. Only local engines are named: a hosted engine's voice is
 * partly configured elsewhere (an OpenAI voice, an ElevenLabs voice id), and it starts fast anyway.
 */
export function voiceIdentity(engine: tts.TTS): TVoiceIdentity | null {
  if (engine instanceof tts.FallbackAdapter) {
    const first = engine.ttsInstances[0];
    const named = first ? voiceIdentity(first) : null;
    if (!named) return null;
    return {
      // The adapter resamples to its own rate, so that is part of what is heard.
      id: `fallback@${engine.sampleRate}/${named.id}`,
      speakingAsNamed: () => engine.status[0]?.available === true && named.speakingAsNamed(),
    };
  }
  if (engine instanceof PiperTTS) {
    // The file's size and time: a voice replaced in place is a new voice.
    const file = statSync(engine.modelPath, { throwIfNoEntry: false });
    if (!file) return null;
    return {
      id: `piper:${engine.modelPath}:${file.size}:${file.mtimeMs}:${engine.speakerId}:${engine.speed}:${engine.sampleRate}`,
      speakingAsNamed: () => true,
    };
  }
  if (engine instanceof FliteTTS) return { id: `flite:${engine.model}:${engine.sampleRate}`, speakingAsNamed: () => true };
  return null;
}

/**
 * Greetings recorded as they were synthesised, one WAV file per voice and text. A persona's
 * greeting is the same words in the same voice session after session, and synthesising it is the
 * one step before the greeting's first audio that needs the voice loaded (~0.7 s of CPU for
 * Piper): a session whose greeting is recorded greets while its voice loads.
 *
 * Content-addressed (the key is a hash of voice and text), so it holds no tenant data beyond the
 * audio of a text, and two dealerships with the same greeting share its file. Writes are atomic
 * (temporary file, then rename): several job processes and workers on one host can share the
 * folder. Written here because it is a folder of files keyed by a hash; no caching library adds
 * anything to that.
 */
export class GreetingAudioStore {
  readonly dir: string;
  readonly #maxFiles: number;

  constructor(opts: { dir: string; maxFiles?: number }) {
    this.dir = opts.dir;
    this.#maxFiles = opts.maxFiles ?? DEFAULT_MAX_FILES;
  }

  fileFor(voice: string, text: string): string {
    const key = createHash('sha256').update(JSON.stringify([FORMAT_VERSION, voice, text])).digest('hex');
    return path.join(this.dir, `${key}.wav`);
  }

  /** The recorded greeting as frames, or null when there is none (a damaged file is removed). */
  async read(voice: string, text: string): Promise<AudioFrame[] | null> {
    const file = this.fileFor(voice, text);
    let buf: Buffer;
    try {
      buf = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let wav: ReturnType<typeof parsePcmWav>;
    try {
      wav = parsePcmWav(buf);
    } catch {
      await rm(file, { force: true });
      return null;
    }
    if (wav.samples.length === 0) return null;
    // Played now: the least recently played are removed first when the folder is full.
    const now = new Date();
    await utimes(file, now, now).catch(() => undefined);
    return splitFrames(wav.samples, wav.sampleRate, wav.channels);
  }

  async has(voice: string, text: string): Promise<boolean> {
    return stat(this.fileFor(voice, text)).then(
      () => true,
      () => false,
    );
  }

  /**
   * Stores a greeting's frames (one format throughout, or nothing is stored), then removes the
   * least recently played files beyond the limit.
   */
  async write(voice: string, text: string, frames: AudioFrame[]): Promise<boolean> {
    const first = frames[0];
    if (!first || frames.some((f) => f.sampleRate !== first.sampleRate || f.channels !== first.channels)) return false;
    const samples = new Int16Array(frames.reduce((n, f) => n + f.data.length, 0));
    let at = 0;
    for (const frame of frames) {
      samples.set(frame.data, at);
      at += frame.data.length;
    }
    if (samples.length === 0) return false;
    const file = this.fileFor(voice, text);
    const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
    await mkdir(this.dir, { recursive: true });
    try {
      await writeFile(temporary, encodePcmWav({ sampleRate: first.sampleRate, channels: first.channels, samples }));
      await rename(temporary, file);
    } finally {
      await rm(temporary, { force: true });
    }
    await this.#prune();
    return true;
  }

  async #prune(): Promise<void> {
    const names = (await readdir(this.dir)).filter((name) => name.endsWith('.wav'));
    if (names.length <= this.#maxFiles) return;
    const files = await Promise.all(
      names.map(async (name) => {
        const full = path.join(this.dir, name);
        const info = await stat(full).catch(() => null);
        return { full, playedAt: info?.mtimeMs ?? 0 };
      }),
    );
    files.sort((a, b) => a.playedAt - b.playedAt);
    await Promise.all(files.slice(0, files.length - this.#maxFiles).map(({ full }) => rm(full, { force: true })));
  }
}

let processStore: GreetingAudioStore | null | undefined;

/** This process's store, from the settings (AGENT_GREETING_CACHE, AGENT_GREETING_CACHE_DIR); null when off. */
export function greetingAudioStore(): GreetingAudioStore | null {
  if (processStore === undefined) {
    processStore =
      env.AGENT_GREETING_CACHE === 'on' ? new GreetingAudioStore({ dir: env.AGENT_GREETING_CACHE_DIR ?? path.join(dataDir(), 'greeting-audio') }) : null;
  }
  return processStore;
}

/**
 * Looks the session's greeting up in the store. Never fails the session: a store that cannot be
 * read or written only means the greeting is synthesised.
 */
export async function prepareGreetingAudio(opts: {
  store: GreetingAudioStore | null;
  tts: tts.TTS;
  text: string;
  logger: ReturnType<typeof log>;
}): Promise<TGreetingAudio> {
  const { store, text, logger } = opts;
  const voice = store ? voiceIdentity(opts.tts) : null;
  if (!store || !voice) return { text, recorded: null, record: () => undefined };
  const recorded = await store.read(voice.id, text).catch((error: unknown) => {
    logger.warn({ error, dir: store.dir }, 'could not read the kept greeting; synthesising it');
    return null;
  });
  return {
    text,
    recorded,
    record: (frames) => {
      // Spoken by a fallback engine: not this voice's recording.
      if (!voice.speakingAsNamed()) return;
      store.write(voice.id, text, frames).then(
        (kept) => kept && logger.debug({ dir: store.dir }, 'greeting kept for the next session'),
        (error: unknown) => logger.warn({ error, dir: store.dir }, 'could not keep the greeting'),
      );
    },
  };
}

export type TKeepOutcome = 'kept' | 'already kept' | 'no local voice';

/**
 * Synthesises greetings ahead of their first session (the job worker's `keep-greeting` jobs), in
 * the voice a session of the scenario speaks with: the same provider plan and voice chain. The
 * voices open on the first job and stay loaded in the process.
 */
export function createGreetingRecorder(opts: { store: GreetingAudioStore; resolved: TResolvedProviders; fallbackVoice?: string }) {
  let voices: Promise<Map<string, tts.TTS>> | undefined;
  // One chain per persona voice: a chain listens to its engines' events, so it is made once.
  const chains = new Map<string, Promise<tts.TTS>>();
  const chainFor = async (voiceHint: string) => {
    voices ??= openVoices(opts.resolved).then(
      (entries) => new Map(entries),
      (error: unknown) => {
        voices = undefined;
        throw error;
      },
    );
    const opened = await voices;
    let chain = chains.get(voiceHint);
    if (!chain) {
      chain = personaVoice(opts.resolved, opened, { voiceHint, fallbackVoice: opts.fallbackVoice });
      chain.catch(() => chains.delete(voiceHint));
      chains.set(voiceHint, chain);
    }
    return chain;
  };
  return {
    async keep(greeting: { text: string; voiceHint: string }): Promise<TKeepOutcome> {
      const voice = await chainFor(greeting.voiceHint);
      const named = voiceIdentity(voice);
      if (!named) return 'no local voice';
      if (await opts.store.has(named.id, greeting.text)) return 'already kept';
      const frames: AudioFrame[] = [];
      for await (const chunk of voice.synthesize(greeting.text)) frames.push(chunk.frame);
      // A failed voice answered by the next engine: try again later rather than keep the wrong voice.
      if (!named.speakingAsNamed()) throw new Error('the voice failed and the fallback engine spoke the greeting; not kept');
      if (!(await opts.store.write(named.id, greeting.text, frames))) throw new Error('the voice produced no usable audio for the greeting');
      return 'kept';
    },
  };
}
