import { AudioFrame } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { WhisperModelError, WhisperSTT, toWhisperPcm } from './stt-whisper';

/** 10 ms frames of a sine tone, interleaved over `channels`. */
function tone(hz: number, sampleRate: number, seconds: number, channels: number): AudioFrame[] {
  const perFrame = sampleRate / 100;
  const frames: AudioFrame[] = [];
  for (let start = 0; start < sampleRate * seconds; start += perFrame) {
    const data = new Int16Array(perFrame * channels);
    for (let i = 0; i < perFrame; i++) {
      const v = Math.round(10000 * Math.sin((2 * Math.PI * hz * (start + i)) / sampleRate));
      for (let c = 0; c < channels; c++) data[i * channels + c] = v;
    }
    frames.push(new AudioFrame(data, sampleRate, channels, perFrame));
  }
  return frames;
}

/** Estimates the pitch of a clean tone from its upward zero crossings. */
function pitch(pcm: Int16Array, sampleRate: number): number {
  let crossings = 0;
  for (let i = 1; i < pcm.length; i++) if ((pcm[i - 1] ?? 0) < 0 && (pcm[i] ?? 0) >= 0) crossings++;
  return crossings / (pcm.length / sampleRate);
}

describe('toWhisperPcm', () => {
  it('resamples 48 kHz stereo to 16 kHz mono keeping duration and pitch', () => {
    const pcm = toWhisperPcm(tone(440, 48000, 1, 2));
    expect(Math.abs(pcm.length - 16000)).toBeLessThan(160);
    expect(pitch(pcm, 16000)).toBeGreaterThan(430);
    expect(pitch(pcm, 16000)).toBeLessThan(450);
  });

  it('passes 16 kHz mono through unchanged', () => {
    const frames = tone(300, 16000, 0.5, 1);
    const pcm = toWhisperPcm(frames);
    expect(pcm.length).toBe(8000);
    expect(pcm.subarray(0, 160)).toEqual(frames[0]?.data);
  });

  it('handles utterances whose frames change rate midway', () => {
    const pcm = toWhisperPcm([...tone(440, 48000, 0.5, 1), ...tone(440, 24000, 0.5, 1)]);
    expect(Math.abs(pcm.length - 16000)).toBeLessThan(320);
    expect(pitch(pcm, 16000)).toBeGreaterThan(425);
    expect(pitch(pcm, 16000)).toBeLessThan(455);
  });
});

describe('WhisperSTT.create', () => {
  it('names the missing model file and the fix instead of starting a worker', async () => {
    const creating = WhisperSTT.create({
      modelDir: '/nonexistent/whisper-tiny.en-ct2',
      python: '/usr/bin/python3',
      fix: 'npm run models -- pull whisper-tiny.en-ct2',
    });
    await expect(creating).rejects.toBeInstanceOf(WhisperModelError);
    await expect(creating).rejects.toThrow(/model\.bin.*npm run models -- pull whisper-tiny\.en-ct2/);
  });
});
