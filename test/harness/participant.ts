import {
  AudioFrame,
  AudioSource,
  AudioStream,
  LocalAudioTrack,
  ParticipantKind,
  type RemoteParticipant,
  type RemoteTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
} from '@livekit/rtc-node';

/** 10 ms at 48 kHz: what a browser microphone sends. */
const MIC_RATE = 48_000;
const MIC_FRAME = MIC_RATE / 100;
const MIC_QUEUE_MS = 50;

/** A transcription segment from the room's `lk.transcription` text streams. */
export type TTranscript = { from: string; text: string; final: boolean; at: number };

/** Root-mean-square level of Int16 PCM, 0…32767. Silence from a real mic or TTS sits near 0. */
export function rms(samples: Int16Array): number {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length);
}

/** Above this, a frame carries speech rather than comfort noise or digital silence. */
export const SPEECH_RMS = 200;

/**
 * A real WebRTC participant (the trainee's side) for integration tests and benchmarks: joins with
 * a token minted by the app, and records the agent's audio as it arrives.
 */
export class TestParticipant {
  readonly room = new Room();
  agent: RemoteParticipant | null = null;
  firstSpeechAt: number | null = null;
  speechFrames = 0;
  totalFrames = 0;
  sampleRate = 0;
  /** When each agent speech frame arrived; gaps show where one reply ended and the next began. */
  speechTimes: number[] = [];
  transcripts: TTranscript[] = [];
  /** The agent's published state (`lk.agent.state`: listening, thinking, speaking…) over time. */
  agentStates: { state: string; at: number }[] = [];
  /** Each value of the agent's `adam.citations` attribute (the sources of the answer being spoken). */
  citations: { citations: { documentId: string; chunkId: string; title: string; heading?: string }[]; at: number }[] = [];
  private readers: Array<Promise<void>> = [];
  private mic?: { source: AudioSource; queue: Int16Array[]; pump: Promise<void>; stopped: boolean };

  async join(url: string, token: string): Promise<void> {
    this.room.on(RoomEvent.ParticipantConnected, (p) => this.noteParticipant(p));
    this.room.on(RoomEvent.TrackSubscribed, (track, _pub, participant) => {
      this.noteParticipant(participant);
      if (track.kind === TrackKind.KIND_AUDIO && participant.kind === ParticipantKind.AGENT) {
        this.readers.push(this.readAudio(track));
      }
    });
    this.room.on(RoomEvent.ParticipantAttributesChanged, (changed, participant) => {
      const state = changed['lk.agent.state'];
      if (state && participant.identity === this.agent?.identity) this.agentStates.push({ state, at: Date.now() });
      const citations = changed['adam.citations'];
      if (citations !== undefined) this.citations.push({ citations: JSON.parse(citations), at: Date.now() });
    });
    this.room.registerTextStreamHandler('lk.transcription', (reader, from) => {
      const final = reader.info.attributes?.['lk.transcription_final'] === 'true';
      reader.readAll().then(
        (text) => this.transcripts.push({ from: from.identity, text, final, at: Date.now() }),
        // A segment still streaming when the room disconnects is cut short; nothing to record.
        () => {},
      );
    });
    await this.room.connect(url, token, { autoSubscribe: true, dynacast: false });
    for (const p of this.room.remoteParticipants.values()) this.noteParticipant(p);
  }

  /**
   * Publishes a microphone track that sends silence until {@link say} queues speech — a real mic
   * never stops sending, and the agent's VAD needs the silence after speech to end the turn.
   */
  async publishMicrophone(): Promise<void> {
    // A short native queue: with the default 1 s, queued silence would hold speech back by up to
    // a second, delaying barge-ins and misplacing the end of speech the latency figures start from.
    const source = new AudioSource(MIC_RATE, 1, MIC_QUEUE_MS);
    const track = LocalAudioTrack.createAudioTrack('microphone', source);
    const options = new TrackPublishOptions();
    options.source = TrackSource.SOURCE_MICROPHONE;
    await this.room.localParticipant!.publishTrack(track, options);
    const mic = { source, queue: [] as Int16Array[], pump: Promise.resolve(), stopped: false };
    mic.pump = (async () => {
      const silence = new Int16Array(MIC_FRAME);
      while (!mic.stopped) {
        const data = mic.queue.shift() ?? silence;
        // captureFrame paces to real time once the source's small queue is full.
        await source.captureFrame(new AudioFrame(data, MIC_RATE, 1, MIC_FRAME));
      }
    })();
    this.mic = mic;
  }

  /**
   * Speaks `samples` (mono Int16 at `sampleRate`) into the microphone; resolves when the last
   * sample has been sent, i.e. at the end of the user's speech.
   */
  async say(samples: Int16Array, sampleRate: number): Promise<number> {
    if (!this.mic) throw new Error('publishMicrophone() first');
    const pcm = resampleLinear(samples, sampleRate, MIC_RATE);
    const frames: Int16Array[] = [];
    for (let i = 0; i < pcm.length; i += MIC_FRAME) {
      const frame = new Int16Array(MIC_FRAME);
      frame.set(pcm.subarray(i, Math.min(i + MIC_FRAME, pcm.length)));
      frames.push(frame);
    }
    this.mic.queue.push(...frames);
    while (this.mic.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    // The last samples are still in the source's short queue; they leave it in real time.
    return Date.now() + this.mic.source.queuedDuration;
  }

  /**
   * One whole agent reply after `since`: the agent went speaking and back to listening (its
   * published state), and audible speech arrived in between. `startedAt` is the first audible frame.
   */
  async waitForAgentReply(since: number, timeoutMs: number): Promise<{ startedAt: number; endedAt: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const speaking = this.agentStates.find((s) => s.at > since && s.state === 'speaking');
      const done = speaking && this.agentStates.find((s) => s.at > speaking.at && s.state === 'listening');
      const heard = this.speechTimes.filter((t) => t > since);
      if (done && heard.length >= 10) return { startedAt: heard[0]!, endedAt: done.at };
      if (Date.now() > deadline) {
        const states = this.agentStates.map((s) => s.state).join(' → ');
        throw new Error(`no whole agent reply within ${timeoutMs} ms (states: ${states}; speech frames since: ${heard.length})`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits until the agent has played `minFrames` frames of speech. */
  async waitForAgentSpeech(timeoutMs: number, minFrames = 10): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.speechFrames < minFrames) {
      if (Date.now() > deadline) {
        throw new Error(
          `agent speech not heard within ${timeoutMs} ms (agent joined: ${Boolean(this.agent)}, frames: ${this.totalFrames}, speech frames: ${this.speechFrames})`,
        );
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async leave(): Promise<void> {
    if (this.mic) {
      this.mic.stopped = true;
      await this.mic.pump.catch(() => {});
      await this.mic.source.close();
    }
    await this.room.disconnect();
    await Promise.allSettled(this.readers);
  }

  private noteParticipant(p: RemoteParticipant) {
    if (p.kind === ParticipantKind.AGENT) this.agent ??= p;
  }

  private async readAudio(track: RemoteTrack): Promise<void> {
    for await (const frame of new AudioStream(track)) {
      this.totalFrames++;
      this.sampleRate = frame.sampleRate;
      if (rms(frame.data) > SPEECH_RMS) {
        this.speechFrames++;
        this.firstSpeechAt ??= Date.now();
        this.speechTimes.push(Date.now());
      }
    }
  }
}

/** Linear-interpolation resampling: good enough to feed synthesised speech into a test microphone. */
export function resampleLinear(input: Int16Array, from: number, to: number): Int16Array {
  if (from === to) return input;
  const out = new Int16Array(Math.floor((input.length * to) / from));
  const step = from / to;
  for (let i = 0; i < out.length; i++) {
    const x = i * step;
    const j = Math.floor(x);
    const a = input[j] ?? 0;
    const b = input[j + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (x - j));
  }
  return out;
}

/** Joins a started session's room as the trainee with a live microphone (silent until `say`). */
export async function joinAsTrainee(started: { serverUrl: string; token: string }): Promise<TestParticipant> {
  const trainee = new TestParticipant();
  await trainee.join(started.serverUrl, started.token);
  await trainee.publishMicrophone();
  return trainee;
}
