import { describe, expect, it } from 'vitest';
import { MessageReader, ProtocolError, type TVoiceReply, encodeMessage } from './protocol';

describe('shared voice protocol', () => {
  it('reads messages back whole, however the stream is cut', () => {
    const samples = Float32Array.from([0, 0.5, -0.25, 1, -1]);
    const bytes = Buffer.concat([
      encodeMessage({ type: 'hello', sampleRate: 22_050 }),
      encodeMessage({ type: 'chunk', id: 7 }, samples),
      encodeMessage({ type: 'done', id: 7 }),
    ]);
    for (const cut of [1, 3, 8, 13, bytes.length - 1]) {
      const reader = new MessageReader<TVoiceReply>();
      const messages = [...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut))];
      expect(messages.map((m) => m.header)).toEqual([{ type: 'hello', sampleRate: 22_050 }, { type: 'chunk', id: 7 }, { type: 'done', id: 7 }]);
      expect([...messages[1]!.body!]).toEqual([...samples]);
      expect(messages[0]!.body).toBeUndefined();
    }
  });

  it('reads a byte at a time', () => {
    const bytes = encodeMessage({ type: 'chunk', id: 1 }, new Float32Array([0.125, 0.25]));
    const reader = new MessageReader<TVoiceReply>();
    const messages = [...bytes].flatMap((b) => reader.push(Buffer.from([b])));
    expect(messages).toHaveLength(1);
    expect([...messages[0]!.body!]).toEqual([0.125, 0.25]);
  });

  it('refuses a stream that is not this protocol, instead of waiting for gigabytes', () => {
    const reader = new MessageReader<TVoiceReply>();
    expect(() => reader.push(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))).toThrow(ProtocolError);
    const badJson = Buffer.alloc(8 + 3);
    badJson.writeUInt32LE(3, 0);
    badJson.write('{x}', 8);
    expect(() => new MessageReader<TVoiceReply>().push(badJson)).toThrow('not JSON');
    const oddBody = Buffer.alloc(8 + 2 + 3);
    oddBody.writeUInt32LE(2, 0);
    oddBody.writeUInt32LE(3, 4);
    expect(() => new MessageReader<TVoiceReply>().push(oddBody)).toThrow(ProtocolError);
  });
});
