// Barge-in timing, patched into agents-js (patches/@livekit+agents+1.9.0.patch): the agent pauses
// at the VAD's start of speech when the minimum interruption duration is within it; a pause caused
// by speech voiced for less than `shortSpeechResume.maxSpeechDuration` resumes as soon as the VAD
// ends that speech, instead of after the false-interruption timeout; and speech sustained over a
// paused reply (`sustainedSpeechInterrupt`) interrupts it, counted in the VAD's time, not the
// clock's. The session is driven through the VAD hooks agents-js's audio recognition calls, with
// the VAD events a real Silero stream sends.
import { type VADEvent, VADEventType, initializeLogger, voice } from '@livekit/agents';
import { AudioFrame, type Room } from '@livekit/rtc-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { FALSE_INTERRUPTION_TIMEOUT_MS, SUSTAINED_SPEECH_MS, shortSoundResume } from './barge-in';

const RATE = 24_000;
const WINDOW_MS = 32;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(() => initializeLogger({ pretty: false, level: 'silent' }));

/** Stands in for rtc-node's AudioSource: takes every frame at once. */
class FakeSource {
  queuedDuration = 0;
  async captureFrame(): Promise<void> {}
  async waitForPlayout(): Promise<void> {}
  clearQueue(): void {}
}

function vadEvent(type: VADEventType, fields: Partial<VADEvent>): VADEvent {
  return {
    type,
    samplesIndex: 0,
    timestamp: 0,
    speechDuration: 0,
    silenceDuration: 0,
    frames: [],
    probability: 0,
    inferenceDuration: 1,
    speaking: false,
    rawAccumulatedSilence: 0,
    rawAccumulatedSpeech: 0,
    ...fields,
  };
}

type THooks = {
  onStartOfSpeech(ev: VADEvent): void;
  onVADInferenceDone(ev: VADEvent): void;
  onEndOfSpeech(ev: VADEvent): void;
};

/**
 * What the VAD reports for a sound voiced for `voicedMs`, then 300 ms of silence: a window every
 * 32 ms, as agents-js's Silero stream sends them (speech duration keeps counting through the
 * trailing silence until the end of speech).
 */
async function playSound(hooks: THooks, voicedMs: number, wallMsPerWindow = WINDOW_MS) {
  let speech = 64;
  hooks.onStartOfSpeech(vadEvent(VADEventType.START_OF_SPEECH, { speechDuration: speech, speaking: true }));
  for (; speech < voicedMs; speech += WINDOW_MS) {
    hooks.onVADInferenceDone(
      vadEvent(VADEventType.INFERENCE_DONE, { speechDuration: speech, speaking: true, probability: 0.9, rawAccumulatedSpeech: speech }),
    );
    await sleep(wallMsPerWindow);
  }
  for (let silence = WINDOW_MS; silence <= 300; silence += WINDOW_MS, speech += WINDOW_MS) {
    hooks.onVADInferenceDone(
      vadEvent(VADEventType.INFERENCE_DONE, { speechDuration: speech, speaking: true, probability: 0.1, rawAccumulatedSilence: silence }),
    );
    await sleep(wallMsPerWindow);
  }
  hooks.onEndOfSpeech(vadEvent(VADEventType.END_OF_SPEECH, { silenceDuration: 320 }));
}

/** An agent saying a paced 6 s reply into an output that can pause, and the VAD hooks to drive it with. */
async function startReply(opts: { shortSoundMs: number; minDurationMs?: number; sustainedMs?: number }) {
  const output = new voice.ParticipantAudioOutput({} as Room, {
    sampleRate: RATE,
    numChannels: 1,
    queueSizeMs: 200,
    trackPublishOptions: undefined as never,
  });
  Reflect.set(output, 'audioSource', new FakeSource());
  Reflect.get(output, 'startedFuture').resolve();
  const session = new voice.AgentSession({
    aecWarmupDuration: 0,
    turnHandling: {
      turnDetection: 'vad',
      interruption: {
        mode: 'vad',
        minDuration: opts.minDurationMs ?? 100,
        resumeFalseInterruption: true,
        falseInterruptionTimeout: FALSE_INTERRUPTION_TIMEOUT_MS,
        shortSpeechResume: shortSoundResume(opts.shortSoundMs),
        sustainedSpeechInterrupt: opts.sustainedMs,
      },
    },
  });
  session.output.audio = output;
  await session.start({ agent: new voice.Agent({ instructions: 'You are a customer.' }), record: false });
  let sent = 0;
  const audio = new ReadableStream<AudioFrame>({
    async pull(controller) {
      await sleep(20);
      if (sent++ === 300) return controller.close();
      controller.enqueue(new AudioFrame(new Int16Array(RATE / 50).fill(1000), RATE, 1, RATE / 50));
    },
  });
  const handle = session.say('A reply the trainee coughs over.', { audio, allowInterruptions: true, addToChatCtx: false });
  while (session.agentState !== 'speaking') await sleep(5);
  await sleep(200);
  return { session, handle, hooks: session._activity as unknown as THooks };
}

/** An agent saying a paced 6 s reply, paused by a sound; resolves with how long the pause lasted. */
async function pauseBySound(opts: { voicedMs: number; shortSoundMs: number }) {
  const { session, handle, hooks } = await startReply(opts);
  try {
    const resumed = new Promise<{ resumed: boolean; at: number }>((resolve) =>
      session.once(voice.AgentSessionEventTypes.AgentFalseInterruption, (ev) => resolve({ resumed: ev.resumed, at: performance.now() })),
    );
    await playSound(hooks, opts.voicedMs);
    const soundEndedAt = performance.now();
    expect(session.agentState).toBe('listening');
    const result = await resumed;
    expect(result.resumed).toBe(true);
    expect(session.agentState).toBe('speaking');
    expect(handle.interrupted).toBe(false);
    handle.interrupt();
    return { resumedAfterEndOfSpeechMs: result.at - soundEndedAt };
  } finally {
    await session.close();
  }
}

describe('the start of speech over a reply', () => {
  it('pauses the agent at once when the minimum interruption duration is within it', async () => {
    const { session, handle, hooks } = await startReply({ shortSoundMs: 0, minDurationMs: 50 });
    try {
      // Silero's start of speech carries the speech so far (two 32 ms windows above threshold).
      hooks.onStartOfSpeech(vadEvent(VADEventType.START_OF_SPEECH, { speechDuration: 64, speaking: true }));
      // Stock agents-js pauses only at the next inference window.
      expect(session.agentState).toBe('listening');
      handle.interrupt();
    } finally {
      await session.close();
    }
  });

  it('leaves a longer minimum to the inference windows', async () => {
    const { session, handle, hooks } = await startReply({ shortSoundMs: 0, minDurationMs: 100 });
    try {
      hooks.onStartOfSpeech(vadEvent(VADEventType.START_OF_SPEECH, { speechDuration: 64, speaking: true }));
      expect(session.agentState).toBe('speaking');
      hooks.onVADInferenceDone(vadEvent(VADEventType.INFERENCE_DONE, { speechDuration: 96, speaking: true, rawAccumulatedSpeech: 96 }));
      expect(session.agentState).toBe('speaking');
      hooks.onVADInferenceDone(vadEvent(VADEventType.INFERENCE_DONE, { speechDuration: 128, speaking: true, rawAccumulatedSpeech: 128 }));
      expect(session.agentState).toBe('listening');
      handle.interrupt();
    } finally {
      await session.close();
    }
  });
});

describe('a barge-in pause caused by a short sound', () => {
  it('resumes as soon as the VAD ends a sound voiced for less than the short-sound limit', async () => {
    const { resumedAfterEndOfSpeechMs } = await pauseBySound({ voicedMs: 160, shortSoundMs: 250 });
    // Without the patch it waits the full false-interruption timeout (1 s) after the end of speech.
    expect(resumedAfterEndOfSpeechMs).toBeLessThan(FALSE_INTERRUPTION_TIMEOUT_MS / 2);
  });

  it('waits the false-interruption timeout after longer speech (a "mm-hm", words on their way)', async () => {
    const { resumedAfterEndOfSpeechMs } = await pauseBySound({ voicedMs: 480, shortSoundMs: 250 });
    expect(resumedAfterEndOfSpeechMs).toBeGreaterThanOrEqual(FALSE_INTERRUPTION_TIMEOUT_MS - 50);
  });

  it('waits the false-interruption timeout for every sound when the short-sound limit is 0 (off)', async () => {
    const { resumedAfterEndOfSpeechMs } = await pauseBySound({ voicedMs: 160, shortSoundMs: 0 });
    expect(resumedAfterEndOfSpeechMs).toBeGreaterThanOrEqual(FALSE_INTERRUPTION_TIMEOUT_MS - 50);
  });
});

describe('speech sustained over a paused reply', () => {
  it('interrupts the reply once the VAD has heard SUSTAINED_SPEECH_MS of it, without waiting for words', async () => {
    const { session, handle, hooks } = await startReply({ shortSoundMs: 400, sustainedMs: SUSTAINED_SPEECH_MS });
    try {
      let speech = 64;
      hooks.onStartOfSpeech(vadEvent(VADEventType.START_OF_SPEECH, { speechDuration: speech, speaking: true }));
      // A VAD catching up on a backlog: the windows arrive faster than real time.
      for (; speech < SUSTAINED_SPEECH_MS - WINDOW_MS; speech += WINDOW_MS) {
        hooks.onVADInferenceDone(vadEvent(VADEventType.INFERENCE_DONE, { speechDuration: speech, speaking: true, rawAccumulatedSpeech: speech }));
      }
      expect(handle.interrupted).toBe(false);
      expect(session.agentState).toBe('listening');
      hooks.onVADInferenceDone(vadEvent(VADEventType.INFERENCE_DONE, { speechDuration: speech + WINDOW_MS, speaking: true, rawAccumulatedSpeech: speech }));
      expect(handle.interrupted).toBe(true);
    } finally {
      await session.close();
    }
  });

  it("does not take a short sound for talking when a VAD behind real time stretches it on the clock", async () => {
    const { session, handle, hooks } = await startReply({ shortSoundMs: 400, sustainedMs: SUSTAINED_SPEECH_MS });
    try {
      const resumed = new Promise<boolean>((resolve) => session.once(voice.AgentSessionEventTypes.AgentFalseInterruption, (ev) => resolve(ev.resumed)));
      // A 300 ms hum and its 300 ms of closing silence, reported over ~2 s of wall time.
      await playSound(hooks, 300, 100);
      expect(await resumed).toBe(true);
      expect(handle.interrupted).toBe(false);
      handle.interrupt();
    } finally {
      await session.close();
    }
  });
});
