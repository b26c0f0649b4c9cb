// The agent's audio output on a pause (a possible barge-in): patches/@livekit+agents+1.9.0.patch
// makes agents-js's ParticipantAudioOutput take what its audio source still queues out at once, so
// the trainee hears the agent stop, and play exactly that audio first when it resumes (a cough, a
// "mm-hm"), so the sentence goes on where it stopped. Stock agents-js drops the queue only when
// its next frame arrives (after the reply's last frame, never: up to 200 ms plays on) and skips it
// on resume.
import { initializeLogger, voice } from '@livekit/agents';
import { AudioFrame, type Room } from '@livekit/rtc-node';
import { beforeAll, describe, expect, it } from 'vitest';

const RATE = 24_000;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const ms = (frame: AudioFrame) => (frame.samplesPerChannel / frame.sampleRate) * 1000;

/** A frame of `durationMs` whose every sample is `value`, so a test can tell frames apart. */
function frame(durationMs: number, value: number): AudioFrame {
  const samples = (RATE * durationMs) / 1000;
  return new AudioFrame(new Int16Array(samples).fill(value), RATE, 1, samples);
}

/** Stands in for rtc-node's AudioSource: a queue the test plays out by hand. */
class FakeSource {
  queuedDuration = 0;
  clears = 0;
  pushed: AudioFrame[] = [];
  async captureFrame(f: AudioFrame): Promise<void> {
    this.pushed.push(f);
    this.queuedDuration += ms(f);
  }
  async waitForPlayout(): Promise<void> {
    await tick();
    this.queuedDuration = 0;
  }
  clearQueue(): void {
    this.clears++;
    this.queuedDuration = 0;
  }
  /** The samples pushed, in order, as one array of values per pushed frame. */
  values(): number[][] {
    return this.pushed.map((f) => [...new Set(f.data)]);
  }
}

function makeOutput(opts: { holdAudioOnPause?: boolean } = {}) {
  const output = new voice.ParticipantAudioOutput({} as Room, {
    sampleRate: RATE,
    numChannels: 1,
    queueSizeMs: 200,
    trackPublishOptions: undefined as never,
    ...opts,
  });
  const source = new FakeSource();
  Reflect.set(output, 'audioSource', source);
  Reflect.get(output, 'startedFuture').resolve();
  const progress: voice.PlaybackProgressedEvent[] = [];
  output.on(voice.AudioOutput.EVENT_PLAYBACK_PROGRESSED, (ev: voice.PlaybackProgressedEvent) => progress.push(ev));
  return { output, source, progress };
}

beforeAll(() => initializeLogger({ pretty: false, level: 'silent' }));

describe('agent audio output: a pause holds the queued audio', () => {
  it('takes the queue out of the source the moment it pauses, even after the last frame was pushed', async () => {
    const { output, source } = makeOutput();
    for (const v of [1, 2, 3]) await output.captureFrame(frame(100, v));
    output.flush();
    source.queuedDuration = 150; // 150 ms played, 150 ms still queued

    output.pause();

    expect(source.clears).toBe(1);
    expect(source.queuedDuration).toBe(0);
    expect(Reflect.get(output, 'heldMs')).toBeCloseTo(150);
  });

  it('plays exactly the held audio on resume, then the frames that waited', async () => {
    const { output, source } = makeOutput();
    for (const v of [1, 2, 3]) await output.captureFrame(frame(100, v));
    source.queuedDuration = 150; // the second frame is half played
    output.pause();
    const waiting = output.captureFrame(frame(100, 4));
    await tick();
    expect(source.pushed).toHaveLength(3);

    output.resume();
    await waiting;

    // the rest of the second frame (cut at its sample), the third, then the new one
    expect(source.values()).toEqual([[1], [2], [3], [2], [3], [4]]);
    expect(source.pushed.slice(3).map(ms)).toEqual([50, 100, 100]);
  });

  it('finishes a flushed reply only after the resume has played what the pause held', async () => {
    const { output, source } = makeOutput();
    for (const v of [1, 2]) await output.captureFrame(frame(100, v));
    output.flush();
    source.queuedDuration = 100;
    output.pause();

    let finished: voice.PlaybackFinishedEvent | undefined;
    void output.waitForPlayout().then((ev) => (finished = ev));
    for (let i = 0; i < 5; i++) await tick();
    expect(finished, 'not finished while paused with audio held').toBeUndefined();

    output.resume();
    for (let i = 0; i < 10 && !finished; i++) await tick();
    expect(finished).toEqual({ playbackPosition: 0.2, interrupted: false });
    expect(source.values()).toEqual([[1], [2], [2]]);
  });

  it('counts only what played when the pause turns into an interruption, and replays nothing', async () => {
    const { output, source } = makeOutput();
    for (const v of [1, 2, 3]) await output.captureFrame(frame(100, v));
    source.queuedDuration = 120;
    output.pause();

    output.clearBuffer();
    const finished = await output.waitForPlayout();
    output.resume();
    await tick();

    expect(finished.interrupted).toBe(true);
    expect(finished.playbackPosition).toBeCloseTo(0.18);
    expect(source.pushed).toHaveLength(3);
  });

  it('reports the run up to the pause and the next from the same point: no hole in what was heard', async () => {
    const { output, source, progress } = makeOutput();
    for (const v of [1, 2, 3]) await output.captureFrame(frame(100, v));
    source.queuedDuration = 100;
    output.pause();
    expect(progress).toHaveLength(1);
    expect(progress[0]!.offset).toBe(0);
    expect(progress[0]!.duration).toBeCloseTo(200);

    output.resume();
    await tick();
    output.flush();
    await output.waitForPlayout();

    expect(progress).toHaveLength(2);
    expect(progress[1]!.offset).toBeCloseTo(200);
    expect(progress[1]!.duration).toBeCloseTo(100);
  });

  it('holds again what a second pause cuts from the replay, in order', async () => {
    const { output, source } = makeOutput();
    for (const v of [1, 2, 3]) await output.captureFrame(frame(100, v));
    source.queuedDuration = 200;
    output.pause(); // holds frames 2 and 3
    output.resume(); // starts pushing 2, then 3
    output.pause(); // 2 is on its way in; what the source queues is held again
    await tick();
    output.resume();
    const next = output.captureFrame(frame(100, 4));
    await next;

    const values = source.values().flat();
    // whatever was pushed twice, the listener's last pass runs 2, 3, 4 in order
    expect(values.slice(-3)).toEqual([2, 3, 4]);
    expect(Reflect.get(output, 'heldMs')).toBe(0);
  });

  it("with holdAudioOnPause false, keeps agents-js's behaviour: the queue plays until the next frame", async () => {
    const { output, source } = makeOutput({ holdAudioOnPause: false });
    for (const v of [1, 2]) await output.captureFrame(frame(100, v));
    source.queuedDuration = 100;

    output.pause();
    expect(source.clears).toBe(0);

    const waiting = output.captureFrame(frame(100, 3));
    await tick();
    expect(source.clears).toBe(1);
    output.resume();
    await waiting;
    expect(source.values()).toEqual([[1], [2], [3]]);
  });
});

describe('interrupting a paused reply', () => {
  it("takes effect at once: the reply's audio forwarding stops waiting on the paused output (not after the 2 s cancel timeout)", async () => {
    const { output, source } = makeOutput();
    const session = new voice.AgentSession({});
    session.output.audio = output;
    await session.start({ agent: new voice.Agent({ instructions: 'You are a customer.' }), record: false });
    try {
      // A reply as the voice hands it over: a frame every 20 ms, 4 s in all.
      let sent = 0;
      const audio = new ReadableStream<AudioFrame>({
        async pull(controller) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          if (sent === 200) return controller.close();
          controller.enqueue(frame(20, ++sent));
        },
      });
      const handle = session.say('A reply long enough to be cut off.', { audio, allowInterruptions: true, addToChatCtx: false });
      while (source.pushed.length < 5) await new Promise((resolve) => setTimeout(resolve, 5));
      // A barge-in pauses the reply; the trainee keeps talking and it becomes an interruption.
      output.pause();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const interruptedAt = performance.now();
      handle.interrupt();
      await handle.waitForPlayout();
      const tookMs = performance.now() - interruptedAt;
      expect(handle.interrupted).toBe(true);
      // Stock agents-js ends it only when REPLY_TASK_CANCEL_TIMEOUT (2 s) gives up on the forwarding.
      expect(tookMs).toBeLessThan(1000);
      expect(sent).toBeLessThan(200);
    } finally {
      await session.close();
    }
  });
});
