import { readFileSync } from 'node:fs';
import { listSessionTurns } from '@avatar-adam/db';
import path from 'node:path';
import { dispose } from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { processTreeMemory } from '../scripts/lib/proc-stats';
import { sessionRow, startSessionAndHearAgent, traineeCaller, waitFor } from './harness/app';
import { startTestStack, type TestStack } from './harness/stack';

/**
 * `AGENT_WARM_ENGINES=off`: the worker keeps its warm job process, but that process holds only the
 * code (Node, agents-js, the session's modules). The VAD and the voices load when a session
 * arrives, while the job loads the session and joins the room; the session still greets, and
 * the pool's replacement process again waits without engines.
 */
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ agentEnv: { AGENT_WARM_ENGINES: 'off' } });
});
afterAll(async () => {
  await stack?.stop();
  await dispose();
});

const agentLog = () => readFileSync(path.join(stack.logDir, 'agent.log'), 'utf8');
const count = (text: string) => agentLog().split(text).length - 1;

describe('an agent worker whose warm job process waits without engines', () => {
  it('keeps a job process that has loaded no engine, and a session on it loads them and greets', async () => {
    onTestFailed(() => {
      process.stderr.write(`agent log tail:\n${stack.agent.tail().join('\n')}\n(logs in ${stack.logDir})\n`);
    });
    const tree = () => processTreeMemory(stack.agent.child.pid!);
    await waitFor('warm job process', async () => tree().length, (n) => n === 2, 30_000);
    expect(count('job process ready')).toBe(1);
    expect(agentLog()).toMatch(/"engines":"with the session".*job process ready|job process ready.*"engines":"with the session"/);
    expect(count('speech engines loaded')).toBe(0);

    // The job worker synthesises the seeded role-play greetings ahead of their first session.
    const roleplays = (await traineeCaller(stack).scenario.list()).filter((s) => s.mode === 'roleplay').length;
    const jobsLog = () => readFileSync(path.join(stack.logDir, 'jobs.log'), 'utf8');
    await waitFor('role-play greetings kept', async () => jobsLog().split('greeting ready ahead of the first session').length - 1, (n) => n >= roleplays, 60_000);
    expect(jobsLog()).toContain('"outcome":"kept"');

    const { started, trainee } = await startSessionAndHearAgent(stack, 'roleplay', 'warm process without engines, greeting kept');
    await waitFor('session live', () => sessionRow(stack, started.sessionId), (r) => r.status === 'live');
    expect(count('speech engines loaded')).toBe(1);
    expect(agentLog().split('\n').find((l) => l.includes('"greeting audio"') && l.includes(started.sessionId))).toContain('"kept":true');

    await trainee.leave();
    const ended = await waitFor('session ended', () => sessionRow(stack, started.sessionId), (r) => r.status === 'ended');
    expect(ended.endReason).toBe('trainee_left');
    // The pool's replacement waits, again without engines: none loaded besides the session's.
    await waitFor('replacement ready', async () => count('job process ready'), (n) => n === 2, 30_000);
    expect(count('speech engines loaded')).toBe(1);
  });

  it('plays a coach greeting (it names the trainee) synthesised by its first session from the next one on', async () => {
    onTestFailed(() => {
      process.stderr.write(`agent log tail:\n${stack.agent.tail().join('\n')}\n(logs in ${stack.logDir})\n`);
    });
    const greetingOf = (sessionId: string) => agentLog().split('\n').find((l) => l.includes('"greeting audio"') && l.includes(sessionId));

    const first = await startSessionAndHearAgent(stack, 'coach', 'coach greeting synthesised');
    expect(greetingOf(first.started.sessionId)).toContain('"kept":false');
    const keptBy = (sessionId: string) => agentLog().split('\n').some((l) => l.includes('greeting kept for the next session') && l.includes(sessionId));
    await waitFor('greeting kept', async () => keptBy(first.started.sessionId), Boolean);
    await first.trainee.leave();
    await waitFor('session ended', () => sessionRow(stack, first.started.sessionId), (r) => r.status === 'ended');

    const { started, trainee } = await startSessionAndHearAgent(stack, 'coach', 'coach greeting played from its kept recording');
    const live = await waitFor('session live', () => sessionRow(stack, started.sessionId), (r) => r.status === 'live');
    expect(greetingOf(started.sessionId)).toContain('"kept":true');
    // The greeting is in the transcript as text, whether it was synthesised or played.
    const { db } = stack;
    const turns = await waitFor(
      'greeting turn',
      () => listSessionTurns({ db, sessionId: started.sessionId, dealershipId: live.dealershipId }),
      (t) => t.length >= 1,
      30_000,
    );
    expect(turns[0]).toMatchObject({ speaker: 'agent' });
    expect(turns[0]!.text).toMatch(/^Hi \w+, I'm .*coach/);
    await trainee.leave();
    await waitFor('session ended', () => sessionRow(stack, started.sessionId), (r) => r.status === 'ended');
  });
});
