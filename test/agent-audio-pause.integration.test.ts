// The agent's audio output through a real livekit-server: a pause (a possible barge-in) silences
// the agent's track, and the resume plays the sentence on from where it stopped, losing nothing
// (patches/@livekit+agents+1.9.0.patch; the logic is unit-tested in
// agent/src/session/audio-output-pause.test.ts). A listener participant counts what it hears.
import { findRepoRoot } from '@avatar-adam/db';
import { initializeLogger } from '@livekit/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPauseRoom, type TPauseRoom } from '../scripts/lib/pause-playout';

let room: TPauseRoom;

beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'warn' });
  room = await openPauseRoom(findRepoRoot());
});

afterAll(async () => {
  await room?.close();
});

describe('agent audio output in a real room: pause and resume', () => {
  it('goes silent on a pause mid-reply and, resumed, plays every frame of it exactly once', async () => {
    const r = await room.playWithPause({ holdAudioOnPause: true, totalMs: 3000, pauseAfterMs: 1000 });
    console.log(`pause mid-reply: last audio ${r.heardAfterPauseMs} ms after the pause; heard ${r.heardMs} of 3000 ms`);
    expect(r.heardWhilePausedMs).toBe(0);
    expect(r.heardMs).toBeGreaterThanOrEqual(3000 - 20);
    expect(r.heardMs).toBeLessThanOrEqual(3000 + 20);
    expect(r.finished).toMatchObject({ interrupted: false });
    expect(r.finished.playbackPosition).toBeCloseTo(3, 1);
  });

  it('also when the last frame was already handed over before the pause', async () => {
    // 1.5 s of tone: every frame is queued by ~1.3 s, the pause comes at 1.4 s
    const r = await room.playWithPause({ holdAudioOnPause: true, totalMs: 1500, pauseAfterMs: 1400 });
    console.log(`pause after the last frame: last audio ${r.heardAfterPauseMs} ms after the pause; heard ${r.heardMs} of 1500 ms`);
    expect(r.heardWhilePausedMs).toBe(0);
    expect(r.heardMs).toBeGreaterThanOrEqual(1500 - 20);
    expect(r.heardMs).toBeLessThanOrEqual(1500 + 20);
  });

  it("loses the queued audio with agents-js's own pause (AGENT_PAUSE_HOLDS_AUDIO=off), which the held pause does not", async () => {
    const r = await room.playWithPause({ holdAudioOnPause: false, totalMs: 3000, pauseAfterMs: 1000 });
    console.log(`stock pause mid-reply: last audio ${r.heardAfterPauseMs} ms after the pause; heard ${r.heardMs} of 3000 ms`);
    expect(r.heardMs).toBeLessThan(3000 - 100);
  });
});
