// Voice benchmark through a real LiveKit room: voice-to-voice latency and its stages, barge-in
// reaction, false barge-ins, and the CPU a conversation costs. Starts the test stack (embedded
// database, livekit-server, the agent worker on its local engines: Whisper, SmolLM2, Piper) and
// plays scripted role-plays into it from a WebRTC participant: flite-spoken trainee lines, whole
// agent replies, one barge-in and one short non-word sound per conversation.
// With `--baseline KEY=VALUE` it also plays the same conversations to an agent that gets those
// variables, interleaved with the main ones, each on a stack of its own, and prints main ÷ baseline
// for the headline figures (same run, same clips).
// Usage: npm run bench:voice -- [--conversations 3] [--turns 4] [--false-sound hum|short-hum|noise] [--verbose] [--json <path>] [--baseline KEY=VALUE …]
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dispose } from '@livekit/rtc-node';
import { cpuCalibrationMs, loadAverage, machineInfo } from './engines/machine';
import { fmt, ratio } from './engines/stats';
import { FI_UTTERANCES } from './fi-utterances';
import { type TClip, fliteClip, humClip, noiseClip } from './voice/audio';
import { VOICE_USAGE, parseVoiceArgs } from './voice/args';
import { comparisonSection } from './voice/compare';
import { type TSeriesName, interleavedOrder, mergeSeries } from './voice/interleave';
import { BARGE_IN_AFTER_MS, FALSE_BARGE_IN_AFTER_MS, STOP_GAP_MS, renderVoiceTable, voiceTargetSummary } from './voice/report';
import { StackSlot, type TSeriesPlan, type TSeriesResult, runSeries } from './voice/series';
import { OVERHEAD_DEFINITION, conversationLines, replyLines, summaryRows } from './voice/summary';

let args: ReturnType<typeof parseVoiceArgs>;
try {
  args = parseVoiceArgs(process.argv.slice(2));
} catch (error) {
  const message = (error as Error).message;
  process.stderr.write(`${message}\n`);
  process.exit(message === VOICE_USAGE ? 0 : 2);
}

const t0 = performance.now();
const progress = (text: string) => process.stderr.write(`[bench:voice ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${text}\n`);
// The stack runs in process groups of its own, which Ctrl-C does not reach: stop it ourselves.
const slot = new StackSlot();
let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (++interrupts > 1) {
      process.stderr.write('bench:voice: interrupted again; exiting without waiting (the stack may be left running)\n');
      process.exit(130);
    }
    slot.interrupted = true;
    process.stderr.write(`\nbench:voice: ${signal}, stopping the stack (once it has started)…\n`);
    void slot.stop().finally(() => process.exit(130));
  });
}

const machine = machineInfo();

// Everything the microphone plays is synthesised before the stack starts, so flite costs no CPU during the conversations.
progress('synthesising trainee lines with flite');
const perConversation = args.turns + 2;
const lineTexts = Array.from({ length: args.conversations * perConversation }, (_, i) => FI_UTTERANCES[i % FI_UTTERANCES.length]!);
const clips = new Map<string, TClip>();
for (const text of new Set(lineTexts)) clips.set(text, await fliteClip(text));
const BARGE_LINES = [
  'Sorry to cut in, can we look at the payment first?',
  'Hold on, before we go on, what is the interest rate?',
  'Wait, let me stop you there, is GAP really optional?',
];
const bargeClips = await Promise.all(BARGE_LINES.map((t) => fliteClip(t)));
const falseSound = args.falseSound === 'noise' ? noiseClip(350) : await humClip(args.falseSound === 'short-hum' ? 300 : 400);

const plan: TSeriesPlan = {
  conversations: args.conversations,
  turns: args.turns,
  lines: Array.from({ length: args.conversations }, (_, i) => lineTexts.slice(i * perConversation, (i + 1) * perConversation).map((t) => clips.get(t)!)),
  bargeClips,
  falseSound,
};
const all = Array.from({ length: args.conversations }, (_, i) => i);
let main: TSeriesResult | undefined;
let baseline: TSeriesResult | undefined;
if (!args.baseline && !args.baselinePatience) main = await runSeries({ name: 'main', agentEnv: {}, plan, indices: all, slot, progress });
else {
  const parts: Record<TSeriesName, TSeriesResult[]> = { main: [], baseline: [] };
  for (const step of interleavedOrder(args.conversations)) {
    const agentEnv = step.series === 'main' ? {} : (args.baseline ?? {});
    const patience = step.series === 'main' ? undefined : args.baselinePatience;
    const part = await runSeries({ name: step.series, agentEnv, plan, indices: [step.index], slot, progress, patience });
    parts[step.series].push(part);
    // The rest would compare series of different conversations.
    if (!part.stackStarted || part.failure) break;
  }
  main = mergeSeries(parts.main);
  baseline = mergeSeries(parts.baseline);
}
if (!main?.results.length && !main?.stackStarted) process.exit(1);
await dispose().catch(() => {});

const { results } = main;
const failure = main.failure ?? (baseline?.failure ? `baseline series: ${baseline.failure}` : undefined);
const loadAvgAtEnd = loadAverage();
const calibrationStartMs = main.calibrationMs[0]!;
const calibrationEndMs = cpuCalibrationMs();
const tableRows = summaryRows(results);
const { met, total } = voiceTargetSummary(tableRows);
const comparison = baseline && comparisonSection({ main, baseline, env: process.env, turns: args.turns, baselinePatience: args.baselinePatience });
const elapsedSec = (performance.now() - t0) / 1000;

process.stdout.write(
  [
    '',
    `voice benchmark — ${results.length} conversation${results.length === 1 ? '' : 's'} × ${args.turns} turns through a real LiveKit room ` +
      '(livekit-server + agent worker on local engines + embedded database; trainee = WebRTC participant speaking flite lines)',
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB RAM, node ${machine.node}, ${machine.platform}`,
    `load average (1/5/15 min): ${machine.loadAvg.join(' ')} at start, ${loadAvgAtEnd.join(' ')} at end; ` +
      `single-core calibration ${fmt.ms(calibrationStartMs)} at start, ${fmt.ms(calibrationEndMs)} at end (${fmt.ratio(ratio(calibrationEndMs, calibrationStartMs))})`,
    `agent settings: AGENT_INTERRUPTION_MIN_MS=${process.env.AGENT_INTERRUPTION_MIN_MS ?? '50 (default)'}, ` +
      `AGENT_SHORT_SOUND_MS=${process.env.AGENT_SHORT_SOUND_MS ?? '400 (default)'}, ` +
      `AGENT_TURN_DETECTION=${process.env.AGENT_TURN_DETECTION ?? 'transcript (default)'}, ` +
      `AGENT_PAUSE_HOLDS_AUDIO=${process.env.AGENT_PAUSE_HOLDS_AUDIO ?? 'on (default)'}, ` +
      `LOCAL_LLM_THREADS=${process.env.LOCAL_LLM_THREADS ?? '1 (default)'}, AGENT_STT_SPECULATE_MS=${process.env.AGENT_STT_SPECULATE_MS ?? '100 (default)'}; false barge-in sound: ${falseSound.text}`,
    '',
    renderVoiceTable(tableRows),
    '',
    'definitions:',
    `  · ${OVERHEAD_DEFINITION}`,
    '  · baseline ratio = agent-reported voice-to-voice ÷ (transcription delay + LLM TTFT + TTS TTFB) of the same reply: 1.00× would mean no time outside the measured stages',
    `  · barge-in: the trainee starts a sentence ≥ ${BARGE_IN_AFTER_MS} ms into a reply (never the greeting, so past the 1.5 s echo-cancel warm-up); ` +
      `the agent's audio "stops" at its last audible frame (RMS > 200) followed by ≥ ${STOP_GAP_MS} ms without one`,
    `  · false barge-in: the sound starts ≥ ${FALSE_BARGE_IN_AFTER_MS} ms into a reply; "resumed" = the same reply went on after a pause (no new thinking state)`,
    "  · the agent stores an interrupted reply after the trainee turn that cut it off, with that turn's end-of-utterance and transcription delays, " +
      'and the reply answering that turn without any: the bench moves those two values to the answering reply and leaves the interrupted one without ' +
      '(its own were overwritten); LLM/TTS figures and voice-to-voice are each reply’s own',
    '  · "client − agent-reported": the agent dates a reply from its first frame pushed to the room and the end of speech from its VAD; ' +
      'the client from the first frame above RMS 200 and the last sample sent. Split into the downlink part (agent start → first audible frame) ' +
      'and the rest (uplink, and how late the VAD dates the end of speech)',
    '  · CPU-s per conversation minute = CPU-seconds (/proc utime+stime, with reaped children) over the conversations ÷ their wall minutes',
    '',
    'conversations:',
    ...conversationLines(results),
    ...(args.verbose ? ['', ...replyLines(results)] : []),
    ...(comparison ? ['', ...comparison.lines, '', 'baseline conversations:', ...conversationLines(baseline!.results)] : []),
    ...(baseline?.failure ? [`baseline series stopped early: ${baseline.failure}`] : []),
    '',
    `targets met: ${met} of ${total} (✓/✗ judged on the bound(s) in the target column)   ran in ${elapsedSec.toFixed(0)} s` +
      (args.json ? `   JSON: ${args.json}` : ''),
    '',
  ].join('\n'),
);

if (args.json) {
  const file = path.resolve(args.json);
  await mkdir(path.dirname(file), { recursive: true });
  const seriesOf = (s: TSeriesResult) => ({ agentEnv: s.agentEnv, calibrationMs: s.calibrationMs, loadAvg: s.loadAvg, failure: s.failure });
  const report = {
    generatedAt: new Date().toISOString(),
    machine: { ...machine, loadAvgAtEnd },
    args,
    elapsedSec,
    failure,
    series: seriesOf(main),
    table: tableRows,
    results,
    ...(baseline && { baseline: { ...seriesOf(baseline), table: summaryRows(baseline.results), results: baseline.results }, comparison: comparison?.rows }),
  };
  await writeFile(file, `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
}
if (failure) process.stderr.write(`bench:voice: stopped early: ${failure}\n`);
process.exit(failure || results.length === 0 ? 1 : 0);
