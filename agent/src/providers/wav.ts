import { endianness } from 'node:os';

export type TPcmWav = {
  sampleRate: number;
  channels: number;
  /** Interleaved 16-bit samples. */
  samples: Int16Array;
};

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * Parses a RIFF/WAVE file holding 16-bit integer PCM by walking its chunks, so files with extra
 * chunks (LIST, fact, …) or a streamed, oversized data length are read correctly. Throws on
 * anything else rather than playing noise.
 */
export function parsePcmWav(buf: Buffer): TPcmWav {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let format: { sampleRate: number; channels: number } | undefined;
  let offset = 12;
  while (offset + 8 <= buf.length) {
    const id = buf.toString('ascii', offset, offset + 4);
    const size = buf.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = readFormat(buf, body, size);
    } else if (id === 'data') {
      if (!format) throw new Error('WAV data chunk comes before its fmt chunk');
      // Writers that stream (size unknown up front) leave 0 or 0xFFFFFFFF here: take what is there.
      const end = size === 0 || body + size > buf.length ? buf.length : body + size;
      return { ...format, samples: toInt16(buf.subarray(body, end - ((end - body) % 2))) };
    }
    offset = body + size + (size % 2); // chunks are padded to an even length
  }
  throw new Error(format ? 'WAV file has no data chunk' : 'WAV file has no fmt chunk');
}

function readFormat(buf: Buffer, body: number, size: number): { sampleRate: number; channels: number } {
  if (size < 16 || body + 16 > buf.length) throw new Error('WAV fmt chunk is truncated');
  let formatTag = buf.readUInt16LE(body);
  const channels = buf.readUInt16LE(body + 2);
  const sampleRate = buf.readUInt32LE(body + 4);
  const bitsPerSample = buf.readUInt16LE(body + 14);
  if (formatTag === WAVE_FORMAT_EXTENSIBLE && size >= 26 && body + 26 <= buf.length) {
    formatTag = buf.readUInt16LE(body + 24); // first two bytes of the sub-format GUID
  }
  if (formatTag !== WAVE_FORMAT_PCM || bitsPerSample !== 16) {
    throw new Error(`unsupported WAV encoding (format ${formatTag}, ${bitsPerSample}-bit); expected 16-bit PCM`);
  }
  if (channels < 1 || sampleRate < 1) throw new Error('WAV fmt chunk has no channels or sample rate');
  return { sampleRate, channels };
}

/** Copies into an aligned buffer; WAV is little-endian whatever the host is. */
function toInt16(bytes: Buffer): Int16Array {
  const out = new Int16Array(bytes.length / 2);
  new Uint8Array(out.buffer).set(bytes);
  if (endianness() === 'BE') Buffer.from(out.buffer).swap16();
  return out;
}

/** Writes 16-bit PCM as a canonical 44-byte-header RIFF/WAVE file (what `parsePcmWav` reads back). */
export function encodePcmWav({ sampleRate, channels, samples }: TPcmWav): Buffer {
  const dataBytes = samples.length * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(WAVE_FORMAT_PCM, 20);
  out.writeUInt16LE(channels, 22);
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(sampleRate * channels * 2, 28);
  out.writeUInt16LE(channels * 2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i] ?? 0, 44 + i * 2);
  return out;
}
