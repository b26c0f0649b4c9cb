// The agent's audio output through a real livekit-server: a pause (a possible barge-in) silences
// the agent's track, and the resume plays the sentence on from where it stopped, losing nothing
// (patches/@livekit+agents+1.9.0.patch; the logic is unit-tested in
// agent/src/session/audio-output-pause.test.ts). A listener participant counts what it hears.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findRepoRoot } from '@avatar-adam/db';
import { initializeLogger, voice } from '@livekit/agents';
import { AudioFrame, AudioStream, type RemoteTrack, Room, RoomEvent, TrackKind } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLivekitServer } from '../scripts/lib/livekit-binary';
import { readLivekitKeys, startLivekitServer, writeLivekitConfig } from '../scripts/lib/livekit-server';
import { freeTcpPort, type ManagedProcess } from '../scripts/lib/processes';

const RATE = 48_000;
const FRAME_MS = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let server: ManagedProcess;
let workDir: string;
let url: string;
let keys: { apiKey: string; apiSecret: string };
let listener: Room;
/** Arrival time and loudness of every frame the listener receives. */
const heard: { at: number; rms: number; ms: number }[] = [];

async function token(identity: string): Promise<string> {
  const at = new AccessToken(keys.apiKey, keys.apiSecret, { identity });
  at.addGrant({ room: 'pause-test', roomJoin: true, canPublish: true, canSubscribe: true });
  return at.toJwt();
}

/** A continuous 440 Hz tone, `FRAME_MS` at a time, as a TTS would push it. */
function toneFrame(index: number): AudioFrame {
  const n = (RATE * FRAME_MS) / 1000;
  const data = new Int16Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (index * n + i)) / RATE));
  return new AudioFrame(data, RATE, 1, n);
}

beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'warn' });
  workDir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-pause-'));
  const ports = { http: await freeTcpPort(), rtcTcp: await freeTcpPort(), rtcUdp: await freeTcpPort() };
  const configFile = writeLivekitConfig(findRepoRoot(), workDir, ports);
  server = await startLivekitServer({ bin: await ensureLivekitServer(() => {}), configFile, httpPort: ports.http });
  keys = readLivekitKeys(configFile);
  url = `ws://127.0.0.1:${ports.http}`;
  listener = new Room();
  listener.on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
    if (track.kind !== TrackKind.KIND_AUDIO) return;
    void (async () => {
      for await (const frame of new AudioStream(track, { sampleRate: RATE, numChannels: 1 })) {
        let sum = 0;
        for (const s of frame.data) sum += s * s;
        heard.push({ at: Date.now(), rms: Math.sqrt(sum / frame.data.length), ms: (frame.samplesPerChannel / frame.sampleRate) * 1000 });
      }
    })();
  });
  await listener.connect(url, await token('listener'), { autoSubscribe: true, dynacast: false });
});

afterAll(async () => {
  await listener?.disconnect();
  await server?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/**
 * Plays `totalMs` of tone through an agent participant's ParticipantAudioOutput, pausing it
 * `pauseAfterMs` after the first frame for a second. `allPushedBeforePause`: the reply's last
 * frame has been handed over before the pause (the TTS finished first), which is when stock
 * agents-js lets the whole queue play on.
 */
async function playWithPause(opts: { holdAudioOnPause: boolean; totalMs: number; pauseAfterMs: number }) {
  const agent = new Room();
  await agent.connect(url, await token(`agent-${opts.holdAudioOnPause}-${opts.totalMs}`), { autoSubscribe: false, dynacast: false });
  try {
    const output = new voice.ParticipantAudioOutput(agent, {
      sampleRate: RATE,
      numChannels: 1,
      queueSizeMs: 200,
      trackPublishOptions: undefined as never,
      holdAudioOnPause: opts.holdAudioOnPause,
    });
    await output.start(new AbortController().signal);
    await sleep(800);
    heard.length = 0;
    let firstAt = 0;
    const pushing = (async () => {
      for (let i = 0; i < opts.totalMs / FRAME_MS; i++) {
        const captured = output.captureFrame(toneFrame(i));
        firstAt ||= Date.now();
        await captured;
      }
      output.flush();
    })();
    while (!firstAt) await sleep(5);
    await sleep(opts.pauseAfterMs - (Date.now() - firstAt));
    const pausedAt = Date.now();
    output.pause();
    await sleep(1000);
    const resumedAt = Date.now();
    output.resume();
    await pushing;
    const finished = await output.waitForPlayout();
    await sleep(400);
    const audible = heard.filter((h) => h.rms > 500);
    const total = (frames: typeof heard) => Math.round(frames.reduce((ms, h) => ms + h.ms, 0));
    return {
      finished,
      heardMs: total(audible),
      lastBeforeResumeMs: (audible.filter((h) => h.at < resumedAt).at(-1)?.at ?? pausedAt) - pausedAt,
      // what still played once the pause had had 300 ms to reach the listener
      heardWhilePausedMs: total(audible.filter((h) => h.at > pausedAt + 300 && h.at < resumedAt)),
    };
  } finally {
    await agent.disconnect();
  }
}

describe('agent audio output in a real room: pause and resume', () => {
  it('goes silent on a pause mid-reply and, resumed, plays every frame of it exactly once', async () => {
    const r = await playWithPause({ holdAudioOnPause: true, totalMs: 3000, pauseAfterMs: 1000 });
    console.log(`pause mid-reply: last audio ${r.lastBeforeResumeMs} ms after the pause; heard ${r.heardMs} of 3000 ms`);
    expect(r.heardWhilePausedMs).toBe(0);
    expect(r.heardMs).toBeGreaterThanOrEqual(3000 - 20);
    expect(r.heardMs).toBeLessThanOrEqual(3000 + 20);
    expect(r.finished).toMatchObject({ interrupted: false });
    expect(r.finished.playbackPosition).toBeCloseTo(3, 1);
  });

  it('also when the last frame was already handed over before the pause', async () => {
    // 1.5 s of tone: every frame is queued by ~1.3 s, the pause comes at 1.4 s
    const r = await playWithPause({ holdAudioOnPause: true, totalMs: 1500, pauseAfterMs: 1400 });
    console.log(`pause after the last frame: last audio ${r.lastBeforeResumeMs} ms after the pause; heard ${r.heardMs} of 1500 ms`);
    expect(r.heardWhilePausedMs).toBe(0);
    expect(r.heardMs).toBeGreaterThanOrEqual(1500 - 20);
    expect(r.heardMs).toBeLessThanOrEqual(1500 + 20);
  });

  it("loses the queued audio with agents-js's own pause (AGENT_PAUSE_HOLDS_AUDIO=off), which the held pause does not", async () => {
    const r = await playWithPause({ holdAudioOnPause: false, totalMs: 3000, pauseAfterMs: 1000 });
    console.log(`stock pause mid-reply: last audio ${r.lastBeforeResumeMs} ms after the pause; heard ${r.heardMs} of 3000 ms`);
    expect(r.heardMs).toBeLessThan(3000 - 100);
  });
});
