/**
 * Speech fixtures for the speech-to-text integration tests: F&I sentences spoken by flite, so no
 * audio ships with the repository. Test-only (imported by `*.integration.test.ts`).
 */
import { AudioFrame, AudioResampler } from '@livekit/rtc-node';
import type { FliteTTS } from './tts-flite';

/** What a customer says in an F&I office; numbers are spelled as whisper writes them. */
export const FI_TEST_SENTENCES: readonly string[] = [
  'I would like to know the total price before we talk about monthly payments.',
  'Can you explain what the extended warranty actually covers?',
  'My credit union already offered me a better interest rate.',
  'I do not want the paint protection package.',
  'How long is the loan term on this offer?',
  'Please take the gap insurance off the contract.',
];

/** Flite's rendering of `text`, as the frames its TTS stream yields (16 kHz mono for `slt`). */
export async function speak(flite: FliteTTS, text: string): Promise<AudioFrame[]> {
  const frames: AudioFrame[] = [];
  for await (const ev of flite.synthesize(text)) frames.push(ev.frame);
  return frames;
}

/** What a WebRTC track delivers: 48 kHz stereo, 10 ms frames. */
export function toWebRtcFrames(frames: AudioFrame[]): AudioFrame[] {
  const resampler = new AudioResampler(frames[0]?.sampleRate ?? 16000, 48000, 1);
  const mono = [...frames.flatMap((f) => resampler.push(f)), ...resampler.flush()];
  const samples = new Int16Array(mono.reduce((n, f) => n + f.data.length, 0));
  mono.reduce((at, f) => (samples.set(f.data, at), at + f.data.length), 0);
  const out: AudioFrame[] = [];
  for (let start = 0; start + 480 <= samples.length; start += 480) {
    const stereo = new Int16Array(960);
    for (let i = 0; i < 480; i++) stereo[2 * i] = stereo[2 * i + 1] = samples[start + i] ?? 0;
    out.push(new AudioFrame(stereo, 48000, 2, 480));
  }
  return out;
}

/** The left channel of 48 kHz stereo frames, as 48 kHz mono (what the VAD is fed). */
export function toMono48k(stereo: AudioFrame[]): AudioFrame[] {
  return stereo.map((f) => {
    const data = new Int16Array(f.samplesPerChannel);
    for (let i = 0; i < data.length; i++) data[i] = f.data[f.channels * i] ?? 0;
    return new AudioFrame(data, f.sampleRate, 1, data.length);
  });
}
