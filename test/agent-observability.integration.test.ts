import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dispose } from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { synthesizeWav } from '../agent/src/providers/flite-process';
import { parsePcmWav } from '../agent/src/providers/wav';
import { freeTcpPort } from '../scripts/lib/processes';
import { sessionRow, traineeCaller, waitFor } from './harness/app';
import { joinAsTrainee } from './harness/participant';
import { type TestStack, startTestStack } from './harness/stack';

/**
 * "Why was this session slow?" answered from the running worker: one spoken role-play through a
 * real room, then the agent's Prometheus endpoint (fed by the job process that ran the session)
 * and its log file, where every line of the session carries the session's fields.
 */
let stack: TestStack;
let metricsUrl: string;
const TOKEN = 'agent-scrape-token-for-tests';

beforeAll(async () => {
  const port = await freeTcpPort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  stack = await startTestStack({ agentEnv: { AGENT_METRICS_PORT: String(port), METRICS_TOKEN: TOKEN } });
});
afterAll(async () => {
  await stack?.stop();
  await dispose();
});

async function scrape(): Promise<(series: string, ...labels: string[]) => number> {
  const res = await fetch(metricsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  const lines = (await res.text()).split('\n');
  return (series, ...labels) => {
    const line = lines.find((l) => (l.startsWith(`${series}{`) || l.startsWith(`${series} `)) && labels.every((x) => l.includes(x)));
    return Number(line?.split(' ').at(-1) ?? Number.NaN);
  };
}

describe('the agent worker’s metrics and logs for one session', () => {
  it('counts the voice latency stages, the greeting and the session end, and tags the session’s log lines', async () => {
    onTestFailed(() => {
      process.stderr.write(`agent log tail:\n${stack.agent.tail().join('\n')}\n(logs in ${stack.logDir})\n`);
    });
    expect((await fetch(metricsUrl)).status).toBe(401);
    const before = await scrape();
    expect(before('avatar_adam_active_sessions')).toBe(0);

    const requestId = `it-${Date.now()}`;
    const caller = traineeCaller(stack, { requestId });
    const scenario = (await caller.scenario.list()).find((s) => s.mode === 'roleplay')!;
    const started = await caller.session.start({ scenarioId: scenario.id });
    const trainee = await joinAsTrainee(started);
    await trainee.waitForAgentReply(0, 45_000);
    const during = await waitFor('the session counted as active', scrape, (m) => m('avatar_adam_active_sessions') === 1, 10_000);
    expect(during('avatar_adam_sessions_started_total', 'mode="roleplay"', 'channel="web"')).toBe(1);

    const wav = parsePcmWav((await synthesizeWav('flite', { voice: 'rms', text: 'Let me show you the protection options for your car.' }))!);
    const endOfSpeech = await trainee.say(wav.samples, wav.sampleRate);
    await trainee.waitForAgentReply(endOfSpeech, 45_000);
    await trainee.leave();
    await waitFor('session ended', () => sessionRow(stack, started.sessionId), (r) => r.status === 'ended', 30_000);

    // The job process reports as it goes; the end reaches the supervisor before the process exits.
    const after = await waitFor('the session end counted', scrape, (m) => m('avatar_adam_sessions_ended_total', 'reason="trainee_left"') === 1, 15_000);
    expect(after('avatar_adam_active_sessions')).toBe(0);
    expect(after('avatar_adam_voice_stage_seconds_count', 'stage="llm_ttft"')).toBeGreaterThan(0);
    expect(after('avatar_adam_voice_stage_seconds_count', 'stage="tts_ttfb"')).toBeGreaterThan(0);
    expect(after('avatar_adam_voice_stage_seconds_count', 'stage="transcription"')).toBeGreaterThan(0);
    expect(after('avatar_adam_voice_to_voice_seconds_count')).toBeGreaterThan(0);
    expect(after('avatar_adam_session_greeting_seconds_count')).toBe(1);
    expect(after('avatar_adam_session_greeting_seconds_sum')).toBeGreaterThan(0);
    expect(after('avatar_adam_agent_process_resident_memory_bytes')).toBeGreaterThan(0);

    // The log file: the job's first line names the web request; its lines carry the session's fields.
    const lines = readFileSync(path.join(stack.logDir, 'agent.log'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const dispatched = lines.find((l) => l.msg === 'practice session dispatched' && l.sessionId === started.sessionId);
    expect(dispatched).toMatchObject({ requestId, roomName: started.roomName, dealershipId: stack.seeded.dealershipId, jobId: expect.any(String) });
    const session = lines.filter((l) => l.sessionId === started.sessionId);
    for (const line of session) expect(line).toMatchObject({ roomName: started.roomName, jobId: dispatched!.jobId });
    const messages = new Set(session.map((l) => l.msg));
    for (const msg of ['greeting started', 'reply latency', 'practice session ended']) expect(messages).toContain(msg);
    // Not only ours: agents-js's voice pipeline logs through the same (bound) process logger.
    expect(messages).toContain('end of user turn');
  });
});
