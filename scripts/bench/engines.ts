// Local engine benchmark: STT, TTS, LLM and embeddings speed (and STT accuracy) on this machine.
// STT hears F&I trainee lines (fi-utterances.ts) spoken by the local TTS voices, so no audio ships.
// Prints a table (figure, p50, p95, target, ✓/✗) and writes every sample as JSON.
// Usage: npm run bench:engines -- [--json <path>] [--only stt,tts,llm,embeddings]   (JSON default: .bench/engines.json)
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { initializeLogger } from '@livekit/agents';
import { REPO_ROOT } from '../../agent/src/models';
import { DEFAULT_JSON_PATH, USAGE, parseBenchArgs } from './engines/args';
import { embeddingsSection, runEmbeddings } from './engines/embeddings';
import { llmSection, runLlm } from './engines/llm';
import { cpuCalibrationMs, loadAverage, machineInfo } from './engines/machine';
import { runStt, sttSection } from './engines/stt';
import { fmt, ratio } from './engines/stats';
import { type TRow, type TSection, note, renderTable, section, targetSummary } from './engines/table';
import { type TVoiceEngine, type TVoiceRun, runVoice, ttsSection } from './engines/tts';
import { FI_UTTERANCES } from './fi-utterances';
import { ZProviderConfig } from '../../agent/src/providers/config';

let args: ReturnType<typeof parseBenchArgs>;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  const message = (error as Error).message;
  process.stderr.write(`${message}\n`);
  process.exit(message === USAGE ? 0 : 2);
}

initializeLogger({ pretty: false, level: 'warn' });

const t0 = performance.now();
const message = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
const progress = (text: string) => process.stderr.write(`[bench:engines ${((performance.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${text}\n`);

const machine = machineInfo();
const calibrationStartMs = cpuCalibrationMs();

const sections: Record<string, TSection> = {};
const skipped: string[] = [];
const phases: Record<string, { ms: number; loadAvgAtStart: number }> = {};
const timed = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const loadAvgAtStart = loadAverage()[0] ?? Number.NaN;
  try {
    return await fn();
  } finally {
    phases[name] = { ms: Math.round(performance.now() - started), loadAvgAtStart };
  }
};

// TTS first: its audio is the STT input.
const voices: TVoiceRun[] = [];
if (args.only.has('tts') || args.only.has('stt')) {
  const failures: string[] = [];
  for (const engine of ['flite', 'piper'] as TVoiceEngine[]) {
    progress(`tts ${engine}: synthesising ${FI_UTTERANCES.length} utterances`);
    try {
      voices.push(await timed(`tts.${engine}`, () => runVoice(engine, FI_UTTERANCES)));
    } catch (error) {
      failures.push(`TTS ${engine} skipped: ${message(error)}`);
    }
  }
  sections.tts = ttsSection(voices, failures, args.only.has('tts'));
  skipped.push(...failures);
}

if (args.only.has('stt')) {
  if (voices.length === 0) {
    skipped.push('STT skipped: no local TTS voice could synthesise its input');
  } else {
    progress(`stt whisper: transcribing ${voices.reduce((n, v) => n + v.clips.length, 0)} clips`);
    try {
      const windowSeconds = ZProviderConfig.parse(process.env).AGENT_STT_WHISPER_WINDOW_S;
      const run = await timed('stt', () => runStt(voices, windowSeconds));
      // Whisper's own 30 s window, as faster-whisper runs it: the baseline in the same run.
      progress('stt whisper: the same clips in the full 30 s window (baseline)');
      const baseline = windowSeconds < 30 ? await timed('stt-baseline', () => runStt(voices, 30)) : undefined;
      sections.stt = sttSection(run, new Map(voices.map((v) => [v.engine, v.label])), baseline);
    } catch (error) {
      skipped.push(`STT whisper skipped: ${message(error)}`);
    }
  }
}
// Release the audio before the LLM loads.
voices.length = 0;

if (args.only.has('llm')) {
  progress('llm: role-play turns');
  try {
    sections.llm = llmSection(await timed('llm', runLlm));
  } catch (error) {
    skipped.push(`LLM skipped: ${message(error)}`);
  }
}

if (args.only.has('embeddings')) {
  progress('embeddings: MiniLM');
  try {
    const run = await timed('embeddings', () => runEmbeddings(FI_UTTERANCES));
    if (run.ok) sections.embeddings = embeddingsSection(run);
    else skipped.push(`Embeddings skipped: ${run.reason}`);
  } catch (error) {
    skipped.push(`Embeddings skipped: ${message(error)}`);
  }
}

const rows: TRow[] = Object.values(sections).flatMap((s) => s.rows);
if (skipped.length > 0) rows.push(section('Not run'), ...skipped.map((s) => note(s)));
const { met, total } = targetSummary(rows);
const ran = Object.values(sections).some((s) => s.ran);
const elapsedSec = (performance.now() - t0) / 1000;
const loadAvgAtEnd = loadAverage();
const calibrationEndMs = cpuCalibrationMs();

// The default lands in the repository's .bench/ wherever the script is run from; a given path is taken from the cwd.
const jsonPath = args.json === DEFAULT_JSON_PATH ? path.join(REPO_ROOT, DEFAULT_JSON_PATH) : path.resolve(args.json);
const report = {
  generatedAt: new Date().toISOString(),
  machine: { ...machine, loadAvgAtEnd, cpuCalibrationMs: { start: calibrationStartMs, end: calibrationEndMs } },
  args: { json: args.json, only: [...args.only] },
  utterances: FI_UTTERANCES,
  elapsedSec,
  phases,
  targets: { met, total },
  skipped,
  table: rows,
  sections: Object.fromEntries(Object.entries(sections).map(([name, s]) => [name, s.data])),
};
await mkdir(path.dirname(jsonPath), { recursive: true });
await writeFile(jsonPath, `${JSON.stringify(report, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`);

process.stdout.write(
  [
    '',
    `engine benchmark — ${FI_UTTERANCES.length} F&I trainee utterances, local engines only`,
    `machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB RAM, node ${machine.node}, ${machine.platform}`,
    `load average (1/5/15 min): ${machine.loadAvg.join(' ')} at start, ${loadAvgAtEnd.join(' ')} at end` +
      (Math.max(machine.loadAvg[0] ?? 0, loadAvgAtEnd[0] ?? 0) > machine.cores ? ' — busier than its cores: figures are inflated' : ''),
    `single-core calibration (fixed JS loop, lower is faster): ${fmt.ms(calibrationStartMs)} at start, ${fmt.ms(calibrationEndMs)} at end ` +
      `(end ÷ start ${fmt.ratio(ratio(calibrationEndMs, calibrationStartMs))}); compare runs by it`,
    '',
    renderTable(rows),
    '',
    ...Object.values(sections).flatMap((s) => s.details),
    '',
    `targets met: ${met} of ${total} (✓/✗ judged on p95 where there is one)   ran in ${elapsedSec.toFixed(0)} s   JSON: ${displayPath(jsonPath)}`,
    '',
  ].join('\n'),
);
// Native engines (llama.cpp, onnxruntime) may hold the event loop open.
process.exit(ran ? 0 : 1);

function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') ? relative : file;
}
