// Startup benchmark: how fast a practice session gets going, and what an idle worker costs.
// Prints p50/p95 of: session.start (row + token + room with dispatch), trainee join, agent joined,
// and first audible greeting audio; plus resident memory of the idle agent worker's processes.
// Usage: npm run bench:startup [-- --sessions 8]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dispose } from '@livekit/rtc-node';
import { traineeCaller } from '../../test/harness/app';
import { TestParticipant } from '../../test/harness/participant';
import { startTestStack } from '../../test/harness/stack';
import { percentile, processTreeMemory } from '../lib/proc-stats';

const sessionsArg = process.argv.indexOf('--sessions');
const SESSIONS = sessionsArg > 0 ? Number(process.argv[sessionsArg + 1]) : 6;

// AGENT_WARM_PROCESSES=0: no job process waits; each session starts its own.
const warm = Number(process.env.AGENT_WARM_PROCESSES ?? 1);

const t0 = Date.now();
const stack = await startTestStack();
const workerReadyMs = Date.now() - t0;
// Let the worker settle (the idle job process is pre-forked and has loaded its engines).
await new Promise((r) => setTimeout(r, 3000));
const idle = processTreeMemory(stack.agent.child.pid!);
const agentLog = path.join(stack.logDir, 'agent.log');
const readyCount = () => readFileSync(agentLog, 'utf8').split('job process ready').length - 1;

const caller = traineeCaller(stack);
const scenarios = await caller.scenario.list();

const rows: Array<{ start: number; join: number; agent: number; audio: number }> = [];
const processReadyAt: number[] = [];
for (let i = 0; i < SESSIONS; i++) {
  // Each session gets a warm job process: wait for the pool's replacement to finish loading.
  const readyBefore = Date.now();
  if (warm > 0) {
    while (readyCount() < i + 1) await new Promise((r) => setTimeout(r, 100));
    if (i > 0) processReadyAt.push(Date.now() - readyBefore);
  }
  const scenario = scenarios[i % scenarios.length]!;
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
  rows.push({ start: startMs, join: joinMs, agent: (agentAt || performance.now()) - clicked, audio: audioMs });
  await trainee.leave();
  await new Promise((r) => setTimeout(r, 1500));
}

const fmt = (v: number) => `${Math.round(v)} ms`.padStart(9);
const line = (label: string, values: number[]) =>
  `${label.padEnd(44)} p50 ${fmt(percentile(values, 50))}   p95 ${fmt(percentile(values, 95))}`;
const audio = rows.map((r) => r.audio);
const start = rows.map((r) => r.start);
process.stdout.write(
  [
    '',
    `startup benchmark — ${SESSIONS} sessions, real livekit-server + agent worker + embedded database`,
    `agent worker registered after stack start: ${workerReadyMs} ms`,
    line('session.start (row, token, room + dispatch)', start),
    line('trainee connected to the room', rows.map((r) => r.join)),
    line('agent participant joined', rows.map((r) => r.agent)),
    line('first audible greeting audio (target ≤ 2 s)', audio),
    warm > 0
      ? `replacement job process ready (engines loaded), waited after the previous session: p50 ${fmt(percentile(processReadyAt, 50))}`
      : 'no warm job process (AGENT_WARM_PROCESSES=0): each session started its own',
    `greeting audio ÷ session.start (p50): ${(percentile(audio, 50) / percentile(start, 50)).toFixed(1)}×`,
    `idle agent worker: ${idle.reduce((s, p) => s + p.rssMb, 0).toFixed(0)} MB resident (${idle.reduce((s, p) => s + p.pssMb, 0).toFixed(0)} MB proportional) in ${idle.length} processes (target ≤ 300 MB for the worker)`,
    ...idle.map((p) => `  rss ${p.rssMb.toFixed(0).padStart(5)} MB  pss ${p.pssMb.toFixed(0).padStart(5)} MB  pid ${p.pid}  ${p.command}`),
    '',
  ].join('\n'),
);
await stack.stop();
await dispose();
