import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A protobuf with ir_version (field 1), a fake graph (field 7) and metadata entries (field 14). */
function fakeOnnx(meta: Record<string, string>): Buffer {
  const field = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag, body.length]), body]);
  const entries = Object.entries(meta).map(([k, v]) =>
    field((14 << 3) | 2, Buffer.concat([field(0x0a, Buffer.from(k)), field(0x12, Buffer.from(v))])),
  );
  return Buffer.concat([Buffer.from([0x08, 0x07]), field((7 << 3) | 2, Buffer.alloc(100, 1)), ...entries]);
}

/**
 * Piper voice files for tests that never reach the native loader: a tiny "ONNX" carrying the given
 * metadata, a tokens file and, with `espeakData`, a folder that passes the espeak-ng data check.
 */
export function fakePiperVoice(
  meta: Record<string, string>,
  opts: { espeakData?: boolean } = {},
): { model: string; tokens: string; espeakDataDir?: string } {
  const dir = mkdtempSync(join(tmpdir(), 'piper-test-'));
  writeFileSync(join(dir, 'voice.onnx'), fakeOnnx(meta));
  writeFileSync(join(dir, 'tokens.txt'), '_ 0\n');
  const files = { model: join(dir, 'voice.onnx'), tokens: join(dir, 'tokens.txt') };
  if (!opts.espeakData) return files;
  const espeakDataDir = join(dir, 'espeak-ng-data');
  mkdirSync(espeakDataDir);
  writeFileSync(join(espeakDataDir, 'phontab'), '');
  return { ...files, espeakDataDir };
}
