import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initializeLogger, tts } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { PiperModelError, PiperTTS } from './tts-piper';

const MODEL_ID = 'piper-en_US-joe-medium';
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SENTENCE = 'Your payment with the service contract comes to four hundred and twelve dollars a month.';

/**
 * The installed voice, or a failure that names the command that installs it. `npm run models`
 * keeps the upstream ONNX and writes `<voice>.sherpa.onnx` (metadata added) and `tokens.txt`.
 */
function piperFiles(): { model: string; tokens: string; original: string } {
  const dir = process.env.AVATAR_ADAM_TEST_PIPER_DIR || join(REPO, '.models', MODEL_ID);
  const files = {
    model: join(dir, 'en_US-joe-medium.sherpa.onnx'),
    tokens: join(dir, 'tokens.txt'),
    original: join(dir, 'en_US-joe-medium.onnx'),
  };
  if (!Object.values(files).every((f) => existsSync(f))) {
    throw new Error(`Piper voice not installed in ${dir}; run: npm run models -- pull ${MODEL_ID}`);
  }
  return files;
}

async function collect(stream: AsyncIterable<{ frame: AudioFrame; final?: boolean }>) {
  const frames: AudioFrame[] = [];
  let finals = 0;
  for await (const ev of stream) {
    frames.push(ev.frame);
    if (ev.final) finals++;
  }
  return { frames, finals };
}

const seconds = (frames: AudioFrame[]) => frames.reduce((t, f) => t + f.samplesPerChannel / f.sampleRate, 0);

function rms(frames: AudioFrame[]): number {
  let sum = 0;
  let n = 0;
  for (const f of frames) {
    for (const s of f.data) sum += s * s;
    n += f.data.length;
  }
  return Math.sqrt(sum / Math.max(1, n));
}

let engine: PiperTTS;

beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'fatal' });
  const { model, tokens } = piperFiles();
  engine = await PiperTTS.create({ model, tokens, fix: `npm run models -- pull ${MODEL_ID}` });
});

describe('PiperTTS (real sherpa-onnx + Piper joe-medium)', () => {
  it('declares the voice rate and speaks a sentence as audible 50 ms mono frames', async () => {
    expect(engine.sampleRate).toBe(22050);
    const { frames, finals } = await collect(engine.synthesize(SENTENCE));
    for (const f of frames) {
      expect(f.sampleRate).toBe(22050);
      expect(f.channels).toBe(1);
      expect(f.samplesPerChannel).toBeLessThanOrEqual(1103);
    }
    // 15 words at a speaking pace of 2–4 words per second.
    expect(seconds(frames)).toBeGreaterThan(3);
    expect(seconds(frames)).toBeLessThan(8);
    expect(rms(frames)).toBeGreaterThan(500);
    expect(finals).toBe(1);
  });

  it('rejects the upstream ONNX (no sherpa metadata) with an error instead of exiting the process', async () => {
    const { original, tokens } = piperFiles();
    await expect(PiperTTS.create({ model: original, tokens })).rejects.toBeInstanceOf(PiperModelError);
  });

  it('streams pushed text sentence by sentence', async () => {
    const stream = engine.stream();
    stream.pushText('Hi, I am Dana. ');
    stream.pushText('I want to see the numbers first.');
    stream.endInput();
    const frames: AudioFrame[] = [];
    for await (const ev of stream) {
      if (ev === tts.SynthesizeStream.END_OF_STREAM) break;
      frames.push(ev.frame);
    }
    expect(seconds(frames)).toBeGreaterThan(1.5);
    expect(rms(frames)).toBeGreaterThan(500);
  });

  it('produces nothing, and no error, when interrupted before it starts', async () => {
    const errors: unknown[] = [];
    engine.on('error', (e) => errors.push(e));
    const abort = new AbortController();
    abort.abort();
    expect((await collect(engine.synthesize(SENTENCE, undefined, abort.signal))).frames).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it('stops promptly when aborted mid-utterance', async () => {
    const long = Array.from({ length: 6 }, () => SENTENCE).join(' ');
    const controller = new AbortController();
    const started = performance.now();
    const stream = engine.synthesize(long, undefined, controller.signal);
    const frames: AudioFrame[] = [];
    let abortedAt = 0;
    for await (const ev of stream) {
      frames.push(ev.frame);
      if (!abortedAt) {
        abortedAt = performance.now();
        controller.abort();
      }
    }
    const ended = performance.now();
    // The full text is ~30 s of audio; we keep at most the sentence already rendered.
    expect(seconds(frames)).toBeLessThan(8);
    expect(ended - abortedAt).toBeLessThan(1000);
    expect(abortedAt - started).toBeLessThan(3000);
  });
});
