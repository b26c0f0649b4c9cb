import type { tts } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { resolveModel } from '../../../agent/src/models';
import { FliteTTS } from '../../../agent/src/providers/tts-flite';
import { PiperTTS } from '../../../agent/src/providers/tts-piper';
import { splitSentences } from '../fi-utterances';
import { fmt, ratio, realTimeFactor, summarize } from './stats';
import { type TRow, type TSection, figure, note, section } from './table';

export const PIPER_MODEL_ID = 'piper-en_US-joe-medium';
const PIPER_ONNX = 'en_US-joe-medium.sherpa.onnx';
export const FLITE_VOICE = 'slt';
export const TTS_FIRST_AUDIO_TARGET = { max: 150, text: '≤ 150 ms' };

export type TVoiceEngine = 'flite' | 'piper';

/** One utterance as one voice spoke it: the audio STT will hear, sentence by sentence timings. */
export type TClip = {
  text: string;
  frames: AudioFrame[];
  audioSec: number;
  sentences: { text: string; synthMs: number; firstAudioMs: number; audioSec: number }[];
};

export type TVoiceRun = { engine: TVoiceEngine; label: string; loadMs: number; clips: TClip[]; errors: string[] };

const seconds = (frames: AudioFrame[]) => frames.reduce((t, f) => t + f.samplesPerChannel / f.sampleRate, 0);

async function loadVoice(engine: TVoiceEngine): Promise<{ voice: tts.TTS; label: string }> {
  if (engine === 'flite') {
    const voice = await FliteTTS.create({ voice: FLITE_VOICE });
    return { voice, label: `flite:${FLITE_VOICE} (${voice.sampleRate / 1000} kHz)` };
  }
  const resolved = await resolveModel(PIPER_MODEL_ID);
  if (resolved.status !== 'installed') throw new Error(`${PIPER_MODEL_ID} ${resolved.status} (${resolved.reason}); fix: ${resolved.fix}`);
  const model = resolved.files[PIPER_ONNX];
  const tokens = resolved.files['tokens.txt'];
  if (!model || !tokens) throw new Error(`${PIPER_MODEL_ID} lacks ${PIPER_ONNX} or tokens.txt; fix: npm run models -- pull ${PIPER_MODEL_ID}`);
  const voice = await PiperTTS.create({ model, tokens, fix: `npm run models -- pull ${PIPER_MODEL_ID}` });
  return { voice, label: `piper:joe-medium (${voice.sampleRate / 1000} kHz)` };
}

async function speak(voice: tts.TTS, text: string) {
  const started = performance.now();
  let firstAudioMs = Number.NaN;
  const frames: AudioFrame[] = [];
  for await (const ev of voice.synthesize(text)) {
    if (frames.length === 0) firstAudioMs = performance.now() - started;
    frames.push(ev.frame);
  }
  return { frames, firstAudioMs, synthMs: performance.now() - started };
}

/** Synthesises every utterance, one sentence per call and one call at a time, with one voice. */
export async function runVoice(engine: TVoiceEngine, utterances: readonly string[]): Promise<TVoiceRun> {
  const loadStarted = performance.now();
  const { voice, label } = await loadVoice(engine);
  const loadMs = performance.now() - loadStarted;
  const errors: string[] = [];
  // agents-js reports a failed ChunkedStream as an 'error' event; unheard, it would end the process.
  voice.on('error', (e: { error?: unknown }) => errors.push(String(e.error ?? e)));
  const clips: TClip[] = [];
  for (const text of utterances) {
    const clip: TClip = { text, frames: [], audioSec: 0, sentences: [] };
    for (const sentence of splitSentences(text)) {
      const spoken = await speak(voice, sentence).catch((error: unknown) => {
        errors.push(`${sentence}: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      if (!spoken || spoken.frames.length === 0) continue;
      const audioSec = seconds(spoken.frames);
      clip.sentences.push({ text: sentence, synthMs: spoken.synthMs, firstAudioMs: spoken.firstAudioMs, audioSec });
      clip.frames.push(...spoken.frames);
      clip.audioSec += audioSec;
    }
    if (clip.frames.length > 0) clips.push(clip);
  }
  await voice.close();
  return { engine, label, loadMs, clips, errors };
}

const sentencesOf = (run: TVoiceRun) => run.clips.flatMap((c) => c.sentences);

export function ttsSection(runs: readonly TVoiceRun[], failures: readonly string[], show: boolean): TSection {
  const rows: TRow[] = [];
  const details: string[] = [];
  const rtfs = new Map<TVoiceEngine, number>();
  const firsts = new Map<TVoiceEngine, number>();
  for (const run of runs) {
    const sentences = sentencesOf(run);
    const rtf = summarize(sentences.map((s) => realTimeFactor(s.synthMs, s.audioSec)));
    const first = summarize(sentences.map((s) => s.firstAudioMs));
    rtfs.set(run.engine, rtf.p50);
    firsts.set(run.engine, first.p50);
    rows.push(
      section(`TTS ${run.label} — ${sentences.length} sentences, ${run.clips.reduce((t, c) => t + c.audioSec, 0).toFixed(0)} s of audio`),
      figure('voice load (incl. warm-up)', run.loadMs, fmt.ms),
      figure('real-time factor (synthesis ÷ audio)', rtf, fmt.rtf),
      figure('time to first audio per sentence', first, fmt.ms, TTS_FIRST_AUDIO_TARGET),
    );
    for (const error of run.errors.slice(0, 3)) rows.push(note(`error: ${error}`));
  }
  if (rtfs.has('flite') && rtfs.has('piper')) {
    rows.push(
      section('TTS ratios (same run)'),
      figure('piper ÷ flite real-time factor (p50)', ratio(rtfs.get('piper'), rtfs.get('flite')), fmt.ratio),
      figure('piper ÷ flite first audio (p50)', ratio(firsts.get('piper'), firsts.get('flite')), fmt.ratio),
    );
  }
  details.push(
    'TTS: one synthesize() call per sentence, as the pipeline sends them; both engines are non-streaming, so first audio ≈ the whole sentence rendered.',
  );
  const data = Object.fromEntries(
    runs.map((run) => [
      run.engine,
      {
        label: run.label,
        loadMs: run.loadMs,
        errors: run.errors,
        sentences: sentencesOf(run),
        rtf: summarize(sentencesOf(run).map((s) => realTimeFactor(s.synthMs, s.audioSec))),
        firstAudioMs: summarize(sentencesOf(run).map((s) => s.firstAudioMs)),
      },
    ]),
  );
  return { rows: show ? rows : [], details: show ? details : [], data: show ? { ...data, failures } : {}, ran: show && runs.length > 0 };
}
