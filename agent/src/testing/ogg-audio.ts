import { execFileSync } from 'node:child_process';
import { getFfmpegPath } from '@livekit/av';

/** The bundled ffmpeg agents-js records with (or one on PATH), for tests that check real audio. */
const ffmpeg = () => getFfmpegPath() ?? 'ffmpeg';

/** Encodes stereo 16-bit PCM to Ogg Opus the way RecorderIO does. */
export function encodeOggOpus(pcm: Buffer, sampleRate: number): Buffer {
  const args = ['-hide_banner', '-loglevel', 'error', '-f', 's16le', '-ar', String(sampleRate), '-ac', '2', '-i', 'pipe:0'];
  return execFileSync(ffmpeg(), [...args, '-c:a', 'libopus', '-f', 'ogg', 'pipe:1'], { input: pcm, maxBuffer: 256 << 20 });
}

/** Decodes an Ogg stream to its two channels at `sampleRate`, samples scaled to [-1, 1]. */
export function decodeOggStereo(ogg: Buffer, sampleRate = 16_000): { left: Float32Array; right: Float32Array; sampleRate: number } {
  const pcm = execFileSync(ffmpeg(), ['-hide_banner', '-loglevel', 'error', '-i', 'pipe:0', '-f', 's16le', '-ac', '2', '-ar', String(sampleRate), 'pipe:1'], {
    input: ogg,
    maxBuffer: 512 << 20,
  });
  const frames = Math.floor(pcm.length / 4);
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    left[i] = pcm.readInt16LE(i * 4) / 32768;
    right[i] = pcm.readInt16LE(i * 4 + 2) / 32768;
  }
  return { left, right, sampleRate };
}

/** Root mean square of `samples` between two times (ms from the start). */
export function rmsBetween(samples: Float32Array, sampleRate: number, fromMs: number, toMs: number): number {
  const from = Math.max(0, Math.floor((fromMs / 1000) * sampleRate));
  const to = Math.min(samples.length, Math.ceil((toMs / 1000) * sampleRate));
  if (to <= from) return 0;
  let sum = 0;
  for (let i = from; i < to; i++) sum += samples[i]! * samples[i]!;
  return Math.sqrt(sum / (to - from));
}
