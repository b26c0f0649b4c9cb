// Pure logic of `npm run bench:voice`: when the agent's audio stops, what a false barge-in did,
// the latency breakdown of a reply, matching client-side replies with the agent's stored turns,
// and the table. Everything here works on numbers already measured; nothing touches the room.
import { type TSummary, fmt, summarize } from '../engines/stats';
import { type TVerdict, VERDICT_MARK } from '../engines/table';

/** The agent's audio "stops" at its last audible frame when no audible frame follows for this long. */
export const STOP_GAP_MS = 400;
/** A false barge-in counts as handled when the agent kept playing, or resumed within this pause. */
export const RESUME_WITHIN_MS = 2000;
/** How far into a reply the trainee barges in / makes the false barge-in sound (replies only, never the greeting, so past the session's 1.5 s echo-cancel warm-up). */
export const BARGE_IN_AFTER_MS = 1000;
export const FALSE_BARGE_IN_AFTER_MS = 700;
/** The agent decides on a barge-in within this long after the sound ends (VAD window + interruption minimum). */
export const REACTION_WINDOW_MS = 1000;

export type TStateChange = { state: string; at: number };

/**
 * The agent's audio around `from`: was it playing (an audible frame less than `gapMs` before),
 * the last audible frame before it stopped (no audible frame for ≥ `gapMs` after it), and the
 * first audible frame after that stop if sound came back (blips do not count). `frames` are arrival times of
 * audible frames, ascending; `observedUntil` is when recording them ended — a stop needs `gapMs`
 * of observed silence, so audio still playing at the end has no `stoppedAt`.
 */
export type TAudioStop = { wasPlaying: boolean; stoppedAt?: number; resumedAt?: number };

export function findAudioStop(frames: readonly number[], from: number, observedUntil: number, gapMs = STOP_GAP_MS): TAudioStop {
  let i = lowerBound(frames, from);
  const before = i > 0 ? frames[i - 1] : undefined;
  const atStart = frames[i];
  // Playing at `from`: the last frame before it is recent, or a frame arrives right at it (the
  // frame carrying the moment of `from` lands a little after it).
  let last: number | undefined;
  if (before !== undefined && from - before < gapMs) last = before;
  else if (atStart !== undefined && atStart - from < Math.min(gapMs, 30)) last = frames[i++];
  if (last === undefined) return { wasPlaying: false };
  for (; i < frames.length; i++) {
    const t = frames[i]!;
    if (t - last >= gapMs) return { wasPlaying: true, stoppedAt: last, resumedAt: replyStartAfter(frames, last, gapMs) };
    last = t;
  }
  return observedUntil - last >= gapMs ? { wasPlaying: true, stoppedAt: last } : { wasPlaying: true };
}

/**
 * Frames closer than this belong to one run of sound; a run of fewer than SOUND_MIN_FRAMES frames
 * is a blip (a stray frame of an interrupted reply), not the start of speech.
 */
export const RUN_GAP_MS = 50;
export const SOUND_MIN_FRAMES = 4;

type TRun = { start: number; end: number; frames: number };

/** Audible frames grouped into runs (each frame within RUN_GAP_MS of the one before). */
function runsOf(frames: readonly number[], fromIndex = 0): TRun[] {
  const runs: TRun[] = [];
  for (let i = fromIndex; i < frames.length; i++) {
    const t = frames[i]!;
    const run = runs.at(-1);
    if (run && t - run.end <= RUN_GAP_MS) {
      run.end = t;
      run.frames++;
    } else runs.push({ start: t, end: t, frames: 1 });
  }
  return runs;
}

/**
 * The first audible frame after `since` that starts sound (a run of at least SOUND_MIN_FRAMES
 * frames) after ≥ `gapMs` without sound: the start of a new reply — not the tail of one still
 * playing (a reply the trainee failed to interrupt), nor a blip.
 */
export function replyStartAfter(frames: readonly number[], since: number, gapMs = STOP_GAP_MS): number | undefined {
  // Sound that ended long before `since` cannot be within `gapMs` of anything after it.
  let lastSoundEnd = Number.NEGATIVE_INFINITY;
  for (const run of runsOf(frames, lowerBound(frames, since - 10 * gapMs))) {
    const sound = run.frames >= SOUND_MIN_FRAMES;
    if (sound && run.start > since && run.start - lastSoundEnd >= gapMs) return run.start;
    if (sound) lastSoundEnd = run.end;
  }
  return undefined;
}

/** Starts of blips (runs shorter than SOUND_MIN_FRAMES) within (from, to). */
export function blipsBetween(frames: readonly number[], from: number, to: number): number[] {
  return runsOf(frames, lowerBound(frames, from - RUN_GAP_MS))
    .filter((r) => r.start > from && r.start < to && r.frames < SOUND_MIN_FRAMES)
    .map((r) => r.start);
}

/** First index whose value is ≥ `x` (values ascending). */
function lowerBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Barge-in reaction: from the first sample of trainee speech leaving the microphone to the last
 * audible agent frame before its audio stopped. Undefined when the agent was not playing when the
 * trainee started, went quiet before it, or never stopped while observed.
 */
export function bargeInReaction(frames: readonly number[], speechStartAt: number, observedUntil: number): {
  stop: TAudioStop;
  reactionMs?: number;
} {
  const stop = findAudioStop(frames, speechStartAt, observedUntil);
  // A stop at a frame before the speech started was a pause that happened to be the reply's end.
  if (!stop.wasPlaying || stop.stoppedAt === undefined || stop.stoppedAt < speechStartAt) return { stop };
  return { stop, reactionMs: stop.stoppedAt - speechStartAt };
}

export type TFalseBargeInOutcome =
  /** No audio stop of ≥ STOP_GAP_MS in the reaction window: the sound was ignored. */
  | 'kept playing'
  /** Paused, then the same reply went on (no new `thinking` in between or after). */
  | 'resumed'
  /** Paused, resumed, then cut off again for a reply to the sound (its transcript came after the resume). */
  | 'resumed, then replaced'
  /** Paused and a new reply followed without resuming: the sound was taken as a turn. */
  | 'replaced'
  /** Stopped and nothing followed while observed (or the reply happened to end there). */
  | 'stopped'
  /** The agent was not playing when the sound started: nothing to judge. */
  | 'not playing';

export type TFalseBargeInResult = {
  outcome: TFalseBargeInOutcome;
  /** The pause as heard: last audible frame before it → first sound after it. */
  pauseMs?: number;
  /** From the end of the sound to the first sound of the resumed reply. */
  resumedAfterSoundMs?: number;
  /** Kept playing, or resumed with a pause of at most RESUME_WITHIN_MS and was not replaced. */
  ok: boolean;
};

/**
 * What a short non-word sound during a reply did, from the audible frames and the agent's states
 * up to `windowEnd` (before the trainee's next line; default `observedUntil`).
 */
export function classifyFalseBargeIn(opts: {
  frames: readonly number[];
  states: readonly TStateChange[];
  soundStartAt: number;
  soundEndAt: number;
  observedUntil: number;
  windowEnd?: number;
}): TFalseBargeInResult {
  const windowEnd = opts.windowEnd ?? opts.observedUntil;
  const stop = findAudioStop(opts.frames, opts.soundStartAt, opts.observedUntil);
  if (!stop.wasPlaying) return { outcome: 'not playing', ok: false };
  if (stop.stoppedAt === undefined || stop.stoppedAt > opts.soundEndAt + REACTION_WINDOW_MS) return { outcome: 'kept playing', ok: true };
  const { stoppedAt, resumedAt } = stop;
  const thinking = opts.states.find((s) => s.state === 'thinking' && s.at > stoppedAt && s.at < windowEnd);
  if (resumedAt === undefined) return thinking ? { outcome: 'replaced', ok: false } : { outcome: 'stopped', ok: false };
  const pauseMs = resumedAt - stoppedAt;
  if (thinking && thinking.at < resumedAt) return { outcome: 'replaced', pauseMs, ok: false };
  const resumedAfterSoundMs = resumedAt - opts.soundEndAt;
  if (thinking) return { outcome: 'resumed, then replaced', pauseMs, resumedAfterSoundMs, ok: false };
  return { outcome: 'resumed', pauseMs, resumedAfterSoundMs, ok: pauseMs <= RESUME_WITHIN_MS };
}

/** One reply's stage times as the agent stores them in turn_metrics (ms; null when not timed). */
export type TStageTimes = {
  endOfUtteranceDelayMs: number | null;
  transcriptionDelayMs: number | null;
  llmTtftMs: number | null;
  ttsTtfbMs: number | null;
  voiceToVoiceMs: number | null;
};

export type TBreakdown = {
  /** transcription delay + LLM TTFT + TTS TTFB. */
  stagesMs?: number;
  /** Agent-reported voice-to-voice − stagesMs: what the pipeline adds around its measured stages. */
  overheadMs?: number;
  /** Agent-reported voice-to-voice ÷ stagesMs. */
  ratio?: number;
  /** End-of-utterance delay − transcription delay: waiting for the endpointing delay after the transcript. */
  endpointingWaitMs?: number;
  /** Agent-reported voice-to-voice − (end-of-utterance delay + LLM TTFT + TTS TTFB): overhead once the turn is decided. */
  residualMs?: number;
};

const num = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function stageBreakdown(m: TStageTimes): TBreakdown {
  const out: TBreakdown = {};
  const { endOfUtteranceDelayMs: eou, transcriptionDelayMs: stt, llmTtftMs: ttft, ttsTtfbMs: ttfb, voiceToVoiceMs: v2v } = m;
  if (num(stt) && num(ttft) && num(ttfb)) {
    out.stagesMs = stt + ttft + ttfb;
    if (num(v2v)) {
      out.overheadMs = v2v - out.stagesMs;
      if (out.stagesMs > 0) out.ratio = v2v / out.stagesMs;
    }
  }
  if (num(eou) && num(stt)) out.endpointingWaitMs = eou - stt;
  if (num(eou) && num(ttft) && num(ttfb) && num(v2v)) out.residualMs = v2v - (eou + ttft + ttfb);
  return out;
}

/** A reply as the trainee's side saw it: their end of speech and the first audible frame after it. */
export type TClientReply = {
  conversation: number;
  turn: number;
  kind: 'turn' | 'after barge-in';
  endOfSpeechAt: number;
  firstAudibleAt: number;
  /** Set when this reply was the one the trainee barged in on / made a sound during. */
  event?: 'barge-in' | 'false barge-in';
};

/** An agent turn as stored, with its turn_metrics row when it has one. */
export type TStoredReply = TStageTimes & {
  turnId: string;
  startedAt: number;
  interrupted: boolean;
  text: string;
  /** Its end-of-utterance and transcription delays were moved here from the reply it followed (see reattributeUserTimings). */
  userTimingsMoved?: boolean;
};

/**
 * Repairs how the agent's recorder pairs trainee timings with replies after a barge-in. The reply
 * that was cut off is committed after the trainee turn that cut it off, so the recorder gives it
 * that turn's end-of-utterance and transcription delays, and the reply that answers the turn gets
 * none. Moves those two values to the next generated reply when it has none (the reply whose
 * voice-to-voice they belong with), and clears them on the interrupted one, whose own were lost.
 * `stored` is in spoken order.
 */
export function reattributeUserTimings(stored: readonly TStoredReply[]): TStoredReply[] {
  const out = stored.map((s) => ({ ...s }));
  out.forEach((s, i) => {
    if (!s.interrupted || !num(s.llmTtftMs)) return;
    const moved = { endOfUtteranceDelayMs: s.endOfUtteranceDelayMs, transcriptionDelayMs: s.transcriptionDelayMs };
    s.endOfUtteranceDelayMs = null;
    s.transcriptionDelayMs = null;
    const next = out.slice(i + 1).find((n) => num(n.llmTtftMs));
    if (next && !num(next.endOfUtteranceDelayMs) && !num(next.transcriptionDelayMs) && (num(moved.endOfUtteranceDelayMs) || num(moved.transcriptionDelayMs))) {
      Object.assign(next, moved, { userTimingsMoved: true });
    }
  });
  return out;
}

export type TReplyRow = Partial<TClientReply> & {
  clientV2vMs?: number;
  stored?: TStoredReply;
  breakdown: TBreakdown;
};

/** How far apart the client's first audible frame and the agent's "started speaking" may be to be one reply. */
export const MATCH_WINDOW_MS = 2000;

/**
 * Pairs each client-side reply with the stored generated reply (one with an LLM TTFT) whose start
 * is nearest, within MATCH_WINDOW_MS (the agent stamps "started speaking" when it pushes the first
 * frame; the client hears it a little later). Stored replies nobody waited for (an answer to a
 * false barge-in) and client replies with no stored turn are kept as rows of their own.
 */
export function joinReplies(client: readonly TClientReply[], stored: readonly TStoredReply[]): TReplyRow[] {
  const generated = stored.filter((s) => num(s.llmTtftMs));
  const used = new Set<string>();
  const rows: TReplyRow[] = client.map((c) => {
    let best: TStoredReply | undefined;
    for (const s of generated) {
      if (used.has(s.turnId)) continue;
      const d = Math.abs(c.firstAudibleAt - s.startedAt);
      if (d <= MATCH_WINDOW_MS && (!best || d < Math.abs(c.firstAudibleAt - best.startedAt))) best = s;
    }
    if (best) used.add(best.turnId);
    return { ...c, clientV2vMs: c.firstAudibleAt - c.endOfSpeechAt, stored: best, breakdown: best ? stageBreakdown(best) : {} };
  });
  for (const s of generated) if (!used.has(s.turnId)) rows.push({ stored: s, breakdown: stageBreakdown(s) });
  return rows.sort((a, b) => (a.firstAudibleAt ?? a.stored!.startedAt) - (b.firstAudibleAt ?? b.stored!.startedAt));
}

/** CPU-seconds per minute of conversation. */
export function cpuPerMinute(cpuSeconds: number, wallMs: number): number {
  return wallMs > 0 ? cpuSeconds / (wallMs / 60_000) : Number.NaN;
}

// ── table ────────────────────────────────────────────────────────────────────────────────────

/** Upper bounds on p50 and/or p95. */
export type TVoiceTarget = { p50Max?: number; p95Max?: number; text: string };

export const TARGETS = {
  voiceToVoice: { p50Max: 800, p95Max: 1300, text: 'p50 ≤ 800 ms, p95 ≤ 1,300 ms' },
  overhead: { p50Max: 30, text: 'p50 ≤ 30 ms' },
  bargeIn: { p95Max: 250, text: 'p95 ≤ 250 ms' },
} satisfies Record<string, TVoiceTarget>;

/** ✓ when every bound holds; "✗ (p50 ✓)" when only p95 misses; ✗ otherwise. No verdict without data. */
export function judgeTarget(s: { p50: number; p95: number }, t: TVoiceTarget): TVerdict | undefined {
  if (!Number.isFinite(s.p50)) return undefined;
  const p50ok = s.p50 <= (t.p50Max ?? t.p95Max ?? Number.POSITIVE_INFINITY);
  const p95ok = t.p95Max === undefined || s.p95 <= t.p95Max;
  if (p95ok && (t.p50Max === undefined || s.p50 <= t.p50Max)) return 'pass';
  if (!p95ok && p50ok) return 'p95-fail';
  return 'fail';
}

export type TVoiceRow =
  | { kind: 'section'; title: string }
  | { kind: 'note'; text: string }
  | { kind: 'figure'; label: string; p50: string; p95: string; mean: string; n: string; target: string; verdict?: TVerdict; summary?: TSummary };

export const vSection = (title: string): TVoiceRow => ({ kind: 'section', title });
export const vNote = (text: string): TVoiceRow => ({ kind: 'note', text });

/** A distribution row: p50, p95, mean and n of `values` (non-finite ones left out). */
export function metricRow(label: string, values: readonly (number | undefined)[], format: (v: number) => string, target?: TVoiceTarget): TVoiceRow {
  const summary = summarize(values.filter(num));
  return {
    kind: 'figure',
    label,
    p50: format(summary.p50),
    p95: format(summary.p95),
    mean: format(summary.mean),
    n: String(summary.n),
    target: target?.text ?? '',
    verdict: target ? judgeTarget(summary, target) : undefined,
    summary,
  };
}

/** A single-value row (shown under p50). */
export function valueRow(label: string, value: string, extra: { n?: string; target?: string; verdict?: TVerdict } = {}): TVoiceRow {
  return { kind: 'figure', label, p50: value, p95: '', mean: '', n: extra.n ?? '', target: extra.target ?? '', verdict: extra.verdict };
}

const HEADER = { label: 'figure', p50: 'p50 / value', p95: 'p95', mean: 'mean', n: 'n', target: 'target', ok: 'ok' };

export function renderVoiceTable(rows: readonly TVoiceRow[]): string {
  const figures = rows.filter((r): r is Extract<TVoiceRow, { kind: 'figure' }> => r.kind === 'figure');
  const width = (key: 'label' | 'p50' | 'p95' | 'mean' | 'n' | 'target') =>
    Math.max(HEADER[key].length, ...figures.map((r) => (key === 'label' ? `  ${r.label}` : r[key]).length));
  const w = { label: width('label'), p50: width('p50'), p95: width('p95'), mean: width('mean'), n: width('n'), target: width('target') };
  const line = (c: typeof HEADER) =>
    [c.label.padEnd(w.label), c.p50.padStart(w.p50), c.p95.padStart(w.p95), c.mean.padStart(w.mean), c.n.padStart(w.n), c.target.padEnd(w.target), c.ok]
      .join('  ')
      .trimEnd();
  const out = [line(HEADER), '─'.repeat(w.label + w.p50 + w.p95 + w.mean + w.n + w.target + HEADER.ok.length + 12)];
  for (const row of rows) {
    if (row.kind === 'section') out.push(row.title);
    else if (row.kind === 'note') out.push(`  · ${row.text}`);
    else out.push(line({ ...row, label: `  ${row.label}`, ok: row.verdict ? VERDICT_MARK[row.verdict] : '' }));
  }
  return out.join('\n');
}

/** Verdicts over the rows that have one. */
export function voiceTargetSummary(rows: readonly TVoiceRow[]): { met: number; total: number } {
  const judged = rows.filter((r) => r.kind === 'figure' && r.verdict);
  return { met: judged.filter((r) => r.kind === 'figure' && r.verdict === 'pass').length, total: judged.length };
}

export { fmt };
