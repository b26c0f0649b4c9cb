import { describe, expect, it } from 'vitest';
import { parseVoiceArgs } from './voice/args';
import { groupTicks, parseProcStat, processLabel, treePids, treeTicksDelta } from './voice/procs';
import {
  type TStoredReply,
  bargeInReaction,
  blipsBetween,
  classifyFalseBargeIn,
  cpuPerMinute,
  findAudioStop,
  joinReplies,
  judgeTarget,
  reattributeUserTimings,
  metricRow,
  renderVoiceTable,
  replyStartAfter,
  stageBreakdown,
  TARGETS,
  vSection,
  valueRow,
  voiceTargetSummary,
} from './voice/report';
import { fmt } from './engines/stats';

/** Audible frames every 10 ms over [from, to). */
const run = (from: number, to: number) => Array.from({ length: Math.ceil((to - from) / 10) }, (_, i) => from + i * 10);

describe('findAudioStop', () => {
  it('finds the last audible frame before ≥ 400 ms without one, and when audio came back', () => {
    const frames = [...run(1000, 2000), ...run(2300, 3000), ...run(4000, 4500)];
    // The 300 ms gap at 2000 is a pause between words, not a stop.
    expect(findAudioStop(frames, 1500, 10_000)).toEqual({ wasPlaying: true, stoppedAt: 2990, resumedAt: 4000 });
  });

  it('needs 400 ms of observed quiet at the end of the recording', () => {
    const frames = run(1000, 2000);
    expect(findAudioStop(frames, 1500, 2200)).toEqual({ wasPlaying: true });
    expect(findAudioStop(frames, 1500, 2390)).toEqual({ wasPlaying: true, stoppedAt: 1990 });
  });

  it('reports not playing when the agent was quiet at that moment', () => {
    expect(findAudioStop(run(1000, 2000), 2500, 5000)).toEqual({ wasPlaying: false });
    expect(findAudioStop([], 2500, 5000)).toEqual({ wasPlaying: false });
    expect(findAudioStop(run(3000, 3500), 2500, 5000)).toEqual({ wasPlaying: false });
  });

  it('counts a frame landing right at the moment as playing', () => {
    expect(findAudioStop(run(2505, 3000), 2500, 5000)).toMatchObject({ wasPlaying: true, stoppedAt: 2995 });
  });
});

describe('bargeInReaction', () => {
  it('is the time from the first trainee sample to the last audible agent frame', () => {
    const frames = [...run(0, 1820), ...run(5000, 6000)];
    expect(bargeInReaction(frames, 1400, 8000).reactionMs).toBe(1810 - 1400);
  });

  it('is undefined when the agent went quiet before the trainee started, or never stopped', () => {
    // Last frame at 990, trainee starts at 1200 (within 400 ms, so "playing"), but the stop precedes it.
    expect(bargeInReaction(run(0, 1000), 1200, 5000).reactionMs).toBeUndefined();
    expect(bargeInReaction(run(0, 5000), 1200, 5000).reactionMs).toBeUndefined();
    expect(bargeInReaction(run(0, 1000), 3000, 5000).reactionMs).toBeUndefined();
  });
});

describe('replyStartAfter', () => {
  it('takes the first frame after the given time that follows ≥ 400 ms of quiet', () => {
    const frames = [...run(0, 1000), ...run(2000, 3000)];
    expect(replyStartAfter(frames, 1200)).toBe(2000);
    // Still playing the old reply at 500: its tail is skipped.
    expect(replyStartAfter(frames, 500)).toBe(2000);
    expect(replyStartAfter(frames, 3500)).toBeUndefined();
    expect(replyStartAfter(run(100, 200), 0)).toBe(100);
  });

  it('skips a blip: a stray frame or three is not the start of a reply', () => {
    const frames = [...run(0, 1000), 2500, 2510, ...run(3000, 4000)];
    expect(replyStartAfter(frames, 1200)).toBe(3000);
    expect(blipsBetween(frames, 990, 3000)).toEqual([2500]);
    expect(blipsBetween(frames, 0, 5000)).toEqual([2500]);
  });
});

describe('classifyFalseBargeIn', () => {
  const sound = { soundStartAt: 2000, soundEndAt: 2400, observedUntil: 10_000 };

  it('kept playing when no stop falls in the reaction window', () => {
    expect(classifyFalseBargeIn({ frames: run(1000, 6000), states: [], ...sound })).toEqual({ outcome: 'kept playing', ok: true });
  });

  it('resumed when the same reply goes on after a pause, ok within 2 s', () => {
    const frames = [...run(1000, 2700), ...run(4200, 6000)];
    const states = [
      { state: 'listening', at: 2650 },
      { state: 'speaking', at: 4150 },
    ];
    expect(classifyFalseBargeIn({ frames, states, ...sound })).toEqual({ outcome: 'resumed', pauseMs: 4200 - 2690, resumedAfterSoundMs: 1800, ok: true });
    const late = [...run(1000, 2700), ...run(5000, 6000)];
    expect(classifyFalseBargeIn({ frames: late, states, ...sound })).toMatchObject({ outcome: 'resumed', ok: false });
  });

  it('replaced when the agent thought again in the pause; stopped when nothing followed', () => {
    const frames = [...run(1000, 2700), ...run(5000, 6000)];
    expect(classifyFalseBargeIn({ frames, states: [{ state: 'thinking', at: 3500 }], ...sound })).toMatchObject({ outcome: 'replaced', ok: false });
    expect(classifyFalseBargeIn({ frames: run(1000, 2700), states: [], ...sound })).toEqual({ outcome: 'stopped', ok: false });
    expect(classifyFalseBargeIn({ frames: run(0, 1000), states: [], ...sound })).toEqual({ outcome: 'not playing', ok: false });
  });

  it("resumed, then replaced when the sound's late transcript cuts the resumed reply (within the window only)", () => {
    const frames = [...run(1000, 2700), ...run(4200, 5000), ...run(5800, 7000)];
    const states = [
      { state: 'listening', at: 2650 },
      { state: 'speaking', at: 4150 },
      { state: 'listening', at: 4990 },
      { state: 'thinking', at: 5000 },
    ];
    expect(classifyFalseBargeIn({ frames, states, ...sound })).toEqual({
      outcome: 'resumed, then replaced',
      pauseMs: 4200 - 2690,
      resumedAfterSoundMs: 1800,
      ok: false,
    });
    // A thinking state after the window (the trainee's next line) does not count.
    expect(classifyFalseBargeIn({ frames, states, ...sound, windowEnd: 4900 })).toMatchObject({ outcome: 'resumed', ok: true });
  });
});

describe('stageBreakdown', () => {
  it('computes overhead, ratio, endpointing wait and the residual after the turn decision', () => {
    const b = stageBreakdown({ endOfUtteranceDelayMs: 520, transcriptionDelayMs: 300, llmTtftMs: 400, ttsTtfbMs: 200, voiceToVoiceMs: 1150 });
    expect(b).toEqual({ stagesMs: 900, overheadMs: 250, ratio: 1150 / 900, endpointingWaitMs: 220, residualMs: 30 });
  });

  it('leaves out what cannot be computed', () => {
    expect(stageBreakdown({ endOfUtteranceDelayMs: null, transcriptionDelayMs: null, llmTtftMs: null, ttsTtfbMs: 150, voiceToVoiceMs: null })).toEqual({});
    expect(stageBreakdown({ endOfUtteranceDelayMs: null, transcriptionDelayMs: 100, llmTtftMs: 300, ttsTtfbMs: 100, voiceToVoiceMs: null })).toEqual({ stagesMs: 500 });
  });
});

describe('joinReplies', () => {
  const stored = (turnId: string, startedAt: number, llmTtftMs: number | null = 300): TStoredReply => ({
    turnId,
    startedAt,
    interrupted: false,
    text: turnId,
    endOfUtteranceDelayMs: 500,
    transcriptionDelayMs: 200,
    llmTtftMs,
    ttsTtfbMs: 100,
    voiceToVoiceMs: 900,
  });

  it('pairs each client reply with the nearest generated reply and keeps the rest', () => {
    const client = [
      { conversation: 1, turn: 1, kind: 'turn' as const, endOfSpeechAt: 10_000, firstAudibleAt: 11_000 },
      { conversation: 1, turn: 2, kind: 'turn' as const, endOfSpeechAt: 20_000, firstAudibleAt: 21_100 },
    ];
    // The greeting (no TTFT) is not a reply; r3 answered something nobody waited for.
    const rows = joinReplies(client, [stored('greeting', 1000, null), stored('r1', 10_950), stored('r2', 21_000), stored('r3', 30_000)]);
    expect(rows.map((r) => [r.turn, r.stored?.turnId, r.clientV2vMs])).toEqual([
      [1, 'r1', 1000],
      [2, 'r2', 1100],
      [undefined, 'r3', undefined],
    ]);
    expect(rows[0]!.breakdown.overheadMs).toBe(300);
  });

  it('leaves a client reply unmatched when no stored reply started near it', () => {
    const rows = joinReplies([{ conversation: 1, turn: 1, kind: 'turn', endOfSpeechAt: 0, firstAudibleAt: 5000 }], [stored('far', 9000)]);
    expect(rows[0]!.stored).toBeUndefined();
    expect(rows).toHaveLength(2);
  });
});

describe('reattributeUserTimings', () => {
  const reply = (turnId: string, interrupted: boolean, eou: number | null, stt: number | null, ttft: number | null = 300): TStoredReply => ({
    turnId,
    startedAt: 0,
    interrupted,
    text: turnId,
    endOfUtteranceDelayMs: eou,
    transcriptionDelayMs: stt,
    llmTtftMs: ttft,
    ttsTtfbMs: 100,
    voiceToVoiceMs: 1200,
  });

  it("moves the barge-in turn's timings from the reply it cut off to the reply that answered it", () => {
    const out = reattributeUserTimings([reply('greeting', false, null, null, null), reply('cut', true, 726, 725), reply('answer', false, null, null), reply('next', false, 700, 690)]);
    expect(out.map((r) => [r.turnId, r.endOfUtteranceDelayMs, r.transcriptionDelayMs, r.userTimingsMoved ?? false])).toEqual([
      ['greeting', null, null, false],
      ['cut', null, null, false],
      ['answer', 726, 725, true],
      ['next', 700, 690, false],
    ]);
  });

  it('only clears them when the next reply has timings of its own, and leaves the input alone', () => {
    const input = [reply('cut', true, 726, 725), reply('answer', false, 500, 480)];
    expect(reattributeUserTimings(input).map((r) => r.endOfUtteranceDelayMs)).toEqual([null, 500]);
    expect(input[0]!.endOfUtteranceDelayMs).toBe(726);
  });
});

describe('targets and the table', () => {
  it('judges p50 and p95 bounds', () => {
    expect(judgeTarget({ p50: 700, p95: 1200 }, TARGETS.voiceToVoice)).toBe('pass');
    expect(judgeTarget({ p50: 700, p95: 1400 }, TARGETS.voiceToVoice)).toBe('p95-fail');
    expect(judgeTarget({ p50: 900, p95: 1200 }, TARGETS.voiceToVoice)).toBe('fail');
    expect(judgeTarget({ p50: 25, p95: 400 }, TARGETS.overhead)).toBe('pass');
    expect(judgeTarget({ p50: 200, p95: 300 }, TARGETS.bargeIn)).toBe('p95-fail');
    expect(judgeTarget({ p50: Number.NaN, p95: Number.NaN }, TARGETS.bargeIn)).toBeUndefined();
  });

  it('shows p50, p95, mean and n per metric, with the verdict', () => {
    const rows = [
      vSection('Voice-to-voice'),
      metricRow('client', [600, 700, 800, undefined, 1400], fmt.ms, TARGETS.voiceToVoice),
      valueRow('cpu', '1.20 CPU-s/min'),
    ];
    const text = renderVoiceTable(rows);
    expect(text).toMatch(/client\s+700 ms\s+1,400 ms\s+875 ms\s+4\s+p50 ≤ 800 ms, p95 ≤ 1,300 ms\s+✗ \(p50 ✓\)/);
    expect(text).toContain('1.20 CPU-s/min');
    expect(voiceTargetSummary(rows)).toEqual({ met: 0, total: 1 });
  });

  it('divides CPU-seconds by conversation minutes', () => {
    expect(cpuPerMinute(30, 120_000)).toBe(15);
    expect(cpuPerMinute(30, 0)).toBeNaN();
  });
});

describe('/proc parsing', () => {
  const stat = (pid: number, comm: string, ppid: number, pgrp: number, utime: number, stime: number, cutime = 0, cstime = 0) =>
    `${pid} (${comm}) S ${ppid} ${pgrp} ${pgrp} 0 -1 4194560 100 0 0 0 ${utime} ${stime} ${cutime} ${cstime} 20 0 4 0 100 1000 200`;

  it('reads CPU ticks after the command, which may hold spaces and parentheses', () => {
    expect(parseProcStat(stat(42, 'node (job) x', 7, 7, 150, 50, 30, 10))).toEqual({
      pid: 42,
      comm: 'node (job) x',
      ppid: 7,
      pgrp: 7,
      ownTicks: 200,
      childTicks: 40,
    });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('names processes by their script or program', () => {
    expect(processLabel('/work/.models/.venv/bin/python /work/agent/src/providers/whisper_worker.py /m 2 en')).toBe('python whisper_worker.py');
    expect(processLabel('/usr/bin/pocketsphinx_continuous -infile /dev/stdin')).toBe('pocketsphinx_continuous');
    expect(processLabel('/bin/sh -c trap : TERM; cat | "$0" "$@" /usr/bin/pocketsphinx_continuous')).toBe('sh → pocketsphinx_continuous');
  });

  it('sums a process group and a tree, counting reaped children and new processes', () => {
    const before = new Map([7, 8].map((pid) => [pid, parseProcStat(stat(pid, 'node', pid === 7 ? 1 : 7, 7, 100, 0))!]));
    const after = new Map(
      [stat(7, 'node', 1, 7, 110, 0), stat(8, 'node', 7, 7, 150, 0, 20, 0), stat(9, 'python', 8, 7, 30, 5), stat(99, 'other', 1, 99, 1000, 0)].map(
        (s) => [parseProcStat(s)!.pid, parseProcStat(s)!],
      ),
    );
    expect(groupTicks(after.values(), 7)).toBe(110 + 170 + 35);
    expect([...treePids(after.values(), 8)].sort()).toEqual([8, 9]);
    // Job 8: 150 + 20 reaped − 100 before; its new child 9: 35.
    expect(treeTicksDelta(before, after, 8)).toBe(70 + 35);
  });
});

describe('parseVoiceArgs', () => {
  it('has defaults and takes --conversations, --turns, --verbose', () => {
    expect(parseVoiceArgs([])).toEqual({ conversations: 3, turns: 4, verbose: false, falseSound: 'hum' });
    expect(parseVoiceArgs(['--conversations', '2', '--turns=3', '--verbose', '--false-sound', 'noise'])).toMatchObject({
      conversations: 2,
      turns: 3,
      verbose: true,
      falseSound: 'noise',
    });
  });

  it('takes --baseline-patience MIN/MAX within what the scenario builder accepts', () => {
    expect(parseVoiceArgs(['--baseline-patience', '500/6000']).baselinePatience).toEqual({ minEndpointingDelayMs: 500, maxEndpointingDelayMs: 6000 });
    for (const bad of ['500', '500-6000', '50/6000', '900/600', '500/30000', 'a/b']) {
      expect(() => parseVoiceArgs(['--baseline-patience', bad])).toThrow(/--baseline-patience takes MIN\/MAX/);
    }
  });

  it('rejects bad values and unknown flags', () => {
    expect(() => parseVoiceArgs(['--turns', '0'])).toThrow(/whole number/);
    expect(() => parseVoiceArgs(['--conversations'])).toThrow(/needs a value/);
    expect(() => parseVoiceArgs(['--fast'])).toThrow(/unknown argument/);
  });

  it('collects repeated --baseline KEY=VALUE settings, in either flag form', () => {
    expect(parseVoiceArgs(['--baseline', 'AGENT_STT_SPECULATE_MS=0', '--baseline=LOCAL_LLM_THREADS=2']).baseline).toEqual({
      AGENT_STT_SPECULATE_MS: '0',
      LOCAL_LLM_THREADS: '2',
    });
    // A value may hold "=" and may be empty (the agent's config reads empty as unset).
    expect(parseVoiceArgs(['--baseline', 'OPENAI_BASE_URL=http://x/?a=b', '--baseline', 'STT_PROVIDER=']).baseline).toEqual({
      OPENAI_BASE_URL: 'http://x/?a=b',
      STT_PROVIDER: '',
    });
    expect(parseVoiceArgs([]).baseline).toBeUndefined();
  });

  it('rejects a --baseline that is not KEY=VALUE with an env-style KEY, sets one twice, or touches what the stack sets', () => {
    for (const bad of ['AGENT_STT_SPECULATE_MS', '=0', 'agent_stt=0', '1ST=0', 'AGENT-STT=0', 'A B=1']) {
      expect(() => parseVoiceArgs(['--baseline', bad]), bad).toThrow(/KEY=VALUE[\s\S]*usage:/);
    }
    expect(() => parseVoiceArgs(['--baseline'])).toThrow(/needs a value/);
    expect(() => parseVoiceArgs(['--baseline', '--verbose'])).toThrow(/needs a value/);
    expect(() => parseVoiceArgs(['--baseline', 'X=1', '--baseline', 'X=2'])).toThrow(/sets X twice/);
    expect(() => parseVoiceArgs(['--baseline', 'DATABASE_URL=postgres://elsewhere'])).toThrow(/cannot set DATABASE_URL/);
  });
});
