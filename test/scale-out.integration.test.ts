import { readFileSync } from 'node:fs';
import { listSessionTurns } from '@avatar-adam/db';
import { dispose } from '@livekit/rtc-node';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { sessionRow, traineeCaller, waitFor } from './harness/app';
import { joinAsTrainee } from './harness/participant';
import { type TAgentWorker, type TestStack, startTestStack } from './harness/stack';

/**
 * Two agent worker processes registered with one LiveKit server under the same name: LiveKit
 * spreads sessions over both, and when one worker dies with a session in progress, the survivor's
 * maintenance pass fails that session (its turns kept) and takes the next session on its own.
 */
let stack: TestStack;
let workers: TAgentWorker[];
let rooms: RoomServiceClient;

beforeAll(async () => {
  // A session nobody joins is ended by its agent after 3 s: the first test's sessions free their worker
  // quickly. A dead worker's session is failed after 9 s without a beat instead of 45 s.
  stack = await startTestStack({ agentEnv: { AGENT_TRAINEE_JOIN_SECONDS: '3', AGENT_SESSION_LOST_SECONDS: '9' } });
  const second = await stack.startAnotherWorker('agent-2');
  workers = [{ process: stack.agent, httpPort: 0, logFile: `${stack.logDir}/agent.log` }, second];
  rooms = new RoomServiceClient(stack.livekit.url, stack.livekit.apiKey, stack.livekit.apiSecret);
}, 240_000);
afterAll(async () => {
  await stack?.stop();
  await dispose();
});

/** Which worker LiveKit gave the session's room to, from that worker's "received job request" line. */
async function workerOf(roomName: string): Promise<number> {
  const [room] = await waitFor('the room', () => rooms.listRooms([roomName]), (r) => r.length === 1, 15_000);
  const taken = await waitFor(
    `a worker to receive the job of ${roomName}`,
    async () =>
      workers.map((w) =>
        readFileSync(w.logFile, 'utf8')
          .split('\n')
          .some((line) => line.includes('received job request') && line.includes(`"room_id":"${room!.sid}"`)),
      ),
    (seen) => seen.includes(true),
    20_000,
  );
  return taken.indexOf(true);
}

async function startSession() {
  const caller = traineeCaller(stack);
  const scenario = (await caller.scenario.list()).find((s) => s.mode === 'roleplay')!;
  return caller.session.start({ scenarioId: scenario.id });
}

describe('two agent workers', () => {
  it('share the sessions of one LiveKit server', async () => {
    const seen = new Set<number>();
    // LiveKit picks a worker at random weighted by spare capacity: ten tries miss one of two idle
    // workers with a chance of 1 in 512.
    for (let i = 0; i < 10 && seen.size < 2; i++) {
      const started = await startSession();
      seen.add(await workerOf(started.roomName));
      // Nobody joins: the agent ends the session and its job process exits.
      const closed = await waitFor('session closed', () => sessionRow(stack, started.sessionId), (r) => r.status === 'ended', 30_000);
      expect(closed.endReason).toBe('trainee_no_show');
    }
    expect([...seen].sort()).toEqual([0, 1]);
  }, 300_000);

  it('when a worker dies mid-session, the other fails that session with its turns kept and takes the next one', async () => {
    onTestFailed(() => {
      process.stderr.write(`logs in ${stack.logDir}\n${workers[1]!.process.tail().slice(-30).join('\n')}\n`);
    });
    // A live session, held by whichever worker LiveKit chose.
    let started = await startSession();
    let holder = await workerOf(started.roomName);
    const trainee = await joinAsTrainee(started);
    await trainee.waitForAgentReply(0, 45_000);
    await waitFor('session live', () => sessionRow(stack, started.sessionId), (r) => r.status === 'live', 30_000);
    // The greeting is stored once it has been spoken.
    const before = await waitFor(
      'the greeting stored',
      () => listSessionTurns({ db: stack.db, sessionId: started.sessionId, dealershipId: stack.seeded.dealershipId }),
      (turns) => turns.length > 0,
      30_000,
    );

    // The holding worker crashes: supervisor and job processes at once, no shutdown code runs.
    const dead = workers[holder]!;
    process.kill(-dead.process.child.pid!, 'SIGKILL');
    await dead.process.exited;
    const survivor = workers[1 - holder]!;

    // The survivor's maintenance pass (every 3 s here) fails it once the heartbeat is 9 s overdue.
    const failed = await waitFor('the session failed by the other worker', () => sessionRow(stack, started.sessionId), (r) => r.status === 'failed', 60_000);
    expect(failed.endReason).toBe('agent_lost');
    const after = await listSessionTurns({ db: stack.db, sessionId: started.sessionId, dealershipId: stack.seeded.dealershipId });
    expect(after.map((t) => [t.sequence, t.text])).toEqual(before.map((t) => [t.sequence, t.text]));
    await trainee.leave();

    // The next session goes to the survivor, and it is served.
    started = await startSession();
    holder = await workerOf(started.roomName);
    expect(workers[holder]).toBe(survivor);
    const next = await joinAsTrainee(started);
    await next.waitForAgentReply(0, 45_000);
    expect((await waitFor('next session live', () => sessionRow(stack, started.sessionId), (r) => r.status === 'live', 30_000)).status).toBe('live');
    await next.leave();
  }, 300_000);
});
