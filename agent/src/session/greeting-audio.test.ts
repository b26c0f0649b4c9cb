import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initializeLogger, log, tts } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { describe, expect, it, vi } from 'vitest';
import { PiperTTS } from '../providers/tts-piper';
import { fakePiperVoice } from '../testing/fake-piper-voice';
import { GreetingAudioStore, prepareGreetingAudio, voiceIdentity } from './greeting-audio';

const storeDir = () => mkdtempSync(path.join(tmpdir(), 'greeting-audio-'));

/** `count` frames of 10 ms at 22,050 Hz (220 samples, the last one shorter), each sample its index. */
function frames(count: number, sampleRate = 22050): AudioFrame[] {
  const perFrame = Math.round(sampleRate / 100);
  return Array.from({ length: count }, (_, n) => {
    const length = n === count - 1 ? perFrame - 7 : perFrame;
    const data = Int16Array.from({ length }, (_, i) => ((n * perFrame + i) % 30000) - 15000);
    return new AudioFrame(data, sampleRate, 1, length);
  });
}

const samplesOf = (list: AudioFrame[]) => list.flatMap((f) => Array.from(f.data));

const piperVoice = () =>
  PiperTTS.open(fakePiperVoice({ sample_rate: '22050', model_type: 'vits', comment: 'piper', voice: 'en-us', has_espeak: '1' }, { espeakData: true }));

describe('GreetingAudioStore', () => {
  it('gives back the recorded samples of a voice and text, and nothing for another voice or text', async () => {
    const store = new GreetingAudioStore({ dir: storeDir() });
    const recorded = frames(25);
    expect(await store.write('piper:a', 'Hi, I am Dana.', recorded)).toBe(true);

    const back = await store.read('piper:a', 'Hi, I am Dana.');
    expect(back).not.toBeNull();
    expect(back!.every((f) => f.sampleRate === 22050 && f.channels === 1)).toBe(true);
    expect(samplesOf(back!)).toEqual(samplesOf(recorded));
    expect(await store.read('piper:b', 'Hi, I am Dana.')).toBeNull();
    expect(await store.read('piper:a', 'Hi, I am Dan.')).toBeNull();
  });

  it('treats a missing folder as nothing recorded', async () => {
    const store = new GreetingAudioStore({ dir: path.join(storeDir(), 'not', 'yet') });
    expect(await store.read('piper:a', 'Hello.')).toBeNull();
  });

  it('removes a damaged file instead of playing it', async () => {
    const store = new GreetingAudioStore({ dir: storeDir() });
    writeFileSync(store.fileFor('piper:a', 'Hello.'), 'not audio');
    expect(await store.read('piper:a', 'Hello.')).toBeNull();
    expect(readdirSync(store.dir)).toEqual([]);
  });

  it('stores nothing from frames of mixed formats or no samples', async () => {
    const store = new GreetingAudioStore({ dir: storeDir() });
    expect(await store.write('piper:a', 'Hello.', [...frames(2, 22050), ...frames(2, 16000)])).toBe(false);
    expect(await store.write('piper:a', 'Hello.', [])).toBe(false);
    expect(await store.read('piper:a', 'Hello.')).toBeNull();
  });

  it('keeps at most its limit, removing the least recently played first', async () => {
    const store = new GreetingAudioStore({ dir: storeDir(), maxFiles: 2 });
    await store.write('v', 'one', frames(2));
    await store.write('v', 'two', frames(2));
    const longAgo = new Date(Date.now() - 3_600_000);
    utimesSync(store.fileFor('v', 'one'), longAgo, longAgo);
    utimesSync(store.fileFor('v', 'two'), new Date(Date.now() - 7_200_000), new Date(Date.now() - 7_200_000));
    // Playing "two" makes it the most recent: "one" is the one to go.
    expect(await store.read('v', 'two')).not.toBeNull();
    await store.write('v', 'three', frames(2));
    expect(readdirSync(store.dir).filter((n) => n.endsWith('.wav'))).toHaveLength(2);
    expect(await store.read('v', 'one')).toBeNull();
    expect(await store.read('v', 'two')).not.toBeNull();
    expect(await store.read('v', 'three')).not.toBeNull();
  });
});

describe('voiceIdentity', () => {
  it('names a Piper voice by its file, speaker, speed and rate', () => {
    const voice = piperVoice();
    const named = voiceIdentity(voice)!;
    expect(named.id).toContain(`piper:${voice.modelPath}:`);
    expect(named.id).toMatch(/:0:1:22050$/);
    expect(named.speakingAsNamed()).toBe(true);
  });

  it('names a fallback chain by its first voice, while that voice is the one speaking', () => {
    const adapter = new tts.FallbackAdapter({ ttsInstances: [piperVoice(), piperVoice()] });
    const named = voiceIdentity(adapter)!;
    expect(named.id).toMatch(/^fallback@22050\/piper:/);
    expect(named.speakingAsNamed()).toBe(true);
    adapter.status[0]!.available = false;
    expect(named.speakingAsNamed()).toBe(false);
  });

  it('does not name an engine whose voice is configured elsewhere', () => {
    class HostedTTS extends tts.TTS {
      label = 'hosted';
      constructor() {
        super(24000, 1, { streaming: false });
      }
      synthesize(): tts.ChunkedStream {
        throw new Error('not used');
      }
      stream(): tts.SynthesizeStream {
        throw new Error('not used');
      }
    }
    expect(voiceIdentity(new HostedTTS())).toBeNull();
  });
});

describe('prepareGreetingAudio', () => {
  initializeLogger({ pretty: false, level: 'silent' });
  const logger = log();

  it('records a synthesised greeting and offers it to the next session in the same voice', async () => {
    const store = new GreetingAudioStore({ dir: storeDir() });
    const voice = piperVoice();
    const first = await prepareGreetingAudio({ store, tts: voice, text: 'Hi, I am Dana.', logger });
    expect(first.recorded).toBeNull();
    first.record(frames(5));
    await vi.waitFor(() => expect(readdirSync(store.dir).filter((n) => n.endsWith('.wav'))).toHaveLength(1));

    const second = await prepareGreetingAudio({ store, tts: voice, text: 'Hi, I am Dana.', logger });
    expect(samplesOf(second.recorded!)).toEqual(samplesOf(frames(5)));
  });

  it('does not record a greeting spoken by the fallback engine', async () => {
    const store = new GreetingAudioStore({ dir: storeDir() });
    const adapter = new tts.FallbackAdapter({ ttsInstances: [piperVoice(), piperVoice()] });
    const prepared = await prepareGreetingAudio({ store, tts: adapter, text: 'Hello.', logger });
    adapter.status[0]!.available = false;
    prepared.record(frames(3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(readdirSync(store.dir)).toEqual([]);
  });

  it('synthesises every greeting when the store is off', async () => {
    const prepared = await prepareGreetingAudio({ store: null, tts: piperVoice(), text: 'Hello.', logger });
    expect(prepared.recorded).toBeNull();
    expect(() => prepared.record(frames(3))).not.toThrow();
  });
});
