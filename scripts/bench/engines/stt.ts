import { resolveModel } from '../../../agent/src/models';
import { WhisperSTT } from '../../../agent/src/providers/stt-whisper';
import { wordErrorRate } from '../../../agent/src/providers/word-error-rate';
import { fairWordErrorRate } from './fair-wer';
import { fmt, linearFit, ratio, realTimeFactor, summarize } from './stats';
import { type TRow, type TSection, figure, note, section } from './table';
import type { TVoiceRun } from './tts';

export const WHISPER_MODEL_ID = 'whisper-tiny.en-ct2';
const RUNTIME_ID = 'faster-whisper-runtime';
export const STT_TARGETS = {
  rtf: { max: 0.2, text: '≤ 0.2' },
  finalMs: { max: 300, text: '≤ 300 ms' },
  wer: { max: 0.15, text: '≤ 15 %' },
};

export type TRecognition = { voice: string; reference: string; hypothesis: string; audioSec: number; recogniseMs: number; wer: number };

/** The installed model and Python runtime, or an error naming the command that installs them. */
async function whisperPaths(): Promise<{ modelDir: string; python: string }> {
  const [model, runtime] = await Promise.all([resolveModel(WHISPER_MODEL_ID), resolveModel(RUNTIME_ID)]);
  if (model.status !== 'installed') throw new Error(`${WHISPER_MODEL_ID} ${model.status} (${model.reason}); fix: ${model.fix}`);
  if (runtime.status !== 'installed') throw new Error(`${RUNTIME_ID} ${runtime.status} (${runtime.reason}); fix: ${runtime.fix}`);
  const python = runtime.files.python;
  if (!python) throw new Error(`${RUNTIME_ID} has no python; fix: npm run models -- pull ${RUNTIME_ID}`);
  return { modelDir: model.dir, python };
}

/**
 * Transcribes every synthesised utterance, one at a time, with the whole utterance in one
 * `recognize()` call — what the VAD StreamAdapter does once the speaker stops, so the recognise
 * time is the delay from end of speech to the final transcript.
 */
export async function runStt(
  voices: readonly TVoiceRun[],
  windowSeconds: number,
): Promise<{ loadMs: number; windowSeconds: number; results: TRecognition[]; errors: string[] }> {
  const loadStarted = performance.now();
  const whisper = await WhisperSTT.create({ ...(await whisperPaths()), windowSeconds, fix: `npm run models -- pull ${WHISPER_MODEL_ID}` });
  const loadMs = performance.now() - loadStarted;
  const results: TRecognition[] = [];
  const errors: string[] = [];
  try {
    for (const run of voices) {
      for (const clip of run.clips) {
        const started = performance.now();
        try {
          const ev = await whisper.recognize(clip.frames);
          const recogniseMs = performance.now() - started;
          const hypothesis = ev.alternatives?.[0]?.text ?? '';
          results.push({
            voice: run.engine,
            reference: clip.text,
            hypothesis,
            audioSec: clip.audioSec,
            recogniseMs,
            wer: fairWordErrorRate([{ reference: clip.text, hypothesis }]),
          });
        } catch (error) {
          errors.push(`${run.engine} "${clip.text.slice(0, 40)}…": ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
  } finally {
    await whisper.close();
  }
  return { loadMs, windowSeconds, results, errors };
}

function figuresFor(title: string, results: readonly TRecognition[]): { rows: TRow[]; data: Record<string, unknown> } {
  const rtf = summarize(results.map((r) => realTimeFactor(r.recogniseMs, r.audioSec)));
  const finalMs = summarize(results.map((r) => r.recogniseMs));
  const wer = fairWordErrorRate(results);
  const rawWer = wordErrorRate([...results]);
  const audio = results.reduce((t, r) => t + r.audioSec, 0);
  return {
    rows: [
      section(`${title} — ${results.length} utterances, ${audio.toFixed(0)} s of audio`),
      figure('real-time factor (recognise ÷ audio)', rtf, fmt.rtf, STT_TARGETS.rtf),
      figure('final transcript after end of speech', finalMs, fmt.ms, STT_TARGETS.finalMs),
      figure('word error rate (corpus)', wer, fmt.pct, STT_TARGETS.wer),
    ],
    data: { utterances: results.length, audioSec: audio, rtf, recogniseMs: finalMs, wer, werWithoutNumberSpelling: rawWer },
  };
}

type TSttRun = Awaited<ReturnType<typeof runStt>>;

/** `baseline`: the same utterances in Whisper's full 30 s window, run in the same bench. */
export function sttSection(run: TSttRun, voiceLabels: Map<string, string>, baseline?: TSttRun): TSection {
  const rows: TRow[] = [
    section(`STT whisper tiny.en (faster-whisper, CPU), utterances encoded in a ${run.windowSeconds} s window`),
    figure('worker start (model load + warm-up)', run.loadMs, fmt.ms),
  ];
  const data: Record<string, unknown> = { loadMs: run.loadMs, windowSeconds: run.windowSeconds, errors: run.errors, results: run.results };
  const byVoice = new Map<string, TRecognition[]>();
  for (const r of run.results) byVoice.set(r.voice, [...(byVoice.get(r.voice) ?? []), r]);
  for (const [voice, results] of byVoice) {
    const part = figuresFor(`STT on ${voiceLabels.get(voice) ?? voice} speech`, results);
    rows.push(...part.rows);
    data[voice] = part.data;
  }
  if (byVoice.size > 1) {
    const all = figuresFor('STT overall', run.results);
    rows.push(...all.rows);
    data.overall = all.data;
    const [a, b] = [...byVoice.keys()];
    const p50 = (voice: string | undefined) =>
      summarize((byVoice.get(voice ?? '') ?? []).map((r) => realTimeFactor(r.recogniseMs, r.audioSec))).p50;
    rows.push(figure(`RTF on ${b} ÷ on ${a} speech (p50)`, ratio(p50(b), p50(a)), fmt.ratio));
  }
  if (baseline && baseline.results.length > 0) {
    const base = figuresFor(`baseline: the same utterances in the full ${baseline.windowSeconds} s window`, baseline.results);
    rows.push(...base.rows);
    data.baseline = { windowSeconds: baseline.windowSeconds, ...base.data, results: baseline.results };
    const finalMs = (results: readonly TRecognition[]) => summarize(results.map((r) => r.recogniseMs));
    const [main, full] = [finalMs(run.results), finalMs(baseline.results)];
    rows.push(figure(`final transcript, ${run.windowSeconds} s ÷ ${baseline.windowSeconds} s window (p50)`, ratio(main.p50, full.p50), fmt.ratio));
    rows.push(figure(`final transcript, ${run.windowSeconds} s ÷ ${baseline.windowSeconds} s window (p95)`, ratio(main.p95, full.p95), fmt.ratio));
    rows.push(figure('word error rate, short ÷ full window', ratio(fairWordErrorRate(run.results), fairWordErrorRate(baseline.results)), fmt.ratio));
  }
  for (const error of run.errors.slice(0, 3)) rows.push(note(`error: ${error}`));
  const worst = [...run.results].sort((x, y) => y.wer - x.wer).slice(0, 3).filter((r) => r.wer > 0);
  const fit = linearFit(
    run.results.map((r) => r.audioSec),
    run.results.map((r) => r.recogniseMs),
  );
  const details = [
    `STT: recognise time ≈ ${fmt.ms(fit.intercept)} ${fit.slope < 0 ? '−' : '+'} ${fmt.ms(Math.abs(fit.slope))} per second of audio (least squares over ${run.results.length} utterances)` +
      ` — whisper encodes a fixed window (${run.windowSeconds} s for utterances that fit, else 30 s), so short utterances cost nearly as much as long ones.`,
    'STT: WER first spells out digits ("$412" = "four hundred twelve dollars"), expands contractions and matches "pre-paid" to "prepaid"',
    `  on both sides, then applies normalizeWords; with normalizeWords alone the overall WER would be ${fmt.pct(wordErrorRate([...run.results]))}.`,
    ...worst.map((r) => `  worst (${r.voice}, ${fmt.pct(r.wer)}): "${r.reference}" → "${r.hypothesis.trim()}"`),
  ];
  data.recogniseFit = fit;
  return { rows, details, data, ran: run.results.length > 0 };
}
