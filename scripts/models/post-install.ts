import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { VENV_CONVERTER_REQUIREMENTS, type TDerivedFile } from '../../agent/src/models/manifest';
import { ensureVenv, run } from './python';

const CONVERTER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'convert-minilm-onnx.py');

/** Runs one derivation step in `dir` (the staging copy of a model, originals already verified). */
export async function runDerivedStep(step: TDerivedFile['step'], dir: string, root: string): Promise<void> {
  if (step === 'piper-sherpa-meta') return addSherpaPiperMetadata(dir);
  const python = await ensureVenv(root, VENV_CONVERTER_REQUIREMENTS);
  await mkdir(path.join(dir, 'onnx'), { recursive: true });
  await run(python, [CONVERTER, path.join(dir, 'model.safetensors'), path.join(dir, 'onnx', 'model.onnx')]);
}

/**
 * sherpa-onnx reads a Piper voice's settings from ONNX metadata and its phonemes from tokens.txt;
 * Piper keeps both in the .onnx.json. Protobuf merges repeated fields appended to a message, so
 * appending ModelProto.metadata_props (field 14) entries to the original bytes is a valid model.
 */
async function addSherpaPiperMetadata(dir: string): Promise<void> {
  const voice = 'en_US-joe-medium';
  const config = ZPiperConfig.parse(JSON.parse(await readFile(path.join(dir, `${voice}.onnx.json`), 'utf8')));
  const meta: Record<string, string | number> = {
    model_type: 'vits',
    comment: 'piper',
    language: 'English',
    voice: config.espeak.voice,
    has_espeak: 1,
    n_speakers: config.num_speakers ?? 1,
    sample_rate: config.audio.sample_rate,
  };
  const original = await readFile(path.join(dir, `${voice}.onnx`));
  const entries = Object.entries(meta).map(([k, v]) => metadataEntry(k, String(v)));
  await writeFile(path.join(dir, `${voice}.sherpa.onnx`), Buffer.concat([original, ...entries]));
  // Sorted by id: JS objects put digit-like keys ("0", "1") first, which would reorder the file.
  const tokens = Object.entries(config.phoneme_id_map)
    .map(([symbol, ids]) => ({ symbol, id: ids[0] ?? 0 }))
    .sort((a, b) => a.id - b.id)
    .map(({ symbol, id }) => `${symbol} ${id}`);
  await writeFile(path.join(dir, 'tokens.txt'), `${tokens.join('\n')}\n`);
}

const ZPiperConfig = z.object({
  espeak: z.object({ voice: z.string() }),
  audio: z.object({ sample_rate: z.number() }),
  num_speakers: z.number().optional(),
  phoneme_id_map: z.record(z.string(), z.array(z.number()).min(1)),
});

function varint(n: number): Buffer {
  const bytes: number[] = [];
  while (n > 127) {
    bytes.push((n & 127) | 128);
    n >>>= 7;
  }
  bytes.push(n);
  return Buffer.from(bytes);
}
const lengthDelimited = (field: number, payload: Buffer) => Buffer.concat([varint((field << 3) | 2), varint(payload.length), payload]);
const metadataEntry = (key: string, value: string) =>
  lengthDelimited(14, Buffer.concat([lengthDelimited(1, Buffer.from(key)), lengthDelimited(2, Buffer.from(value))]));
