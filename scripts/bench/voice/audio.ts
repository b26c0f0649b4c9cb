// What the trainee's microphone plays in `npm run bench:voice`: flite sentences trimmed to their
// audible span (so say()'s return is the real end of speech and its start is known), and a short
// non-word sound for the false barge-in.
import { synthesizeWav } from '../../../agent/src/providers/flite-process';
import { parsePcmWav } from '../../../agent/src/providers/wav';
import { SPEECH_RMS, rms } from '../../../test/harness/participant';

export type TClip = { text: string; samples: Int16Array; sampleRate: number; durationMs: number };

/** TestParticipant sends 10 ms frames at 48 kHz, the last one padded: how long `samples` take to leave the mic. */
export function micDurationMs(samples: number, sampleRate: number): number {
  return Math.ceil(Math.floor((samples * 48_000) / sampleRate) / 480) * 10;
}

/** The span from the first to the last 10 ms window louder than `threshold` (RMS); empty when none is. */
export function trimSilence(samples: Int16Array, sampleRate: number, threshold = SPEECH_RMS): Int16Array {
  const win = Math.max(1, Math.round(sampleRate / 100));
  let first = -1;
  let last = -1;
  for (let i = 0; i < samples.length; i += win) {
    if (rms(samples.subarray(i, i + win)) > threshold) {
      if (first < 0) first = i;
      last = Math.min(samples.length, i + win);
    }
  }
  return first < 0 ? samples.subarray(0, 0) : samples.subarray(first, last);
}

function clip(text: string, samples: Int16Array, sampleRate: number): TClip {
  return { text, samples, sampleRate, durationMs: micDurationMs(samples.length, sampleRate) };
}

/** A flite sentence, cut to its audible part. */
export async function fliteClip(text: string, voice = 'rms'): Promise<TClip> {
  const wav = parsePcmWav((await synthesizeWav('flite', { voice, text }))!);
  if (wav.channels !== 1) throw new Error(`flite gave ${wav.channels} channels; expected mono`);
  const samples = trimSilence(wav.samples, wav.sampleRate);
  if (samples.length === 0) throw new Error(`flite produced no audible speech for "${text}"`);
  return clip(text, samples, wav.sampleRate);
}

/** The loudest `ms` of `samples`, with 15 ms fades so the cut makes no click. */
export function loudestWindow(samples: Int16Array, sampleRate: number, ms: number): Int16Array {
  const len = Math.min(samples.length, Math.round((sampleRate * ms) / 1000));
  let energy = 0;
  for (let i = 0; i < len; i++) energy += samples[i]! ** 2;
  let best = energy;
  let bestAt = 0;
  for (let i = len; i < samples.length; i++) {
    energy += samples[i]! ** 2 - samples[i - len]! ** 2;
    if (energy > best) {
      best = energy;
      bestAt = i - len + 1;
    }
  }
  return fade(samples.slice(bestAt, bestAt + len), sampleRate);
}

function fade(out: Int16Array, sampleRate: number): Int16Array {
  const n = Math.min(Math.round(sampleRate * 0.015), out.length >> 1);
  for (let i = 0; i < n; i++) {
    out[i] = Math.round(out[i]! * (i / n));
    out[out.length - 1 - i] = Math.round(out[out.length - 1 - i]! * (i / n));
  }
  return out;
}

/** A backchannel hum: the loudest `ms` of flite saying "Hmm." — voiced, speech-like, no word. */
export async function humClip(ms = 400): Promise<TClip> {
  const hmm = await fliteClip('Hmm.');
  return clip(`"hmm" (${ms} ms)`, loudestWindow(hmm.samples, hmm.sampleRate, ms), hmm.sampleRate);
}

/** A burst of white noise (a chair, a rustle), from a fixed seed. */
export function noiseClip(ms = 350, sampleRate = 16_000, level = 3000): TClip {
  const out = new Int16Array(Math.round((sampleRate * ms) / 1000));
  let x = 0x2545f491;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    // Uniform in [-1, 1) has RMS 1/√3.
    out[i] = Math.round(((x >>> 0) / 2 ** 31 - 1) * level * Math.sqrt(3));
  }
  return clip(`noise burst (${ms} ms)`, fade(out, sampleRate), sampleRate);
}
