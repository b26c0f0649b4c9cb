/**
 * The shared voice's wire format on its Unix socket: each message is a JSON header and an optional
 * binary body (audio samples), framed as
 *   u32 LE header length · u32 LE body length · header (UTF-8 JSON) · body.
 * Hand-written rather than a library: two message shapes, and audio must not go through JSON or
 * base64 on the way to the room.
 */

export type TVoiceRequest =
  | { type: 'synthesize'; id: number; text: string; sid: number; speed: number }
  | { type: 'cancel'; id: number };

export type TVoiceReply =
  | { type: 'hello'; sampleRate: number }
  /** Body: the sentence's samples, Float32 little-endian. */
  | { type: 'chunk'; id: number }
  | { type: 'done'; id: number }
  | { type: 'error'; id: number; message: string };

/** Headers are small; anything larger is a peer that does not speak this protocol. */
const MAX_HEADER_BYTES = 64 * 1024;
/** A minute of 22 kHz audio; far more than one sentence. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export function encodeMessage(header: TVoiceRequest | TVoiceReply, body?: Float32Array): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const bytes = body ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : Buffer.alloc(0);
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32LE(json.length, 0);
  prefix.writeUInt32LE(bytes.length, 4);
  return Buffer.concat([prefix, json, bytes]);
}

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** Reassembles messages from a byte stream cut anywhere. */
export class MessageReader<T> {
  #pending: Buffer[] = [];
  #length = 0;

  /** Adds bytes and returns every message they complete. Throws ProtocolError on a malformed stream. */
  push(data: Buffer): Array<{ header: T; body: Float32Array | undefined }> {
    this.#pending.push(data);
    this.#length += data.length;
    const out: Array<{ header: T; body: Float32Array | undefined }> = [];
    for (;;) {
      if (this.#length < 8) return out;
      const buffered = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending, this.#length);
      this.#pending = [buffered];
      const headerLength = buffered.readUInt32LE(0);
      const bodyLength = buffered.readUInt32LE(4);
      if (headerLength === 0 || headerLength > MAX_HEADER_BYTES || bodyLength > MAX_BODY_BYTES || bodyLength % 4 !== 0) {
        throw new ProtocolError(`malformed message (header ${headerLength} B, body ${bodyLength} B)`);
      }
      const total = 8 + headerLength + bodyLength;
      if (this.#length < total) return out;
      let header: T;
      try {
        header = JSON.parse(buffered.subarray(8, 8 + headerLength).toString('utf8')) as T;
      } catch {
        throw new ProtocolError('message header is not JSON');
      }
      let body: Float32Array | undefined;
      if (bodyLength > 0) {
        // Copied: the samples outlive the socket's buffer, and Float32Array needs 4-byte alignment.
        const bytes = new Uint8Array(bodyLength);
        bytes.set(buffered.subarray(8 + headerLength, total));
        body = new Float32Array(bytes.buffer);
      }
      out.push({ header, body });
      const rest = buffered.subarray(total);
      this.#pending = rest.length > 0 ? [rest] : [];
      this.#length = rest.length;
    }
  }
}
