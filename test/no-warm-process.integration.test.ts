import { dispose } from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { processTreeMemory } from '../scripts/lib/proc-stats';
import { sessionRow, startSessionAndHearAgent, waitFor } from './harness/app';
import { startTestStack, type TestStack } from './harness/stack';

/**
 * `AGENT_WARM_PROCESSES=0`: the worker keeps no job process while idle (agents-js itself cannot be
 * told 0, see agent/src/warm-processes.ts), and a session still gets one, started for it, which
 * loads its engines while it joins, greets, and goes away when the session ends — and with it the
 * job from the worker's count (patches/README.md).
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ agentEnv: { AGENT_WARM_PROCESSES: '0' } });
});
afterAll(async () => {
  await stack?.stop();
  await dispose();
});

const workerTree = () => processTreeMemory(stack.agent.child.pid!);

describe('an agent worker without warm job processes', () => {
  it('holds no job process while idle, starts one for a session that greets, and is alone again after it', async () => {
    onTestFailed(() => {
      process.stderr.write(`agent log tail:\n${stack.agent.tail().join('\n')}\n(logs in ${stack.logDir})\n`);
    });
    // Give a pool that would warm a process the time to start one.
    await new Promise((r) => setTimeout(r, 3000));
    expect(workerTree().map((p) => p.pid)).toEqual([stack.agent.child.pid]);

    const { started, trainee } = await startSessionAndHearAgent(stack, 'roleplay', 'no warm process');
    expect(workerTree().length).toBeGreaterThan(1);
    await waitFor('session live', () => sessionRow(stack, started.sessionId), (r) => r.status === 'live');

    await trainee.leave();
    const ended = await waitFor('session ended', () => sessionRow(stack, started.sessionId), (r) => r.status === 'ended');
    expect(ended.endReason).toBe('trainee_left');
    await waitFor('job process gone', async () => workerTree().length, (n) => n === 1, 30_000);
    // The job is no longer counted as active, so the load the worker reports to LiveKit is back
    // to zero (agents-js 1.9.0 kept it, see patches/README.md: LiveKit stopped dispatching after
    // a few sessions).
    const info = await waitFor(
      'no active job',
      async () => (await (await fetch(`${stack.agentHealthUrl}/worker`)).json()) as { active_jobs: number },
      (w) => w.active_jobs === 0,
      10_000,
    );
    expect(info.active_jobs).toBe(0);
  });
});
