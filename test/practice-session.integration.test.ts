import { practiceSessions } from '@avatar-adam/db/schema';
import { DEMO_USERS } from '@avatar-adam/db/seed';
import { dispose } from '@livekit/rtc-node';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { createCaller } from '../web/src/server/api/root';
import { createTRPCContext } from '../web/src/server/api/trpc';
import { createLiveKitService } from '../web/src/server/livekit';
import { TestParticipant } from './harness/participant';
import { startTestStack, type TestStack } from './harness/stack';

/**
 * The foundation's vertical slice through real processes: tRPC `session.start` creates the row and
 * the LiveKit room with the agent dispatched → a WebRTC participant joins → the agent worker joins,
 * greets with audible speech and marks the session live → the participant leaves → the session ends.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
  await dispose();
});

async function sessionRow(id: string) {
  const [row] = await stack.db.select().from(practiceSessions).where(eq(practiceSessions.id, id));
  return row!;
}

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!ok(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
    last = await read();
  }
  return last;
}

function traineeCaller() {
  const trainee = DEMO_USERS.find((u) => u.role === 'trainee')!;
  const session = {
    user: {
      id: stack.seeded.userIds.trainee!,
      email: trainee.email,
      name: trainee.name,
      role: 'trainee' as const,
      dealershipId: stack.seeded.dealershipId,
    },
    expires: new Date(Date.now() + 3600_000).toISOString(),
  };
  const livekit = createLiveKitService({
    apiUrl: stack.livekit.url,
    publicUrl: stack.livekit.url,
    apiKey: stack.livekit.apiKey,
    apiSecret: stack.livekit.apiSecret,
    agentName: stack.agentName,
  });
  return createCaller(createTRPCContext({ db: stack.db, session, livekit, logger: pino({ level: 'silent' }) }));
}

describe.each(['roleplay', 'coach'] as const)('a %s practice session through a real LiveKit room', (mode) => {
  it('the agent joins, greets audibly, goes live, and ends when the trainee leaves', async () => {
    onTestFailed(() => {
      process.stderr.write(`agent log tail:\n${stack.agent.tail().join('\n')}\n(logs in ${stack.logDir})\n`);
    });
    const caller = traineeCaller();
    const scenario = (await caller.scenario.list()).find((s) => s.mode === mode)!;
    const clickedAt = Date.now();
    const started = await caller.session.start({ scenarioId: scenario.id });
    expect((await sessionRow(started.sessionId)).status).toBe('pending');

    const trainee = new TestParticipant();
    await trainee.join(started.serverUrl, started.token);
    await trainee.waitForAgentSpeech(20_000);
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
