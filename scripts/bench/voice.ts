// Voice benchmark through a real LiveKit room: voice-to-voice latency and its stages, barge-in
// reaction, false barge-ins, and the CPU a conversation costs. Starts the test stack (embedded
// database, livekit-server, the agent worker on its local engines: Whisper, SmolLM2, Piper) and
// plays scripted role-plays into it from a WebRTC participant: flite-spoken trainee lines, whole
// agent replies, one barge-in and one short non-word sound per conversation.
// Usage: npm run bench:voice -- [--conversations 3] [--turns 4] [--false-sound hum|noise] [--verbose] [--json <path>]
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { scenarios as scenariosTable } from '@avatar-adam/db/schema';
import { dispose } from '@livekit/rtc-node';
import { inArray } from 'drizzle-orm';
import { traineeCaller } from '../../test/harness/app';
import { type TestStack, startTestStack } from '../../test/harness/stack';
import { cpuCalibrationMs, loadAverage, machineInfo } from './engines/machine';
import { fmt, ratio } from './engines/stats';
import { FI_UTTERANCES } from './fi-utterances';
import { type TClip, fliteClip, humClip, noiseClip } from './voice/audio';
import { VOICE_USAGE, parseVoiceArgs } from './voice/args';
import { type TConversationResult, runConversation } from './voice/conversation';
import { findProcess } from './voice/procs';
import { BARGE_IN_AFTER_MS, FALSE_BARGE_IN_AFTER_MS, STOP_GAP_MS, renderVoiceTable, voiceTargetSummary } from './voice/report';
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
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

// The stack runs in process groups of its own, which Ctrl-C does not reach: stop it ourselves.
let starting: Promise<TestStack> | undefined;
let stack: TestStack | undefined;
let stopping: Promise<void> | undefined;
const stopStack = () => (stopping ??= (stack ? stack.stop() : (starting?.then((s) => s.stop(), () => {}) ?? Promise.resolve())).catch(() => {}));
let interrupts = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (++interrupts > 1) {
      process.stderr.write('bench:voice: interrupted again; exiting without waiting (the stack may be left running)\n');
      process.exit(130);
    }
    process.stderr.write(`\nbench:voice: ${signal}, stopping the stack${stack ? '' : ' once it has started'}…\n`);
    void stopStack().finally(() => process.exit(130));
  });
}

const machine = machineInfo();
const calibrationStartMs = cpuCalibrationMs();

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
const falseSound = args.falseSound === 'hum' ? await humClip(400) : noiseClip(350);

progress('starting the stack: embedded database, livekit-server, agent worker (local engines)');
try {
  starting = startTestStack();
  stack = await starting;
} catch (error) {
  process.stderr.write(
    `bench:voice: the test stack did not start: ${message(error)}\n` +
      '  (set AVATAR_ADAM_TEST_KEEP_LOGS=1 to keep the livekit-server and agent logs; `npm run livekit:install` checks the server binary)\n',
  );
  process.exit(1);
}
if (stopping) await new Promise(() => {}); // Ctrl-C during startup: the handler stops the stack and exits.

const results: TConversationResult[] = [];
let failure: string | undefined;
try {
  const workDir = path.dirname(stack.logDir);
  const livekitPid = findProcess(path.join(workDir, 'livekit.yaml'));
  const caller = traineeCaller(stack);
  const rolePlays = (await caller.scenario.list()).filter((s) => s.mode === 'roleplay');
  const rows = await stack.db.select().from(scenariosTable).where(inArray(scenariosTable.id, rolePlays.map((s) => s.id)));
  // Personas differ in patience (endpointing delay): compare like with like, on the default one.
  const quickest = Math.min(...rows.map((r) => r.patience.minEndpointingDelayMs));
  const chosen = rows
    .filter((r) => r.patience.minEndpointingDelayMs === quickest)
    .map((r) => ({ id: r.id, title: r.title, minEndpointingDelayMs: r.patience.minEndpointingDelayMs }));
  if (chosen.length === 0) throw new Error('no role-play scenario is seeded');

  for (let i = 0; i < args.conversations; i++) {
    // Each conversation gets a warm job process, as a trainee would: wait for the pool's replacement.
    await waitForReadyCount(stack, i + 1);
    progress(`conversation ${i + 1} of ${args.conversations}: "${chosen[i % chosen.length]!.title}"`);
    const texts = lineTexts.slice(i * perConversation, (i + 1) * perConversation);
    results.push(
      await runConversation({
        stack,
        caller,
        livekitPid,
        progress,
        plan: {
          index: i,
          scenario: chosen[i % chosen.length]!,
          lines: texts.map((t) => clips.get(t)!),
          turns: args.turns,
          bargeLine: bargeClips[i % bargeClips.length]!,
          falseSound,
        },
      }),
    );
  }
} catch (error) {
  failure = message(error);
  process.stderr.write(`bench:voice: a conversation failed: ${failure}\nagent log tail:\n${stack.agent.tail().slice(-25).join('\n')}\n`);
} finally {
  progress('stopping the stack');
  await stopStack();
  await dispose().catch(() => {});
}

const loadAvgAtEnd = loadAverage();
const calibrationEndMs = cpuCalibrationMs();
const tableRows = summaryRows(results);
const { met, total } = voiceTargetSummary(tableRows);
const elapsedSec = (performance.now() - t0) / 1000;

process.stdout.write(
  [
    '',
    `voice benchmark — ${results.length} conversation${results.length === 1 ? '' : 's'} × ${args.turns} turns through a real LiveKit room ` +
      '(livekit-server + agent worker on local engines + embedded database; trainee = WebRTC participant speaking flite lines)',
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB RAM, node ${machine.node}, ${machine.platform}`,
    `load average (1/5/15 min): ${machine.loadAvg.join(' ')} at start, ${loadAvgAtEnd.join(' ')} at end; ` +
      `single-core calibration ${fmt.ms(calibrationStartMs)} at start, ${fmt.ms(calibrationEndMs)} at end (${fmt.ratio(ratio(calibrationEndMs, calibrationStartMs))})`,
    `agent settings: AGENT_INTERRUPTION_MIN_MS=${process.env.AGENT_INTERRUPTION_MIN_MS ?? '300 (default)'}, ` +
      `LOCAL_LLM_THREADS=${process.env.LOCAL_LLM_THREADS ?? '1 (default)'}; false barge-in sound: ${falseSound.text}`,
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
    '',
    `targets met: ${met} of ${total} (✓/✗ judged on the bound(s) in the target column)   ran in ${elapsedSec.toFixed(0)} s` +
      (args.json ? `   JSON: ${args.json}` : ''),
    '',
  ].join('\n'),
);

if (args.json) {
  const file = path.resolve(args.json);
  await mkdir(path.dirname(file), { recursive: true });
  const report = { generatedAt: new Date().toISOString(), machine: { ...machine, loadAvgAtEnd }, args, elapsedSec, failure, table: tableRows, results };
  await writeFile(file, `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);
}
if (failure) process.stderr.write(`bench:voice: stopped early: ${failure}\n`);
process.exit(failure || results.length === 0 ? 1 : 0);

/** Waits until the agent log shows `count` job processes that finished loading their engines. */
async function waitForReadyCount(s: TestStack, count: number): Promise<void> {
  const file = path.join(s.logDir, 'agent.log');
  const deadline = Date.now() + 120_000;
  while (readFileSync(file, 'utf8').split('job process ready').length - 1 < count) {
    if (Date.now() > deadline) throw new Error(`no warm job process for conversation ${count} within 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
