import { describe, expect, it } from 'vitest';
import { comparisonRows, comparisonSection, describeSettings, keyFigures, renderComparison } from './voice/compare';
import type { TConversationResult } from './voice/conversation';
import { interleavedOrder, mergeSeries } from './voice/interleave';
import type { TReplyRow } from './voice/report';
import { summaryRows } from './voice/summary';

/** A reply heard at the client after `clientMs`, stored by the agent with these stage times. */
const reply = (clientMs: number | undefined, stt: number | null, ttft: number, ttfb: number, v2v: number): TReplyRow => ({
  clientV2vMs: clientMs,
  stored: {
    turnId: `t${clientMs}`,
    startedAt: 0,
    interrupted: false,
    text: '',
    endOfUtteranceDelayMs: stt,
    transcriptionDelayMs: stt,
    llmTtftMs: ttft,
    ttsTtfbMs: ttfb,
    voiceToVoiceMs: v2v,
  },
  breakdown: {},
});

const conversation = (
  replies: TReplyRow[],
  opts: { reactionMs?: number; falsePauseMs?: number; agentCpu: number; jobCpu?: number; wallMs: number },
): TConversationResult => ({
  index: 0,
  sessionId: 's',
  scenario: { id: 'x', title: 'Payment objection', minEndpointingDelayMs: 0 },
  wallMs: opts.wallMs,
  cpu: { agentWorker: opts.agentCpu, sessionJob: opts.jobCpu, benchClient: 1 },
  jobProcesses: [],
  replies,
  bargeIns: [{ conversation: 1, turn: 1, speechStartAt: 0, speechEndAt: 1000, reactionMs: opts.reactionMs }],
  falseBargeIns:
    opts.falsePauseMs === undefined
      ? []
      : [
          { conversation: 1, turn: 2, soundStartAt: 0, soundEndAt: 400, result: { outcome: 'resumed', pauseMs: opts.falsePauseMs, ok: true } },
          { conversation: 1, turn: 3, soundStartAt: 0, soundEndAt: 400, result: { outcome: 'stopped', ok: false } },
        ],
  notes: [],
  frames: [],
  states: [],
  sessionStatus: 'ended',
});

// Main: speculation on, transcription ~200 ms shorter. Baseline: the same conversations without it.
const main = [
  conversation([reply(1000, 400, 200, 150, 800), reply(1200, 450, 210, 160, 900), reply(undefined, null, 220, 170, 950)], {
    reactionMs: 330,
    falsePauseMs: 450,
    agentCpu: 40,
    jobCpu: 30,
    wallMs: 120_000,
  }),
];
const baseline = [
  conversation([reply(1250, 600, 200, 150, 1000), reply(1500, 650, 200, 150, 1100), reply(undefined, null, 200, 150, 1200)], {
    reactionMs: 330,
    falsePauseMs: 1500,
    agentCpu: 36,
    jobCpu: 26,
    wallMs: 120_000,
  }),
];

describe('keyFigures', () => {
  it("collects the series' figures and the table shows the same numbers", () => {
    const f = keyFigures(main);
    expect(f.clientV2vMs).toEqual([1000, 1200]);
    expect(f.transcriptionDelayMs).toEqual([400, 450]);
    expect(f.agentV2vMs).toEqual([800, 900, 950]);
    expect(f.bargeInStopMs).toEqual([330]);
    // Only a sound after which the reply resumed has a pause to show.
    expect(f.falseBargeInPauseMs).toEqual([450]);
    expect(f.agentWorkerCpuPerMin).toBe(20);
    expect(f.sessionJobCpuPerMin).toBe(15);
    const text = summaryRows(main).map((r) => (r.kind === 'figure' ? `${r.label}|${r.p50}` : '')).join('\n');
    expect(text).toContain('transcription delay|400 ms');
    expect(text).toContain('agent worker process group (supervisor + job processes)|20.00 CPU-s/min');
  });

  it('has no CPU figure when a conversation lacks it', () => {
    const withoutJob = [...main, conversation([], { agentCpu: 10, wallMs: 60_000 })];
    expect(keyFigures(withoutJob).sessionJobCpuPerMin).toBeNaN();
    expect(keyFigures(withoutJob).agentWorkerCpuPerMin).toBe(50 / 3);
  });
});

describe('comparisonRows', () => {
  const rows = comparisonRows(keyFigures(main), keyFigures(baseline), { main: 110, baseline: 100 });
  const row = (label: string) => rows.find((r) => r.label === label)!;

  it('puts main beside baseline with main ÷ baseline, p50 and p95 of the same distributions', () => {
    expect(row('voice-to-voice at the client p50')).toMatchObject({ main: 1000, baseline: 1250, ratio: 0.8, n: '2 / 2' });
    expect(row('voice-to-voice at the client p95')).toMatchObject({ main: 1200, baseline: 1500, ratio: 0.8 });
    expect(row('transcription delay p95')).toMatchObject({ main: 450, baseline: 650 });
    expect(row('end-of-utterance delay (turn decided) p95')).toMatchObject({ main: 450, baseline: 650 });
    expect(row('voice-to-voice, agent-reported p50')).toMatchObject({ main: 900, baseline: 1100, n: '3 / 3' });
    expect(row('barge-in: trainee speech → agent audio stops p50').ratio).toBe(1);
    expect(row('barge-in: trainee speech → agent audio stops p95')).toMatchObject({ main: 330, baseline: 330 });
    expect(row('false barge-in: pause heard before the reply resumed p50')).toMatchObject({ main: 450, baseline: 1500, ratio: 0.3, n: '1 / 1' });
    expect(row('CPU per conversation minute, agent worker')).toMatchObject({ unit: 'CPU-s/min', main: 20, baseline: 18 });
    expect(row('single-core calibration (machine speed, not the agent)').ratio).toBeCloseTo(1.1);
    expect(rows.map((r) => r.label)).toContain('LLM time to first token p50');
    expect(rows.map((r) => r.label)).not.toContain('LLM time to first token p95');
  });

  it('has no ratio where a series has no data', () => {
    const empty = comparisonRows(keyFigures(main), keyFigures([]));
    expect(empty.find((r) => r.label === 'voice-to-voice at the client p50')).toMatchObject({ main: 1000, n: '2 / 0' });
    expect(empty.find((r) => r.label === 'voice-to-voice at the client p50')!.ratio).toBeNaN();
    expect(renderComparison(empty)).toMatch(/voice-to-voice at the client p50\s+1,000 ms\s+—\s+—\s+2 \/ 0/);
  });

  it('renders aligned columns with the ratio as 0.80×', () => {
    const text = renderComparison(rows);
    expect(text.split('\n')[0]).toMatch(/^figure\s+main\s+baseline\s+main ÷ baseline\s+n \(main \/ baseline\)$/);
    expect(text).toMatch(/voice-to-voice at the client p50\s+1,000 ms\s+1,250 ms\s+0\.80×\s+2 \/ 2/);
    expect(text).toMatch(/agent worker\s+20\.00 CPU-s\/min\s+18\.00 CPU-s\/min\s+1\.11×/);
  });
});

describe('describeSettings and the section', () => {
  it('shows what the main series ran with for the baseline variables, unset or empty as the default', () => {
    expect(describeSettings({ AGENT_STT_SPECULATE_MS: '0' }, {})).toEqual({
      main: "AGENT_STT_SPECULATE_MS unset (the agent's default)",
      baseline: 'AGENT_STT_SPECULATE_MS=0',
      identical: false,
    });
    expect(describeSettings({ A: '1', B: '' }, { A: '1', B: undefined })).toMatchObject({ main: "A=1, B unset (the agent's default)", identical: true });
  });

  it('warns when the baseline runs with the main series’ own settings', () => {
    const series = (results: TConversationResult[]) => ({ results, calibrationMs: [100, 120, 110], loadAvg: { start: [0.4], end: [1.6] } });
    const section = (env: Record<string, string>) =>
      comparisonSection({ main: series(main), baseline: { ...series(baseline), agentEnv: { AGENT_STT_SPECULATE_MS: '0' } }, env, turns: 3 });
    const different = section({}).lines.join('\n');
    expect(different).toContain('the same 1 conversation × 3 turns');
    expect(different).toContain("main:     the agent with the bench's environment: AGENT_STT_SPECULATE_MS unset (the agent's default); load 0.4 → 1.6");
    expect(different).not.toContain('run-to-run noise');
    expect(section({ AGENT_STT_SPECULATE_MS: '0' }).lines.join('\n')).toContain('only show run-to-run noise');
    expect(section({}).rows.find((r) => r.label.startsWith('single-core'))).toMatchObject({ main: 110, baseline: 110 });
  });

  it('names the baseline patience, which makes the series differ even with the same variables', () => {
    const series = (results: TConversationResult[]) => ({ results, calibrationMs: [100], loadAvg: { start: [0.4], end: [1.6] } });
    const lines = comparisonSection({
      main: series(main),
      baseline: { ...series(baseline), agentEnv: {} },
      env: {},
      turns: 3,
      baselinePatience: { minEndpointingDelayMs: 500, maxEndpointingDelayMs: 6000 },
    }).lines.join('\n');
    expect(lines).toContain("main:     the agent with the bench's environment: the seeded patience; load 0.4 → 1.6");
    expect(lines).toContain('baseline: patience 500/6000 ms; load');
    expect(lines).not.toContain('run-to-run noise');
  });
});

describe('interleaving main and baseline', () => {
  it('alternates A B B A… so that neither series always runs second', () => {
    expect(interleavedOrder(3).map((s) => `${s.series === 'main' ? 'A' : 'B'}${s.index + 1}`)).toEqual(['A1', 'B1', 'B2', 'A2', 'A3', 'B3']);
    expect(interleavedOrder(1)).toHaveLength(2);
  });

  it('merges the parts of a series in the order they ran, keeping the first failure', () => {
    const part = (results: TConversationResult[], calibration: number[], load: [number, number], failure?: string) => ({
      name: 'baseline' as const,
      agentEnv: { AGENT_STT_SPECULATE_MS: '0' },
      stackStarted: true,
      results,
      failure,
      calibrationMs: calibration,
      loadAvg: { start: [load[0]], end: [load[1]] },
    });
    const merged = mergeSeries([part(main, [27, 28], [0.5, 0.7]), part(baseline, [29, 30], [0.7, 0.9], 'timed out'), part([], [31, 31], [0.9, 1])]);
    expect(merged).toMatchObject({ name: 'baseline', stackStarted: true, failure: 'timed out', calibrationMs: [27, 28, 29, 30, 31, 31] });
    expect(merged!.results).toEqual([...main, ...baseline]);
    expect(merged!.loadAvg).toEqual({ start: [0.5], end: [1] });
    expect(mergeSeries([])).toBeUndefined();
  });
});
