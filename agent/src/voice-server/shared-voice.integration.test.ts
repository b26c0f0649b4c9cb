import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initializeLogger } from '@livekit/agents';
import type { AudioFrame } from '@livekit/rtc-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PiperTTS, type TSherpaTts, loadPiperVoice } from '../providers/tts-piper';
import { RemoteVoice, VoiceServerError } from './client';
import { serveVoice } from './server';

const MODEL_ID = 'piper-en_US-joe-medium';
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SENTENCES = 'Your payment comes to four hundred and twelve dollars a month. That is over seventy two months. The rate is six point nine percent.';

function piperFiles() {
  const dir = process.env.AVATAR_ADAM_TEST_PIPER_DIR || join(REPO, '.models', MODEL_ID);
  const files = { model: join(dir, 'en_US-joe-medium.sherpa.onnx'), tokens: join(dir, 'tokens.txt') };
  if (!Object.values(files).every((f) => existsSync(f))) throw new Error(`Piper voice not installed in ${dir}; run: npm run models -- pull ${MODEL_ID}`);
  return files;
}

async function collect(stream: AsyncIterable<{ frame: AudioFrame }>) {
  const frames: AudioFrame[] = [];
  for await (const ev of stream) frames.push(ev.frame);
  return frames;
}
const seconds = (frames: AudioFrame[]) => frames.reduce((t, f) => t + f.samplesPerChannel / f.sampleRate, 0);
const peak = (frames: AudioFrame[]) => Math.max(...frames.map((f) => Math.max(...f.data.map(Math.abs))));

let dir: string;
let voice: TSherpaTts;
let server: { close(): Promise<void> };
let socketPath: string;

beforeAll(async () => {
  initializeLogger({ pretty: false, level: 'silent' });
  dir = mkdtempSync(join(os.tmpdir(), 'shared-voice-'));
  socketPath = join(dir, 'voice.sock');
  voice = await loadPiperVoice(piperFiles(), 2);
  server = await serveVoice({ socketPath, voice });
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the shared voice', () => {
  it('speaks through PiperTTS as the voice loaded in the process does: same rate, same length, audible', async () => {
    const shared = PiperTTS.open({ ...piperFiles(), sharedVoiceSocket: socketPath });
    const local = PiperTTS.open(piperFiles());
    const [remote, here] = [await collect(shared.synthesize(SENTENCES)), await collect(local.synthesize(SENTENCES))];
    expect(remote[0]!.sampleRate).toBe(here[0]!.sampleRate);
    // VITS draws its durations with noise: the same text comes out within a few percent.
    expect(seconds(remote)).toBeGreaterThan(seconds(here) * 0.85);
    expect(seconds(remote)).toBeLessThan(seconds(here) * 1.15);
    expect(peak(remote)).toBeGreaterThan(3000);
  });

  it('hands each sentence over as it is made, stops on request, and serves the next request', async () => {
    const remote = await RemoteVoice.connect(socketPath);
    const chunks: number[] = [];
    await remote.generateAsync({
      text: SENTENCES,
      sid: 0,
      speed: 1,
      onProgress: ({ samples }) => {
        chunks.push(samples.length);
        return false; // enough after the first sentence
      },
    });
    expect(chunks).toHaveLength(1);
    // Cancelled: a following request on the same connection gets all three sentences.
    const all: number[] = [];
    await remote.generateAsync({ text: SENTENCES, sid: 0, speed: 1, onProgress: ({ samples }) => all.push(samples.length) > 0 });
    expect(all).toHaveLength(3);
    expect(all.every((n) => n > 10_000)).toBe(true);
    remote.close();
  });

  it('takes requests of several connections in turn, each getting its own audio', async () => {
    const [a, b] = await Promise.all([RemoteVoice.connect(socketPath), RemoteVoice.connect(socketPath)]);
    const heard = { a: 0, b: 0 };
    await Promise.all([
      a.generateAsync({ text: 'Hello from the first room.', sid: 0, speed: 1, onProgress: ({ samples }) => (heard.a += samples.length) > 0 }),
      b.generateAsync({ text: 'And hello from the second room, which says a bit more.', sid: 0, speed: 1, onProgress: ({ samples }) => (heard.b += samples.length) > 0 }),
    ]);
    expect(heard.a).toBeGreaterThan(10_000);
    expect(heard.b).toBeGreaterThan(heard.a);
    a.close();
    b.close();
  });

  it('fails what is in flight when the server goes away, and PiperTTS then loads the voice itself', async () => {
    const ownDir = mkdtempSync(join(os.tmpdir(), 'shared-voice-gone-'));
    const ownSocket = join(ownDir, 'voice.sock');
    const own = await serveVoice({ socketPath: ownSocket, voice });
    const remote = await RemoteVoice.connect(ownSocket);
    const inFlight = remote.generateAsync({ text: SENTENCES, sid: 0, speed: 1, onProgress: () => true });
    await own.close();
    await expect(inFlight).rejects.toBeInstanceOf(VoiceServerError);
    await expect(remote.generateAsync({ text: 'Hello.', sid: 0, speed: 1 })).rejects.toBeInstanceOf(VoiceServerError);
    await expect(RemoteVoice.connect(ownSocket, 1000)).rejects.toBeInstanceOf(VoiceServerError);

    const tts = PiperTTS.open({ ...piperFiles(), sharedVoiceSocket: ownSocket });
    const frames = await collect(tts.synthesize('Still speaking.'));
    expect(seconds(frames)).toBeGreaterThan(0.4);
    rmSync(ownDir, { recursive: true, force: true });
  });
});

describe('the shared voice process', () => {
  it('starts with the first connection, is started again after a crash, and exits when idle', async () => {
    const { buildAgentBundle } = await import('../../../scripts/lib/agent-bundle');
    const { file } = await buildAgentBundle();
    const { serveSharedVoice } = await import('./supervisor');
    const { log } = await import('@livekit/agents');
    const shared = await serveSharedVoice({
      entry: join(file, '..', 'voice-server-main.mjs'),
      voice: piperFiles(),
      logger: log(),
      execArgv: [],
      idleExitMs: 3000,
      socketPath: join(dir, 'worker-voice.sock'),
    });
    const speak = async () => {
      const remote = await RemoteVoice.connect(shared.socketPath);
      let samples = 0;
      await remote.generateAsync({ text: 'Hello again.', sid: 0, speed: 1, onProgress: (c) => (samples += c.samples.length) > 0 });
      remote.close();
      return samples;
    };
    const waitUntil = async (what: string, check: () => boolean) => {
      for (const started = Date.now(); !check(); await new Promise((resolve) => setTimeout(resolve, 100))) {
        if (Date.now() - started > 30_000) throw new Error(`timed out waiting for ${what}`);
      }
    };
    try {
      // Nothing runs until a job process needs the voice (or warm() is called at a dispatch).
      expect(shared.pid).toBeUndefined();
      expect(await speak()).toBeGreaterThan(5_000);
      const first = shared.pid!;
      expect(first).toBeGreaterThan(0);

      // Killed: the next connection starts another one.
      process.kill(first, 'SIGKILL');
      await waitUntil('the crash to be noticed', () => shared.pid === undefined);
      expect(await speak()).toBeGreaterThan(5_000);
      expect(shared.pid).not.toBe(first);

      // No connection for the idle time: it exits by itself.
      await waitUntil('the idle exit', () => shared.pid === undefined);
      // A session dispatched: started before any job process asks for it.
      shared.warm();
      await waitUntil('the start at a dispatch', () => shared.pid !== undefined);
    } finally {
      await shared.close();
    }
  }, 120_000);
});
