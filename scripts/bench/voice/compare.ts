// The headline figures of one series of `npm run bench:voice`, and the same-run comparison of two
// series (pure): the agent with the current environment against a baseline series whose agent was
// started with other settings (`--baseline KEY=VALUE`), figure by figure, as main ÷ baseline.
import type { TPatience } from '@avatar-adam/db/scenario-input';
import { ratio, summarize } from '../engines/stats';
import type { TConversationResult } from './conversation';
import { type TReplyRow, cpuPerMinute, fmt } from './report';

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

/** CPU-seconds per conversation minute over a series; NaN when a conversation lacks the figure. */
export function seriesCpuPerMinute(results: readonly TConversationResult[], pickCpu: (r: TConversationResult) => number | undefined): number {
  const values = results.map(pickCpu);
  return values.every(finite) ? cpuPerMinute(sum(values as number[]), sum(results.map((r) => r.wallMs))) : Number.NaN;
}

/** The headline figures of a series, as the table and the baseline comparison both show them. */
export type TKeyFigures = {
  clientV2vMs: number[];
  agentV2vMs: number[];
  /** The turn decided, after the end of speech: the patience's wait or the transcript, whichever is later. */
  endOfUtteranceDelayMs: number[];
  transcriptionDelayMs: number[];
  llmTtftMs: number[];
  ttsTtfbMs: number[];
  bargeInStopMs: number[];
  /** The pause heard when a false barge-in's sound paused the reply and it resumed. */
  falseBargeInPauseMs: number[];
  agentWorkerCpuPerMin: number;
  sessionJobCpuPerMin: number;
  /** Peak resident memory of the session's job process, and of the worker's shared voice process (NaN without one). */
  jobPeakRssMb: number;
  sharedVoicePeakRssMb: number;
};

/** The largest peak RSS among the processes of a series whose label starts with `label`. */
function peakOf(results: readonly TConversationResult[], label: string): number {
  const peaks = results.flatMap((r) => r.jobProcesses.filter((p) => p.label.startsWith(label)).map((p) => p.peakRssMb)).filter(finite);
  return peaks.length > 0 ? Math.max(...peaks) : Number.NaN;
}

export function keyFigures(results: readonly TConversationResult[]): TKeyFigures {
  const replies = results.flatMap((r) => r.replies);
  const stored = replies.flatMap((r) => (r.stored ? [r.stored] : []));
  const pick = (f: (s: NonNullable<TReplyRow['stored']>) => number | null | undefined) => stored.map(f).filter(finite);
  return {
    clientV2vMs: replies.map((r) => r.clientV2vMs).filter(finite),
    agentV2vMs: pick((s) => s.voiceToVoiceMs),
    endOfUtteranceDelayMs: pick((s) => s.endOfUtteranceDelayMs),
    transcriptionDelayMs: pick((s) => s.transcriptionDelayMs),
    llmTtftMs: pick((s) => s.llmTtftMs),
    ttsTtfbMs: pick((s) => s.ttsTtfbMs),
    bargeInStopMs: results.flatMap((r) => r.bargeIns.map((b) => b.reactionMs)).filter(finite),
    falseBargeInPauseMs: results
      .flatMap((r) => r.falseBargeIns.map((f) => (f.result?.outcome.startsWith('resumed') ? f.result.pauseMs : undefined)))
      .filter(finite),
    agentWorkerCpuPerMin: seriesCpuPerMinute(results, (r) => r.cpu.agentWorker),
    sessionJobCpuPerMin: seriesCpuPerMinute(results, (r) => r.cpu.sessionJob),
    jobPeakRssMb: peakOf(results, 'job process'),
    sharedVoicePeakRssMb: peakOf(results, 'shared voice process'),
  };
}

export type TComparisonRow = { label: string; unit: 'ms' | 'CPU-s/min' | 'MB'; main: number; baseline: number; ratio: number; n: string };

/** p50/p95 of the latency figures and the CPU cost, main beside baseline; `calibrationMs` adds how fast the machine ran each series. */
export function comparisonRows(main: TKeyFigures, baseline: TKeyFigures, calibrationMs?: { main: number; baseline: number }): TComparisonRow[] {
  const rows: TComparisonRow[] = [];
  const distribution = (label: string, pick: (f: TKeyFigures) => number[], stats: readonly ('p50' | 'p95')[]) => {
    const m = summarize(pick(main));
    const b = summarize(pick(baseline));
    for (const stat of stats) rows.push({ label: `${label} ${stat}`, unit: 'ms', main: m[stat], baseline: b[stat], ratio: ratio(m[stat], b[stat]), n: `${m.n} / ${b.n}` });
  };
  const single = (label: string, unit: TComparisonRow['unit'], m: number, b: number) => rows.push({ label, unit, main: m, baseline: b, ratio: ratio(m, b), n: '' });
  distribution('voice-to-voice at the client', (f) => f.clientV2vMs, ['p50', 'p95']);
  distribution('voice-to-voice, agent-reported', (f) => f.agentV2vMs, ['p50', 'p95']);
  distribution('end-of-utterance delay (turn decided)', (f) => f.endOfUtteranceDelayMs, ['p50', 'p95']);
  distribution('transcription delay', (f) => f.transcriptionDelayMs, ['p50', 'p95']);
  distribution('LLM time to first token', (f) => f.llmTtftMs, ['p50']);
  distribution('TTS time to first byte', (f) => f.ttsTtfbMs, ['p50']);
  distribution('barge-in: trainee speech → agent audio stops', (f) => f.bargeInStopMs, ['p50', 'p95']);
  distribution('false barge-in: pause heard before the reply resumed', (f) => f.falseBargeInPauseMs, ['p50']);
  single('CPU per conversation minute, agent worker', 'CPU-s/min', main.agentWorkerCpuPerMin, baseline.agentWorkerCpuPerMin);
  single("  of it: the session's job process tree", 'CPU-s/min', main.sessionJobCpuPerMin, baseline.sessionJobCpuPerMin);
  single('job process peak resident memory', 'MB', main.jobPeakRssMb, baseline.jobPeakRssMb);
  if (finite(main.sharedVoicePeakRssMb) || finite(baseline.sharedVoicePeakRssMb)) {
    single("the worker's shared voice process, peak resident memory", 'MB', main.sharedVoicePeakRssMb, baseline.sharedVoicePeakRssMb);
  }
  // Not the agent: a fixed workload timed around each series, so drift between them shows.
  if (calibrationMs) single('single-core calibration (machine speed, not the agent)', 'ms', calibrationMs.main, calibrationMs.baseline);
  return rows;
}

const HEADER = { label: 'figure', main: 'main', baseline: 'baseline', ratio: 'main ÷ baseline', n: 'n (main / baseline)' };

export function renderComparison(rows: readonly TComparisonRow[]): string {
  const format = (r: TComparisonRow, v: number) =>
    r.unit === 'ms' ? fmt.ms(v) : !Number.isFinite(v) ? '—' : r.unit === 'MB' ? `${Math.round(v)} MB` : `${v.toFixed(2)} CPU-s/min`;
  const cells = rows.map((r) => ({ label: `  ${r.label}`, main: format(r, r.main), baseline: format(r, r.baseline), ratio: fmt.ratio(r.ratio), n: r.n }));
  const keys = ['label', 'main', 'baseline', 'ratio', 'n'] as const;
  const w = Object.fromEntries(keys.map((k) => [k, Math.max(HEADER[k].length, ...cells.map((c) => c[k].length))])) as Record<(typeof keys)[number], number>;
  const line = (c: typeof HEADER) => keys.map((k) => (k === 'label' ? c[k].padEnd(w[k]) : c[k].padStart(w[k]))).join('  ').trimEnd();
  return [line(HEADER), '─'.repeat(sum(keys.map((k) => w[k])) + 2 * (keys.length - 1)), ...cells.map(line)].join('\n');
}

/**
 * The baseline's settings, what the main series ran with for the same variables (from the bench's
 * own environment, which the main agent inherits), and whether they are the same: a comparison of
 * identical settings only measures run-to-run noise. Empty counts as unset, as in the agent's config.
 */
export function describeSettings(baseline: Readonly<Record<string, string>>, env: Readonly<Record<string, string | undefined>>) {
  const keys = Object.keys(baseline);
  const value = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  const show = (k: string, v: string | undefined) => (value(v) === undefined ? `${k} unset (the agent's default)` : `${k}=${v}`);
  return {
    main: keys.map((k) => show(k, env[k])).join(', '),
    baseline: keys.map((k) => show(k, baseline[k])).join(', '),
    identical: keys.every((k) => value(env[k]) === value(baseline[k])),
  };
}

/** What the comparison needs of a series (a `TSeriesResult` fits). */
export type TSeriesSummary = {
  results: readonly TConversationResult[];
  calibrationMs: readonly number[];
  loadAvg: { start: readonly number[]; end: readonly number[] };
};

/** The printed comparison: which settings each series ran with, the table, and how to read it. */
export function comparisonSection(opts: {
  main: TSeriesSummary;
  baseline: TSeriesSummary & { agentEnv: Readonly<Record<string, string>> };
  env: Readonly<Record<string, string | undefined>>;
  turns: number;
  /** `--baseline-patience`: the baseline's role-plays were played with this patience, main's with the seeded one. */
  baselinePatience?: TPatience;
}): { lines: string[]; rows: TComparisonRow[] } {
  const { main, baseline, baselinePatience: p } = opts;
  const envSettings = describeSettings(baseline.agentEnv, opts.env);
  const join = (...parts: string[]) => parts.filter(Boolean).join('; ');
  const settings = p
    ? {
        main: join(envSettings.main, 'the seeded patience'),
        baseline: join(envSettings.baseline, `patience ${p.minEndpointingDelayMs}/${p.maxEndpointingDelayMs} ms`),
        identical: false,
      }
    : envSettings;
  const mean = (values: readonly number[]) => (values.length > 0 ? sum(values) / values.length : Number.NaN);
  const rows = comparisonRows(keyFigures(main.results), keyFigures(baseline.results), { main: mean(main.calibrationMs), baseline: mean(baseline.calibrationMs) });
  const load = (s: TSeriesSummary) => `load ${s.loadAvg.start[0] ?? '?'} → ${s.loadAvg.end[0] ?? '?'}`;
  const n = baseline.results.length;
  return {
    rows,
    lines: [
      `comparison with a baseline series — the same ${n} conversation${n === 1 ? '' : 's'} × ${opts.turns} turns (same clips, same scenarios), ` +
        'each conversation on a stack of its own, one stack at a time, main and baseline alternating (A B B A A B…)',
      `  main:     the agent with the bench's environment: ${settings.main}; ${load(main)}`,
      `  baseline: ${settings.baseline}; ${load(baseline)}`,
      ...(settings.identical ? ["  ! the baseline's settings are the main series' own: the ratios below only show run-to-run noise"] : []),
      '',
      renderComparison(rows),
      '',
      '  · main ÷ baseline: below 1.00× the main series is faster or uses less CPU. A series has a dozen or so replies, so a p95 is close to its slowest reply: read the p50s first',
      '  · single-core calibration: a fixed workload timed before and after each stack (mean shown); away from 1.00× the machine was busier during one series',
    ],
  };
}
