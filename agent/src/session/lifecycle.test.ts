import { initializeLogger, log, voice } from '@livekit/agents';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RecordingLLM, systemTexts } from '../testing/recording-llm';
import { HEARTBEAT_TIMEOUT_MS } from '@avatar-adam/db';
import { IDLE_PROMPT_INSTRUCTIONS, enforceConversationLimits, sessionLossTimings } from './lifecycle';
import type { TSessionData } from './metadata';
import type { TEndReason } from './session-end';

/** Idle check-ins and the time limit, on the text-only AgentSession with a recording LLM. */
let session: voice.AgentSession<TSessionData> | undefined;
let stop: (() => void) | undefined;

beforeAll(() => initializeLogger({ pretty: false, level: 'silent' }));
afterEach(async () => {
  stop?.();
  await session?.close().catch(() => {});
  session = undefined;
});

async function start(limits: { maxIdlePrompts: number; maxSessionMinutes: number }, userAwayTimeout = 0.3) {
  const recording = new RecordingLLM('Are you still there?');
  session = new voice.AgentSession<TSessionData>({ llm: recording, userAwayTimeout });
  await session.start({ agent: new voice.Agent({ instructions: 'You are a customer.' }) });
  const ended: TEndReason[] = [];
  stop = enforceConversationLimits({
    session,
    limits: { idleAfterSeconds: userAwayTimeout, ...limits },
    end: (reason) => ended.push(reason),
    logger: log(),
  });
  return { recording, ended };
}

describe('enforceConversationLimits', () => {
  it('checks in on a quiet trainee, then ends the session after the allowed check-ins', async () => {
    const { recording, ended } = await start({ maxIdlePrompts: 1, maxSessionMinutes: 10 });
    await vi.waitFor(() => expect(recording.received.length).toBeGreaterThan(0), { timeout: 5000 });
    expect(systemTexts(recording.received[0]!).join('\n')).toContain(IDLE_PROMPT_INSTRUCTIONS);
    await vi.waitFor(() => expect(ended).toEqual(['trainee_idle']), { timeout: 5000 });
    expect(recording.received).toHaveLength(1);
  });

  it('ends the session at the time limit', async () => {
    const { ended } = await start({ maxIdlePrompts: 5, maxSessionMinutes: 0.01 }, 60);
    await vi.waitFor(() => expect(ended).toEqual(['time_limit']), { timeout: 5000 });
  });
});

describe('sessionLossTimings', () => {
  it('keeps the defaults: a beat every 10 s, a reaper pass every 15 s, lost after the database default of 45 s', () => {
    expect(sessionLossTimings(45)).toEqual({ reapAfterMs: HEARTBEAT_TIMEOUT_MS, heartbeatIntervalMs: 10_000, maintenanceIntervalMs: 15_000 });
  });

  it('scales a shorter setting so that a session is never failed before four beats were missed', () => {
    const t = sessionLossTimings(6);
    expect(t).toEqual({ reapAfterMs: 6_000, heartbeatIntervalMs: 1_333, maintenanceIntervalMs: 2_000 });
    expect(t.reapAfterMs / t.heartbeatIntervalMs).toBeGreaterThan(4);
  });
});
