import {
  AudioStream,
  ParticipantKind,
  type RemoteParticipant,
  type RemoteTrack,
  Room,
  RoomEvent,
  TrackKind,
} from '@livekit/rtc-node';

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
  private readers: Array<Promise<void>> = [];

  async join(url: string, token: string): Promise<void> {
    this.room.on(RoomEvent.ParticipantConnected, (p) => this.noteParticipant(p));
    this.room.on(RoomEvent.TrackSubscribed, (track, _pub, participant) => {
      this.noteParticipant(participant);
      if (track.kind === TrackKind.KIND_AUDIO && participant.kind === ParticipantKind.AGENT) {
        this.readers.push(this.readAudio(track));
      }
    });
    await this.room.connect(url, token, { autoSubscribe: true, dynacast: false });
    for (const p of this.room.remoteParticipants.values()) this.noteParticipant(p);
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
      }
    }
  }
}
