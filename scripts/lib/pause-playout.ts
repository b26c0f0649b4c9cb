// The agent's audio output paused and resumed in a real LiveKit room, heard by a listener
// participant: what `test/agent-audio-pause.integration.test.ts` checks and `npm run bench:pause`
// measures (patches/README.md: a pause silences the agent at once and the resume loses nothing).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { voice } from '@livekit/agents';
import { AudioFrame, AudioStream, type RemoteTrack, Room, RoomEvent, TrackKind } from '@livekit/rtc-node';
import { AccessToken } from 'livekit-server-sdk';
import { ensureLivekitServer } from './livekit-binary';
import { readLivekitKeys, startLivekitServer, writeLivekitConfig } from './livekit-server';
import { freeTcpPort } from './processes';

const RATE = 48_000;
/** What the local TTS engines push per frame (tts-flite.ts splitFrames). */
const FRAME_MS = 50;
/** Above this RMS a received 10 ms frame is the agent's voice; the tone is ~5,650. */
const AUDIBLE_RMS = 500;
const ROOM = 'pause-playout';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type TPausePlayout = {
  /** How the reply ended (agents-js PlaybackFinishedEvent). */
  finished: voice.PlaybackFinishedEvent;
  /** Audio of the reply the listener heard in all, in ms. */
  heardMs: number;
  /** From `pause()` to the last audible frame that reached the listener before the resume. */
  heardAfterPauseMs: number;
  /** Audio heard from 300 ms after the pause until the resume: what a pause should silence. */
  heardWhilePausedMs: number;
  /** From the first frame handed to the output to the first audible frame at the listener. */
  firstAudioMs: number;
};

export type TPauseRoom = {
  /**
   * Plays `totalMs` of a 440 Hz tone, `FRAME_MS` at a time as a TTS pushes it, through an agent
   * participant's ParticipantAudioOutput (200 ms queue, as RoomIO makes it), pausing it
   * `pauseAfterMs` after the first frame for `pauseMs`. With `pauseAfterMs` close to `totalMs`,
   * every frame has been handed over before the pause (the TTS finished first).
   */
  playWithPause(opts: { holdAudioOnPause: boolean; totalMs: number; pauseAfterMs: number; pauseMs?: number }): Promise<TPausePlayout>;
  close(): Promise<void>;
};

function toneFrame(index: number): AudioFrame {
  const n = (RATE * FRAME_MS) / 1000;
  const data = new Int16Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (index * n + i)) / RATE));
  return new AudioFrame(data, RATE, 1, n);
}

/** Starts a livekit-server of its own and joins a listener. Needs agents-js's logger initialised. */
export async function openPauseRoom(repoRoot: string): Promise<TPauseRoom> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'avatar-adam-pause-'));
  const ports = { http: await freeTcpPort(), rtcTcp: await freeTcpPort(), rtcUdp: await freeTcpPort() };
  const configFile = writeLivekitConfig(repoRoot, workDir, ports);
  const server = await startLivekitServer({ bin: await ensureLivekitServer(() => {}), configFile, httpPort: ports.http });
  const keys = readLivekitKeys(configFile);
  const url = `ws://127.0.0.1:${ports.http}`;
  const token = (identity: string) => {
    const at = new AccessToken(keys.apiKey, keys.apiSecret, { identity });
    at.addGrant({ room: ROOM, roomJoin: true, canPublish: true, canSubscribe: true });
    return at.toJwt();
  };

  const heard: { at: number; rms: number; ms: number }[] = [];
  const listener = new Room();
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
  try {
    await listener.connect(url, await token('listener'), { autoSubscribe: true, dynacast: false });
  } catch (error) {
    await server.stop();
    throw error;
  }

  let agents = 0;
  return {
    async playWithPause({ holdAudioOnPause, totalMs, pauseAfterMs, pauseMs = 1000 }) {
      const agent = new Room();
      await agent.connect(url, await token(`agent-${++agents}`), { autoSubscribe: false, dynacast: false });
      try {
        const output = new voice.ParticipantAudioOutput(agent, {
          sampleRate: RATE,
          numChannels: 1,
          queueSizeMs: 200,
          trackPublishOptions: undefined as never,
          holdAudioOnPause,
        });
        await output.start(new AbortController().signal);
        await sleep(500);
        heard.length = 0;
        let firstAt = 0;
        const pushing = (async () => {
          for (let i = 0; i < totalMs / FRAME_MS; i++) {
            const captured = output.captureFrame(toneFrame(i));
            firstAt ||= Date.now();
            await captured;
          }
          output.flush();
        })();
        while (!firstAt) await sleep(5);
        await sleep(pauseAfterMs - (Date.now() - firstAt));
        const pausedAt = Date.now();
        output.pause();
        await sleep(pauseMs);
        const resumedAt = Date.now();
        output.resume();
        await pushing;
        const finished = await output.waitForPlayout();
        await sleep(300);
        const audible = heard.filter((h) => h.rms > AUDIBLE_RMS);
        const total = (frames: typeof heard) => Math.round(frames.reduce((ms, h) => ms + h.ms, 0));
        return {
          finished,
          heardMs: total(audible),
          heardAfterPauseMs: (audible.filter((h) => h.at < resumedAt).at(-1)?.at ?? pausedAt) - pausedAt,
          heardWhilePausedMs: total(audible.filter((h) => h.at > pausedAt + 300 && h.at < resumedAt)),
          firstAudioMs: (audible[0]?.at ?? Number.NaN) - firstAt,
        };
      } finally {
        await agent.disconnect();
      }
    },
    async close() {
      await listener.disconnect();
      await server.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
