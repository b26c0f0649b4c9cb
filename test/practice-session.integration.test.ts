import { dispose } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { sessionRow as sessionRowOf, traineeCaller, waitFor } from './harness/app';
import { TestParticipant } from './harness/participant';
import { startTestStack, type TestStack } from './harness/stack';

/**
 * The foundation's vertical slice through real processes: tRPC `session.start` creates the row and
 * the LiveKit room with the agent dispatched → a WebRTC participant joins → the agent worker joins,
 * greets with audible speech and marks the session live → the participant leaves → the session ends.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ agentEnv: { AGENT_TRAINEE_JOIN_SECONDS: '5' } });
});
afterAll(async () => {
  await stack?.stop();
  await dispose();
});

const sessionRow = (id: string) => sessionRowOf(stack, id);

describe.each(['roleplay', 'coach'] as const)('a %s practice session through a real LiveKit room', (mode) => {
  it('the agent joins, greets audibly, goes live, and ends when the trainee leaves', async () => {
    onTestFailed(() => {
      process.stderr.write(`agent log tail:\n${stack.agent.tail().join('\n')}\n(logs in ${stack.logDir})\n`);
    });
    const caller = traineeCaller(stack);
    const scenario = (await caller.scenario.list()).find((s) => s.mode === mode)!;
    const clickedAt = Date.now();
    const started = await caller.session.start({ scenarioId: scenario.id });
    expect((await sessionRow(started.sessionId)).status).toBe('pending');

    const trainee = new TestParticipant();
    await trainee.join(started.serverUrl, started.token);
    // Generous: the second session may get a job process that is still loading its engines.
    await trainee.waitForAgentSpeech(45_000);
    expect(trainee.agent).not.toBeNull();
    expect(trainee.sampleRate).toBeGreaterThanOrEqual(8000);
    process.stdout.write(`[${mode}] start → first agent audio: ${trainee.firstSpeechAt! - clickedAt} ms\n`);

    const live = await waitFor('session live', () => sessionRow(started.sessionId), (r) => r.status === 'live');
    expect(live.liveAt).toBeInstanceOf(Date);

    await trainee.leave();
    const ended = await waitFor('session ended', () => sessionRow(started.sessionId), (r) => r.status === 'ended');
    expect(ended.endReason).toBe('trainee_left');
    expect(ended.endedAt!.getTime()).toBeGreaterThanOrEqual(live.liveAt!.getTime());
  });
});

describe('a practice session the trainee never joins', () => {
  it('is ended by the agent after the join timeout, and its job process leaves the room', async () => {
    onTestFailed(() => {
      process.stderr.write(`agent log tail:\n${stack.agent.tail().join('\n')}\n(logs in ${stack.logDir})\n`);
    });
    const caller = traineeCaller(stack);
    const scenario = (await caller.scenario.list()).find((s) => s.mode === 'roleplay')!;
    const started = await caller.session.start({ scenarioId: scenario.id });
    const rooms = new RoomServiceClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret);
    // The agent joins and waits (AGENT_TRAINEE_JOIN_SECONDS=5 for this stack), then gives up.
    await waitFor('agent in the room', () => rooms.listParticipants(started.roomName), (ps) => ps.length === 1, 30_000);
    const ended = await waitFor('session ended', () => sessionRow(started.sessionId), (r) => r.status === 'ended', 30_000);
    expect(ended.endReason).toBe('trainee_no_show');
    expect(ended.liveAt).toBeNull();
    await waitFor('agent gone', () => rooms.listParticipants(started.roomName).catch(() => []), (ps) => ps.length === 0, 15_000);
  });
});
