// Voice load: N practice rooms at once against the local stack (embedded database, livekit-server,
// one agent worker on local engines). For each level it starts N role-plays together, each with a
// WebRTC trainee (`@livekit/rtc-node`) who waits for the greeting, says one line and waits for the
// reply, then leaves. Prints dispatch (session.start → agent in the room), greeting and voice-to-voice
// p50/p95, and the agent worker's memory and CPU per session; and the N at which voice p95 crosses 1 s.
// Usage: npm run bench:load -- [--rooms 1,2,3,4]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dispose } from '@livekit/rtc-node';
import { traineeCaller, waitFor } from '../../test/harness/app';
import { TestParticipant } from '../../test/harness/participant';
import { type TestStack, startTestStack } from '../../test/harness/stack';
import { processTreeMemory, percentile } from '../lib/proc-stats';
import { loadAverage } from './engines/machine';
import { fliteClip } from './voice/audio';
import { cpuSnapshot, groupTicks } from './voice/procs';

const roomsArg = process.argv.indexOf('--rooms');
const LEVELS = (roomsArg > 0 ? process.argv[roomsArg + 1]! : '1,2,3,4').split(',').map(Number);
if (LEVELS.some((n) => !Number.isInteger(n) || n < 1 || n > 50)) {
  process.stderr.write('usage: npm run bench:load -- [--rooms 1,2,3,4]  (each level 1–50)\n');
  process.exit(2);
}
const TICKS_PER_S = 100;
const t0 = performance.now();
const progress = (text: string) => process.stderr.write(`[bench:load ${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${text}\n`);
const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString('en-US')} ms` : '—');

type TRoomResult = { dispatchMs: number; greetingMs: number; voiceMs: number | null; error?: string };

async function oneRoom(stack: TestStack, scenarioId: string, line: Awaited<ReturnType<typeof fliteClip>>): Promise<TRoomResult> {
  const caller = traineeCaller(stack);
  const asked = Date.now();
  const started = await caller.session.start({ scenarioId });
  const trainee = new TestParticipant();
  trainee.room.registerByteStreamHandler('lk.agent.session', (reader) => void reader.readAll().catch(() => {}));
  try {
    await trainee.join(started.serverUrl, started.token);
    await trainee.publishMicrophone();
    await waitFor('the agent in the room', async () => trainee.agent, (a) => a !== null, 60_000);
    const dispatchMs = Date.now() - asked;
    const greeting = await trainee.waitForAgentReply(0, 90_000);
    const greetingMs = greeting.startedAt - asked;
    // Answer once the greeting is over, as a person would.
    await new Promise((r) => setTimeout(r, Math.max(0, greeting.endedAt + 500 - Date.now())));
    const endOfSpeech = await trainee.say(line.samples, line.sampleRate);
    const reply = await trainee.waitForAgentReply(endOfSpeech, 90_000).catch(() => null);
    return { dispatchMs, greetingMs, voiceMs: reply ? reply.startedAt - endOfSpeech : null };
  } catch (error) {
    return { dispatchMs: Number.NaN, greetingMs: Number.NaN, voiceMs: null, error: (error as Error).message };
  } finally {
    await trainee.leave().catch(() => {});
  }
}

progress('starting the stack (embedded database, livekit-server, agent worker on local engines)');
const line = await fliteClip('Before we sign, let me show you what protection is available for your new car.');
const stack = await startTestStack();
// With AGENT_WARM_PROCESSES=N the worker loads N job processes one after another: start measuring
// once all of them are ready, as a worker that has been up for a while would be.
const warm = Number(process.env.AGENT_WARM_PROCESSES ?? 1);
const agentLog = path.join(stack.logDir, 'agent.log');
while (readFileSync(agentLog, 'utf8').split('job process ready').length - 1 < warm) await new Promise((r) => setTimeout(r, 200));
progress(`${warm} warm job process(es) ready`);
const rows: string[] = [];
let crossedAt: number | null = null;
try {
  const scenarioId = (await traineeCaller(stack).scenario.list()).find((s) => s.mode === 'roleplay')!.id;
  const workerPid = stack.agent.child.pid!;
  for (const n of LEVELS) {
    const idleMb = processTreeMemory(workerPid).reduce((sum, p) => sum + p.rssMb, 0);
    const before = cpuSnapshot();
    progress(`${n} room(s) at once…`);
    let peakMb = idleMb;
    const sampler = setInterval(() => {
      peakMb = Math.max(peakMb, processTreeMemory(workerPid).reduce((sum, p) => sum + p.rssMb, 0));
    }, 1000);
    const results = await Promise.all(Array.from({ length: n }, () => oneRoom(stack, scenarioId, line)));
    clearInterval(sampler);
    const after = cpuSnapshot();
    const wallS = (after.at - before.at) / 1000;
    const cpuS = (groupTicks(after.procs.values(), workerPid) - groupTicks(before.procs.values(), workerPid)) / TICKS_PER_S;
    const ok = results.filter((r) => !r.error);
    const voice = ok.map((r) => r.voiceMs).filter((v): v is number => v !== null);
    const p95Voice = percentile(voice, 95);
    if (crossedAt === null && p95Voice > 1000) crossedAt = n;
    rows.push(
      [
        String(n).padStart(5),
        `${ok.length}/${n}`.padStart(6),
        `${ms(percentile(ok.map((r) => r.dispatchMs), 50))} / ${ms(percentile(ok.map((r) => r.dispatchMs), 95))}`.padStart(21),
        `${ms(percentile(ok.map((r) => r.greetingMs), 50))} / ${ms(percentile(ok.map((r) => r.greetingMs), 95))}`.padStart(21),
        `${ms(percentile(voice, 50))} / ${ms(p95Voice)}`.padStart(21),
        `${Math.round((peakMb - idleMb) / n)} MB`.padStart(9),
        `${(cpuS / n).toFixed(1)} s`.padStart(8),
        `${wallS.toFixed(0)} s`.padStart(6),
      ].join('  '),
    );
    for (const r of results.filter((x) => x.error)) progress(`a room failed: ${r.error}`);
    // Let the sessions end and the worker's pool refill before the next level.
    await new Promise((r) => setTimeout(r, 8000));
  }
} finally {
  await stack.stop();
  await dispose();
}

process.stdout.write(
  [
    '',
    `bench:load — concurrent practice rooms on one agent worker (local engines), load average now ${loadAverage()}`,
    'rooms  served   dispatch p50 / p95    greeting p50 / p95   voice-to-voice p50/p95  RSS/room  CPU/room  wall',
    ...rows,
    '',
    'dispatch = session.start asked → agent in the room; greeting = session.start asked → first greeting audio;',
    'voice-to-voice = end of the trainee line → first reply audio; RSS/room = worker peak over idle ÷ rooms.',
    crossedAt === null ? 'voice-to-voice p95 stayed ≤ 1 s at every level measured' : `voice-to-voice p95 crossed 1 s at ${crossedAt} room(s)`,
    '',
  ].join('\n'),
);
