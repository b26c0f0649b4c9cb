import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PiperModelError, PiperTTS, readOnnxMetadata } from './tts-piper';

/** A protobuf with ir_version (field 1), a fake graph (field 7) and metadata entries (field 14). */
function fakeOnnx(meta: Record<string, string>): Buffer {
  const field = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag, body.length]), body]);
  const entries = Object.entries(meta).map(([k, v]) =>
    field((14 << 3) | 2, Buffer.concat([field(0x0a, Buffer.from(k)), field(0x12, Buffer.from(v))])),
  );
  return Buffer.concat([Buffer.from([0x08, 0x07]), field((7 << 3) | 2, Buffer.alloc(100, 1)), ...entries]);
}

function voiceDir(meta: Record<string, string>): { model: string; tokens: string } {
  const dir = mkdtempSync(join(tmpdir(), 'piper-test-'));
  writeFileSync(join(dir, 'voice.onnx'), fakeOnnx(meta));
  writeFileSync(join(dir, 'tokens.txt'), '_ 0\n');
  return { model: join(dir, 'voice.onnx'), tokens: join(dir, 'tokens.txt') };
}

describe('readOnnxMetadata', () => {
  it('reads metadata entries past the graph', () => {
    expect(readOnnxMetadata(voiceDir({ sample_rate: '22050', comment: 'piper' }).model)).toEqual({
      sample_rate: '22050',
      comment: 'piper',
    });
  });
});

describe('PiperTTS.create', () => {
  const fix = 'npm run models -- pull piper-en_US-joe-medium';

  it('names the missing model and the fix', async () => {
    const creating = PiperTTS.create({ model: '/nonexistent/voice.onnx', tokens: '/nonexistent/tokens.txt', fix });
    await expect(creating).rejects.toBeInstanceOf(PiperModelError);
    await expect(creating).rejects.toThrow(/not found at \/nonexistent\/voice\.onnx.*pull piper-en_US-joe-medium/);
  });

  it('refuses an ONNX without sherpa metadata before the native loader can end the process', async () => {
    const creating = PiperTTS.create({ ...voiceDir({ sample_rate: '22050' }), fix });
    await expect(creating).rejects.toThrow(/lacks sherpa-onnx metadata \(model_type, comment, voice, has_espeak\)/);
  });
});
