import { describe, expect, it } from 'vitest';
import { encodeOggOpus } from '../testing/ogg-audio';
import { oggOpusDurationMs, recordingOptions } from './audio-recording';

/** A stereo tone through the bundled ffmpeg to Ogg Opus, as agents-js's RecorderIO encodes. */
function encodeOpus(seconds: number, inputRate = 48_000): Buffer {
  const samples = Math.round(seconds * inputRate);
  const pcm = Buffer.alloc(samples * 4);
  for (let i = 0; i < samples; i++) {
    const v = Math.round(Math.sin((2 * Math.PI * 440 * i) / inputRate) * 8000);
    pcm.writeInt16LE(v, i * 4);
    pcm.writeInt16LE(v, i * 4 + 2);
  }
  return encodeOggOpus(pcm, inputRate);
}

describe('oggOpusDurationMs', () => {
  it('reads the length of real Ogg Opus streams to within a frame', () => {
    for (const [seconds, rate] of [[2.5, 48_000], [0.4, 48_000], [61.2, 16_000]] as const) {
      const duration = oggOpusDurationMs(encodeOpus(seconds, rate));
      expect(duration, `${seconds} s at ${rate} Hz`).not.toBeNull();
      expect(Math.abs(duration! - seconds * 1000)).toBeLessThan(25);
    }
  });

  it('gives null for what is not Ogg Opus', () => {
    expect(oggOpusDurationMs(Buffer.from('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
    expect(oggOpusDurationMs(Buffer.alloc(0))).toBeNull();
    // An Ogg page without an Opus header (a Vorbis stream, say) has no Opus clock.
    expect(oggOpusDurationMs(Buffer.concat([Buffer.from('OggS'), Buffer.alloc(40)]))).toBeNull();
    // Cut off inside the first page: the header is there but no page carries a position.
    expect(oggOpusDurationMs(encodeOpus(1).subarray(0, 40))).toBeNull();
  });
});

describe('recordingOptions', () => {
  it('records audio only, or nothing', () => {
    expect(recordingOptions(true)).toEqual({ audio: true, traces: false, logs: false, transcript: false });
    expect(recordingOptions(false)).toBe(false);
  });
});
