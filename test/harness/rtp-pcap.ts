import { writeFileSync } from 'node:fs';
import { AudioFrame, AudioResampler } from '@livekit/rtc-node';
import { mulaw } from 'alawmulaw';

/**
 * A caller's side of a phone call as a pcap file that `sipp` plays with `play_pcap_audio`: G.711
 * µ-law (PCMU, payload type 0) voice and RFC 2833 keypad events (telephone-event, payload type
 * 101), 20 ms per packet, on one RTP stream. sipp sends each packet's UDP payload to the address
 * the other side answered with, paced by the capture timestamps.
 */
export const PCMU = 0;
export const TELEPHONE_EVENT = 101;
const SAMPLES_PER_PACKET = 160; // 20 ms at 8 kHz
const SILENCE = 0xff; // µ-law of 0

type Packet = { atMs: number; payloadType: number; marker: boolean; timestamp: number; payload: Uint8Array };

export class CallerAudio {
  private packets: Packet[] = [];
  private clockMs = 0;
  private timestamp = 0;

  /** Line noise-free silence (keeps the stream alive, as a real phone does). */
  silence(ms: number): this {
    for (let t = 0; t < ms; t += 20) this.voicePacket(new Uint8Array(SAMPLES_PER_PACKET).fill(SILENCE));
    return this;
  }

  /** Speech: 16-bit PCM at any rate, resampled to 8 kHz and µ-law encoded. */
  speech(samples: Int16Array, sampleRate: number): this {
    const resampler = new AudioResampler(sampleRate, 8000, 1);
    const out = [...resampler.push(new AudioFrame(samples, sampleRate, 1, samples.length)), ...resampler.flush()];
    const pcm = new Int16Array(out.reduce((n, f) => n + f.data.length, 0));
    out.reduce((at, f) => (pcm.set(f.data, at), at + f.data.length), 0);
    const encoded = mulaw.encode(pcm);
    for (let i = 0; i < encoded.length; i += SAMPLES_PER_PACKET) {
      const chunk = new Uint8Array(SAMPLES_PER_PACKET).fill(SILENCE);
      chunk.set(encoded.subarray(i, i + SAMPLES_PER_PACKET));
      this.voicePacket(chunk);
    }
    return this;
  }

  /** Keypad presses as RFC 2833 events: 100 ms tone, three end packets, 100 ms gap. */
  keys(digits: string): this {
    for (const key of digits) {
      const event = '0123456789*#'.indexOf(key);
      if (event < 0) throw new Error(`not a keypad key: ${key}`);
      const start = this.timestamp;
      for (let i = 1; i <= 5; i++) this.eventPacket(event, start, i * SAMPLES_PER_PACKET, false, i === 1);
      for (let i = 0; i < 3; i++) this.eventPacket(event, start, 5 * SAMPLES_PER_PACKET, true, false);
      this.timestamp = start + 5 * SAMPLES_PER_PACKET;
      this.silence(100);
    }
    return this;
  }

  get durationMs(): number {
    return this.clockMs;
  }

  writePcap(file: string): void {
    const header = Buffer.alloc(24);
    header.writeUInt32LE(0xa1b2c3d4, 0);
    header.writeUInt16LE(2, 4);
    header.writeUInt16LE(4, 6);
    header.writeUInt32LE(65535, 16);
    header.writeUInt32LE(1, 20); // Ethernet
    const records = this.packets.map((p, seq) => record(p, seq));
    writeFileSync(file, Buffer.concat([header, ...records]));
  }

  private voicePacket(payload: Uint8Array): void {
    this.packets.push({ atMs: this.clockMs, payloadType: PCMU, marker: false, timestamp: this.timestamp, payload });
    this.timestamp += SAMPLES_PER_PACKET;
    this.clockMs += 20;
  }

  private eventPacket(event: number, timestamp: number, duration: number, end: boolean, marker: boolean): void {
    const payload = new Uint8Array([event, (end ? 0x80 : 0) | 10, duration >> 8, duration & 0xff]);
    this.packets.push({ atMs: this.clockMs, payloadType: TELEPHONE_EVENT, marker, timestamp, payload });
    this.clockMs += end ? 0 : 20;
  }
}

const SSRC = 0x5ca1ab1e;

function record(p: Packet, seq: number): Buffer {
  const rtp = Buffer.alloc(12 + p.payload.length);
  rtp[0] = 0x80;
  rtp[1] = (p.marker ? 0x80 : 0) | p.payloadType;
  rtp.writeUInt16BE(seq & 0xffff, 2);
  rtp.writeUInt32BE(p.timestamp >>> 0, 4);
  rtp.writeUInt32BE(SSRC, 8);
  rtp.set(p.payload, 12);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(6000, 0);
  udp.writeUInt16BE(6002, 2);
  udp.writeUInt16BE(8 + rtp.length, 4);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 8 + rtp.length, 2);
  ip[8] = 64;
  ip[9] = 17; // UDP
  ip.set([127, 0, 0, 1], 12);
  ip.set([127, 0, 0, 1], 16);
  ip.writeUInt16BE(ipChecksum(ip), 10);
  const eth = Buffer.alloc(14);
  eth.writeUInt16BE(0x0800, 12);
  const frame = Buffer.concat([eth, ip, udp, rtp]);
  const head = Buffer.alloc(16);
  head.writeUInt32LE(Math.floor(p.atMs / 1000), 0);
  head.writeUInt32LE((p.atMs % 1000) * 1000, 4);
  head.writeUInt32LE(frame.length, 8);
  head.writeUInt32LE(frame.length, 12);
  return Buffer.concat([head, frame]);
}

function ipChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
