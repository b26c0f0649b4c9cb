import { describe, expect, it } from 'vitest';
import { encodePcmWav, parsePcmWav } from './wav';

type TChunk = { id: string; body: Buffer; declaredSize?: number };

function chunk({ id, body, declaredSize }: TChunk): Buffer {
  const header = Buffer.alloc(8);
  header.write(id, 0, 'ascii');
  header.writeUInt32LE(declaredSize ?? body.length, 4);
  const pad = body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0);
  return Buffer.concat([header, body, pad]);
}

function fmt(opts: { formatTag?: number; channels?: number; sampleRate?: number; bits?: number } = {}): Buffer {
  const { formatTag = 1, channels = 1, sampleRate = 16000, bits = 16 } = opts;
  const body = Buffer.alloc(16);
  body.writeUInt16LE(formatTag, 0);
  body.writeUInt16LE(channels, 2);
  body.writeUInt32LE(sampleRate, 4);
  body.writeUInt32LE((sampleRate * channels * bits) / 8, 8);
  body.writeUInt16LE((channels * bits) / 8, 12);
  body.writeUInt16LE(bits, 14);
  return chunk({ id: 'fmt ', body });
}

function pcm(samples: number[]): Buffer {
  const body = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => body.writeInt16LE(s, i * 2));
  return body;
}

function riff(...chunks: Buffer[]): Buffer {
  const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), ...chunks]);
  return Buffer.concat([Buffer.from('RIFF', 'ascii'), Buffer.from(new Uint32Array([body.length]).buffer), body]);
}

describe('parsePcmWav', () => {
  it('reads rate, channels and little-endian samples of a plain 16-bit file', () => {
    const wav = parsePcmWav(riff(fmt({ sampleRate: 8000 }), chunk({ id: 'data', body: pcm([0, 1000, -1000, 32767, -32768]) })));
    expect(wav.sampleRate).toBe(8000);
    expect(wav.channels).toBe(1);
    expect([...wav.samples]).toEqual([0, 1000, -1000, 32767, -32768]);
  });

  it('skips other chunks, including odd-sized ones with their padding byte', () => {
    const list = chunk({ id: 'LIST', body: Buffer.from('INFOx', 'ascii') });
    const wav = parsePcmWav(riff(fmt({ channels: 2 }), list, chunk({ id: 'data', body: pcm([1, 2, 3, 4]) })));
    expect(wav.channels).toBe(2);
    expect([...wav.samples]).toEqual([1, 2, 3, 4]);
  });

  it('takes the bytes present when a streamed file declares an unknown data length', () => {
    const data = chunk({ id: 'data', body: pcm([5, 6, 7]), declaredSize: 0xffffffff });
    expect([...parsePcmWav(riff(fmt(), data)).samples]).toEqual([5, 6, 7]);
  });

  it('accepts WAVE_FORMAT_EXTENSIBLE with a PCM sub-format', () => {
    const body = Buffer.alloc(40);
    fmt().copy(body, 0, 8, 24);
    body.writeUInt16LE(0xfffe, 0);
    body.writeUInt16LE(22, 16);
    body.writeUInt16LE(1, 24); // sub-format GUID starts with the PCM tag
    const wav = parsePcmWav(riff(chunk({ id: 'fmt ', body }), chunk({ id: 'data', body: pcm([9]) })));
    expect([...wav.samples]).toEqual([9]);
  });

  it('rejects what it cannot play as 16-bit PCM', () => {
    expect(() => parsePcmWav(Buffer.from('ID3 not a wave file'))).toThrow(/RIFF\/WAVE/);
    expect(() => parsePcmWav(riff(fmt({ bits: 8 }), chunk({ id: 'data', body: Buffer.alloc(4) })))).toThrow(/16-bit PCM/);
    expect(() => parsePcmWav(riff(fmt({ formatTag: 3, bits: 32 }), chunk({ id: 'data', body: Buffer.alloc(8) })))).toThrow(/format 3/);
    expect(() => parsePcmWav(riff(fmt()))).toThrow(/no data chunk/);
    expect(() => parsePcmWav(riff(chunk({ id: 'data', body: pcm([1]) })))).toThrow(/before its fmt/);
  });
});

describe('encodePcmWav', () => {
  it('writes a file parsePcmWav reads back sample for sample', () => {
    const samples = Int16Array.from([0, 1, -1, 32767, -32768, 1234, -4321, 7]);
    const buf = encodePcmWav({ sampleRate: 22050, channels: 2, samples });
    expect(buf.length).toBe(44 + samples.length * 2);
    expect(buf.readUInt32LE(28)).toBe(22050 * 2 * 2); // byte rate
    const back = parsePcmWav(buf);
    expect(back).toMatchObject({ sampleRate: 22050, channels: 2 });
    expect(Array.from(back.samples)).toEqual(Array.from(samples));
  });
});
