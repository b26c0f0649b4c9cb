import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initializeLogger, stt } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import type { VAD } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpeculativeStreamAdapter } from './speculative-stt';
import { WhisperSTT } from './stt-whisper';
import { speak, toMono48k, toWebRtcFrames } from './test-speech';
import { FliteTTS } from './tts-flite';
import { wordErrorRate } from './word-error-rate';

/*
 * The speculative adapter on the real engines (Silero VAD, faster-whisper tiny.en, flite speech):
 * what it transcribes, and when it asks the recogniser. Latency itself is measured by
 * `npm run bench:voice`, not asserted here.
 */

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const FIRST = 'I would like to know the total price.';
const SECOND = 'Then we can talk about the monthly payment.';

let whisper: WhisperSTT;
let vad: VAD;
let first: AudioFrame[];
let second: AudioFrame[];

/** Whisper with a log of when it was asked, so the test can tell a guess from a final recognition. */
class Spied extends stt.STT {
  label = 'spied-whisper';
  calls: { at: number; samples: number }[] = [];
  constructor(private readonly inner: WhisperSTT) {
    super({ streaming: false, interimResults: false });
  }
  protected _recognize(buffer: AudioFrame | AudioFrame[], signal?: AbortSignal) {
    const frames = Array.isArray(buffer) ? buffer : [buffer];
    this.calls.push({ at: Date.now(), samples: frames.reduce((n, f) => n + f.samplesPerChannel, 0) });
    return this.inner.recognize(frames, signal);
  }
  stream(): stt.SpeechStream {
    throw new Error('not streaming');
  }
}

/** Flite ends a sentence with its own silence; cut it, so the pauses below are the only ones. */
function trimTrailingSilence(frames: AudioFrame[]): AudioFrame[] {
  let end = frames.length;
  while (end > 0 && Math.max(...frames[end - 1]!.data.map(Math.abs)) < 500) end--;
  return frames.slice(0, end);
}

const silence = (ms: number) => Array.from({ length: ms / 10 }, () => new AudioFrame(new Int16Array(480), 48000, 1, 480));

/** Pushes the frames, then reads events until the first final transcript. */
async function transcribe(engine: stt.STT, frames: AudioFrame[]) {
  const stream = engine.stream();
  for (const frame of frames) stream.pushFrame(frame);
  const events: { type: stt.SpeechEventType; at: number; text?: string }[] = [];
  for await (const ev of stream) {
    events.push({ type: ev.type, at: Date.now(), text: ev.alternatives?.[0]?.text });
    if (ev.type === stt.SpeechEventType.FINAL_TRANSCRIPT) break;
  }
  const counts = (stream as unknown as { counts: { used: number; dropped: number } }).counts;
  stream.close();
  return { events, counts };
}

beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'fatal' });
  const modelDir = join(REPO, '.models', 'whisper-tiny.en-ct2');
  const python = join(REPO, '.models', '.venv', 'bin', 'python');
  if (!existsSync(join(modelDir, 'model.bin'))) throw new Error('Whisper model not installed; run: npm run models -- pull whisper-tiny.en-ct2');
  const flite = await FliteTTS.create({ voice: 'slt' });
  [whisper, vad, first, second] = await Promise.all([
    WhisperSTT.create({ modelDir, python }),
    // A longer end-of-speech silence than the agent's 300 ms, so a pause inside the utterance can
    // be long enough for a guess and clearly short of the end, whatever silence flite leaves.
    silero.VAD.load({ minSilenceDuration: 600 }),
    speak(flite, FIRST).then((f) => trimTrailingSilence(toMono48k(toWebRtcFrames(f)))),
    speak(flite, SECOND).then((f) => toMono48k(toWebRtcFrames(f))),
  ]);
});
afterAll(() => whisper?.close());

describe('SpeculativeStreamAdapter', () => {
  it('asks the recogniser during the closing silence and uses that transcript at the end of speech', { timeout: 60_000 }, async () => {
    const spied = new Spied(whisper);
    const { events, counts } = await transcribe(new SpeculativeStreamAdapter(spied, vad, { speculateAfterMs: 100 }), [
      ...silence(500),
      ...first,
      ...silence(1000),
    ]);
    expect(events.map((e) => e.type)).toEqual([stt.SpeechEventType.START_OF_SPEECH, stt.SpeechEventType.END_OF_SPEECH, stt.SpeechEventType.FINAL_TRANSCRIPT]);
    expect(wordErrorRate([{ reference: FIRST, hypothesis: events[2]!.text! }])).toBeLessThanOrEqual(0.15);
    // The transcript used is the guess: asked before the VAD declared the end, and not asked again.
    expect(counts.used).toBe(1);
    const guess = spied.calls.at(-1)!;
    expect(guess.at).toBeLessThanOrEqual(events[1]!.at);
    expect(spied.calls).toHaveLength(counts.used + counts.dropped);
  });

  it('drops the guess when the trainee speaks again after a pause, and transcribes the whole utterance', { timeout: 60_000 }, async () => {
    const spied = new Spied(whisper);
    // 300 ms: past the 100 ms guess, well short of the VAD's 600 ms end of speech.
    const { events, counts } = await transcribe(new SpeculativeStreamAdapter(spied, vad, { speculateAfterMs: 100 }), [
      ...silence(500),
      ...first,
      ...silence(300),
      ...second,
      ...silence(1000),
    ]);
    expect(events.filter((e) => e.type === stt.SpeechEventType.END_OF_SPEECH)).toHaveLength(1);
    const final = events.find((e) => e.type === stt.SpeechEventType.FINAL_TRANSCRIPT)!;
    expect(wordErrorRate([{ reference: `${FIRST} ${SECOND}`, hypothesis: final.text! }])).toBeLessThanOrEqual(0.15);
    expect(counts.dropped).toBeGreaterThanOrEqual(1);
    expect(counts.used).toBe(1);
    // The guess that was used covers both sentences: it is the largest request made.
    expect(Math.max(...spied.calls.map((c) => c.samples))).toBe(spied.calls.at(-1)!.samples);
  });

  it('with speculation off asks only at the end of speech, like agents-js’s StreamAdapter', { timeout: 60_000 }, async () => {
    const spied = new Spied(whisper);
    const { events, counts } = await transcribe(new SpeculativeStreamAdapter(spied, vad, { speculateAfterMs: 5_000 }), [
      ...silence(500),
      ...first,
      ...silence(1000),
    ]);
    expect(counts).toEqual({ used: 0, dropped: 0 });
    expect(spied.calls).toHaveLength(1);
    expect(wordErrorRate([{ reference: FIRST, hypothesis: events.at(-1)!.text! }])).toBeLessThanOrEqual(0.15);
  });

  it('can be closed twice without an unhandled rejection, as agents-js\'s FallbackAdapter closes it at a hand-over', { timeout: 60_000 }, async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      const stream = new SpeculativeStreamAdapter(new Spied(whisper), vad, { speculateAfterMs: 5_000 }).stream();
      for (const frame of [...silence(300), ...first]) stream.pushFrame(frame);
      await new Promise((r) => setTimeout(r, 200));
      // The FallbackAdapter closes its current stream when the session closes, and again as its
      // own read loop ends: the second close closed the VAD's output a second time.
      stream.close();
      stream.close();
      await new Promise((r) => setTimeout(r, 200));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });
});
