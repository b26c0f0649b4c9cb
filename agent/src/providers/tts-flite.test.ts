import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { initializeLogger, tts } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { FliteMissingError } from './flite-process';
import { resolveVoice } from './index';
import { FliteTTS, probeFliteVoices, speakableText } from './tts-flite';

const SENTENCE = 'Your payment with the service contract comes to four hundred and twelve dollars a month.';

function rms(frames: AudioFrame[]): number {
  let sum = 0;
  let n = 0;
  for (const f of frames) {
    for (const s of f.data) sum += s * s;
    n += f.data.length;
  }
  return Math.sqrt(sum / Math.max(1, n));
}

const seconds = (frames: AudioFrame[]) => frames.reduce((t, f) => t + f.samplesPerChannel / f.sampleRate, 0);

async function collect(stream: AsyncIterable<{ frame: AudioFrame }>): Promise<AudioFrame[]> {
  const frames: AudioFrame[] = [];
  for await (const ev of stream) frames.push(ev.frame);
  return frames;
}

beforeAll(() => {
  initializeLogger({ pretty: false, level: 'fatal' });
});

describe('FliteTTS (real flite)', () => {
  it('declares the sample rate each voice really renders at', async () => {
    expect((await FliteTTS.create({ voice: 'slt' })).sampleRate).toBe(16000);
    expect((await FliteTTS.create({ voice: 'kal' })).sampleRate).toBe(8000);
  });

  it('speaks a sentence as audible 16-bit mono frames of plausible length', async () => {
    const engine = await FliteTTS.create({ voice: 'slt' });
    const frames = await collect(engine.synthesize(SENTENCE));
    expect(frames.length).toBeGreaterThan(10);
    for (const f of frames) {
      expect(f.data).toBeInstanceOf(Int16Array);
      expect(f.sampleRate).toBe(16000);
      expect(f.channels).toBe(1);
      expect(f.samplesPerChannel).toBeLessThanOrEqual(800); // ≤ 50 ms
    }
    // 15 words at a speaking pace of 2–4 words per second.
    expect(seconds(frames)).toBeGreaterThan(3);
    expect(seconds(frames)).toBeLessThan(8);
    expect(rms(frames)).toBeGreaterThan(500);
  });

  it('streams pushed text sentence by sentence', async () => {
    const engine = await FliteTTS.create({ voice: 'kal16' });
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

  it('produces nothing, and no error, when the utterance is interrupted before it starts', async () => {
    const engine = await FliteTTS.create({ voice: 'slt' });
    const errors: unknown[] = [];
    engine.on('error', (e) => errors.push(e));
    const abort = new AbortController();
    abort.abort();
    expect(await collect(engine.synthesize(SENTENCE, undefined, abort.signal))).toHaveLength(0);
    expect(errors).toEqual([]);
  });

  it('leaves no temporary files behind, also when interrupted mid-synthesis', async () => {
    const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('flite-'));
    const before = leftovers().length;
    const engine = await FliteTTS.create({ voice: 'awb' });
    await collect(engine.synthesize(SENTENCE));
    const abort = new AbortController();
    const stream = engine.synthesize(`${SENTENCE} ${SENTENCE} ${SENTENCE}`, undefined, abort.signal);
    setTimeout(() => abort.abort(), 20);
    await collect(stream);
    expect(leftovers().length).toBe(before);
  });

  it('probes each voice once per process and shares it; probing every installed voice ahead does the same', async () => {
    const first = await FliteTTS.shared('rms');
    expect(await FliteTTS.shared('rms')).toBe(first);
    expect(first.sampleRate).toBe(16000);
    await probeFliteVoices();
    expect(await FliteTTS.shared('rms')).toBe(first);
    expect(await FliteTTS.shared('slt')).not.toBe(first);
  });

  it('names the fix when flite is not installed', async () => {
    await expect(FliteTTS.create({ voice: 'slt', binary: 'flite-not-installed' })).rejects.toThrow(FliteMissingError);
    await expect(FliteTTS.create({ voice: 'slt', binary: 'flite-not-installed' })).rejects.toThrow(/apt-get install flite/);
  });
});

describe('voice choice', () => {
  it('uses the persona voice when flite has it, else the configured default, else slt', () => {
    expect(resolveVoice('RMS')).toBe('rms');
    expect(resolveVoice('warm-baritone', 'awb')).toBe('awb');
    expect(resolveVoice('warm-baritone', 'nova')).toBe('slt');
    expect(resolveVoice('awb_time')).toBe('slt'); // can only say clock times
  });

  it('says "and" for an ampersand', () => {
    expect(speakableText('your F&I coach, tire & wheel')).toBe('your F and I coach, tire and wheel');
  });
});
