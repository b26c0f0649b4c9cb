// Startup benchmark: how fast a practice session gets going, and what an idle worker costs.
// Prints p50/p95 of: session.start (row + token + room with dispatch), trainee join, agent joined,
// and first audible greeting audio (also split: greetings synthesised, and greetings played from the
// kept recording of an earlier session with the same scenario: the series runs each of its first
// ⌈N/2⌉ scenarios twice); plus resident memory of the idle agent worker's processes, once
// settled after start and again after the sessions.
// With --baseline KEY=VALUE (repeatable) the same sessions run again on a second stack whose agent
// gets those variables, and the two series are compared (e.g. --baseline AGENT_WARM_PROCESSES=0).
// Usage: npm run bench:startup [-- --sessions 8] [--baseline KEY=VALUE …]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dispose } from '@livekit/rtc-node';
import { traineeCaller } from '../../test/harness/app';
import { TestParticipant } from '../../test/harness/participant';
import { startTestStack } from '../../test/harness/stack';
import { percentile, processTreeMemory, type ProcessMemory } from '../lib/proc-stats';
import { parseBaselineSetting } from './voice/args';

const USAGE = 'usage: npm run bench:startup [-- --sessions N (default 6)] [--baseline KEY=VALUE …]';

function parseArgs(argv: string[]): { sessions: number; baseline?: Record<string, string> } {
  let sessions = 6;
  let baseline: Record<string, string> | undefined;
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${argv[i - 1]} needs a value\n${USAGE}`);
      return v;
    };
    if (argv[i] === '--sessions') {
      sessions = Number(value());
      if (!Number.isInteger(sessions) || sessions < 1) throw new Error(`--sessions takes a whole number ≥ 1\n${USAGE}`);
    } else if (argv[i] === '--baseline') {
      const [key, setting] = parseBaselineSetting(value(), USAGE);
      baseline = { ...baseline, [key]: setting };
    } else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  return { sessions, baseline };
}

type TSeries = {
  label: string;
  warm: number;
  workerReadyMs: number;
  rows: Array<{ start: number; join: number; agent: number; audio: number; kept: boolean | undefined }>;
  processReadyAt: number[];
  /** 3 s after the worker was ready, then settled (SETTLE_MS later), and settled again after the sessions. */
  idleAtStart: ProcessMemory[];
  idle: ProcessMemory[];
  idleAfter: ProcessMemory[];
};

/**
 * How long an idle worker is left before its memory is read. Just after start a process still holds
 * start-up garbage that V8 returns over the next seconds (measured: ~155 → ~125 MB per process
 * within 25 s); an idle worker is one that has been idle for a while.
 */
const SETTLE_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One stack, `sessions` sessions one after another, each on a warm job process when the agent keeps one. */
async function runSeries(label: string, sessions: number, agentEnv?: Record<string, string>): Promise<TSeries> {
  // AGENT_WARM_PROCESSES=0: no job process waits; each session starts its own.
  const warm = Number(agentEnv?.AGENT_WARM_PROCESSES ?? process.env.AGENT_WARM_PROCESSES ?? 1);
  const t0 = Date.now();
  const stack = await startTestStack({ agentEnv });
  try {
    const workerReadyMs = Date.now() - t0;
    const agentPid = stack.agent.child.pid!;
    await sleep(3000);
    const idleAtStart = processTreeMemory(agentPid);
    await sleep(SETTLE_MS - 3000);
    const idle = processTreeMemory(agentPid);
    const agentLog = path.join(stack.logDir, 'agent.log');
    const readyCount = () => readFileSync(agentLog, 'utf8').split('job process ready').length - 1;

    const caller = traineeCaller(stack);
    const scenarios = await caller.scenario.list();
    const rows: TSeries['rows'] = [];
    const processReadyAt: number[] = [];
    for (let i = 0; i < sessions; i++) {
      // Each session gets a warm job process: wait for the pool's replacement to finish loading.
      // Each session starts on an idle worker: the previous session's process has finished its
      // after-greeting work (speech recogniser, model weights) and exited.
      const idleBy = Date.now() + 30_000;
      while (processTreeMemory(agentPid).length > 1 + warm && Date.now() < idleBy) await new Promise((r) => setTimeout(r, 100));
      const readyBefore = Date.now();
      if (warm > 0) {
        while (readyCount() < i + 1) await new Promise((r) => setTimeout(r, 100));
        if (i > 0) processReadyAt.push(Date.now() - readyBefore);
      }
      // The first half of the series meets each scenario's greeting for the first time; the second
      // half repeats them, and its greetings are played from the kept recordings (unless off).
      const scenario = scenarios[i % Math.min(scenarios.length, Math.ceil(sessions / 2))]!;
      const clicked = performance.now();
      const clickedWall = Date.now();
      const started = await caller.session.start({ scenarioId: scenario.id });
      const startMs = performance.now() - clicked;
      const trainee = new TestParticipant();
      let agentAt = 0;
      trainee.room.on('participantConnected', () => (agentAt ||= performance.now()));
      await trainee.join(started.serverUrl, started.token);
      const joinMs = performance.now() - clicked;
      await trainee.waitForAgentSpeech(30_000, 1);
      const audioMs = trainee.firstSpeechAt! - clickedWall;
      rows.push({ start: startMs, join: joinMs, agent: (agentAt || performance.now()) - clicked, audio: audioMs, kept: greetingKept(agentLog, started.sessionId) });
      await trainee.leave();
      await new Promise((r) => setTimeout(r, 1500));
    }
    // Idle again: the last session's process has exited (and the pool's replacement is ready).
    const idleBy = Date.now() + 30_000;
    while (processTreeMemory(agentPid).length > 1 + warm && Date.now() < idleBy) await sleep(100);
    await sleep(SETTLE_MS);
    const idleAfter = processTreeMemory(agentPid);
    return { label, warm, workerReadyMs, rows, processReadyAt, idleAtStart, idle, idleAfter };
  } finally {
    await stack.stop();
  }
}

/** Whether the session's greeting was played from a kept recording (its `greeting audio` log line). */
function greetingKept(agentLog: string, sessionId: string): boolean | undefined {
  for (const text of readFileSync(agentLog, 'utf8').split('\n')) {
    if (!text.includes('"greeting audio"') || !text.includes(sessionId)) continue;
    try {
      const entry = JSON.parse(text.slice(text.indexOf('{'))) as { kept?: boolean };
      return entry.kept;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const fmt = (v: number) => `${Math.round(v)} ms`.padStart(9);
const line = (label: string, values: number[]) =>
  `${label.padEnd(44)} p50 ${fmt(percentile(values, 50))}   p95 ${fmt(percentile(values, 95))}`;
const mb = (idle: ProcessMemory[], key: 'rssMb' | 'pssMb') => idle.reduce((s, p) => s + p[key], 0);
const memory = (idle: ProcessMemory[]) =>
  `${mb(idle, 'rssMb').toFixed(0)} MB resident (${mb(idle, 'pssMb').toFixed(0)} MB proportional) in ${idle.length} processes`;

function report(series: TSeries): string {
  const { rows, idle } = series;
  return [
    '',
    `${series.label} — ${rows.length} sessions, real livekit-server + agent worker + embedded database`,
    `agent worker registered after stack start: ${series.workerReadyMs} ms`,
    line('session.start (row, token, room + dispatch)', rows.map((r) => r.start)),
    line('trainee connected to the room', rows.map((r) => r.join)),
    line('agent participant joined', rows.map((r) => r.agent)),
    line('first audible greeting audio (target ≤ 2 s)', rows.map((r) => r.audio)),
    ...(['synthesised', 'kept'] as const).flatMap((how) => {
      const some = rows.filter((r) => r.kept === (how === 'kept')).map((r) => r.audio);
      return some.length > 0 ? [line(`  greeting ${how === 'kept' ? 'played from its kept recording' : 'synthesised'} (${some.length})`, some)] : [];
    }),
    series.warm > 0
      ? `replacement job process ready, waited after the previous session had ended: p50 ${fmt(percentile(series.processReadyAt, 50))}`
      : 'no warm job process (AGENT_WARM_PROCESSES=0): each session started its own',
    `idle agent worker, ${SETTLE_MS / 1000} s after start: ${memory(idle)} (target ≤ 300 MB)`,
    ...idle.map((p) => `  rss ${p.rssMb.toFixed(0).padStart(5)} MB  pss ${p.pssMb.toFixed(0).padStart(5)} MB  pid ${p.pid}  ${p.command}`),
    `  3 s after start: ${memory(series.idleAtStart)}`,
    `  idle again ${SETTLE_MS / 1000} s after the last session: ${memory(series.idleAfter)}`,
    '',
  ].join('\n');
}

function compare(main: TSeries, baseline: TSeries): string {
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');
  const rowsOf = (s: TSeries, key: 'agent' | 'audio') => s.rows.map((r) => r[key]);
  const out = [`main ÷ baseline (${baseline.label})`, `${'figure'.padEnd(40)} ${'main'.padStart(10)} ${'baseline'.padStart(10)}  ratio`];
  for (const [name, key] of [
    ['agent joined, p50', 'agent'],
    ['first greeting audio, p50', 'audio'],
  ] as const) {
    const a = percentile(rowsOf(main, key), 50);
    const b = percentile(rowsOf(baseline, key), 50);
    out.push(`${name.padEnd(40)} ${fmt(a).padStart(10)} ${fmt(b).padStart(10)}  ${ratio(a, b)}`);
  }
  const a95 = percentile(rowsOf(main, 'audio'), 95);
  const b95 = percentile(rowsOf(baseline, 'audio'), 95);
  out.push(`${'first greeting audio, p95'.padEnd(40)} ${fmt(a95).padStart(10)} ${fmt(b95).padStart(10)}  ${ratio(a95, b95)}`);
  for (const [when, key] of [['idle', 'rssMb'], ['idle', 'pssMb'], ['idleAfter', 'rssMb']] as const) {
    const a = mb(main[when], key);
    const b = mb(baseline[when], key);
    const name = `idle worker${when === 'idleAfter' ? ' after the sessions' : ''}, ${key === 'rssMb' ? 'resident' : 'proportional'}`;
    out.push(`${name.padEnd(40)} ${`${a.toFixed(0)} MB`.padStart(10)} ${`${b.toFixed(0)} MB`.padStart(10)}  ${ratio(a, b)}`);
  }
  return `${out.join('\n')}\n`;
}

let args: ReturnType<typeof parseArgs>;
try {
  args = parseArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
const main = await runSeries('startup benchmark', args.sessions);
process.stdout.write(report(main));
if (args.baseline) {
  const label = Object.entries(args.baseline)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  const baseline = await runSeries(`baseline: ${label}`, args.sessions, args.baseline);
  process.stdout.write(report(baseline));
  process.stdout.write(compare(main, baseline));
}
await dispose();
